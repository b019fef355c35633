"""Polling through a real Celery worker: beat's due-feeds task, one poll task per feed,
every item fetched and analysed; the next poll is answered 304 and fetches nothing."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article, ArticleEntity
from feeds import services
from feeds.models import Feed
from newsreader.celery import app as celery_app
from tests.feeds.server import SITES
from tests.support.waiting import wait_until_finished


def wait_for_polls(after, count: int, timeout: float = 90) -> list[Feed]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        feeds = list(Feed.objects.filter(last_polled_at__gt=after, claimed_by=""))
        if len(feeds) == count:
            return feeds
        time.sleep(0.2)
    pytest.fail(f"{count} polls did not finish in {timeout} s")


def test_beat_queues_the_due_feeds_each_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["poll-due-feeds"]
    assert entry["schedule"] == 60.0
    celery_app.loader.import_default_modules()
    assert entry["task"] in celery_app.tasks


@pytest.mark.worker
@pytest.mark.redis
@pytest.mark.nlp
def test_worker_polls_due_feeds_and_every_item_is_analysed(
    celery_worker, user, feed_server, private_urls
):
    for site, _, _ in SITES.values():
        [choice] = services.feeds_discover(url=feed_server.url(site))
        services.subscription_create(user=user, url=choice.url)
    start = timezone.now()

    assert services.feeds_queue_due() == 3
    assert services.feeds_queue_due() == 0  # claimed: never two polls of one feed at once

    for feed in wait_for_polls(start, 3):
        assert feed.item_count == 2 and not feed.last_error, feed.last_error
    slugs = set().union(*(expected for _, _, expected in SITES.values()))
    articles = [wait_until_finished(article) for article in Article.objects.all()]
    assert {a.url for a in articles} == {feed_server.url(f"/articles/{s}.html") for s in slugs}
    for article in articles:
        assert article.status == Article.Status.DONE, article.error
        assert ArticleEntity.objects.filter(article=article).exists()
    fetched = {path: feed_server.hits[path] for _, path, _ in SITES.values()}
    article_hits = feed_server.article_hits()
    assert article_hits == 6

    Feed.objects.update(next_poll_at=timezone.now())
    again = timezone.now()
    assert services.feeds_queue_due() == 3
    wait_for_polls(again, 3)

    assert {path: feed_server.hits[path] for _, path, _ in SITES.values()} == {
        path: count + 1 for path, count in fetched.items()
    }
    assert all(feed_server.not_modified[path] == 1 for path in fetched)
    assert feed_server.article_hits() == article_hits  # 304: nothing else fetched
    assert Article.objects.count() == 6
