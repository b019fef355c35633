"""Reads: the user's feeds and folders (with unread counts), their articles as a scope of
the reading lists, due feeds, OPML export."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from operator import attrgetter

from django.db.models import Exists, F, OuterRef, QuerySet

from articles.forms import row_id_or_none
from articles.ingest.urls import InvalidURL, canonicalize_url
from articles.kept import kept, reader_key
from articles.models import READ_OR_HIDDEN, Article, Reading
from articles.selectors import (
    COUNT_CAP,
    CappedCount,
    ReadingScope,
    attach_reader_counts,
)
from feeds.models import Feed, FeedItem, Folder, Subscription
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


# The reader's feeds' unread counts in the cache: one of articles' READER_COUNTS.
FEED_UNREAD_COUNTS = "feed-unread"
# Whether a reader has subscriptions, kept until they subscribe or unsubscribe (an hour
# at most: a subscription deleted with its user's folder or in the admin is seen by then).
SUBSCRIPTIONS_EXIST = "subscriptions-exist"
SUBSCRIPTIONS_EXIST_SECONDS = 3600


def subscription_list_unread(*, user) -> list[Subscription]:
    """``subscription_list`` with ``unread``: each feed's unread items, kept in the cache
    like the Unread count (``attach_reader_counts``). The sidebar beside every list shows
    them, and counting 60 feeds is 15 ms at 100,000 articles."""
    subscriptions = list(subscription_list(user=user))
    attach_reader_counts(
        subscriptions,
        FEED_UNREAD_COUNTS,
        user=user,
        key=attrgetter("feed_id"),
        count=lambda: _feed_unread_counts(user=user),
    )
    return subscriptions


def _feed_unread_counts(*, user) -> dict[int, int]:
    """For each of the user's feeds, its items whose article is listed (done, no
    duplicate) and neither read nor hidden by the user, up to COUNT_CAP + 1.

    Each count is its own scan of the feed's items that stops at the cap, newest first
    (where the unread ones mostly are): the (feed, article) index gives the article ids
    and two partial indexes check each (the user's read or hidden articles, the listed
    articles), so on PostgreSQL no article or reading row is read."""
    seen = Reading.objects.filter(READ_OR_HIDDEN, user=user, article=OuterRef("article"))
    unread = (
        FeedItem.objects.filter(
            feed=OuterRef("feed"), article__status=Article.Status.DONE, article__duplicate_of=None
        )
        .exclude(Exists(seen))
        .order_by("-article_id")
        .values("pk")[: COUNT_CAP + 1]
    )
    counts = Subscription.objects.filter(user=user).annotate(unread=CappedCount(unread))
    return dict(counts.values_list("feed_id", "unread"))


@dataclass(frozen=True)
class FolderUnread:
    folder: Folder | None  # None: the feeds in no folder
    unread: int  # the items of its feeds unread, capped (an item in two feeds counts twice)
    subscriptions: list[Subscription]


def subscriptions_by_folder_unread(*, user) -> list[FolderUnread]:
    """The user's feeds by folder with unread counts, for the sidebar: one query.

    A folder's count is the sum of its feeds' capped counts, capped: past the cap in one
    feed is past it in the folder, and below it each feed's count is exact."""
    subscriptions: dict[int | None, list[Subscription]] = {}
    for subscription in subscription_list_unread(user=user):
        subscriptions.setdefault(subscription.folder_id, []).append(subscription)
    return [
        FolderUnread(
            folder=group[0].folder,
            unread=min(sum(s.unread for s in group), COUNT_CAP + 1) if folder_id else 0,
            subscriptions=group,
        )
        for folder_id, group in subscriptions.items()
    ]


def subscriptions_exist(*, user) -> bool:
    """Whether the user has subscriptions: then their home is the Unread list. Every page
    of theirs asks, so the answer is kept (SUBSCRIPTIONS_EXIST_SECONDS) until they
    subscribe or unsubscribe (``services``)."""
    return kept(
        reader_key(SUBSCRIPTIONS_EXIST, user_id=user.pk),
        seconds=SUBSCRIPTIONS_EXIST_SECONDS,
        compute=lambda: Subscription.objects.filter(user=user).exists(),
    )


def reading_scope_feed(*, user, value: str) -> ReadingScope | None:
    """``?feed=<subscription id>``: the articles of one of the user's feeds."""
    subscription_id = row_id_or_none(value)
    subscription = (
        Subscription.objects.filter(user=user, pk=subscription_id).select_related("feed").first()
        if subscription_id is not None
        else None
    )
    if subscription is None:
        return None
    return ReadingScope(
        name="feed",
        value=value,
        label=f"Feed: {subscription.display_title}",
        items=FeedItem.objects.filter(feed_id=subscription.feed_id),
        size=subscription.feed.item_count,
    )


def reading_scope_folder(*, user, value: str) -> ReadingScope | None:
    """``?folder=<folder id>``: the articles of the feeds in one of the user's folders."""
    folder_id = row_id_or_none(value)
    folder = Folder.objects.filter(user=user, pk=folder_id).first() if folder_id else None
    if folder is None:
        return None
    feeds = list(folder.subscriptions.values_list("feed_id", "feed__item_count"))
    return ReadingScope(
        name="folder",
        value=value,
        label=f"Folder: {folder.name}",
        # The feeds' ids as constants: each article is then one probe of its items.
        items=FeedItem.objects.filter(feed_id__in=[feed for feed, _ in feeds]),
        size=sum(items for _, items in feeds),
    )


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
