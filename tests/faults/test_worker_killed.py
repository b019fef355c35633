"""A worker killed (SIGKILL) in the middle of an article: the task is delivered again and
the article ends ``done`` once, with one copy of its mentions.

"In the middle" is made deterministic with a page that is slow to answer its first
request: the worker is killed while the article is ``fetching``.
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter

import pytest

from articles import services
from articles.models import Article, ArticleEntity, Mention
from tests.faults.support import require_redis_broker
from tests.support.waiting import wait_for_status, wait_until_finished

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.nlp]

# Short enough for a test, longer than a worker needs to take the task up again.
VISIBILITY_TIMEOUT = 3
SLOW_PAGE_SECONDS = 30  # far longer than the test waits before it kills


def _assert_one_copy_of_mentions(article: Article) -> None:
    spans = Counter(Mention.objects.filter(article=article).values_list("start", "end"))
    assert spans, "the article has no mentions at all"
    assert max(spans.values()) == 1, "a mention was stored twice"
    per_entity = Counter(
        ArticleEntity.objects.filter(article=article).values_list("entity_id", flat=True)
    )
    assert max(per_entity.values()) == 1
    assert sum(
        ArticleEntity.objects.filter(article=article).values_list("mentions", flat=True)
    ) == len(spans)


def test_task_of_a_killed_worker_is_delivered_again_after_the_visibility_timeout(
    start_worker, page_server, private_urls
):
    require_redis_broker()  # redelivery after a visibility timeout is Redis's
    env = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
    first = start_worker(env=env)
    article, _ = services.article_ingest_url(
        url=f"{page_server}/slow/{SLOW_PAGE_SECONDS}/whole-worker/paris-conference.html"
    )
    wait_for_status(article, {Article.Status.FETCHING}, timeout=30)

    first.kill()
    # The task was taken but never acknowledged: Redis hands it out again once the
    # visibility timeout has passed, to the next worker that looks.
    time.sleep(VISIBILITY_TIMEOUT + 0.5)
    start_worker(env=env)
    article = wait_until_finished(article, timeout=60)

    assert article.status == Article.Status.DONE, article.error
    _assert_one_copy_of_mentions(article)


def test_task_of_a_killed_pool_process_is_delivered_again_at_once(
    start_worker, page_server, private_urls
):
    # The long default visibility timeout: only reject_on_worker_lost can bring it back soon.
    worker = start_worker(pool="prefork")
    article, _ = services.article_ingest_url(
        url=f"{page_server}/slow/{SLOW_PAGE_SECONDS}/pool-process/kerry-visit.html"
    )
    wait_for_status(article, {Article.Status.FETCHING}, timeout=30)
    (child,) = worker.pool_children()

    os.kill(child, signal.SIGKILL)
    article = wait_until_finished(article, timeout=60)

    assert article.status == Article.Status.DONE, article.error
    assert "WorkerLostError" in worker.log()
    _assert_one_copy_of_mentions(article)
