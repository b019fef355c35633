"""Shared fixtures: users, a local web server of test pages, and a real Celery worker.

Tests that need a real service say so with a marker. On a laptop without the service they
skip with the reason; with ``CI=true`` a missing service fails the run instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip on a laptop, fail in CI, when a real service the test needs is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items) -> None:
    uses_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    for item in items:
        if item.get_closest_marker("postgres") and not uses_postgres:
            item.add_marker(
                pytest.mark.skipif(not IN_CI, reason="needs PostgreSQL: set DATABASE_URL")
            )


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="reader", password="correct horse")


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="curator", password="correct horse", is_staff=True
    )


ARTICLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | The Test Herald</title>
<meta property="og:site_name" content="The Test Herald">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2024-09-15T10:00:00Z">
<link rel="canonical" href="{canonical}">
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
    def do_GET(self) -> None:
        if self.path in BAD_PAGES:
            status, content_type, body = BAD_PAGES[self.path]
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        page = PAGES.get(self.path.split("?")[0])
        if page is None:
            self.send_error(404)
            return
        title, paragraphs = page
        host, port = self.server.server_address[:2]
        body = ARTICLE_HTML.format(
            title=title,
            paragraphs="\n".join(f"<p>{p}</p>" for p in paragraphs),
            canonical=f"http://{host}:{port}{self.path.split('?')[0]}",
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture(scope="session")
def page_server() -> Iterator[str]:
    """A local HTTP server of news pages; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PageHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _database_url() -> str:
    """The URL of the database the tests run on (the test database, once it exists)."""
    params = connection.settings_dict
    if params["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{params['NAME']}"
    auth = params["USER"] or ""
    if params["PASSWORD"]:
        auth += f":{params['PASSWORD']}"
    host = params["HOST"] or "localhost"
    port = f":{params['PORT']}" if params["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{params['NAME']}"


@pytest.fixture
def celery_worker(transactional_db) -> Iterator[subprocess.Popen]:
    """A real Celery worker process, on the configured broker and the test database."""
    require(
        bool(os.environ.get("REDIS_URL")) or not IN_CI, "REDIS_URL is not set (the Redis broker)"
    )
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "NEWSREADER_ALLOW_PRIVATE_URLS": "1",
        "DEBUG": "1",
    }
    log_path = Path(settings.VAR_DIR) / "test-worker.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "newsreader",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while "ready." not in log_path.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"The Celery worker did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.2)
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
