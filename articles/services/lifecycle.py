"""An article's way through the pipeline: queued, claimed by one task, failed or retried,
and swept up again when a broker or a worker lost it.

Status goes ``queued`` -> ``fetching`` -> ``analysing`` -> ``done`` | ``failed``; the
task that works on an article holds it by its token (``Article.claimed_by``).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Article

logger = logging.getLogger(__name__)


def article_queue(*, article: Article) -> None:
    """Queue the article's processing once the current transaction commits.

    If the broker is unreachable the article stays ``queued`` and the sweeper
    (``articles_requeue_stale``) sends it again later: nothing is lost.
    """
    article_id = article.pk
    transaction.on_commit(lambda: _send_process_task(article_id))


def _send_process_task(article_id: int) -> bool:
    """Publish the article's task; False (logged) when the broker cannot be reached.

    The publish retries briefly (``CELERY_TASK_PUBLISH_RETRY_POLICY``) to ride out a
    broker restart, and the transport's socket timeouts bound each try, so a dead broker
    costs a request well under a second, or a few seconds if it accepts and never answers.
    """
    from articles.tasks import article_process_task

    try:
        article_process_task.apply_async(args=[article_id], retry=True)
    except Exception:  # any broker failure: the sweeper re-sends later
        logger.warning("Could not queue article %s; the sweeper will retry", article_id)
        return False
    return True


def article_retry(*, article: Article) -> Article:
    """Queue a failed article again from the start."""
    if article.status != Article.Status.FAILED:
        return article
    article.status = Article.Status.QUEUED
    article.error = ""
    article.save(update_fields=["status", "error", "updated_at"])
    article_queue(article=article)
    return article


def articles_requeue_stale(*, older_than: datetime.timedelta | None = None) -> int:
    """Send again every article left queued or mid-way for too long (broker down, worker gone).

    An article mid-way is only stale once no task can still be working on it: after the
    task's hard time limit, so a long analysis is not sent a second time while it runs.
    """
    if older_than is None:
        older_than = datetime.timedelta(seconds=settings.NEWSREADER_STALE_AFTER_SECONDS)
    now = timezone.now()
    running_cutoff = now - max(
        older_than, datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)
    )
    stale = Q(status=Article.Status.QUEUED, updated_at__lt=now - older_than) | Q(
        status__in=[Article.Status.FETCHING, Article.Status.ANALYSING],
        updated_at__lt=running_cutoff,
    )
    ids = list(Article.objects.filter(stale).values_list("pk", flat=True)[:500])
    sent = 0
    for article_id in ids:
        # Queued again and released from a task that is gone, so the new task can claim
        # it; the touch makes the next sweep wait a full period before sending it again.
        Article.objects.filter(pk=article_id).update(
            status=Article.Status.QUEUED, claimed_by="", updated_at=timezone.now()
        )
        if not _send_process_task(article_id):
            break  # the broker is still down: the rest wait for the next sweep
        sent += 1
    return sent


def article_set_status(*, article: Article, status: str, error: str = "") -> None:
    article.status = status
    article.error = error
    article.save(update_fields=["status", "error", "updated_at"])


def article_note_retry(*, article_id: int, error: str, attempt: int, seconds: int) -> None:
    """Say on the card why the article waits, which try failed and when the next one is,
    while its task waits to try again. A time, not a countdown: the card is re-read, not
    re-rendered by a clock."""
    next_try = timezone.now() + datetime.timedelta(seconds=seconds)
    Article.objects.filter(pk=article_id).update(
        error=f"{error} Try {attempt} failed; the next is at {next_try:%H:%M:%S} UTC.",
        updated_at=timezone.now(),
    )


def article_cancel(*, article: Article) -> Article:
    """Stop an unfinished article: it fails as cancelled, and a task still waiting to try
    again finds it no longer claimable and leaves it."""
    cancelled = (
        Article.objects.filter(pk=article.pk)
        .exclude(status__in=[Article.Status.DONE, Article.Status.FAILED])
        .update(status=Article.Status.FAILED, error="Cancelled.", updated_at=timezone.now())
    )
    if cancelled:
        article.refresh_from_db()
    return article


def article_dismiss(*, article: Article) -> bool:
    """Remove a failed article (its card with it); False when it is not failed, or other
    articles are stored as its duplicates."""
    deleted, _ = (
        Article.objects.filter(pk=article.pk, status=Article.Status.FAILED)
        .exclude(duplicates__isnull=False)
        .delete()
    )
    return bool(deleted)


def article_fail(*, article_id: int, error: str) -> None:
    Article.objects.filter(pk=article_id).exclude(status=Article.Status.DONE).update(
        status=Article.Status.FAILED, error=error, updated_at=timezone.now()
    )


def article_claim(*, article_id: int, token: str) -> Article | None:
    """Take the article for one task, or None when another task holds it or it is finished.

    A queued article is free; one mid-way is held by the task that took it (the same
    token comes back when the broker redelivers that task) until the hard time limit has
    passed. So a message sent twice (the sweeper, a double publish) is processed once,
    and an article that ``ingest --sync`` holds is never taken by a worker.
    """
    now = timezone.now()
    abandoned = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)
    running = [Article.Status.FETCHING, Article.Status.ANALYSING]
    claimed = (
        Article.objects.filter(pk=article_id)
        .filter(
            Q(status=Article.Status.QUEUED)
            | Q(status__in=running, claimed_by=token)
            | Q(status__in=running, updated_at__lt=abandoned)
        )
        .update(status=Article.Status.FETCHING, claimed_by=token, updated_at=now)
    )
    return Article.objects.get(pk=article_id) if claimed else None
