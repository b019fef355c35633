"""Reads for the article page: its text cut into paragraphs and mentions, its entities,
the related coverage with its evidence, and the other versions of its story."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.db import connection

from articles.kept import kept
from articles.models import (
    LISTED,
    Article,
    ArticleEntity,
    Entity,
    Mention,
)
from articles.nlp.mentions import EntityType

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
# Of a name's articles, only the nearest in date on each side are candidates (read from
# the index on entity and date alone): 16 short index ranges, whatever the names.
RELATED_SEED_NEAREST = 100
RELATED_CANDIDATES = 40
# The library's size in rarity is counted up to this: RELATED_COMMON_SHARE of it is
# RELATED_SEED_ARTICLES_MAX, so past it the count changes no seed.
RELATED_LIBRARY_COUNT_MAX = 10_000
LIBRARY_COUNT_SECONDS = 300
# A country is where a story happens more than what it is about: its share of evidence.
RELATED_COUNTRY_WEIGHT = 0.25
# Closer dates weigh more, gently: 1 / (1 + 0.25 * log(1 + days / 7)) is 0.7 a month
# away and 0.5 a year away, so shared names stay the main evidence.
RELATED_DATE_WEIGHT = 0.25
RELATED_DATE_SCALE_DAYS = 7


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
    entities = list(
        ArticleEntity.objects.filter(article=article, entity__ignored=False)
        .select_related("entity")
        .order_by("entity__type", "-mentions", "entity__name")
    )
    # Each mention gets its entity from the article's entities, one object per entity
    # rather than one per mention (an article names a dozen, a hundred times).
    named = {article_entity.entity_id: article_entity.entity for article_entity in entities}
    mentions = [
        mention
        for mention in Mention.objects.filter(article=article)
        .only("start", "end", "entity_id")
        .order_by("start")
        if mention.entity_id in named
    ]
    for mention in mentions:
        mention.entity = named[mention.entity_id]
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
    total = max(listed_count(limit=RELATED_LIBRARY_COUNT_MAX), 1)
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
    candidates = _related_candidates(article=article, seed_weights=seed_weights)
    # The whole evidence of each candidate: every name it shares, countries included.
    this = {ae.entity_id: ae for ae in article_entities}
    evidence: dict[int, list[tuple[float, Entity]]] = {pk: [] for pk in candidates}
    dates: dict[int, datetime.datetime] = {}
    # By article alone (its index), the names kept here: a name's own index would read
    # every article of the common names among them (on SQLite, which picks it).
    # Rows, not models: 40 candidates name about 500 names.
    rows = ArticleEntity.objects.filter(article_id__in=candidates).values_list(
        "article_id", "entity_id", "weight", "article_date"
    )
    for article_id, entity_id, other_weight, article_date in rows:
        if entity_id not in this:
            continue
        mine = this[entity_id]
        weight = mine.weight * other_weight * rarity[entity_id]
        if mine.entity.type == EntityType.COUNTRY:
            weight *= RELATED_COUNTRY_WEIGHT
        evidence[article_id].append((weight, mine.entity))
        dates[article_id] = article_date
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
    articles = Article.objects.filter(LISTED).only(
        "pk", "title", "url", "site_name", "published_at", "created_at", "story_id"
    )
    found = articles.in_bulk([article_id for _, article_id, _ in ranked])
    # The versions of one story are one item, the best ranked; this one's are not related.
    stories = {story_key(article.pk, article.story_id)}
    related = []
    for score, article_id, names in sorted(ranked, key=lambda row: (-row[0], -row[1])):
        if article_id not in found:
            continue  # no longer listed (a duplicate, or analysed again meanwhile)
        story = story_key(article_id, found[article_id].story_id)
        if story not in stories and len(related) < limit:
            stories.add(story)
            related.append(Related(found[article_id], names, score))
    return related


def listed_count(*, limit: int) -> int:
    """The listed articles, counted up to ``limit`` in the order of their index (read
    from the index alone, a bounded cost). Once the count reaches ``limit`` it is kept for
    LIBRARY_COUNT_SECONDS, as a library that large stays that large: counting 10,000
    entries was a third of an article page on SQLite."""
    return kept(
        f"listed-count:{limit}",
        seconds=LIBRARY_COUNT_SECONDS,
        compute=lambda: (
            Article.objects.filter(LISTED).order_by("sort_date", "pk").values("pk")[:limit].count()
        ),
        usable=lambda count: count >= limit,
    )


def story_key(article_id: int, story_id: int | None) -> tuple[str, int]:
    """One key per story; an article in none is a story of its own."""
    if story_id is None:
        return ("article", article_id)
    return ("story", story_id)


def article_versions(*, article: Article, limit: int = 20) -> list[Article]:
    """The other finished versions of the article's story, by date, each with
    ``is_copy``: a copy of this text (wire copy, repost), else another outlet's report."""
    if article.story_id is None:
        return []
    versions = list(
        Article.objects.filter(LISTED, story_id=article.story_id)
        .exclude(pk=article.pk)
        .only("pk", "title", "url", "site_name", "published_at", "created_at", "copy_of_id")
        .order_by("sort_date", "pk")[:limit]
    )
    text = article.copy_of_id or article.pk
    for version in versions:
        version.is_copy = (version.copy_of_id or version.pk) == text
    return versions


def _related_candidates(*, article: Article, seed_weights: dict[int, float]) -> list[int]:
    """The RELATED_CANDIDATES articles with the most weight of seed names, of each seed's
    RELATED_SEED_NEAREST articles before the article's date and as many after it.

    Two short ranges of the index on (entity, date, article), which holds the weight too,
    per seed: no table row is read, and the cost stays the same however many articles a
    name has. Only listed articles have ArticleEntity rows (a duplicate's are removed
    when it becomes one), so no join with the articles is needed here.
    """
    ranges, params = [], []
    for number, (entity_id, weight) in enumerate(seed_weights.items()):
        for side, (compare, order) in enumerate((("<=", "DESC"), (">", "ASC"))):
            ranges.append(
                "SELECT * FROM (SELECT article_id, weight * %s AS score "
                "FROM articles_articleentity WHERE entity_id = %s "
                f"AND article_date {compare} %s ORDER BY article_date {order}, "
                f"article_id {order} LIMIT %s) AS seed_{number}_{side}"
            )
            params += [weight, entity_id, article.date, RELATED_SEED_NEAREST]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT article_id FROM ({' UNION ALL '.join(ranges)}) AS near "
            "WHERE article_id <> %s GROUP BY article_id "
            "ORDER BY SUM(score) DESC, article_id DESC LIMIT %s",
            [*params, article.pk, RELATED_CANDIDATES],
        )
        return [article_id for (article_id,) in cursor.fetchall()]
