"""Feeds, the users' subscriptions to them (in folders), and the items each feed carried."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import Article


class Folder(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_folders"
    )
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="folder_unique_name_per_user")
        ]

    def __str__(self) -> str:
        return self.name


class Feed(models.Model):
    """One feed address, polled once for all its subscribers."""

    url = models.URLField(max_length=2048, unique=True)
    site_url = models.URLField(max_length=2048, blank=True)
    title = models.CharField(max_length=500, blank=True)
    # Validators of the last answer, sent back so an unchanged feed answers 304.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    interval = models.DurationField(default=datetime.timedelta(hours=1))
    next_poll_at = models.DateTimeField(default=timezone.now)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    consecutive_errors = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Items linked to articles, counted as they arrive (no COUNT on the Feeds page).
    item_count = models.PositiveIntegerField(default=0)
    # The poll that holds the feed (services.feed_claim): never two polls at once.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["next_poll_at"], name="feed_next_poll")]

    def __str__(self) -> str:
        return self.title or self.url


class Subscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="subscriptions")
    folder = models.ForeignKey(
        Folder, null=True, blank=True, on_delete=models.SET_NULL, related_name="subscriptions"
    )
    title = models.CharField(max_length=500, blank=True, help_text="The user's name for it.")
    # The subscription's start: older items are back-filled only up to a limit.
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "feed"], name="subscription_unique_per_user")
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.feed.title or self.feed.url


class FeedItem(models.Model):
    """An item a feed carried, kept so that it is handled once (by GUID and by URL)."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=1000)
    url = models.URLField(max_length=2048, blank=True, help_text="Canonical article URL.")
    # None for an item not taken into the library (past the back-fill limit, no link).
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="feed_items"
    )
    title = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The feed's own copy of the article (HTML, never rendered): used when the link cannot
    # be fetched; kept only for items whose article was new.
    content = models.TextField(blank=True)
    content_used = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="feeditem_unique_guid")
        ]
        indexes = [
            models.Index(fields=["feed", "url"], name="feeditem_feed_url"),
            # A feed's articles, newest first, from the index alone (the unread counts).
            models.Index(fields=["feed", "article"], name="feeditem_feed_article"),
        ]

    def __str__(self) -> str:
        return self.title or self.guid
