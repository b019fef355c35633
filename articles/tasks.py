"""Celery tasks: each takes an id, loads the row and calls a service."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

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


@contextmanager
def _retrying_database_errors(task: Task, article_id: int, *, stopped: str) -> Iterator[None]:
    """A task's common endings: the soft time limit fails the article with ``stopped``; a
    database gone away (restart, failover) is retried once it is back."""
    try:
        yield
    except SoftTimeLimitExceeded:
        services.article_fail(article_id=article_id, error=stopped)
    except (OperationalError, InterfaceError) as exc:
        if task.request.retries < MAX_RETRIES:
            raise task.retry(exc=exc, countdown=_backoff(task.request.retries)) from exc
        raise


@shared_task(
    bind=True,
    base=ArticleTask,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def article_process_task(self, article_id: int) -> None:
    """Fetch and extract one article (the ``fetch`` queue: I/O-bound, many at once), then
    queue its analysis under the same claim; retry transient failures with backoff."""
    # Claiming is inside the handler: a database restart here is retried too.
    # A task run outside a worker (apply without an id) still gets a token of its own.
    token = self.request.id or uuid.uuid4().hex
    with _retrying_database_errors(
        self, article_id, stopped="Fetching this article took too long and was stopped."
    ):
        result = services.articles_process(
            article_ids=[article_id],
            token=token,
            retry_transient=self.request.retries < MAX_RETRIES,
            analyse=False,
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
        for ready in result.to_analyse:
            if self.request.is_eager:  # run in this process (a shell, a test): so is this
                article_analyse_task.apply(args=[ready, token]).get()
            else:
                _send_analysis(ready, token)


def _send_analysis(article_id: int, token: str) -> None:
    """Queue the analysis; if the broker is gone, the article stays claimed and the sweeper
    sends it again once the claim has expired (``articles_requeue_stale``)."""
    try:
        article_analyse_task.apply_async(args=[article_id, token], retry=True)
    except Exception:  # any broker failure: the sweeper re-sends later
        logger.warning("Could not queue the analysis of article %s", article_id)


@shared_task(
    bind=True,
    base=ArticleTask,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def article_analyse_task(self, article_id: int, token: str) -> None:
    """Analyse one fetched article (the ``analysis`` queue: CPU-bound, one per core), under
    the claim its fetch task took: ``token`` carries over, so no other task takes it."""
    with _retrying_database_errors(
        self, article_id, stopped="Analysing this article took too long and was stopped."
    ):
        services.articles_process(article_ids=[article_id], token=token)


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
