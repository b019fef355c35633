"""Retry decisions of ``article_process_task``: a transient failure (a 503 page) is retried
with backoff, a permanent one (a 404 page) fails at once with the reason, and a failed
article can be sent again from its card."""

from __future__ import annotations

from unittest import mock

from celery.exceptions import Retry
from django.urls import reverse

from articles import services
from articles.ingest.fetch import FetchError
from articles.models import Article
from articles.services import ingest, lifecycle
from articles.tasks import MAX_RETRIES, article_process_task


def _article(url: str) -> Article:
    article, _ = services.article_ingest_url(url=url, queue=False)
    return article


def test_unavailable_page_is_retried_with_backoff(db, page_server, private_urls):
    article = _article(f"{page_server}/status/503.html")

    with mock.patch.object(article_process_task, "retry", side_effect=Retry()) as retry:
        result = article_process_task.apply(args=[article.pk], retries=2)

    assert result.state == "RETRY"
    retry.assert_called_once()
    exc, countdown = retry.call_args.kwargs["exc"], retry.call_args.kwargs["countdown"]
    assert isinstance(exc, FetchError) and exc.transient and "503" in exc.message
    assert countdown == 40  # 10 s doubled per earlier try
    article.refresh_from_db()
    assert article.status != Article.Status.FAILED  # still in progress: a retry is due


def test_missing_page_fails_at_once_without_retry(db, page_server, private_urls):
    article = _article(f"{page_server}/status/404.html")

    with mock.patch.object(article_process_task, "retry", side_effect=Retry()) as retry:
        result = article_process_task.apply(args=[article.pk])

    assert result.state == "SUCCESS"
    retry.assert_not_called()
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "404" in article.error


def test_unavailable_page_fails_with_the_reason_once_retries_run_out(db, page_server, private_urls):
    article = _article(f"{page_server}/status/503.html")

    with mock.patch.object(article_process_task, "retry", side_effect=Retry()) as retry:
        article_process_task.apply(args=[article.pk], retries=MAX_RETRIES)

    retry.assert_not_called()
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "503" in article.error


def test_database_error_is_retried_not_recorded_as_a_failure(db):
    article = _article("https://example.com/news/1")

    with (
        mock.patch.object(ingest, "_article_prepare", side_effect=_database_gone()),
        mock.patch.object(article_process_task, "retry", side_effect=Retry()) as retry,
    ):
        result = article_process_task.apply(args=[article.pk])

    assert result.state == "RETRY"
    retry.assert_called_once()
    article.refresh_from_db()
    # Still held by its task, which tries again: not failed.
    assert article.status == Article.Status.FETCHING and not article.error


def _database_gone() -> Exception:
    from django.db import OperationalError

    return OperationalError("server closed the connection unexpectedly")


def test_retry_button_queues_a_failed_article_again(
    client, user, django_capture_on_commit_callbacks
):
    # The reader who pasted it retries it (others may not: tests/test_views.py).
    article, _ = services.article_ingest_url(
        url="https://example.com/news/2", user=user, queue=False
    )
    services.article_fail(article_id=article.pk, error="The site answered 503 Service Unavailable.")
    client.force_login(user)

    card = client.get(reverse("articles:card", args=[article.pk]))
    assert reverse("articles:retry", args=[article.pk]) in card.text
    with (
        mock.patch.object(lifecycle, "_send_process_task", return_value=True) as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("articles:retry", args=[article.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED and article.error == ""
    send.assert_called_once_with(article.pk)
