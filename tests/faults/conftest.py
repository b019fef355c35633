"""Fixtures for the fault tests: pages that are slow or fail, workers a test may kill,
a broker that is down or never answers, and a PostgreSQL restart that always ends up.

Every service a test breaks is put back in a ``finally``: the machine's PostgreSQL and
Redis are shared with other work, so a failed test must not leave them down. "Redis down"
never stops the shared Redis: the app is pointed at a closed port instead.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.db import connection

from tests.support import require

# Brokers ----------------------------------------------------------------------------------


@pytest.fixture
def silent_broker_url() -> Iterator[str]:
    """A port that accepts TCP connections and never answers: a hung broker, or one behind
    a dead network path, where only a timeout ends the wait."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(128)  # the kernel completes handshakes; nobody ever reads
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        server.close()


# PostgreSQL -------------------------------------------------------------------------------


def _pg_ctlcluster(action: str, *options: str) -> None:
    versions = sorted(os.listdir("/etc/postgresql"))
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", action, *options],
        check=True,
        timeout=60,
        capture_output=True,
    )


def _postgres_accepts_connections() -> bool:
    import psycopg

    params = connection.settings_dict
    try:
        with psycopg.connect(
            host=params["HOST"] or "localhost",
            port=params["PORT"] or 5432,
            user=params["USER"],
            password=params["PASSWORD"] or None,
            dbname=params["NAME"],
            connect_timeout=2,
        ) as probe:
            probe.execute("SELECT 1")
    except psycopg.OperationalError:
        return False
    return True


def wait_for_postgres(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not _postgres_accepts_connections():
        if time.monotonic() > deadline:
            pytest.fail(f"PostgreSQL did not accept connections within {timeout} s")
        time.sleep(0.2)


@pytest.fixture
def restart_postgres() -> Iterator[Callable[[], None]]:
    """Restart the machine's PostgreSQL (fast shutdown: every connection is cut).

    Only with a real PostgreSQL and the cluster's control scripts on this machine. Whatever
    happens in the test, PostgreSQL is started again and accepting connections at teardown.
    """
    require(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
        "DATABASE_URL is not PostgreSQL",
    )
    require(
        os.path.isdir("/etc/postgresql") and bool(os.listdir("/etc/postgresql")),
        "no local PostgreSQL cluster to restart (/etc/postgresql)",
    )

    def restart() -> None:
        try:
            _pg_ctlcluster("stop", "-m", "fast")
        finally:
            _pg_ctlcluster("start")
        wait_for_postgres()
        # This process's connection died with the server; the next query opens a new one.
        connection.close()

    try:
        yield restart
    finally:
        if not _postgres_accepts_connections():
            with contextlib.suppress(subprocess.CalledProcessError):
                _pg_ctlcluster("start")  # "already running" is fine
            wait_for_postgres()
        connection.close()
