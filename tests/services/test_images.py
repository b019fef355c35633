"""The lead-image proxy: fetched safely from a local server, cached, served with strict headers."""

from __future__ import annotations

import contextlib
import struct
import threading
import zlib
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article
from articles.services.images import IMAGE_MAX_BYTES
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    """A valid 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


PNG = _png()
# path -> (content type or None for no header, body)
IMAGES = {
    "/lead.png": ("image/png", PNG),
    "/page.html": ("text/html", b"<html><body>not an image</body></html>"),
    "/drawing.svg": ("image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
    "/untyped": (None, b"<html><body>no type</body></html>"),
    "/huge.jpg": ("image/jpeg", b"\xff" * (IMAGE_MAX_BYTES + 1)),
}


class _ImageHandler(BaseHTTPRequestHandler):
    hits: Counter = Counter()
    accepted: dict[str, str] = {}

    def do_GET(self) -> None:
        self.hits[self.path] += 1
        self.accepted[self.path] = self.headers.get("Accept", "")
        if self.path == "/moved.png":
            self.send_response(302)
            self.send_header("Location", "/lead.png")
            self.end_headers()
            return
        if self.path not in IMAGES:
            self.send_error(404)
            return
        content_type, body = IMAGES[self.path]
        self.send_response(200)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The fetcher hangs up on a body it will not take.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture(scope="module")
def image_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ImageHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _image_response(client, article: Article):
    return client.get(reverse("articles:image", args=[article.pk]))


def test_serves_the_lead_image_with_strict_headers(client, image_server, private_urls):
    article = ArticleFactory(image_url=f"{image_server}/lead.png")
    response = _image_response(client, article)
    assert response.status_code == 200
    assert response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "max-age=86400" in response["Cache-Control"]
    assert "image/png" in _ImageHandler.accepted["/lead.png"]
    assert "text/html" not in _ImageHandler.accepted["/lead.png"]


def test_the_image_is_fetched_once_then_served_from_the_cache(client, image_server, private_urls):
    article = ArticleFactory(image_url=f"{image_server}/moved.png")  # a redirect, followed
    before = _ImageHandler.hits["/lead.png"]
    for _ in range(3):
        assert _image_response(client, article).content == PNG
    assert _ImageHandler.hits["/lead.png"] == before + 1


@pytest.mark.parametrize("path", ["/page.html", "/drawing.svg", "/untyped", "/huge.jpg", "/gone"])
def test_refuses_what_is_not_a_small_image(client, image_server, private_urls, path):
    article = ArticleFactory(image_url=f"{image_server}{path}")
    assert _image_response(client, article).status_code == 404
    with pytest.raises(services.ImageUnavailable):
        services.article_image_fetch(article=article)


def test_private_addresses_are_refused_without_the_test_setting(client, image_server):
    article = ArticleFactory(image_url=f"{image_server}/lead.png")
    with pytest.raises(services.ImageUnavailable, match="private network"):
        services.article_image_fetch(article=article)
    assert _image_response(client, article).status_code == 404


@pytest.mark.parametrize("image_url", ["", "ftp://example.org/lead.png", "data:image/png,xx"])
def test_articles_without_an_http_image_have_none(client, image_url):
    article = ArticleFactory(image_url=image_url)
    assert not article.has_proxied_image
    assert _image_response(client, article).status_code == 404


def test_unfinished_articles_images_are_for_logged_in_users_only(
    client, image_server, private_urls
):
    article = ArticleFactory(image_url=f"{image_server}/lead.png", status=Article.Status.QUEUED)
    assert _image_response(client, article).status_code == 404


def test_the_article_page_shows_the_proxied_image_never_the_publishers(client, image_server):
    article = ArticleFactory(title="A <b>bold</b> title", image_url=f"{image_server}/lead.png")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'src="{reverse("articles:image", args=[article.pk])}"' in html
    assert 'alt="A &lt;b&gt;bold&lt;/b&gt; title"' in html
    assert image_server not in html
    assert "<img" not in client.get(ArticleFactory().get_absolute_url()).content.decode()
