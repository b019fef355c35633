"""PostgreSQL restarted while a worker runs: the worker's kept-alive connection dies with
the server, and the next task must reconnect and carry on rather than fail."""

from __future__ import annotations

import pytest

from articles import services
from articles.models import Article
from tests.support.waiting import wait_until_finished

pytestmark = [pytest.mark.postgres, pytest.mark.worker, pytest.mark.redis, pytest.mark.nlp]


def test_worker_carries_on_after_postgresql_restarts_between_two_tasks(
    start_worker, page_server, private_urls, restart_postgres
):
    worker = start_worker()
    first, _ = services.article_ingest_url(url=f"{page_server}/paris-conference.html")
    first = wait_until_finished(first)
    assert first.status == Article.Status.DONE, first.error

    restart_postgres()  # fast shutdown: the worker's open connection is cut
    second, _ = services.article_ingest_url(url=f"{page_server}/kerry-visit.html")
    second = wait_until_finished(second, timeout=60)

    assert second.status == Article.Status.DONE, second.error
    assert worker.process.poll() is None, "the worker died with the database"
