"""Helpers shared by the fault tests (the fixtures are in this package's conftest)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from newsreader.celery import app as celery_app
from tests.support import require

# Nothing listens on port 1: a broker that is down refuses the connection at once.
CLOSED_PORT_REDIS_URL = "redis://127.0.0.1:1/0"


def require_redis_broker() -> str:
    """These faults are the Redis broker's: skip on a laptop's filesystem broker."""
    url = os.environ.get("REDIS_URL", "")
    require(bool(url), "REDIS_URL is not set (the fault tests need the Redis broker)")
    return url


@contextlib.contextmanager
def broker_url(url: str) -> Iterator[None]:
    """Point this process's Celery app at another broker, and back afterwards.

    The app caches its connection and producer pools; dropping them makes the next
    publish connect to the new URL, as a fresh web process would.
    """
    previous = celery_app.conf.broker_url

    def switch(to: str) -> None:
        celery_app.conf.broker_url = to
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    switch(url)
    try:
        yield
    finally:
        switch(previous)
