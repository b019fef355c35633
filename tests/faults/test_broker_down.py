"""Redis down when a URL is pasted: the paste is kept as ``queued`` and answered at once,
and the sweeper sends it again once Redis is back, so nothing is lost.

"Down" is this process's Celery app (and cache) pointed at a closed port or at a port that
never answers; the machine's Redis keeps running for the worker and for other work.
The broker and the cache are broken separately: the cache case is a known gap (below).
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from articles.models import Article, Mention
from articles.tasks import articles_requeue_stale_task
from tests.faults.support import CLOSED_PORT_REDIS_URL, broker_url, require_redis_broker
from tests.support.waiting import wait_until_finished

pytestmark = [pytest.mark.redis, pytest.mark.worker, pytest.mark.nlp]

# Well under what a user waits for before giving up on a page.
FAST_ANSWER_SECONDS = 4.0
# A broker that accepts and never answers costs one socket timeout (5 s in settings).
SILENT_BROKER_ANSWER_SECONDS = 8.0


def _paste(client, url: str):
    started = time.monotonic()
    response = client.post(reverse("articles:paste"), {"url": url}, HTTP_HX_REQUEST="true")
    return response, time.monotonic() - started


def test_paste_while_redis_is_down_is_queued_and_finished_by_the_worker_start_sweep(
    client, user, page_server, private_urls, start_worker, settings
):
    require_redis_broker()
    client.force_login(user)
    url = f"{page_server}/paris-conference.html"

    with broker_url(CLOSED_PORT_REDIS_URL):
        response, seconds = _paste(client, url)

    assert response.status_code == 200
    assert seconds < FAST_ANSWER_SECONDS
    article = Article.objects.get()
    assert article.status == Article.Status.QUEUED
    # The user sees the article waiting, on a card that keeps polling.
    assert f'id="article-card-{article.pk}"' in response.text
    assert "Queued" in response.text
    assert "hx-trigger" in response.text

    # Redis is back: the first worker to start sweeps what was left queued.
    start_worker(env={"NEWSREADER_STALE_AFTER_SECONDS": "1"})
    article = wait_until_finished(article)

    assert article.status == Article.Status.DONE, article.error
    assert Article.objects.count() == 1
    assert Mention.objects.filter(article=article).exists()


def test_periodic_sweep_sends_an_article_left_queued_by_a_dead_broker(
    client, user, page_server, private_urls, start_worker, settings
):
    require_redis_broker()
    start_worker()  # already running when Redis goes: only the periodic sweep can help
    client.force_login(user)

    with broker_url(CLOSED_PORT_REDIS_URL):
        response, _ = _paste(client, f"{page_server}/kerry-visit.html")
        assert response.status_code == 200
        # While the broker is still down the sweep sends nothing and loses nothing.
        settings.NEWSREADER_STALE_AFTER_SECONDS = 0
        assert articles_requeue_stale_task.apply().get() == 0
    article = Article.objects.get()
    time.sleep(1)
    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED  # no task reached the worker

    assert articles_requeue_stale_task.apply().get() == 1
    article = wait_until_finished(article)

    assert article.status == Article.Status.DONE, article.error


def test_paste_to_a_broker_that_never_answers_is_bounded_by_the_socket_timeout(
    client, user, page_server, private_urls, silent_broker_url, transactional_db
):
    require_redis_broker()
    client.force_login(user)

    with broker_url(silent_broker_url):
        response, seconds = _paste(client, f"{page_server}/paris-conference.html")

    assert response.status_code == 200
    assert seconds < SILENT_BROKER_ANSWER_SECONDS
    assert Article.objects.get().status == Article.Status.QUEUED


def test_paste_while_the_redis_cache_is_down_too_is_still_queued(
    client, user, page_server, private_urls, settings, transactional_db
):
    require_redis_broker()
    client.force_login(user)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_PORT_REDIS_URL,
        }
    }

    with broker_url(CLOSED_PORT_REDIS_URL):
        response, seconds = _paste(client, f"{page_server}/kerry-visit.html")

    assert response.status_code == 200
    assert seconds < FAST_ANSWER_SECONDS
    assert Article.objects.get().status == Article.Status.QUEUED
