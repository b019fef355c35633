"""Duplicates: one URL pasted by many requests at once makes one article and one task, and
one task run twice leaves the same mentions."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Article, ArticleEntity, Entity, Mention
from articles.services import lifecycle
from articles.tasks import article_process_task

PASTES = 20


def test_same_url_pasted_twenty_times_at_once_makes_one_article_and_one_task(
    transactional_db, user, page_server, private_urls, settings
):
    settings.NEWSREADER_INGEST_RATE_PER_MINUTE = 10 * PASTES  # the limit is not under test
    url = f"{page_server}/paris-conference.html"
    # The same article as users paste it: tracking parameters and fragments vary.
    variants = [url, f"{url}?utm_source=newsletter", f"{url}#comments", url.upper()[:4] + url[4:]]
    start_together = threading.Barrier(PASTES)

    def paste(index: int) -> tuple[int, str]:
        client = Client()
        client.force_login(user)
        try:
            start_together.wait(timeout=30)
            response = client.post(
                reverse("articles:paste"),
                {"url": variants[index % len(variants)]},
                HTTP_HX_REQUEST="true",
            )
            return response.status_code, response.text
        finally:
            connection.close()  # each thread has its own database connection

    with (
        mock.patch.object(lifecycle, "_send_process_task", return_value=True) as send,
        ThreadPoolExecutor(max_workers=PASTES) as pool,
    ):
        results = list(pool.map(paste, range(PASTES)))

    assert [status for status, _ in results] == [200] * PASTES
    article = Article.objects.get()
    assert all(f'id="article-card-{article.pk}"' in text for _, text in results)
    send.assert_called_once_with(article.pk)


def _mention_rows(article: Article) -> list[tuple]:
    return sorted(
        Mention.objects.filter(article=article).values_list("start", "end", "surface", "entity_id")
    )


def _aggregate_rows(article: Article) -> list[tuple]:
    return sorted(
        ArticleEntity.objects.filter(article=article).values_list("entity_id", "mentions", "weight")
    )


@pytest.mark.nlp
def test_one_task_run_twice_leaves_the_same_mentions(db, page_server, settings):
    settings.NEWSREADER_ALLOW_PRIVATE_URLS = True
    article, _ = services.article_ingest_url(
        url=f"{page_server}/paris-conference.html", queue=False
    )

    first = article_process_task.apply(args=[article.pk])
    first.get()
    article.refresh_from_db()
    assert article.status == Article.Status.DONE, article.error
    mentions, aggregates = _mention_rows(article), _aggregate_rows(article)
    counts = dict(Entity.objects.values_list("pk", "article_count"))
    assert mentions

    # A plain second delivery finds the article done and leaves it alone.
    article_process_task.apply(args=[article.pk]).get()
    assert _mention_rows(article) == mentions

    # The broker delivers the task again after its worker died mid-way (after storing the
    # text): the same task analyses it again and replaces, never adds to, the mentions.
    Article.objects.filter(pk=article.pk).update(status=Article.Status.ANALYSING)
    article_process_task.apply(args=[article.pk], task_id=first.id).get()
    article.refresh_from_db()

    assert article.status == Article.Status.DONE
    assert _mention_rows(article) == mentions
    assert _aggregate_rows(article) == aggregates
    assert dict(Entity.objects.values_list("pk", "article_count")) == counts

    # Another task (a second message for the same article) leaves a held article alone.
    Article.objects.filter(pk=article.pk).update(status=Article.Status.ANALYSING)
    Mention.objects.filter(article=article).delete()
    article_process_task.apply(args=[article.pk]).get()
    assert not Mention.objects.filter(article=article).exists()
