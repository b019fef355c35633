"""A local HTTP server of news pages (and of pages that go wrong), as a fixture."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ARTICLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | The Test Herald</title>
<meta property="og:site_name" content="The Test Herald">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2024-09-15T10:00:00Z">
{canonical}
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/login">Sign in</a></nav>
<article>
<h1>{title}</h1>
{paragraphs}
</article>
<footer>Copyright The Test Herald. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""

PAGES = {
    "/paris-conference.html": (
        "World Powers Back Fight Against Islamic State In Iraq",
        [
            "Thirty world powers met in Paris on Monday to discuss the military campaign "
            "against the Islamic State group in Iraq, boosting efforts by the United States "
            "to build an international coalition.",
            "French President Francois Hollande opened the conference alongside Iraqi "
            "President Fuad Masum. Secretary of State John Kerry represented the United "
            "States, while the United Nations and the European Union sent delegates.",
            "Kerry told reporters that the coalition would support the new Iraqi government "
            "by any means necessary. Hollande said France had already flown reconnaissance "
            "missions over Iraq, and Germany pledged humanitarian aid.",
        ],
    ),
    "/kerry-visit.html": (
        "John Kerry Visits Baghdad To Meet Iraqi Leaders",
        [
            "United States Secretary of State John Kerry arrived in Baghdad on Wednesday "
            "for talks with Iraqi leaders about the campaign against the Islamic State.",
            "Kerry met Prime Minister Haider al-Abadi and discussed support from the "
            "United Nations. Officials from Iran were not present at the meeting.",
        ],
    ),
    # A paywalled story: two paragraphs of teaser, then the prompt to subscribe.
    "/port-terminal.html": (
        "Port Authority Weighs A Second Container Terminal",
        [
            "The port authority will decide next month whether to build a second container "
            "terminal on the reclaimed land south of the old dry dock.",
            "Shipping lines have asked for more berths since the canal was widened, and the "
            "existing terminal ran at nine tenths of its capacity for most of last year.",
            "Subscribe to continue reading. Already a subscriber? Sign in.",
        ],
    ),
}


LOGIN_WALL = (
    b"<html><head><title>Sign in</title></head><body><form><input name=user>"
    b"<input type=password name=pw><button>Sign in</button></form>"
    b"<p>Subscribe to read.</p></body></html>"
)

# Pages that go wrong: path -> (status, content type, body).
BAD_PAGES = {
    "/gone.html": (404, "text/html", b"<html><body>Not here</body></html>"),
    "/broken.html": (500, "text/html", b"<html><body>Oops</body></html>"),
    "/report.pdf": (200, "application/pdf", b"%PDF-1.4 not a web page"),
    "/data.json": (200, "application/json", b'{"not": "html"}'),
    "/photo.png": (200, "image/png", b"\x89PNG\r\n\x1a\n"),
    "/login.html": (200, "text/html; charset=utf-8", LOGIN_WALL),
}


class _PageHandler(BaseHTTPRequestHandler):
    """``/<name>.html`` from PAGES; BAD_PAGES as they are; ``/status/<code>.html`` answers
    with that status; ``/slow/<seconds>/<tag>/<name>.html`` waits before its first answer
    (later requests for it are fast, so a redelivered task is not slowed again);
    ``/bare/<name>.html`` is the page without a rel=canonical link, and ``/go/<name>``
    a short link that redirects to it."""

    hits: dict[str, int] = {}
    lock = threading.Lock()

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        with self.lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            first = self.hits[path] == 1
        parts = path.strip("/").split("/")
        if path in BAD_PAGES:
            self._answer(*BAD_PAGES[path])
            return
        if parts[0] == "status" and len(parts) == 2:
            self.send_error(int(parts[1].removesuffix(".html")))
            return
        if parts[0] == "go" and len(parts) == 2:
            self.send_response(302)
            self.send_header("Location", f"/bare/{parts[1]}.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if parts[0] == "slow" and len(parts) == 4:
            if first:
                time.sleep(float(parts[1]))
            path = "/" + parts[3]
        bare = parts[0] == "bare" and len(parts) == 2
        if bare:
            path = "/" + parts[1]
        page = PAGES.get(path)
        if page is None:
            self.send_error(404)
            return
        title, paragraphs = page
        host, port = self.server.server_address[:2]
        body = ARTICLE_HTML.format(
            title=title,
            paragraphs="\n".join(f"<p>{p}</p>" for p in paragraphs),
            canonical=""
            if bare
            else f'<link rel="canonical" href="http://{host}:{port}{self.path.split("?")[0]}">',
        ).encode()
        self._answer(200, "text/html; charset=utf-8", body)

    def _answer(self, status: int, content_type: str, body: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a worker killed mid-fetch: some fault tests do that on purpose

    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture
def private_urls(settings) -> None:
    """Let this process fetch (and accept pastes of) the local test pages on 127.0.0.1."""
    settings.NEWSREADER_ALLOW_PRIVATE_URLS = True


@pytest.fixture(scope="session")
def page_server() -> Iterator[str]:
    """A local HTTP server of news pages; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PageHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
