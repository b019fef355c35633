"""Lead images, fetched by the server and served from the app.

The reader's browser never asks the publisher for an image, so the reader's address does
not leak to it and the page's CSP stays ``img-src 'self'``. The image is fetched with
the safe fetcher (public addresses only, every hop checked, size and time limits) and
kept in the cache: one fetch per image, however many readers open the article.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from articles.ingest.fetch import FetchError, fetch
from articles.models import Article

# SVG is left out: it is a document that can carry script, not a picture.
IMAGE_CONTENT_TYPES = frozenset(
    {"image/avif", "image/gif", "image/jpeg", "image/png", "image/webp"}
)
IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_TIMEOUT_SECONDS = 10.0
IMAGE_CACHE_SECONDS = 24 * 60 * 60
# A failed fetch is remembered for a while, so a broken image is not fetched on every view.
IMAGE_FAILURE_CACHE_SECONDS = 10 * 60


class ImageUnavailable(Exception):
    """The article has no image that can be shown; the message says why."""


@dataclass(frozen=True)
class LeadImage:
    content_type: str
    body: bytes


def article_image_fetch(*, article: Article) -> LeadImage:
    """The article's lead image, from the cache or fetched now; ``ImageUnavailable`` if
    it has none, or it is not an image, too large, or cannot be fetched."""
    if not article.has_proxied_image:
        raise ImageUnavailable("The article has no lead image.")
    key = "lead-image:" + hashlib.sha256(article.image_url.encode()).hexdigest()
    cached = cache.get(key)
    if isinstance(cached, LeadImage):
        return cached
    if isinstance(cached, str):
        raise ImageUnavailable(cached)
    try:
        fetched = fetch(
            article.image_url,
            allow_private=settings.NEWSREADER_ALLOW_PRIVATE_URLS,
            max_bytes=IMAGE_MAX_BYTES,
            timeout=IMAGE_TIMEOUT_SECONDS,
            content_types=IMAGE_CONTENT_TYPES,
            headers={"Accept": ",".join(sorted(IMAGE_CONTENT_TYPES))},
        )
    except FetchError as error:
        cache.set(key, error.message, IMAGE_FAILURE_CACHE_SECONDS)
        raise ImageUnavailable(error.message) from error
    if fetched.content_type not in IMAGE_CONTENT_TYPES:  # no type sent: the body was HTML
        reason = "The lead image address is not to an image."
        cache.set(key, reason, IMAGE_FAILURE_CACHE_SECONDS)
        raise ImageUnavailable(reason)
    image = LeadImage(content_type=fetched.content_type, body=fetched.body)
    cache.set(key, image, IMAGE_CACHE_SECONDS)
    return image
