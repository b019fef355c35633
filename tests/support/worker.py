"""Real Celery worker processes on the test database, as fixtures."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest
from django.conf import settings
from django.db import connection

from newsreader.celery import app as celery_app
from tests.support import IN_CI, REPO_ROOT, require


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

    def start(
        *, pool: str = "solo", queues: str = "fetch,analysis", env: dict[str, str] | None = None
    ) -> Worker:
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
                f"--queues={queues}",
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
