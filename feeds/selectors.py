"""Reads: the user's feeds and folders, due feeds, OPML export."""

from __future__ import annotations

import datetime

from django.db.models import Exists, F, OuterRef, QuerySet

from articles.ingest.urls import InvalidURL, canonicalize_url
from feeds.models import Feed, Folder, Subscription
from feeds.opml import OpmlFeed, build_opml


def subscription_list(*, user) -> QuerySet[Subscription]:
    """The user's subscriptions with their feeds and folders, by folder then title."""
    return (
        Subscription.objects.filter(user=user)
        .select_related("feed", "folder")
        .order_by(F("folder__name").asc(nulls_first=True), "feed__title", "id")
    )


def folder_list(*, user) -> QuerySet[Folder]:
    return Folder.objects.filter(user=user)


def subscription_get(*, user, subscription_id: int) -> Subscription:
    """The user's own subscription; ``Subscription.DoesNotExist`` for anyone else's."""
    return Subscription.objects.select_related("feed", "folder").get(pk=subscription_id, user=user)


def feed_ids_due(*, now: datetime.datetime, limit: int, force: bool = False) -> list[int]:
    """Feeds someone follows whose next poll has come (all of them, with ``force``),
    longest waiting first."""
    feeds = Feed.objects.filter(Exists(Subscription.objects.filter(feed=OuterRef("pk"))))
    if not force:
        feeds = feeds.filter(next_poll_at__lte=now)
    return list(feeds.order_by("next_poll_at").values_list("pk", flat=True)[:limit])


def subscription_for_url(*, user, url: str) -> Subscription | None:
    """The user's subscription to the feed at ``url`` (as given or canonical), if any."""
    try:
        urls = {url, canonicalize_url(url)}
    except InvalidURL:
        urls = {url}
    return Subscription.objects.filter(user=user, feed__url__in=urls).first()


def feed_held(*, feed_id: int, token: str) -> Feed | None:
    """The feed, if the poll holding ``token`` still has it claimed."""
    return Feed.objects.filter(pk=feed_id, claimed_by=token).first()


def feed_list(*, url: str = "") -> QuerySet[Feed]:
    """Every feed (or the one at ``url``), for the command line."""
    feeds = Feed.objects.order_by("title", "url")
    return feeds.filter(url=url) if url else feeds


def subscriptions_opml(*, user) -> bytes:
    """The user's subscriptions as an OPML document, with their folders."""
    feeds = [
        OpmlFeed(
            url=subscription.feed.url,
            title=subscription.display_title,
            site_url=subscription.feed.site_url,
            folder=subscription.folder.name if subscription.folder else "",
        )
        for subscription in subscription_list(user=user)
    ]
    return build_opml(feeds, title=f"{user.get_username()}'s subscriptions in newsreader")
