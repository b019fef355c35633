"""Feed discovery in a web page: ``<link rel="alternate">`` and the usual feed paths."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from feeds.parsing import plain_text

__all__ = [
    "COMMON_PATHS",
    "FEED_TYPES",
    "HTML_TYPES",
    "FeedChoice",
    "feed_links",
    "looks_like_html",
]

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml"}
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Where sites usually publish a feed, tried in turn when a page names none.
COMMON_PATHS = ("/feed", "/rss", "/atom.xml", "/index.xml", "/feed.xml", "/rss.xml")


@dataclass(frozen=True)
class FeedChoice:
    url: str
    title: str


def looks_like_html(body: bytes) -> bool:
    """Whether a document is a web page rather than a feed, from its first bytes."""
    start = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n\f").lower()
    return start.startswith((b"<!doctype html", b"<html"))


def feed_links(html: str, *, base_url: str) -> list[FeedChoice]:
    """The feeds a page names with ``<link rel="alternate" type="...">``, in page order."""
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    choices: dict[str, FeedChoice] = {}
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" not in rel or kind not in FEED_TYPES or not href:
            continue
        url = urljoin(base_url, href)
        if urlsplit(url).scheme in ("http", "https") and url not in choices:
            choices[url] = FeedChoice(url=url[:2048], title=plain_text(link.get("title")))
    return list(choices.values())
