"""Shared fixtures: users, a local web server of test pages, and a real Celery worker.

Tests that need a real service say so with a marker. On a laptop without the service they
skip with the reason; with ``CI=true`` a missing service fails the run instead.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from newsreader.celery import app as celery_app

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


@pytest.fixture(autouse=True)
def _private_cache(settings) -> None:
    """A cache of each test's own, so the per-user paste limit counts one test's pastes."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


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
    """``/<name>.html`` from PAGES; BAD_PAGES as they are; ``/status/<code>.html`` answers
    with that status; ``/slow/<seconds>/<tag>/<name>.html`` waits before its first answer
    (later requests for it are fast, so a redelivered task is not slowed again)."""

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
        if parts[0] == "slow" and len(parts) == 4:
            if first:
                time.sleep(float(parts[1]))
            path = "/" + parts[3]
        page = PAGES.get(path)
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


@dataclass
class Worker:
    """A real Celery worker process, its log, and ways to stop or kill it."""

    process: subprocess.Popen
    log_path: Path
    log_file: IO[str] = field(repr=False)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def pool_children(self) -> list[int]:
        """Process ids of the prefork pool's children."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, nothing cleaned up."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log_file.close()


def _purge_broker() -> None:
    """Drop every message of earlier runs: queued, waiting for a retry, or unacknowledged.

    Article ids restart with each test database, so a stray task from an earlier run
    (a retry due later, a message a killed worker never acknowledged) would act on this
    run's articles.
    """
    celery_app.control.purge()
    if celery_app.conf.broker_url.startswith("redis"):
        with celery_app.connection_for_write() as conn:
            conn.default_channel.client.delete("unacked", "unacked_index", "unacked_mutex")


@pytest.fixture
def start_worker(transactional_db) -> Iterator[Callable[..., Worker]]:
    """Start real Celery workers on the test database; every one is stopped at teardown."""
    require(
        bool(os.environ.get("REDIS_URL")) or not IN_CI, "REDIS_URL is not set (the Redis broker)"
    )
    _purge_broker()
    workers: list[Worker] = []

    def start(*, pool: str = "solo", env: dict[str, str] | None = None) -> Worker:
        environment = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "NEWSREADER_ALLOW_PRIVATE_URLS": "1",
            "DEBUG": "1",
            **(env or {}),
        }
        log_path = Path(settings.VAR_DIR) / f"test-worker-{len(workers)}.log"
        log_file = log_path.open("w")
        pool_args = ["--pool=solo"] if pool == "solo" else ["--pool=prefork", "--concurrency=1"]
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "newsreader", "worker", *pool_args),
                *("--loglevel=INFO", "--without-mingle", "--without-gossip"),
                *("--without-heartbeat", f"--hostname=test{len(workers)}@%h"),
            ],
            cwd=REPO_ROOT,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        worker = Worker(process, log_path, log_file)
        workers.append(worker)
        deadline = time.monotonic() + 60
        while "ready." not in worker.log():
            if process.poll() is not None or time.monotonic() > deadline:
                worker.kill()
                pytest.fail(f"The Celery worker did not start:\n{worker.log()[-3000:]}")
            time.sleep(0.1)
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()
        _purge_broker()  # a stopping worker hands back what it held (retries due later)


@pytest.fixture
def celery_worker(start_worker) -> Worker:
    """One real Celery worker process, on the configured broker and the test database."""
    return start_worker()
