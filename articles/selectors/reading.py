"""Reads for the reading lists: which articles a reader sees on the home page, their
state (read, saved, hidden), the entities they follow and their display preferences."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.db import connection
from django.db.models import (
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
)
from django.forms.models import model_to_dict
from django.utils import timezone

from articles.kept import kept, reader_key
from articles.models import (
    LISTED,
    READ_OR_HIDDEN,
    Article,
    ArticleEntity,
    Entity,
    Follow,
    ReaderPreference,
    Reading,
    entity_url,
)
from articles.pagination import Cursor, KeysetPage, keyset_page

ARTICLES_PER_PAGE = 20
CHIPS_PER_ARTICLE = 6
# Unread counts stop counting here: past it a list shows "99+", at a bounded cost.
COUNT_CAP = 99
# The reader's counts kept in the cache, each under a name of its own: the Unread count
# here, and what other apps add (feeds: its feeds' unread counts). services.reading drops
# them all when the reader's reading changes; new articles show within the time.
UNREAD_COUNT_SECONDS = 60
UNREAD_COUNT = "unread-count"
FOLLOW_UNREAD_COUNTS = "follow-unread"
READER_COUNTS: set[str] = {UNREAD_COUNT, FOLLOW_UNREAD_COUNTS}
FOLLOWS_SHOWN = 100
READER_PREFERENCE = "reader-preference"
READER_PREFERENCE_SECONDS = 3600
_PREFERENCE_FIELDS = ["theme", "highlight", "hidden_types"]
# A scope of up to this many articles (a feed) is read whole and its page sorted out of
# it; a larger one (a folder of feeds) is tested row by row as the list's index is read,
# which stops at the page. At 100,000 articles: a feed of 600, 6 ms read whole, 100 ms
# row by row; a folder of 4,600, 43 ms whole, 7-20 ms row by row.
SCOPE_READ_WHOLE_MAX = 2000


class ReadingView(TextChoices):
    """The article lists of the home page. ALL is the only one for anonymous readers."""

    UNREAD = "unread", "Unread"
    ALL = "all", "All"
    SAVED = "saved", "Saved"
    FOLLOWING = "following", "Following"
    HIDDEN = "hidden", "Hidden"


# Apps that give a user a stream of their own register a check here, called with
# ``user=`` (feeds: "has subscriptions"), so that such a user starts on Unread; articles
# never imports them.
HOME_UNREAD_CHECKS: set[Callable[..., bool]] = set()


def reading_view_default(*, user) -> ReadingView:
    """Where a reader starts: Unread once they have a stream of their own, else All."""
    if user.is_authenticated and any(check(user=user) for check in HOME_UNREAD_CHECKS):
        return ReadingView.UNREAD
    return ReadingView.ALL


@dataclass(frozen=True)
class ReadingScope:
    """A narrowing of the reading lists that another app provides (feeds: one feed)."""

    name: str  # the query parameter that asked for it, e.g. "feed"
    value: str  # its value, as the request gave it
    label: str  # what the list shows, e.g. "Feed: Example News"
    # Rows that name the articles in scope by an ``article`` foreign key (a feed's
    # items), used as a subquery: tested by their index, without reading the articles.
    items: QuerySet
    # About how many articles that is: few are read and sorted, many are tested row by
    # row along the list's index (articles_for_reader).
    size: int = 0


# Apps that narrow the lists by a query parameter of their own register a resolver here
# (feeds: ?feed= and ?folder=): given ``user=`` and the parameter's ``value=``, the scope,
# or None when the value names nothing of that user's.
READING_SCOPES: dict[str, Callable[..., ReadingScope | None]] = {}


def reading_scope_find(*, user, params: Mapping[str, str]) -> ReadingScope | None:
    """The first registered scope the request parameters name for this user, if any."""
    if not user.is_authenticated:
        return None
    for name, resolve in READING_SCOPES.items():
        value = params.get(name, "")
        if value and (scope := resolve(user=user, value=value)) is not None:
            return scope
    return None


def articles_for_reader(
    *,
    user,
    view: ReadingView = ReadingView.ALL,
    site_name: str = "",
    entity: Entity | None = None,
    scope: ReadingScope | None = None,
    added_until: datetime.datetime | None = None,
) -> QuerySet[Article]:
    """The finished articles of one list, for one reader, unordered: one per story, its
    first version by date among the list's articles (see ``_one_per_story``).

    The home list pages through them; "mark all as read" marks them. ``added_until``
    leaves out articles added after the list was shown. On Unread, a story one version
    of which the reader has read is read.
    """
    articles = Article.objects.filter(LISTED)
    if scope is not None and scope.size > SCOPE_READ_WHOLE_MAX:
        articles = articles.filter(ExistsPerRow(scope.items.filter(article=OuterRef("pk"))))
    elif scope is not None:
        articles = articles.filter(pk__in=scope.items.values("article"))
    if site_name:
        articles = articles.filter(site_name=site_name)
    if entity is not None:
        articles = articles.filter(article_entities__entity=entity)
    if added_until is not None:
        articles = articles.filter(created_at__lte=added_until)
    if user.is_authenticated:
        articles = _for_user(articles, user=user, view=view)
    return _one_per_story(articles)


_OWN_ROWS = {ReadingView.SAVED: "saved_at", ReadingView.HIDDEN: "hidden_at"}


def _for_user(articles: QuerySet[Article], *, user, view: ReadingView) -> QuerySet[Article]:
    # Saved and Hidden are the reader's own few: read from their rows, not tested on every
    # article along the list's index (SQLite walked 10,000 articles for 40 saved).
    if marked_at := _OWN_ROWS.get(view):
        own = Reading.objects.filter(user=user, **{f"{marked_at}__isnull": False})
        return articles.filter(pk__in=own.values("article"))
    readings = Reading.objects.filter(user=user, article=OuterRef("pk"))
    if view == ReadingView.UNREAD:
        # One probe of the read-or-hidden index leaves out most read articles before the
        # costlier test of their story's other versions.
        read = Reading.objects.filter(user=user, read_at__isnull=False)
        return articles.exclude(ExistsPerRow(readings.filter(READ_OR_HIDDEN))).exclude(
            ExistsPerRow(read.filter(article__story_id=OuterRef("story_id")))
        )
    articles = articles.exclude(ExistsPerRow(readings.filter(hidden_at__isnull=False)))
    if view == ReadingView.FOLLOWING:
        articles = articles.filter(ExistsPerRow(_followed_since(user=user)))
    return articles


class ExistsPerRow(Exists):
    """EXISTS that PostgreSQL tests row by row as it reads the list's index in order,
    instead of joining: OFFSET 0 keeps the subquery from being pulled up into a join.

    For a condition many articles meet, but that the planner expects few to (the followed
    names: it counts an average name's articles, not theirs), the join read all of them,
    tested each for its story and sorted them (776 ms for 11,784 articles at 100,000);
    the first page of the index, tested row by row, is 3.5 ms.
    """

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="EXISTS(%(subquery)s OFFSET 0)", **extra_context
        )


def _one_per_story(articles: QuerySet[Article]) -> QuerySet[Article]:
    """The articles that are the first of their story (by date, then id) among these:
    the list shows a story once, where its first version in the list stands. Each row
    costs one probe of the story index, which reads only the versions dated up to it, so
    a page stays one range scan of its size."""
    earlier = articles.filter(
        Q(sort_date__lt=OuterRef("sort_date"))
        | Q(sort_date=OuterRef("sort_date"), pk__lt=OuterRef("pk")),
        # The same, said so that the story index reads only up to the row's date.
        story_id=OuterRef("story_id"),
        sort_date__lte=OuterRef("sort_date"),
    )
    return articles.filter(Q(story__isnull=True) | ~Exists(earlier))


def _followed_since(*, user) -> QuerySet[ArticleEntity]:
    """The outer article's mentions of entities the user followed before it was added and
    dated: news since the follow (an old article added later is not)."""
    return ArticleEntity.objects.filter(
        article=OuterRef("pk"),
        entity__follows__user=user,
        entity__follows__created_at__lte=OuterRef("created_at"),
        article_date__gte=F("entity__follows__created_at"),
    )


def article_list(
    *,
    articles: QuerySet[Article],
    user,
    oldest_first: bool = False,
    after: Cursor | None = None,
    before: Cursor | None = None,
) -> KeysetPage:
    """``articles`` by date (newest first, or oldest first), a keyset page at a time, each
    with its most central entities (CHIPS_PER_ARTICLE of them), the reader's state
    (``reading``: a Reading or None) and the other sources of its story
    (``other_sources``) attached."""
    page = keyset_page(
        articles.only(
            "pk", "url", "title", "site_name", "published_at", "created_at", "sort_date", "story_id"
        ),
        key="sort_date",
        descending=not oldest_first,
        after=after,
        before=before,
        size=ARTICLES_PER_PAGE,
    )
    attach_top_entities(page.items)
    _attach_readings(page.items, user=user)
    _attach_other_sources(page.items)
    return page


def _attach_other_sources(articles: list[Article]) -> None:
    """``article.other_sources``: the sources of its story's other finished versions,
    other than its own, by name; one query for the page."""
    versions: dict[int, list[Article]] = {}
    stories = {article.story_id for article in articles if article.story_id is not None}
    for version in Article.objects.filter(LISTED, story_id__in=stories).only(
        "pk", "story_id", "site_name", "url"
    ):
        versions.setdefault(version.story_id, []).append(version)
    for article in articles:
        others = {
            version.source
            for version in versions.get(article.story_id, [])
            if version.pk != article.pk
        }
        article.other_sources = sorted(others - {article.source}, key=str.casefold)


@dataclass(frozen=True, slots=True)
class Chip:
    """An entity as its chip shows it, read as a row: a page of articles has about 100."""

    pk: int
    type: str
    name: str
    slug: str

    def get_absolute_url(self) -> str:
        return entity_url(self.type, self.slug)


# A page's chips, ranked in SQL: each article's entities by weight, then mentions. Written
# out because the ORM's window query took longer to build (2 ms) than to run.
_TOP_ENTITIES_SQL = """
SELECT article_id, entity_id, type, name, slug FROM (
    SELECT ae.article_id, ae.entity_id, e.type, e.name, e.slug, ROW_NUMBER() OVER (
        PARTITION BY ae.article_id ORDER BY ae.weight DESC, ae.mentions DESC, ae.entity_id
    ) AS centrality
    FROM articles_articleentity ae JOIN articles_entity e ON e.id = ae.entity_id
    WHERE ae.article_id IN ({articles}) AND NOT e.ignored
) ranked
WHERE centrality <= %s ORDER BY article_id, centrality
"""


def attach_top_entities(articles: list[Article]) -> None:
    """``article.top_entities``: its CHIPS_PER_ARTICLE most central entities, as Chips;
    one query for the page."""
    chips: dict[int, list[Chip]] = defaultdict(list)
    if articles:
        sql = _TOP_ENTITIES_SQL.format(articles=", ".join(["%s"] * len(articles)))
        with connection.cursor() as cursor:
            cursor.execute(sql, [*(article.pk for article in articles), CHIPS_PER_ARTICLE])
            for article_id, *entity in cursor.fetchall():
                chips[article_id].append(Chip(*entity))
    for article in articles:
        article.top_entities = chips.get(article.pk, [])


def _attach_readings(articles: list[Article], *, user) -> None:
    readings = {}
    if user.is_authenticated:
        readings = {
            reading.article_id: reading
            for reading in Reading.objects.filter(
                user=user, article_id__in=[article.pk for article in articles]
            )
        }
    for article in articles:
        article.reading = readings.get(article.pk)


class CappedCount(Subquery):
    """COUNT(*) of a subquery sliced to at most COUNT_CAP + 1 rows: a count whose cost is
    bounded whatever the library's size, shown as "99+" past the cap."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"
    output_field = IntegerField()


def unread_count(*, user) -> int:
    """The reader's unread articles, counted up to COUNT_CAP + 1 and kept in the cache for
    UNREAD_COUNT_SECONDS: every list shows it, and counting is 7 ms of a 25 ms page at
    100,000 articles. A new article shows in it within that time; the reader's own
    reading clears it at once (``services.reading``). Without a cache, it is counted."""

    def count() -> int:
        unread = articles_for_reader(user=user, view=ReadingView.UNREAD)
        return unread.values("pk")[: COUNT_CAP + 1].count()

    return kept(
        reader_key(UNREAD_COUNT, user_id=user.pk), seconds=UNREAD_COUNT_SECONDS, compute=count
    )


def attach_reader_counts(
    rows: list, name: str, *, user, key: Callable[[Any], int], count: Callable[[], dict[int, int]]
) -> None:
    """``row.unread`` for each row (a feed's subscription, a follow), from counts by
    ``key(row)`` kept in the cache under ``name``, one of READER_COUNTS, like the Unread
    count: read from it while it has every row's, else ``count()`` again (a row added
    since). Without a cache, they are counted."""
    keys = {key(row) for row in rows}
    counts = kept(
        reader_key(name, user_id=user.pk),
        seconds=UNREAD_COUNT_SECONDS,
        compute=count,
        usable=lambda counts: keys <= counts.keys(),
    )
    for row in rows:
        row.unread = counts[key(row)]


def follow_list(*, user) -> list[Follow]:
    """The entities the reader follows (at most FOLLOWS_SHOWN), by name, each with
    ``unread``: its unread articles dated and added since the follow (as the Following
    list has them), counted up to COUNT_CAP + 1 and kept (``attach_reader_counts``)."""
    follows = list(
        Follow.objects.filter(user=user)
        .select_related("entity")
        .order_by("entity__name")[:FOLLOWS_SHOWN]
    )
    attach_reader_counts(
        follows,
        FOLLOW_UNREAD_COUNTS,
        user=user,
        key=attrgetter("pk"),
        count=lambda: _follow_unread_counts(user=user),
    )
    return follows


def _follow_unread_counts(*, user) -> dict[int, int]:
    """Each follow's unread articles, by follow. The dates bound each count to a range of
    the (entity, date) index: the entity's articles since the follow, not all of them."""
    unread_mentions = (
        ArticleEntity.objects.filter(
            entity=OuterRef("entity"),
            article_date__gte=OuterRef("created_at"),
            article__status=Article.Status.DONE,
            article__duplicate_of=None,
            article__created_at__gte=OuterRef("created_at"),
        )
        .exclude(
            Exists(Reading.objects.filter(READ_OR_HIDDEN, user=user, article=OuterRef("article")))
        )
        .values("pk")[: COUNT_CAP + 1]
    )
    shown = (  # the follows follow_list shows, no more
        Follow.objects.filter(user=user)
        .annotate(unread=CappedCount(unread_mentions))
        .order_by("entity__name")
        .values_list("pk", "unread")[:FOLLOWS_SHOWN]
    )
    return dict(shown)


def reader_preference(*, user) -> ReaderPreference:
    """How the logged-in reader likes articles shown; the defaults until they choose.
    Every page of theirs shows it, so it is kept (READER_PREFERENCE_SECONDS) until they
    change it (``services.reader_preference_set``): its query was 5% of a list page."""

    def read() -> dict[str, str]:
        preference = ReaderPreference.objects.filter(user=user).first()
        return model_to_dict(preference, fields=_PREFERENCE_FIELDS) if preference else {}

    fields = kept(
        reader_key(READER_PREFERENCE, user_id=user.pk),
        seconds=READER_PREFERENCE_SECONDS,
        compute=read,
    )
    return ReaderPreference(user=user, **fields)


def follow_exists(*, user, entity: Entity) -> bool:
    return user.is_authenticated and Follow.objects.filter(user=user, entity=entity).exists()


def articles_pending(*, user) -> list[Article]:
    """The reader's own links of the last day that are not done yet, or failed."""
    if not user.is_authenticated:
        return []
    since = timezone.now() - datetime.timedelta(days=1)
    return list(
        Article.objects.filter(added_by=user, created_at__gte=since)
        .exclude(status=Article.Status.DONE)
        .order_by("-created_at")[:10]
    )
