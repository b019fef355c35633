"""Writes: subscribing (with discovery), polling, OPML import, folders.

Every fetch goes through ``articles.ingest.fetch.fetch`` (public addresses only, every
hop, size and time limits). Every new item goes into the library like a pasted link,
through ``articles.services``.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from articles import services as article_services
from articles.ingest.encoding import decode_html
from articles.ingest.extract import ExtractionError
from articles.ingest.fetch import FetchedPage, FetchError, fetch, refuse_private_host
from articles.ingest.urls import InvalidURL, canonicalize_url
from articles.kept import forget, reader_key
from articles.models import Article
from feeds.discovery import COMMON_PATHS, HTML_TYPES, FeedChoice, feed_links, looks_like_html
from feeds.models import Feed, FeedItem, Folder, Subscription
from feeds.opml import OpmlError, parse_opml
from feeds.parsing import FeedParseError, ParsedEntry, ParsedFeed, http_url, parse_feed
from feeds.schedule import (
    error_backoff,
    max_age_seconds,
    not_modified_interval,
    poll_interval,
)
from feeds.selectors import SUBSCRIPTIONS_EXIST, feed_ids_due

logger = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.1"
)


class FeedError(Exception):
    """A feed that cannot be subscribed to; ``str()`` is a sentence for the user."""


# Fetching ------------------------------------------------------------------------------


def _fetch(url: str, headers: dict[str, str] | None = None) -> FetchedPage:
    return fetch(
        url,
        allow_private=settings.NEWSREADER_ALLOW_PRIVATE_URLS,
        max_bytes=settings.FEEDS_MAX_BYTES,
        content_types=None,  # feeds come as every XML, JSON and text type there is
        headers={"Accept": FEED_ACCEPT, **(headers or {})},
    )


def _parse(page: FetchedPage) -> ParsedFeed:
    return parse_feed(page.body, url=page.url, content_type=page.content_type, charset=page.charset)


def _checked_url(url: str) -> str:
    """The user's URL, if newsreader may fetch it; ``FeedError`` says why not.

    Not canonicalised like an article's: a feed's address is the publisher's to spell
    (a trailing slash or a query parameter may matter).
    """
    url = url.strip()
    try:
        canonicalize_url(url)  # the same checks a pasted link gets
        if not settings.NEWSREADER_ALLOW_PRIVATE_URLS:
            refuse_private_host(url)
    except InvalidURL as exc:
        raise FeedError(str(exc)) from None
    except FetchError as exc:
        raise FeedError(exc.message) from None
    return url[:2048]


# Discovery and subscribing -------------------------------------------------------------


def feeds_discover(*, url: str) -> list[FeedChoice]:
    """The feeds at a URL: the feed itself, the feeds its page names, or one at a usual path.

    Raises ``FeedError`` when there is none, or the address cannot be read.
    """
    url = _checked_url(url)
    try:
        page = _fetch(url)
    except FetchError as exc:
        raise FeedError(exc.message) from None
    if not looks_like_html(page.body):
        try:
            return [FeedChoice(url=page.url, title=_parse(page).title)]
        except FeedParseError as exc:
            if page.content_type not in HTML_TYPES:
                raise FeedError(str(exc)) from None
    html = decode_html(page.body, charset=page.charset)
    choices = feed_links(html, base_url=page.url)
    if choices:
        return choices
    for path in COMMON_PATHS:
        try:
            candidate = _fetch(urljoin(page.url, path))
            if looks_like_html(candidate.body):
                continue
            parsed = _parse(candidate)
        except (FetchError, FeedParseError):
            continue
        return [FeedChoice(url=candidate.url, title=parsed.title)]
    raise FeedError("No feed was found at that address.")


def subscription_create(
    *, user, url: str, folder_name: str = "", title: str = ""
) -> tuple[Subscription, bool]:
    """Subscribe the user to the feed at ``url`` (a feed's own address).

    A feed new to the library is fetched and read first: one that cannot be read is
    refused with ``FeedError``. The feed is due at once; its first poll fills it.
    """
    url = _checked_url(url)
    feed = Feed.objects.filter(url=url).first()
    if feed is None:
        try:
            page = _fetch(url)
            parsed = _parse(page)
        except FetchError as exc:
            raise FeedError(exc.message) from None
        except FeedParseError as exc:
            raise FeedError(str(exc)) from None
        feed, _ = Feed.objects.get_or_create(
            url=_checked_url(page.url),
            defaults={"title": parsed.title, "site_url": parsed.site_url},
        )
    folder = folder_get_or_create(user=user, name=folder_name)
    subscription, created = Subscription.objects.get_or_create(
        user=user, feed=feed, defaults={"folder": folder, "title": title[:500]}
    )
    _subscriptions_changed(user_id=user.pk)
    return subscription, created


def subscription_rename(*, subscription: Subscription, title: str) -> Subscription:
    subscription.title = " ".join(title.split())[:500]
    subscription.save(update_fields=["title"])
    return subscription


def subscription_move(*, subscription: Subscription, folder_name: str) -> Subscription:
    """Put the subscription in the named folder (made if new); "" takes it out of any."""
    subscription.folder = folder_get_or_create(user=subscription.user, name=folder_name)
    subscription.save(update_fields=["folder"])
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: Subscription) -> None:
    """Unsubscribe; a feed nobody follows any more goes too (its articles stay)."""
    feed = subscription.feed
    subscription.delete()
    _subscriptions_changed(user_id=subscription.user_id)
    if not feed.subscriptions.exists():
        feed.delete()


def folder_get_or_create(*, user, name: str) -> Folder | None:
    name = " ".join(name.split())[:200]
    if not name:
        return None
    folder, _ = Folder.objects.get_or_create(user=user, name=name)
    return folder


@dataclass
class ImportResult:
    added: int = 0
    existing: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


def subscriptions_import_opml(*, user, data: bytes) -> ImportResult:
    """Subscribe the user to every feed of an OPML file, in its folders.

    Nothing is fetched here: each feed is due at once and its first poll says whether it
    can be read (a feed that cannot is marked failed with the reason). A line that is no
    usable address is reported and skipped; the rest is imported.
    """
    try:
        entries = parse_opml(data)
    except OpmlError as exc:
        return ImportResult(failures=[("file", str(exc))])
    if not entries:
        return ImportResult(failures=[("file", "The OPML file lists no feeds.")])
    result = ImportResult()
    for entry in entries:
        try:
            url = _checked_url(entry.url)
        except FeedError as exc:
            result.failures.append((entry.url[:200], str(exc)))
            continue
        feed, _ = Feed.objects.get_or_create(
            url=url, defaults={"title": entry.title, "site_url": http_url(entry.site_url, url)}
        )
        folder = folder_get_or_create(user=user, name=entry.folder)
        _, created = Subscription.objects.get_or_create(
            user=user, feed=feed, defaults={"folder": folder}
        )
        if created:
            result.added += 1
        else:
            result.existing += 1
    _subscriptions_changed(user_id=user.pk)
    return result


def _subscriptions_changed(*, user_id: int) -> None:
    """Drop the kept answer to "has subscriptions" once the change is committed."""
    forget([reader_key(SUBSCRIPTIONS_EXIST, user_id=user_id)])


# Polling -------------------------------------------------------------------------------


def feed_claim(*, feed_id: int, token: str, force: bool = False) -> Feed | None:
    """Take the feed for one poll, or None when it is not due or another poll holds it.

    A claim outlives a lost task only until the task's hard time limit has passed.
    """
    now = timezone.now()
    abandoned = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)
    free = Q(claimed_by="") | Q(claimed_by=token) | Q(claimed_at__lt=abandoned)
    candidates = Feed.objects.filter(free, pk=feed_id)
    if not force:
        candidates = candidates.filter(next_poll_at__lte=now)
    if not candidates.update(claimed_by=token, claimed_at=now):
        return None
    return Feed.objects.get(pk=feed_id)


def feeds_queue_due(*, force: bool = False, limit: int = 500) -> int:
    """Claim every due feed that has subscribers (every one, with ``force``) and queue one
    poll task for each. Returns how many were queued.

    Also puts the feeds' own copies to use for articles whose page could not be fetched.
    """
    feed_items_use_content()
    queued = 0
    for feed_id in feed_ids_due(now=timezone.now(), limit=limit, force=force):
        token = uuid.uuid4().hex
        if feed_claim(feed_id=feed_id, token=token, force=force) is None:
            continue
        if not _send_poll_task(feed_id, token):
            break  # the broker is down: the feed was released, the next run retries
        queued += 1
    return queued


def feeds_poll_now(*, force: bool = False, limit: int = 500) -> list[tuple[Feed, PollResult]]:
    """Poll the due feeds (every followed one, with ``force``) in this process, fetching
    and analysing their new articles here too."""
    polled = []
    for feed_id in feed_ids_due(now=timezone.now(), limit=limit, force=force):
        token = uuid.uuid4().hex
        feed = feed_claim(feed_id=feed_id, token=token, force=force)
        if feed is None:
            continue  # a worker is polling it right now
        result = feed_poll(feed=feed, queue=False)
        feed_articles_process(articles=result.new_articles, token=token)
        polled.append((feed, result))
    return polled


def feed_queue_poll(*, feed: Feed) -> bool:
    """Poll the feed now (a new subscription), unless a poll already holds it."""
    token = uuid.uuid4().hex
    if feed_claim(feed_id=feed.pk, token=token, force=True) is None:
        return False
    transaction.on_commit(lambda: _send_poll_task(feed.pk, token))
    return True


def _send_poll_task(feed_id: int, token: str) -> bool:
    from feeds.tasks import feed_poll_task

    try:
        feed_poll_task.apply_async(args=[feed_id, token], retry=True)
    except Exception:  # any broker failure: release, so the next run sends it again
        logger.warning("Could not queue the poll of feed %s", feed_id)
        Feed.objects.filter(pk=feed_id, claimed_by=token).update(claimed_by="", claimed_at=None)
        return False
    return True


@dataclass
class PollResult:
    new_articles: list[Article] = field(default_factory=list)
    not_modified: bool = False
    error: str = ""


def feed_poll(*, feed: Feed, queue: bool = True) -> PollResult:
    """Poll a claimed feed: conditional GET, new items into the library, next poll set.

    With ``queue=False`` new articles are left for the caller to process in-process.
    Whatever happens, the claim is released and the feed scheduled again.
    """
    now = timezone.now()
    # The feed's copy of an article is only wanted until the article is done.
    FeedItem.objects.filter(feed=feed, article__status=Article.Status.DONE).exclude(
        content=""
    ).update(content="")
    try:
        page = _fetch(feed.url, headers=_conditional_headers(feed))
        if page.status == 304:
            interval = not_modified_interval(
                interval=feed.interval,
                max_age=max_age_seconds(page.headers.get("cache-control", "")),
            )
            _feed_succeed(feed, page=page, interval=interval, now=now)
            return PollResult(not_modified=True)
        parsed = _parse(page)
    except FetchError as exc:
        return _feed_fail(feed, error=exc.message, retry_after=exc.retry_after, now=now)
    except FeedParseError as exc:
        return _feed_fail(feed, error=str(exc), now=now)
    new_articles = _feed_store_items(feed, parsed.entries, queue=queue)
    feed.title = parsed.title or feed.title
    feed.site_url = parsed.site_url or feed.site_url
    interval = poll_interval(
        published=[entry.published_at for entry in parsed.entries if entry.published_at],
        now=now,
        ttl_minutes=parsed.ttl_minutes,
        max_age=max_age_seconds(page.headers.get("cache-control", "")),
    )
    _feed_succeed(feed, page=page, interval=interval, now=now)
    return PollResult(new_articles=new_articles)


def _conditional_headers(feed: Feed) -> dict[str, str]:
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    return headers


def _feed_succeed(
    feed: Feed, *, page: FetchedPage, interval: datetime.timedelta, now: datetime.datetime
) -> None:
    # A 304 may leave the validators out: the ones sent stay good.
    unchanged = page.status == 304
    feed.etag = page.headers.get("etag", feed.etag if unchanged else "")[:500]
    feed.last_modified = page.headers.get("last-modified", feed.last_modified if unchanged else "")[
        :100
    ]
    feed.interval = interval
    feed.next_poll_at = now + interval
    feed.last_polled_at = now
    feed.consecutive_errors = 0
    feed.last_error = ""
    feed.claimed_by, feed.claimed_at = "", None
    feed.save(update_fields=[*_POLL_FIELDS, "title", "site_url", "etag", "last_modified"])


# What a poll writes on its feed (item_count is counted up in the database).
_POLL_FIELDS = [
    "interval",
    "next_poll_at",
    "last_polled_at",
    "consecutive_errors",
    "last_error",
    "claimed_by",
    "claimed_at",
]


def _feed_fail(
    feed: Feed, *, error: str, now: datetime.datetime, retry_after: int | None = None
) -> PollResult:
    feed.consecutive_errors += 1
    feed.last_error = error[:1000]
    feed.last_polled_at = now
    wait = error_backoff(
        interval=feed.interval, errors=feed.consecutive_errors, retry_after=retry_after
    )
    feed.next_poll_at = now + wait
    feed.claimed_by, feed.claimed_at = "", None
    feed.save(update_fields=_POLL_FIELDS)
    return PollResult(error=error)


def feed_fail(*, feed_id: int, error: str) -> None:
    """Record an unexpected failure of a poll, back off and release the feed."""
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is not None:
        _feed_fail(feed, error=error, now=timezone.now())


def _feed_store_items(feed: Feed, entries: list[ParsedEntry], *, queue: bool) -> list[Article]:
    """Record the entries not seen before (by GUID, then by canonical URL); new links go
    into the library like a pasted link, an address already there is only linked.

    Entries older than the feed's first subscription are taken up to the back-fill limit
    (newest first); beyond it they are recorded, not fetched.
    """
    entries = sorted(
        entries[: settings.FEEDS_MAX_ITEMS_PER_POLL],
        key=lambda entry: entry.published_at or datetime.datetime.max.replace(tzinfo=datetime.UTC),
        reverse=True,
    )
    canonical = {entry.guid: _canonical_or_blank(entry.url) for entry in entries}
    seen = FeedItem.objects.filter(feed=feed).filter(
        Q(guid__in=canonical) | Q(url__in=[url for url in canonical.values() if url])
    )
    seen_guids, seen_urls = set(), set()
    for guid, url in seen.values_list("guid", "url"):
        seen_guids.add(guid)
        seen_urls.add(url)
    subscribed = feed.subscriptions.order_by("created_at").values_list("created_at", flat=True)
    start = subscribed.first() or timezone.now()
    backfilled = FeedItem.objects.filter(
        feed=feed, article__isnull=False, published_at__lt=start
    ).count()
    first_poll = feed.last_polled_at is None
    new_articles, linked = [], 0
    for entry in entries:
        url = canonical[entry.guid]
        if entry.guid in seen_guids or (url and url in seen_urls):
            continue
        seen_guids.add(entry.guid)
        seen_urls.add(url)
        is_old = entry.published_at < start if entry.published_at else first_poll
        article, created = None, False
        if url and not (is_old and backfilled >= settings.FEEDS_BACKFILL_LIMIT):
            article, created = _article_for(url, queue=queue)
            backfilled += bool(article and is_old)
        FeedItem.objects.bulk_create(
            [
                FeedItem(
                    feed=feed,
                    guid=entry.guid,
                    url=url,
                    article=article,
                    title=entry.title,
                    published_at=entry.published_at,
                    content=entry.content if created else "",
                )
            ],
            ignore_conflicts=True,  # the unique GUID guards a poll that ran twice anyway
        )
        linked += article is not None
        if created:
            new_articles.append(article)
    if linked:
        Feed.objects.filter(pk=feed.pk).update(item_count=F("item_count") + linked)
        feed.refresh_from_db(fields=["item_count"])
    return new_articles


def _canonical_or_blank(url: str) -> str:
    if not url:
        return ""
    try:
        return canonicalize_url(url)
    except InvalidURL:
        return ""


def _article_for(url: str, *, queue: bool) -> tuple[Article | None, bool]:
    """The library's article for an item's link, new (and queued) if need be; None for a
    link newsreader does not fetch (a private address)."""
    try:
        return article_services.article_ingest_url(url=url, user=None, queue=queue)
    except InvalidURL:
        return None, False


# The feed's own copy ------------------------------------------------------------------


def feed_items_use_content(*, limit: int = 100) -> int:
    """Articles from feeds whose page could not be fetched, filled from the feed's own copy
    of the article and queued again. Returns how many were."""
    items = (
        FeedItem.objects.filter(content_used=False, article__status=Article.Status.FAILED)
        .exclude(content="")
        .select_related("article")[:limit]
    )
    return sum(feed_item_use_content(item=item) for item in items)


def feed_item_use_content(*, item: FeedItem, queue: bool = True) -> bool:
    """Fill the item's article from the feed's copy (HTML extracted to text), once.

    False when that copy holds no article either (a short summary). With ``queue`` the
    article is queued for analysis; else the caller analyses it.
    """
    FeedItem.objects.filter(pk=item.pk).update(content_used=True)
    article = item.article
    try:
        article_services.article_store_html(
            article=article,
            html=item.content,
            page_url=article.url,
            title=item.title,
            published_at=item.published_at,
        )
    except ExtractionError:
        return False
    if queue:
        article_services.article_retry(article=article)
    return True


def feed_articles_process(*, articles: list[Article], token: str) -> int:
    """Fetch and analyse new articles of a poll in this process (``feeds poll --sync``),
    falling back on the feed's own copy where a page cannot be had. Returns how many
    failed."""
    result = article_services.articles_process(
        article_ids=[article.pk for article in articles], token=token
    )
    filled = []
    for item in FeedItem.objects.filter(
        article_id__in=list(result.failed), content_used=False
    ).exclude(content=""):
        if feed_item_use_content(item=item, queue=False):
            article_services.article_set_status(article=item.article, status=Article.Status.QUEUED)
            filled.append(item.article_id)
    retried = article_services.articles_process(article_ids=filled, token=token)
    return len(result.failed) - len(filled) + len(retried.failed)
