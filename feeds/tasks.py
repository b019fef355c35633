"""Celery tasks: beat queues the due feeds each minute; one task polls one feed."""

from __future__ import annotations

import logging

from celery import Task, shared_task

from feeds import selectors, services

logger = logging.getLogger(__name__)


class FeedTask(Task):
    """Records an unexpected failure on the feed, backs it off and releases it."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        feed_id = args[0] if args else kwargs.get("feed_id")
        logger.error("Polling feed %s failed: %r", feed_id, exc)
        services.feed_fail(feed_id=feed_id, error="Something went wrong while reading this feed.")


@shared_task
def feeds_queue_due_task() -> int:
    """Periodic (beat, each minute): one poll task per feed that is due."""
    return services.feeds_queue_due()


@shared_task(base=FeedTask, acks_late=True, reject_on_worker_lost=True)
def feed_poll_task(feed_id: int, token: str) -> None:
    """Poll one feed, claimed for this task by ``feeds_queue_due`` under ``token``."""
    feed = selectors.feed_held(feed_id=feed_id, token=token)
    if feed is None:
        return  # polled already (a message delivered twice), or the feed is gone
    services.feed_poll(feed=feed)
