"""The Celery flow end to end: a real worker takes the task from the broker and writes
entities to the real database."""

from __future__ import annotations

import pytest

from articles import services
from articles.models import Article, Entity, Mention
from tests.support.waiting import wait_until_finished

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


def test_worker_marks_a_missing_page_failed_with_the_reason(
    celery_worker, page_server, private_urls
):
    article, _ = services.article_ingest_url(url=f"{page_server}/no-such-page.html")
    article = wait_until_finished(article)
    assert article.status == Article.Status.FAILED
    assert "404" in article.error
