from __future__ import annotations

from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "feeds"
    verbose_name = "Feeds"

    def ready(self) -> None:
        # The reading lists of articles learn of feeds here: articles never imports feeds.
        from articles import selectors as reading
        from feeds import selectors

        reading.HOME_UNREAD_CHECKS.add(selectors.subscriptions_exist)
        reading.READER_COUNTS.add(selectors.FEED_UNREAD_COUNTS)
        reading.READING_SCOPES.update(
            feed=selectors.reading_scope_feed, folder=selectors.reading_scope_folder
        )
