"""Celery tasks: each takes an id, loads the row and calls a service."""

from __future__ import annotations

import logging
import uuid

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_ready
from django.db import InterfaceError, OperationalError

from articles import services

logger = logging.getLogger(__name__)

MAX_RETRIES = 4


def _backoff(retries: int) -> int:
    return min(10 * 2**retries, 600)


class ArticleTask(Task):
    """Records an unexpected failure on the article, so it never stays half-done."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        article_id = args[0] if args else kwargs.get("article_id")
        logger.error("Article %s failed: %r", article_id, exc)
        services.article_fail(
            article_id=article_id,
            error="Something went wrong while processing this article. Try again later.",
        )


@shared_task(
    bind=True,
    base=ArticleTask,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def article_process_task(self, article_id: int) -> None:
    """Fetch, extract and analyse one article; retry transient failures with backoff."""
    try:
        # Claiming is inside the try: a database restart here is retried too.
        # A task run outside a worker (apply without an id) still gets a token of its own.
        result = services.articles_process(
            article_ids=[article_id],
            token=self.request.id or uuid.uuid4().hex,
            retry_transient=self.request.retries < MAX_RETRIES,
        )
        exc = result.retry.get(article_id)
        if exc is not None:
            countdown = _backoff(self.request.retries)
            services.article_note_retry(
                article_id=article_id,
                error=exc.message,
                attempt=self.request.retries + 1,
                seconds=countdown,
            )
            raise self.retry(exc=exc, countdown=countdown) from exc
    except SoftTimeLimitExceeded:
        services.article_fail(
            article_id=article_id, error="Analysing this article took too long and was stopped."
        )
    except (OperationalError, InterfaceError) as exc:
        # The database went away (restart, failover): try again once it is back.
        if self.request.retries < MAX_RETRIES:
            raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
        raise


@shared_task
def articles_requeue_stale_task() -> int:
    """Periodic sweeper: nothing accepted is left behind by a dead broker or worker."""
    return services.articles_requeue_stale()


@worker_ready.connect
def articles_requeue_stale_on_worker_start(sender=None, **kwargs) -> None:
    """Sweep once when a worker starts, without waiting for beat.

    After an outage (broker down, every worker killed) the first worker back picks up what
    was left behind, even where no beat runs. The sweep is sent as a task, so it runs in a
    pool process rather than opening a database connection in the worker's parent.
    """
    try:
        articles_requeue_stale_task.delay()
    except Exception:  # the broker went away again: beat's next sweep will do it
        logger.warning("Could not queue the start-up sweep of stale articles")
