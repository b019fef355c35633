"""Reads: the queries behind every page, each a fixed, small number of SQL statements."""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextChoices,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left
from django.utils import timezone

from articles.models import (
    LISTED,
    NAMED,
    Article,
    ArticleEntity,
    Entity,
    EntityAlias,
    EntityMonth,
    Follow,
    Mention,
    ReaderPreference,
    Reading,
)
from articles.nlp.mentions import EntityType
from articles.nlp.text import normalise_key
from articles.pagination import Cursor, KeysetPage, keyset_page
from articles.search_query import (
    MARK_END,
    MARK_START,
    ParsedQuery,
    SnippetPart,
    parse_query,
    split_marked,
)

ARTICLES_PER_PAGE = 20
ENTITIES_PER_PAGE = 60
CHIPS_PER_ARTICLE = 6
# "Seen with" counts the entities named alongside this one in its latest articles: the
# company it keeps now, at a cost that does not grow with its coverage.
COOCCURRENCE_ARTICLES = 300
TIMELINE_MONTHS_MAX = 36
# Related articles must score at least this share of log(N + 1), the rarity of a name
# only two articles share: a few common names named in passing stay below it.
RELATED_MIN_SHARE = 0.2
# A name in more than this share of the library (and more than the floor's articles, so
# a small library still relates) is common: it never brings an article in on its own.
RELATED_COMMON_SHARE = 0.1
RELATED_COMMON_FLOOR = 5
# Bounds on the work: the distinctive names used to find candidates, the articles each
# may have, and the candidates whose evidence is weighed.
RELATED_SEEDS = 8
RELATED_SEED_ARTICLES_MAX = 1000
RELATED_CANDIDATES = 40
# The library's size in rarity is counted up to this: RELATED_COMMON_SHARE of it is
# RELATED_SEED_ARTICLES_MAX, so past it the count changes no seed.
RELATED_LIBRARY_COUNT_MAX = 10_000
# A country is where a story happens more than what it is about: its share of evidence.
RELATED_COUNTRY_WEIGHT = 0.25
# Closer dates weigh more, gently: 1 / (1 + 0.25 * log(1 + days / 7)) is 0.7 a month
# away and 0.5 a year away, so shared names stay the main evidence.
RELATED_DATE_WEIGHT = 0.25
RELATED_DATE_SCALE_DAYS = 7
SNIPPET_CONTEXT = 120
# Unread counts stop counting here: past it a list shows "99+", at a bounded cost.
COUNT_CAP = 99
FOLLOWS_SHOWN = 100


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
    articles: QuerySet[Article]  # the articles in scope, used as a subquery


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
    """The finished articles of one list, for one reader, unordered.

    The home list pages through them; "mark all as read" marks them. ``added_until``
    leaves out articles added after the list was shown.
    """
    articles = Article.objects.filter(LISTED)
    if scope is not None:
        articles = articles.filter(pk__in=scope.articles.values("pk"))
    if site_name:
        articles = articles.filter(site_name=site_name)
    if entity is not None:
        articles = articles.filter(article_entities__entity=entity)
    if added_until is not None:
        articles = articles.filter(created_at__lte=added_until)
    if not user.is_authenticated:
        return articles
    readings = Reading.objects.filter(user=user, article=OuterRef("pk"))
    if view == ReadingView.SAVED:
        return articles.filter(Exists(readings.filter(saved_at__isnull=False)))
    if view == ReadingView.HIDDEN:
        return articles.filter(Exists(readings.filter(hidden_at__isnull=False)))
    articles = articles.exclude(Exists(readings.filter(hidden_at__isnull=False)))
    if view == ReadingView.UNREAD:
        articles = articles.exclude(Exists(readings.filter(read_at__isnull=False)))
    elif view == ReadingView.FOLLOWING:
        articles = articles.filter(Exists(_followed_since(user=user)))
    return articles


def _followed_since(*, user) -> QuerySet[ArticleEntity]:
    """The outer article's mentions of entities the user followed before it was added."""
    return ArticleEntity.objects.filter(
        article=OuterRef("pk"),
        entity__follows__user=user,
        entity__follows__created_at__lte=OuterRef("created_at"),
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
    with its most central entities (CHIPS_PER_ARTICLE of them) and the reader's state
    (``reading``: a Reading or None) attached."""
    page = keyset_page(
        articles.only("pk", "url", "title", "site_name", "published_at", "created_at", "sort_date"),
        key="sort_date",
        descending=not oldest_first,
        after=after,
        before=before,
        size=ARTICLES_PER_PAGE,
    )
    prefetch_related_objects(page.items, _top_entities())
    _attach_readings(page.items, user=user)
    return page


def _top_entities() -> Prefetch:
    """An article's CHIPS_PER_ARTICLE most central entities, as ``article.top_entities``."""
    return Prefetch(
        "article_entities",
        queryset=ArticleEntity.objects.filter(entity__ignored=False)
        .select_related("entity")
        .order_by("-weight", "-mentions", "entity_id")[:CHIPS_PER_ARTICLE],
        to_attr="top_entities",
    )


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
    """The reader's unread articles, counted up to COUNT_CAP + 1."""
    unread = articles_for_reader(user=user, view=ReadingView.UNREAD)
    return unread.values("pk")[: COUNT_CAP + 1].count()


def follow_list(*, user) -> list[Follow]:
    """The entities the reader follows (at most FOLLOWS_SHOWN), by name, each with
    ``unread``: its unread articles added since the follow, counted up to COUNT_CAP + 1."""
    unread_mentions = (
        ArticleEntity.objects.filter(
            entity=OuterRef("entity"),
            article__status=Article.Status.DONE,
            article__duplicate_of=None,
            article__created_at__gte=OuterRef("created_at"),
        )
        .exclude(
            Exists(
                Reading.objects.filter(
                    user=user, article=OuterRef("article"), read_at__isnull=False
                )
            )
        )
        .exclude(
            Exists(
                Reading.objects.filter(
                    user=user, article=OuterRef("article"), hidden_at__isnull=False
                )
            )
        )
        .values("pk")[: COUNT_CAP + 1]
    )
    return list(
        Follow.objects.filter(user=user)
        .select_related("entity")
        .annotate(unread=CappedCount(unread_mentions))
        .order_by("entity__name")[:FOLLOWS_SHOWN]
    )


def reader_preference(*, user) -> ReaderPreference:
    """How the logged-in reader likes articles shown; the defaults until they choose."""
    return ReaderPreference.objects.filter(user=user).first() or ReaderPreference(user=user)


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


@dataclass(frozen=True)
class Segment:
    """A run of article text, linked to an entity when it is a mention.

    Only a name's first mention in a paragraph is a tab stop, so a name repeated five times
    costs a keyboard reader one Tab, not five; "first mention only" highlighting shows the
    name's first mention in the article.
    """

    text: str
    entity: Entity | None = None
    first_in_paragraph: bool = False
    first_in_article: bool = False


def article_paragraphs(*, article: Article, mentions: list[Mention]) -> list[list[Segment]]:
    """Split the article text into paragraphs of segments, mentions cut out by their offsets.

    The template escapes every segment: no article HTML is ever rendered.
    """
    text = article.text
    ordered = sorted(mentions, key=lambda m: m.start)
    paragraphs: list[list[Segment]] = []
    mention_index = 0
    seen_in_article: set[int] = set()
    for block_start, block_end in _paragraph_bounds(text):
        segments: list[Segment] = []
        seen_in_paragraph: set[int] = set()
        position = block_start
        while mention_index < len(ordered) and ordered[mention_index].start < block_end:
            mention = ordered[mention_index]
            mention_index += 1
            if mention.start < position or mention.end > block_end:
                continue  # overlapping or crossing a paragraph break: show as plain text
            if mention.start > position:
                segments.append(Segment(text[position : mention.start]))
            segments.append(
                Segment(
                    text[mention.start : mention.end],
                    mention.entity,
                    first_in_paragraph=mention.entity_id not in seen_in_paragraph,
                    first_in_article=mention.entity_id not in seen_in_article,
                )
            )
            seen_in_paragraph.add(mention.entity_id)
            seen_in_article.add(mention.entity_id)
            position = mention.end
        if position < block_end:
            segments.append(Segment(text[position:block_end]))
        paragraphs.append(segments)
    return paragraphs


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph; blank lines separate paragraphs."""
    bounds = []
    start = 0
    for part in text.split("\n\n"):
        end = start + len(part)
        stripped_start = start + (len(part) - len(part.lstrip()))
        stripped_end = start + len(part.rstrip())
        if stripped_end > stripped_start:
            bounds.append((stripped_start, stripped_end))
        start = end + 2
    return bounds


def article_detail(*, article_id: int) -> tuple[Article, list[Mention], list[ArticleEntity]]:
    article = Article.objects.get(pk=article_id)
    mentions = list(
        Mention.objects.filter(article=article, entity__ignored=False).select_related("entity")
    )
    entities = list(
        ArticleEntity.objects.filter(article=article, entity__ignored=False)
        .select_related("entity")
        .order_by("entity__type", "-mentions", "entity__name")
    )
    return article, mentions, entities


@dataclass(frozen=True)
class Related:
    """Another article and the evidence that it covers the same thing."""

    article: Article
    shared: list[Entity]  # the names both articles hold, the weightiest first
    score: float


def related_articles(
    *, article: Article, article_entities: list[ArticleEntity], limit: int = 8
) -> list[Related]:
    """Other articles about the same thing, with the names they share as evidence.

    A shared name counts by its rarity, log(N / articles that name it), times how central
    it is to each of the two articles (ArticleEntity.weight). Only distinctive names
    (people, organisations and places named in few articles) bring an article in: sharing
    a country, or only names found across the library, is no evidence. Candidates come
    from at most RELATED_SEEDS such names of at most RELATED_SEED_ARTICLES_MAX articles
    each, so the cost is bounded whatever the library holds. A shared country adds a
    quarter of its weight. Articles whose evidence stays below RELATED_MIN_SHARE *
    log(N + 1) share nothing that matters; the rest are ranked by evidence, the closer in
    date the higher.
    """
    if not article_entities:
        return []
    # Counted up to a bound: past it, only how rare a name is among the seeds matters.
    done = Article.objects.filter(status=Article.Status.DONE, duplicate_of=None)
    total = max(done.values("pk")[:RELATED_LIBRARY_COUNT_MAX].count(), 1)
    rarity = {
        ae.entity_id: max(math.log((total + 1) / (ae.entity.article_count + 0.5)), 0.0)
        for ae in article_entities
    }
    common_above = max(
        RELATED_COMMON_FLOOR, min(RELATED_COMMON_SHARE * total, RELATED_SEED_ARTICLES_MAX)
    )
    seeds = sorted(
        (
            ae
            for ae in article_entities
            if ae.entity.type != EntityType.COUNTRY and 2 <= ae.entity.article_count <= common_above
        ),
        key=lambda ae: -ae.weight * rarity[ae.entity_id],
    )[:RELATED_SEEDS]
    if not seeds:
        return []
    seed_weights = {ae.entity_id: ae.weight * rarity[ae.entity_id] for ae in seeds}
    candidates = list(
        ArticleEntity.objects.filter(
            entity_id__in=seed_weights,
            article__status=Article.Status.DONE,
            article__duplicate_of=None,
        )
        .exclude(article=article)
        .values("article_id")
        .annotate(score=_weighted_sum(seed_weights))
        .order_by("-score", "-article_id")
        .values_list("article_id", flat=True)[:RELATED_CANDIDATES]
    )
    # The whole evidence of each candidate: every name it shares, countries included.
    this = {ae.entity_id: ae for ae in article_entities}
    evidence: dict[int, list[tuple[float, Entity]]] = {pk: [] for pk in candidates}
    dates: dict[int, datetime.datetime] = {}
    for other in ArticleEntity.objects.filter(article_id__in=candidates, entity_id__in=this):
        mine = this[other.entity_id]
        weight = mine.weight * other.weight * rarity[other.entity_id]
        if mine.entity.type == EntityType.COUNTRY:
            weight *= RELATED_COUNTRY_WEIGHT
        evidence[other.article_id].append((weight, mine.entity))
        dates[other.article_id] = other.article_date
    minimum = RELATED_MIN_SHARE * math.log(total + 1)
    ranked = []
    for article_id, shared in evidence.items():
        score = sum(weight for weight, _ in shared)
        if score < minimum:
            continue
        days = abs((dates[article_id] - article.date).total_seconds()) / 86400
        closeness = 1 / (1 + RELATED_DATE_WEIGHT * math.log1p(days / RELATED_DATE_SCALE_DAYS))
        names = [entity for _, entity in sorted(shared, key=lambda pair: -pair[0])]
        ranked.append((score * closeness, article_id, names))
    articles = Article.objects.only(
        "pk", "title", "url", "site_name", "published_at", "created_at", "copy_of_id"
    )
    found = articles.in_bulk([article_id for _, article_id, _ in ranked])
    # Copies of one story are one item, the best ranked; copies of this one are not related.
    stories = {article.copy_of_id or article.pk}
    related = []
    for score, article_id, names in sorted(ranked, key=lambda row: (-row[0], -row[1])):
        story = found[article_id].copy_of_id or article_id
        if story not in stories and len(related) < limit:
            stories.add(story)
            related.append(Related(found[article_id], names, score))
    return related


def article_versions(*, article: Article, limit: int = 10) -> list[Article]:
    """The other finished copies of the article's story (the first one included)."""
    story = article.copy_of_id or article.pk
    return list(
        Article.objects.filter(Q(pk=story) | Q(copy_of=story), status=Article.Status.DONE)
        .exclude(pk=article.pk)
        .only("pk", "title", "url", "site_name", "published_at", "created_at")
        .order_by("pk")[:limit]
    )


def _weighted_sum(weights: dict[int, float]) -> Sum:
    """Sum of ArticleEntity.weight times the given weight of its entity."""
    return Sum(
        F("weight")
        * Case(
            *(When(entity_id=entity_id, then=Value(w)) for entity_id, w in weights.items()),
            default=Value(0.0),
            output_field=FloatField(),
        )
    )


def entity_list(
    *, entity_type: str = "", after: Cursor | None = None, before: Cursor | None = None
) -> KeysetPage:
    """Entities with the most coverage first (the newest first among equals), optionally
    of one type, a keyset page at a time."""
    entities = Entity.objects.filter(NAMED)
    if entity_type:
        entities = entities.filter(type=entity_type.upper())
    return keyset_page(
        entities, key="article_count", after=after, before=before, size=ENTITIES_PER_PAGE
    )


def entity_find(*, entity_id: int) -> Entity | None:
    return Entity.objects.filter(pk=entity_id, ignored=False).first()


def entity_get(*, entity_type: str, slug: str) -> Entity:
    return Entity.objects.prefetch_related("aliases").get(type=entity_type.upper(), slug=slug)


def entities_by_id(*, entity_ids: tuple[int, ...]) -> list[Entity]:
    """These entities, in the order given (unknown ids left out)."""
    found = Entity.objects.in_bulk(entity_ids) if entity_ids else {}
    return [found[pk] for pk in entity_ids if pk in found]


def entity_other_names(*, entity: Entity) -> list[str]:
    """How articles have written the entity, besides its name (aliases prefetched).

    Aliases that only come from the knowledge base were never seen written: their stored
    name is the bare key, which is left out.
    """
    seen = {entity.name.casefold()}
    names = []
    for alias in entity.aliases.all():
        if alias.name != alias.key and alias.name.casefold() not in seen:
            seen.add(alias.name.casefold())
            names.append(alias.name)
    return sorted(names, key=str.casefold)


def entity_moved(*, entity_type: str, slug: str) -> Entity | None:
    """The entity an old address names now: retyped (same slug, another type), or renamed
    or merged (the old name is now a curated alias of the same type)."""
    retyped = Entity.objects.filter(slug=slug).first()
    if retyped is not None:
        return retyped
    alias = (
        EntityAlias.objects.filter(
            type=entity_type.upper(),
            key=slug.replace("-", " "),
            source=EntityAlias.Source.CURATED,
        )
        .select_related("entity")
        .first()
    )
    return alias.entity if alias else None


@dataclass(frozen=True)
class Coverage:
    article: Article
    mentions: int
    snippet_before: str
    snippet_mention: str
    snippet_after: str


def entity_coverage(
    *,
    entity: Entity,
    month: datetime.date | None = None,
    after: Cursor | None = None,
    before: Cursor | None = None,
) -> tuple[KeysetPage, list[Coverage]]:
    """The articles that mention the entity, newest first, each with a snippet around a
    mention; only those dated in ``month`` (its first day) when given, as the timeline
    counts them; a keyset page at a time."""
    rows = ArticleEntity.objects.filter(entity=entity).values(
        "article_id", "article_date", "mentions"
    )
    if month is not None:
        start = datetime.datetime.combine(month.replace(day=1), datetime.time())
        start = timezone.make_aware(start)
        end = (start + datetime.timedelta(days=32)).replace(day=1)
        rows = rows.filter(article_date__gte=start, article_date__lt=end)
    page = keyset_page(
        rows,
        key="article_date",
        id_field="article_id",
        after=after,
        before=before,
        size=ARTICLES_PER_PAGE,
    )
    counts = {row["article_id"]: row["mentions"] for row in page.items}
    articles = Article.objects.defer("search_vector").in_bulk(list(counts))
    first_mentions: dict[int, Mention] = {}
    for mention in Mention.objects.filter(entity=entity, article_id__in=list(counts)).order_by(
        "article_id", "start"
    ):
        first_mentions.setdefault(mention.article_id, mention)
    coverage = []
    for article_id, count in counts.items():
        article = articles[article_id]
        mention = first_mentions.get(article_id)
        if mention is None:
            before_text, middle, after_text = article.text[: SNIPPET_CONTEXT * 2], "", ""
        else:
            before_text, middle, after_text = _snippet(article.text, mention.start, mention.end)
        coverage.append(Coverage(article, count, before_text, middle, after_text))
    return page, coverage


def _snippet(text: str, start: int, end: int) -> tuple[str, str, str]:
    left = max(0, start - SNIPPET_CONTEXT)
    right = min(len(text), end + SNIPPET_CONTEXT)
    before = text[left:start].replace("\n", " ")
    after = text[end:right].replace("\n", " ")
    if left > 0:
        before = "…" + before.split(" ", 1)[-1]
    if right < len(text):
        after = after.rsplit(" ", 1)[0] + "…"
    return before, text[start:end], after


def entity_companions(*, entity_id: int, articles: int, limit: int) -> list[tuple[int, int]]:
    """(entity id, articles together) of the entities named most often beside this one in
    its latest ``articles`` articles, most first: one query, bounded whatever the entity's
    coverage. "Seen with" and the linker's context both read it."""
    latest = (
        ArticleEntity.objects.filter(entity_id=entity_id)
        .order_by("-article_date", "-article_id")
        .values("article_id")[:articles]
    )
    return list(
        ArticleEntity.objects.filter(article_id__in=latest)
        .exclude(entity_id=entity_id)
        .values("entity_id")
        .annotate(together=Count("id"))
        .order_by("-together", "entity_id")
        .values_list("entity_id", "together")[:limit]
    )


def entity_cooccurring(*, entity: Entity, limit: int = 12) -> list[Entity]:
    """The entities seen most often in the same articles as this one, among its latest
    COOCCURRENCE_ARTICLES articles.

    Counted on the aggregates alone, then the few winners fetched by id: joining the
    entities first would read every entity row to count a few thousand aggregates.
    Ignored entities are dropped after counting, from candidates three times the limit.
    """
    together = dict(
        entity_companions(entity_id=entity.pk, articles=COOCCURRENCE_ARTICLES, limit=limit * 3)
    )
    found = Entity.objects.filter(pk__in=together, ignored=False)
    for other in found:
        other.together = together[other.pk]
    return sorted(found, key=lambda e: (-e.together, e.name))[:limit]


def entity_timeline(*, entity: Entity) -> list[dict]:
    """Articles per month that mention the entity, empty months included, for the chart;
    each month row carries its ``month`` ("YYYY-MM") to filter the coverage by.

    Read from the monthly counts (EntityMonth); articles without a publication date are
    not counted: they would all land on the day they were added. Coverage spread over
    more than three years is counted per year instead, so the chart stays readable and
    its axis stays linear in time.
    """
    counts = dict(
        EntityMonth.objects.filter(entity=entity, articles__gt=0)
        .order_by("month")
        .values_list("month", "articles")
    )
    if not counts:
        return []
    first, last = min(counts), max(counts)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months > TIMELINE_MONTHS_MAX:
        per_year = Counter()
        for month, articles in counts.items():
            per_year[month.year] += articles
        rows = [
            {"label": str(year), "articles": per_year[year], "show_label": True}
            for year in range(first.year, last.year + 1)
        ]
    else:
        rows = []
        for offset in range(months):
            year, month = divmod(first.month - 1 + offset, 12)
            start = first.replace(year=first.year + year, month=month + 1)
            rows.append(
                {
                    "label": f"{start:%b %y}",
                    "month": f"{start:%Y-%m}",
                    "articles": counts.get(start, 0),
                    # Every month has a bar; only a few have room for a label.
                    "show_label": months <= 12 or offset == 0 or start.month == 1,
                }
            )
    peak = max(row["articles"] for row in rows)
    for row in rows:
        row["percent"] = round(100 * row["articles"] / peak)
    return rows


# Search --------------------------------------------------------------------------------
# One selector for both databases: SQLite's FTS5 index (migration 0007) on the embedded
# default, PostgreSQL's search_vector column on deployments. Each search ranks at most
# SEARCH_RANK_WINDOW matches (the newest added) and counts at most SEARCH_COUNT_MAX; where
# PostgreSQL's planner expects far more (a common word: counting would detoast a tsvector
# per match), its estimate is shown instead. The cost is bounded, never grows with how
# many articles hold a word.

SEARCH_RANK_WINDOW = 100
SEARCH_COUNT_MAX = 1000
SEARCH_ESTIMATE_ABOVE = 10 * SEARCH_COUNT_MAX
# PostgreSQL's snippet comes from the start of the text (a match past it shows the lead).
SEARCH_SNIPPET_SOURCE_CHARS = 4000
# bm25 weight of the title against the text's 1.0 (PostgreSQL: weight A against B).
SEARCH_TITLE_WEIGHT = 4.0
SEARCH_SORTS = ("relevance", "date")
_FTS_MATCH = "SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s"


@dataclass(frozen=True)
class SearchFilters:
    """Narrow a search: a date range (inclusive), a source's site name, entities by id."""

    since: datetime.date | None = None
    until: datetime.date | None = None
    source: str = ""
    entity_ids: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        """True when anything narrows the search."""
        return self != SearchFilters()


@dataclass(frozen=True)
class SearchHit:
    article: Article
    title: list[SnippetPart]
    snippet: list[SnippetPart]


@dataclass(frozen=True)
class SearchResults:
    page: Page  # of SearchHit
    count: int  # matching articles
    # "exact"; "about" (PostgreSQL's estimate, rounded); "more" (more than count match).
    count_kind: str = "exact"


def article_search(
    *,
    query: str,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int | str = 1,
) -> SearchResults:
    """Finished articles holding the query's words (stemmed), phrases, and none of its
    -exclusions; best first (or newest first with ``sort="date"``), with a count and
    snippets whose matched words are marked (``search_query.split_marked``).
    """
    parsed = parse_query(query)
    if parsed.is_empty:
        return SearchResults(Paginator([], ARTICLES_PER_PAGE).get_page(1), 0, False)
    matches = _search_matches(parsed, filters if filters is not None else SearchFilters())
    window = matches.order_by("-created_at", "-pk")[:SEARCH_RANK_WINDOW]
    if sort == "date":
        rows = window.values_list("pk", "published_at", "created_at")
        ordered = [pk for pk, published, created in sorted(rows, key=_newest_first)]
    else:
        ordered = _search_rank(parsed, window)
    paginated = Paginator(ordered, ARTICLES_PER_PAGE).get_page(page)
    paginated.object_list = _search_hits(parsed, list(paginated.object_list))
    if len(ordered) < SEARCH_RANK_WINDOW:
        return SearchResults(paginated, len(ordered))
    if settings.IS_POSTGRES and (estimate := _estimated_count(matches)) > SEARCH_ESTIMATE_ABOVE:
        return SearchResults(paginated, estimate, "about")
    count = matches.order_by().values("pk")[: SEARCH_COUNT_MAX + 1].count()
    if count > SEARCH_COUNT_MAX:
        return SearchResults(paginated, SEARCH_COUNT_MAX, "more")
    return SearchResults(paginated, count)


def _estimated_count(matches: QuerySet[Article]) -> int:
    """The planner's estimate of the matches, to two significant figures. Good for one
    common word (from the column's statistics), low for words that go together."""
    sql, params = matches.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        estimate = int(cursor.fetchone()[0][0]["Plan"]["Plan Rows"])
    return round(estimate, 2 - len(str(estimate)))


def _newest_first(row: tuple) -> tuple:
    pk, published, created = row
    return (-(published or created).timestamp(), -pk)


def _search_matches(parsed: ParsedQuery, filters: SearchFilters) -> QuerySet[Article]:
    articles = Article.objects.filter(status=Article.Status.DONE, duplicate_of=None)
    if settings.IS_POSTGRES:
        articles = articles.filter(search_vector=_tsquery(parsed))
    else:
        articles = articles.filter(pk__in=RawSQL(_FTS_MATCH, [parsed.fts5()]))
    if filters.since:
        since = datetime.datetime.combine(filters.since, datetime.time(), tzinfo=datetime.UTC)
        articles = articles.filter(
            Q(published_at__gte=since) | Q(published_at=None, created_at__gte=since)
        )
    if filters.until:
        until = datetime.datetime.combine(
            filters.until + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC
        )
        articles = articles.filter(
            Q(published_at__lt=until) | Q(published_at=None, created_at__lt=until)
        )
    if filters.source:
        articles = articles.filter(site_name=filters.source)
    for entity_id in filters.entity_ids:
        articles = articles.filter(
            Exists(ArticleEntity.objects.filter(article=OuterRef("pk"), entity_id=entity_id))
        )
    return articles


def _tsquery(parsed: ParsedQuery) -> SearchQuery:
    return SearchQuery(parsed.websearch(), search_type="websearch", config="english")


def _search_rank(parsed: ParsedQuery, window: QuerySet[Article]) -> list[int]:
    """The ids of the window's articles, most relevant first."""
    if settings.IS_POSTGRES:
        scores = Article.objects.filter(pk__in=window.values("pk")).annotate(
            # Normalisation 1: divide by 1 + log(length), so long texts do not win by size.
            score=SearchRank(F("search_vector"), _tsquery(parsed), normalization=Value(1))
        )
        rows = list(scores.values_list("pk", "score"))
    else:
        window_sql, window_params = window.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            # bm25 is lower for better matches.
            cursor.execute(
                f"SELECT rowid, -bm25(articles_article_fts, {SEARCH_TITLE_WEIGHT}, 1.0) "
                "FROM articles_article_fts WHERE articles_article_fts MATCH %s "
                f"AND rowid IN ({window_sql})",
                [parsed.fts5(), *window_params],
            )
            rows = cursor.fetchall()
    return [pk for pk, score in sorted(rows, key=lambda row: (-row[1], -row[0]))]


def _search_hits(parsed: ParsedQuery, ids: list[int]) -> list[SearchHit]:
    """The page's articles with their marked title and snippet, in the order given."""
    if not ids:
        return []
    articles = Article.objects.filter(pk__in=ids).only(
        "pk", "url", "title", "site_name", "published_at", "created_at"
    )
    articles = articles.prefetch_related(_top_entities())
    if settings.IS_POSTGRES:
        search = _tsquery(parsed)
        marks = {"start_sel": MARK_START, "stop_sel": MARK_END, "config": "english"}
        articles = articles.annotate(
            title_marked=SearchHeadline("title", search, highlight_all=True, **marks),
            # ts_headline parses all it is given: a long article costs no more than this.
            snippet_marked=SearchHeadline(
                Left("text", SEARCH_SNIPPET_SOURCE_CHARS),
                search,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
                **marks,
            ),
        )
        found = {article.pk: article for article in articles}
        marked = {pk: (a.title_marked, a.snippet_marked) for pk, a in found.items()}
    else:
        found = {article.pk: article for article in articles}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, highlight(articles_article_fts, 0, %s, %s), "
                "snippet(articles_article_fts, 1, %s, %s, '…', 32) "
                "FROM articles_article_fts WHERE articles_article_fts MATCH %s "
                f"AND rowid IN ({', '.join(['%s'] * len(ids))})",
                [MARK_START, MARK_END, MARK_START, MARK_END, parsed.fts5(), *ids],
            )
            marked = {pk: (title, snippet) for pk, title, snippet in cursor.fetchall()}
    hits = []
    for pk in ids:
        title, snippet = marked.get(pk, ("", ""))
        hits.append(SearchHit(found[pk], split_marked(title or ""), split_marked(snippet or "")))
    return hits


@dataclass(frozen=True)
class NameMatch:
    entity: Entity
    # The other spelling the query matched ("UK" for United Kingdom); empty for the name.
    spelling: str = ""


def entity_search(*, query: str, limit: int = 10) -> list[NameMatch]:
    """Entities with a spelling that has a word starting with the query: "xi" finds
    Xi Jinping, not Maximo; "UK" finds United Kingdom through its alias. Most covered
    first, each once, with the spelling that matched when it is not the name."""
    key = normalise_key(
        " ".join(word for term in parse_query(query).included for word in term.words)
    )
    if len(key) < 2:
        return []
    aliases = (
        EntityAlias.objects.filter(entity__ignored=False, entity__article_count__gt=0)
        .filter(Q(key__startswith=key) | Q(key__contains=f" {key}"))
        .select_related("entity")
        .order_by("-entity__article_count", "entity__name", "key")[: limit * 5]
    )
    best: dict[int, EntityAlias] = {}
    for alias in aliases:
        held = best.get(alias.entity_id)
        if held is None or _spelling_rank(alias, key) < _spelling_rank(held, key):
            best[alias.entity_id] = alias
    matches = []
    for alias in list(best.values())[:limit]:
        entity = alias.entity
        if alias.key == normalise_key(entity.name):
            spelling = ""
        elif alias.name == alias.key == key:
            # Known only from the knowledge base, never seen written: as the reader wrote it.
            spelling = " ".join(query.split())
        else:
            spelling = alias.name
        matches.append(NameMatch(entity, spelling))
    return matches


def _spelling_rank(alias: EntityAlias, key: str) -> tuple[int, int]:
    """Which of an entity's matching spellings to show: the whole key, then its start,
    then the entity's own name."""
    return (
        0 if alias.key == key else 1 if alias.key.startswith(key) else 2,
        0 if alias.key == alias.entity.key else 1,
    )


def articles_export() -> Iterator[Article]:
    """Every article, oldest first, with the mentions a reader sees (entity loaded), streamed
    in chunks so a large library is never held in memory."""
    return (
        Article.objects.order_by("pk")
        .prefetch_related(
            Prefetch(
                "mentions",
                queryset=Mention.objects.filter(entity__ignored=False)
                .select_related("entity")
                .order_by("start"),
            )
        )
        .iterator(chunk_size=200)
    )


def article_ids_to_reanalyse(
    *, since: datetime.date | None = None, entity_id: int | None = None
) -> list[int]:
    """Ids of the stored articles with text, oldest first: all of them, those added on or
    after ``since``, or those that mention the entity ``entity_id``."""
    articles = Article.objects.exclude(text="").filter(duplicate_of=None).order_by("pk")
    if since is not None:
        start = datetime.datetime.combine(since, datetime.time(), tzinfo=datetime.UTC)
        articles = articles.filter(created_at__gte=start)
    elif entity_id is not None:
        articles = articles.filter(article_entities__entity_id=entity_id)
    return list(articles.values_list("pk", flat=True))
