"""Reads for the entity pages: the list of names, one entity's coverage and timeline,
the names seen with it, and the spellings articles use."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import (
    Count,
)
from django.utils import timezone

from articles.models import (
    NAMED,
    Article,
    ArticleEntity,
    Entity,
    EntityAlias,
    EntityMonth,
    Mention,
)
from articles.pagination import Cursor, KeysetPage, keyset_page
from articles.selectors.articles import story_key
from articles.selectors.reading import ARTICLES_PER_PAGE

ENTITIES_PER_PAGE = 60
# "Seen with" counts the entities named alongside this one in its latest articles: the
# company it keeps now, at a cost that does not grow with its coverage.
COOCCURRENCE_ARTICLES = 300
TIMELINE_MONTHS_MAX = 36
# The stories of an entity's articles are counted among its latest this many: exactly up
# to there, past it estimated from their share of stories.
STORY_COUNT_ARTICLES = 1000
SNIPPET_CONTEXT = 120


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
    articles = Article.objects.only(
        "pk", "url", "title", "site_name", "published_at", "created_at", "text"
    ).in_bulk(list(counts))
    first_mentions: dict[int, tuple[int, int]] = {}
    mentions = Mention.objects.filter(entity=entity, article_id__in=list(counts))
    for article_id, start, end in mentions.order_by("article_id", "start").values_list(
        "article_id", "start", "end"
    ):
        first_mentions.setdefault(article_id, (start, end))
    coverage = []
    for article_id, count in counts.items():
        article = articles[article_id]
        mention = first_mentions.get(article_id)
        if mention is None:
            before_text, middle, after_text = article.text[: SNIPPET_CONTEXT * 2], "", ""
        else:
            before_text, middle, after_text = _snippet(article.text, *mention)
        coverage.append(Coverage(article, count, before_text, middle, after_text))
    return page, coverage


@dataclass(frozen=True)
class StoryCount:
    stories: int
    estimated: bool  # counted in the latest STORY_COUNT_ARTICLES, scaled to the rest


def entity_story_count(*, entity: Entity) -> StoryCount:
    """How many stories the entity's articles make (an article in none is one), from its
    latest STORY_COUNT_ARTICLES articles: one index range scan, whatever its coverage, and
    their rows by primary key."""
    latest = (
        ArticleEntity.objects.filter(entity=entity)
        .order_by("-article_date", "-article_id")
        .values("article_id")[:STORY_COUNT_ARTICLES]
    )
    # Their ids in a subquery: joined to them instead, PostgreSQL plans the range in
    # parallel workers, whose start costs several times the probes (20 ms against 4).
    rows = list(Article.objects.filter(pk__in=latest).order_by().values_list("pk", "story_id"))
    stories = len({story_key(article, story) for article, story in rows})
    if len(rows) < STORY_COUNT_ARTICLES:
        return StoryCount(stories, estimated=False)
    return StoryCount(round(stories * entity.article_count / len(rows)), estimated=True)


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
    found = Entity.objects.filter(pk__in=together, ignored=False).only("type", "name", "slug")
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
