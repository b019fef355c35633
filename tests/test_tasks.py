"""The Celery flow end to end: a real worker takes the task from the broker and writes
entities to the real database."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article, Entity, Mention
from articles.tasks import article_process_task
from tests.support.waiting import wait_for_status, wait_until_finished

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.nlp]


def test_worker_fetches_and_analyses_a_pasted_url(celery_worker, page_server, settings):
    settings.NEWSREADER_ALLOW_PRIVATE_URLS = True
    article, created = services.article_ingest_url(url=f"{page_server}/paris-conference.html")
    assert created and article.status == Article.Status.QUEUED

    article = wait_until_finished(article)

    assert article.status == Article.Status.DONE, article.error
    assert article.title == "World Powers Back Fight Against Islamic State In Iraq"
    assert article.site_name == "The Test Herald"
    kerry = Entity.objects.get(type="PERSON", name="John Kerry")
    surfaces = set(
        Mention.objects.filter(article=article, entity=kerry).values_list("surface", flat=True)
    )
    assert surfaces == {"John Kerry", "Kerry"}
    assert Entity.objects.get(type="COUNTRY", name="United States").article_count == 1
    for mention in article.mentions.all():
        assert article.text[mention.start : mention.end] == mention.surface


def test_fetching_and_analysis_run_on_their_own_queues_under_one_claim(
    start_worker, page_server, private_urls
):
    start_worker(queues="fetch")
    article, _ = services.article_ingest_url(url=f"{page_server}/kerry-visit.html")
    article = wait_for_status(article, {Article.Status.ANALYSING})
    time.sleep(2)  # no worker takes the analysis queue yet: the fetched article waits
    article.refresh_from_db()
    assert article.status == Article.Status.ANALYSING
    assert article.text and article.claimed_by
    claimed_by = article.claimed_by

    start_worker(queues="analysis")
    article = wait_until_finished(article)

    assert article.status == Article.Status.DONE, article.error
    assert article.claimed_by == claimed_by  # the fetch task's claim carried over
    assert Entity.objects.filter(name="John Kerry", article_count=1).exists()


def test_worker_marks_a_missing_page_failed_with_the_reason(
    celery_worker, page_server, private_urls
):
    article, _ = services.article_ingest_url(url=f"{page_server}/no-such-page.html")
    article = wait_until_finished(article)
    assert article.status == Article.Status.FAILED
    assert "404" in article.error


@pytest.fixture
def fetch_locally(settings):
    settings.NEWSREADER_ALLOW_PRIVATE_URLS = True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/gone.html", "404"),
        ("/report.pdf", "PDF"),
        ("/data.json", "not a web page"),
        ("/photo.png", "not a web page"),
        ("/login.html", "No article text was found"),
    ],
)
def test_permanent_failure_is_recorded_at_once_with_a_reason(
    page_server, fetch_locally, client, user, path, reason
):
    article, _ = services.article_ingest_url(url=f"{page_server}{path}", user=user, queue=False)
    article_process_task.apply(args=[article.pk])
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert reason.lower() in article.error.lower()
    client.force_login(user)  # the reader who pasted it is offered a retry
    card = client.get(reverse("articles:card", args=[article.pk])).content.decode()
    assert "Retry" in card


@pytest.mark.django_db
def test_server_error_is_retried_with_backoff(page_server, fetch_locally, monkeypatch):
    article, _ = services.article_ingest_url(url=f"{page_server}/broken.html", queue=False)
    delays = []

    def record_retry(self, exc=None, countdown=None, **kwargs):
        delays.append(countdown)
        raise exc

    monkeypatch.setattr(article_process_task.__class__, "retry", record_retry)
    article_process_task.apply(args=[article.pk])
    assert delays == [10]
    article.refresh_from_db()
    assert article.status != Article.Status.DONE
