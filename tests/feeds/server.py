"""A local web server of sites, their feeds (RSS, Atom, JSON Feed) and article pages.

Feeds answer 304 to a request carrying their ETag; every request is counted by path, and
a test can make any path fail with a status of its choosing.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ARTICLES = {
    "merkel-paris": (
        "Angela Merkel Meets Emmanuel Macron In Paris",
        "German Chancellor Angela Merkel met French President Emmanuel Macron in Paris on "
        "Monday to discuss the future of the European Union. Merkel said that Germany and "
        "France would work together on trade. Macron told reporters that the talks with "
        "Merkel had been open and friendly.",
    ),
    "un-geneva": (
        "United Nations Opens Climate Talks In Geneva",
        "The United Nations opened climate talks in Geneva on Tuesday. Antonio Guterres "
        "urged China and the United States to cut emissions faster. Delegates from India "
        "and Brazil said that richer countries must pay for the damage already done.",
    ),
    "kerry-baghdad": (
        "John Kerry Visits Baghdad To Meet Iraqi Leaders",
        "United States Secretary of State John Kerry arrived in Baghdad on Wednesday for "
        "talks with Iraqi leaders about the campaign against the Islamic State. Kerry met "
        "Prime Minister Haider al-Abadi and discussed support from the United Nations.",
    ),
    "nato-brussels": (
        "NATO Ministers Gather In Brussels",
        "Defence ministers of NATO gathered in Brussels on Thursday. Jens Stoltenberg said "
        "that Poland and Norway would send more troops to Lithuania. The meeting also "
        "discussed Russia and the war in Ukraine, which has lasted for years.",
    ),
    "tokyo-summit": (
        "Japan Hosts Asian Leaders In Tokyo",
        "Japan hosted Asian leaders in Tokyo on Friday. Prime Minister Fumio Kishida welcomed "
        "the President of South Korea and talked with officials from Indonesia about the "
        "economy. The World Bank said that growth in Asia would slow this year.",
    ),
    "madrid-vote": (
        "Spain Votes In A Close Election",
        "Voters in Spain went to the polls on Sunday. Pedro Sanchez hoped to stay in office "
        "in Madrid, while Alberto Nunez Feijoo led in the polls. The European Commission "
        "said that it would work with whichever government came out of the vote.",
    ),
}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | The Feed Herald</title>
<meta property="og:site_name" content="The Feed Herald">
<meta property="article:published_time" content="2026-11-20T10:00:00Z">
</head><body><nav><a href="/">Home</a></nav>
<article><h1>{title}</h1><p>{text}</p></article>
<footer>Copyright The Feed Herald.</footer></body></html>"""

SITE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{name}</title>{links}</head>
<body><h1>{name}</h1><p>Welcome to {name}.</p></body></html>"""

FEED_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}


def rss(base: str, items: list[tuple[str, str, str]], *, title: str = "The RSS Herald") -> str:
    """RSS 2.0; items are (slug, title, date) with an RFC 822 date."""
    entries = "".join(
        f"<item><title>{item_title}</title><link>{base}/articles/{slug}.html</link>"
        f"<guid>{base}/articles/{slug}.html</guid><pubDate>{date}</pubDate>"
        f"<description>A short summary.</description></item>"
        for slug, item_title, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>{base}/rss-site/</link><description>News</description>"
        f"{entries}</channel></rss>"
    )


def atom(base: str, items: list[tuple[str, str, str]]) -> str:
    """Atom 1.0; items are (slug, title, RFC 3339 date)."""
    entries = "".join(
        f'<entry><title>{item_title}</title><link href="{base}/articles/{slug}.html"/>'
        f"<id>urn:test:{slug}</id><updated>{date}</updated><published>{date}</published>"
        f"<summary>A short summary.</summary></entry>"
        for slug, item_title, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>The Atom Herald</title><link href="{base}/atom-site/"/>'
        f"<id>urn:test:atom</id><updated>2026-11-21T10:00:00Z</updated>{entries}</feed>"
    )


def json_feed(base: str, items: list[tuple[str, str, str]]) -> str:
    """JSON Feed 1.1; items are (slug, title, RFC 3339 date)."""
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "The JSON Herald",
            "home_page_url": f"{base}/json-site/",
            "items": [
                {
                    "id": f"json-{slug}",
                    "url": f"{base}/articles/{slug}.html",
                    "title": item_title,
                    "date_published": date,
                    "content_text": "A short summary.",
                }
                for slug, item_title, date in items
            ],
        }
    )


@dataclass
class FeedServer:
    """The server's address, what it serves, what it was asked, and what fails."""

    base: str = ""
    # path -> (content type, body): feeds and sites the tests add to.
    documents: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    not_modified: Counter[str] = field(default_factory=Counter)  # 304 answers, by path
    # path -> status to answer instead of the document, and headers to send with it.
    failing: dict[str, int] = field(default_factory=dict)
    failing_headers: dict[str, dict[str, str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, content_type: str, body: str | bytes) -> str:
        self.documents[path] = (content_type, body.encode() if isinstance(body, str) else body)
        return self.url(path)

    def site(self, path: str, name: str, feeds: list[tuple[str, str]]) -> str:
        """A site's home page naming its feeds: (kind, path) with kind rss, atom or json."""
        links = "".join(
            f'<link rel="alternate" type="{FEED_TYPES[kind]}" title="{name} {kind}" '
            f'href="{feed_path}">'
            for kind, feed_path in feeds
        )
        return self.serve(path, "text/html; charset=utf-8", SITE.format(name=name, links=links))

    def article_hits(self) -> int:
        return sum(count for path, count in self.hits.items() if path.startswith("/articles/"))


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        state = self.server.state
        path = self.path.split("?")[0]
        with state.lock:
            state.hits[path] += 1
        if path in state.failing:
            status, headers = state.failing[path], state.failing_headers.get(path)
            self._answer(status, "text/html", b"<html>error</html>", headers)
            return
        slug = path.removeprefix("/articles/").removesuffix(".html")
        if path.startswith("/articles/") and slug in ARTICLES:
            title, text = ARTICLES[slug]
            body = PAGE.format(title=title, text=text).encode()
            self._answer(200, "text/html; charset=utf-8", body)
            return
        if path not in state.documents:
            self._answer(404, "text/html", b"<html>not found</html>")
            return
        content_type, body = state.documents[path]
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            with state.lock:
                state.not_modified[path] += 1
            self._answer(304, None, b"", {"ETag": etag})
            return
        self._answer(200, content_type, body, {"ETag": etag})

    def _answer(
        self,
        status: int,
        content_type: str | None,
        body: bytes,
        headers: dict[str, str] | None = None,
    ) -> None:
        try:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: FeedServer


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A fresh local server for the test, with the three herald sites and their feeds."""
    httpd = _Server(("127.0.0.1", 0), _Handler)
    state = FeedServer(base=f"http://127.0.0.1:{httpd.server_address[1]}")
    httpd.state = state
    base = state.base
    state.serve(
        "/rss-site/feed.xml",
        "application/rss+xml; charset=utf-8",
        rss(
            base,
            [
                ("merkel-paris", "Merkel meets Macron", "Fri, 20 Nov 2026 10:00:00 +0000"),
                ("un-geneva", "Climate talks open", "Thu, 19 Nov 2026 10:00:00 +0000"),
            ],
        ),
    )
    state.serve(
        "/atom-site/atom.xml",
        "application/atom+xml",
        atom(
            base,
            [
                ("kerry-baghdad", "Kerry in Baghdad", "2026-11-18T10:00:00Z"),
                ("nato-brussels", "NATO in Brussels", "2026-11-17T10:00:00Z"),
            ],
        ),
    )
    state.serve(
        "/json-site/feed.json",
        "application/feed+json",
        json_feed(
            base,
            [
                ("tokyo-summit", "Leaders in Tokyo", "2026-11-16T10:00:00Z"),
                ("madrid-vote", "Spain votes", "2026-11-15T10:00:00+00:00"),
            ],
        ),
    )
    state.site("/rss-site/", "The RSS Herald", [("rss", "/rss-site/feed.xml")])
    state.site("/atom-site/", "The Atom Herald", [("atom", "atom.xml")])
    state.site("/json-site/", "The JSON Herald", [("json", "/json-site/feed.json")])
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


SITES = {
    "rss": ("/rss-site/", "/rss-site/feed.xml", {"merkel-paris", "un-geneva"}),
    "atom": ("/atom-site/", "/atom-site/atom.xml", {"kerry-baghdad", "nato-brussels"}),
    "json": ("/json-site/", "/json-site/feed.json", {"tokyo-summit", "madrid-vote"}),
}
