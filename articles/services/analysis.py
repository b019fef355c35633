"""Analysis and storage: an article's entities found, linked to the library's, stored.

``articles_analyse`` runs the NLP pipeline (``articles.nlp``) over articles and
``article_store_mentions`` stores each result: it resolves the document's entities against
the library (``DatabaseCatalog``), creates the new ones, learns their aliases, replaces
the article's mentions and rebuilds the aggregates (``ArticleEntity``, entity counters)
that every coverage page reads, then links its copies and groups its story.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, models, transaction
from django.db.models import Max, Min, Q
from django.utils.text import slugify

from articles.models import Article, ArticleEntity, Entity, EntityAlias, EntityMonth, Mention
from articles.nlp.analyse import analyse
from articles.nlp.mentions import EntityRef, FoundMention
from articles.nlp.pipeline import load_pipeline
from articles.nlp.resolve import Resolution, alias_initials, resolve
from articles.nlp.stories import name_weights
from articles.nlp.text import blocking_key, normalise_key
from articles.services.catalog import DatabaseCatalog
from articles.services.copies import article_link_copies
from articles.services.lifecycle import article_set_status
from articles.services.stories import article_group_story, stories_refresh

SEARCH_VECTOR = SearchVector("title", weight="A", config="english") + SearchVector(
    "text", weight="B", config="english"
)


def articles_analyse(*, articles: Sequence[Article]) -> None:
    """Analyse articles in one ``nlp.pipe`` stream, storing each as it comes (then ``done``)."""
    nlp = load_pipeline(settings.SPACY_MODEL)
    english = [a for a in articles if a.language in {"", "en"}]
    for article in articles:
        if article.language not in {"", "en"}:  # entities are extracted for English only
            article_store_mentions(article=article, found=[])
    for article, found in zip(english, analyse((a.text for a in english), nlp=nlp), strict=True):
        article_store_mentions(article=article, found=found)


def article_store_mentions(*, article: Article, found: Sequence[FoundMention]) -> None:
    """Replace the article's mentions and aggregates and mark it done, in one transaction.

    Idempotent: running it twice leaves one copy of the mentions. Mentions of ignored
    entities are kept (hidden when read), so un-ignoring one needs no re-analysis.
    """
    # A "name" longer than a key can hold is a runaway span, not a name.
    found = [m for m in found if len(m.entity.key) <= 300 and len(m.entity.name) <= 300]
    with transaction.atomic():
        # The article's row first, as articles_delete takes it: a deletion and an analysis
        # of one article run one after the other, each counting what the other left.
        if not Article.objects.select_for_update().filter(pk=article.pk).exists():
            return  # deleted meanwhile
        resolution = resolve(found, DatabaseCatalog())
        found = resolution.mentions  # typed as the library types them
        curated = resolution.curated
        ids_by_ref = _entities_for(resolution, [m for m in found if m not in curated])
        Mention.objects.filter(article=article).delete()
        Mention.objects.bulk_create(
            [
                Mention(
                    article=article,
                    entity_id=curated[m] if m in curated else ids_by_ref[m.entity],
                    start=m.start,
                    end=m.end,
                    surface=m.surface[:300],
                )
                for m in found
            ],
            batch_size=500,
        )
        articles_aggregate(articles=[article])
        if settings.IS_POSTGRES:
            Article.objects.filter(pk=article.pk).update(search_vector=SEARCH_VECTOR)
        article_link_copies(article=article)
        article_group_story(article=article)
        article_set_status(article=article, status=Article.Status.DONE)


@transaction.atomic
def articles_aggregate(*, articles: Sequence[Article]) -> None:
    """Rebuild the articles' ArticleEntity rows from their mentions, and the counters kept
    from them: each entity's article count, first and last seen, and monthly counts."""
    article_ids = [article.pk for article in articles]
    dated = {article.pk for article in articles if article.published_at is not None}
    removed = [
        (entity_id, article_date, article_id in dated)
        for article_id, entity_id, article_date in ArticleEntity.objects.filter(
            article_id__in=article_ids
        ).values_list("article_id", "entity_id", "article_date")
    ]
    ArticleEntity.objects.filter(article_id__in=article_ids).delete()
    surfaces: dict[tuple[int, int], set[str]] = defaultdict(set)
    counts: dict[int, Counter[int]] = defaultdict(Counter)
    for article_id, entity_id, surface in Mention.objects.filter(
        article_id__in=article_ids
    ).values_list("article_id", "entity_id", "surface"):
        counts[article_id][entity_id] += 1
        surfaces[article_id, entity_id].add(normalise_key(surface))
    rows = []
    for article in articles:
        title = f" {normalise_key(article.title)} "
        in_title = {
            entity_id
            for entity_id in counts[article.pk]
            if any(f" {key} " in title for key in surfaces[article.pk, entity_id])
        }
        weights = name_weights(counts[article.pk], in_title)
        for entity_id, count in counts[article.pk].items():
            rows.append(
                ArticleEntity(
                    article=article,
                    entity_id=entity_id,
                    mentions=count,
                    weight=weights[entity_id],
                    article_date=article.date,
                )
            )
    ArticleEntity.objects.bulk_create(rows, batch_size=500)
    added = [(row.entity_id, row.article_date, row.article_id in dated) for row in rows]
    _entities_count(removed=removed, added=added)


@transaction.atomic
def articles_delete(*, articles: Sequence[Article]) -> int:
    """Delete articles, and their duplicates with them, keeping the counters right: their
    ArticleEntity rows are taken away through ``articles_aggregate`` (the same locks as
    storing an article) before the rows go, and their stories are counted again. The
    number of articles deleted."""
    ids = [article.pk for article in articles]
    doomed = list(
        Article.objects.select_for_update()
        .filter(Q(pk__in=ids) | Q(duplicate_of__in=ids))
        .order_by("pk")
    )
    Mention.objects.filter(article__in=doomed).delete()
    articles_aggregate(articles=doomed)
    _, deleted = Article.objects.filter(pk__in=[article.pk for article in doomed]).delete()
    stories_refresh(story_ids={a.story_id for a in doomed if a.story_id is not None})
    return deleted.get(Article._meta.label, 0)


Row = tuple[int, datetime.datetime, bool]  # (entity id, article date, the article is dated)


def _entities_count(*, removed: Sequence[Row], added: Sequence[Row]) -> None:
    """Apply ArticleEntity rows removed and added to the counters kept from them.

    Incremental, so storing an article costs the same in a library of any size: the
    entities' rows are locked (in id order) first, so two workers storing articles that
    name one entity apply their changes one after the other, never over each other. Only
    an entity whose first or last article went away is looked up again (one index probe).
    Monthly counts (EntityMonth, the timeline) count dated articles only.
    """
    delta: Counter[int] = Counter()
    month_delta: Counter[tuple[int, datetime.date]] = Counter()
    for sign, changes in ((-1, removed), (1, added)):
        for entity_id, article_date, is_dated in changes:
            delta[entity_id] += sign
            if is_dated:
                month_delta[entity_id, _month(article_date)] += sign
    removed_dates = {(entity_id, date) for entity_id, date, _ in removed} - {
        (entity_id, date) for entity_id, date, _ in added
    }
    changed = {entity_id for entity_id, _ in removed_dates} | {e for e, n in delta.items() if n}
    months = {key: n for key, n in month_delta.items() if n}
    if not changed and not months:
        return  # the same rows again: a reanalysis that found the same entities
    entities = list(
        Entity.objects.select_for_update()
        .filter(pk__in=changed | {entity_id for entity_id, _ in months})
        .order_by("pk")
        .only("pk", "article_count", "first_seen", "last_seen")
    )
    first_added, last_added = {}, {}
    for entity_id, date, _ in added:
        first_added[entity_id] = min(date, first_added.get(entity_id, date))
        last_added[entity_id] = max(date, last_added.get(entity_id, date))
    for entity in entities:
        entity.article_count += delta[entity.pk]
        lost_edge = any(
            (entity.pk, edge) in removed_dates for edge in (entity.first_seen, entity.last_seen)
        )
        if lost_edge or not entity.article_count:
            bounds = ArticleEntity.objects.filter(entity_id=entity.pk).aggregate(
                first=Min("article_date"), last=Max("article_date")
            )
            entity.first_seen, entity.last_seen = bounds["first"], bounds["last"]
        elif entity.pk in first_added:
            entity.first_seen = min(filter(None, [entity.first_seen, first_added[entity.pk]]))
            entity.last_seen = max(filter(None, [entity.last_seen, last_added[entity.pk]]))
    _rows_update(entities, ["article_count", "first_seen", "last_seen"])
    _entity_months_apply(months, existing={entity.pk for entity in entities})


def _entity_months_apply(
    months: dict[tuple[int, datetime.date], int], *, existing: set[int]
) -> None:
    """Add the changes to the monthly counts (the entities are locked by the caller)."""
    months = {key: n for key, n in months.items() if key[0] in existing}  # merged away: gone
    if not months:
        return
    # The entities' rows of these months (an article's are of one month, two when analysed
    # again with another date): two IN lists, cheaper to build than an OR per pair.
    candidates = EntityMonth.objects.filter(
        entity_id__in={entity_id for entity_id, _ in months},
        month__in={month for _, month in months},
    ).only("entity_id", "month", "articles")
    stored = {(row.entity_id, row.month): row for row in candidates}
    rows = []
    for (entity_id, month), change in months.items():
        row = stored.get((entity_id, month)) or EntityMonth(
            entity_id=entity_id, month=month, articles=0
        )
        row.articles += change
        rows.append(row)
    EntityMonth.objects.bulk_create([row for row in rows if row.pk is None and row.articles > 0])
    _rows_update([row for row in rows if row.pk and row.articles > 0], ["articles"])
    EntityMonth.objects.filter(
        pk__in=[row.pk for row in rows if row.pk and row.articles <= 0]
    ).delete()


def _rows_update(rows: Sequence[models.Model], fields: list[str]) -> None:
    """Save these fields of rows of one model: one UPDATE by primary key per row, sent in
    one executemany (pipelined by psycopg). ``bulk_update`` builds a CASE expression
    per row and field instead, whose compiling cost 15-20 ms of an article's storing
    (its 15-20 entities, 3 fields)."""
    if not rows:
        return
    meta = rows[0]._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s",
            [
                [
                    *(
                        field.get_db_prep_save(getattr(row, field.attname), connection)
                        for field in columns
                    ),
                    row.pk,
                ]
                for row in rows
            ],
        )


def _month(moment: datetime.datetime) -> datetime.date:
    """The first day of the moment's month, in UTC (as TruncMonth gives it, TIME_ZONE=UTC)."""
    return moment.astimezone(datetime.UTC).date().replace(day=1)


def _entities_for(resolution: Resolution, found: Sequence[FoundMention]) -> dict[EntityRef, int]:
    """Entity ids for the resolved entity references, creating the new ones."""
    new_refs = [ref for ref, entity_id in resolution.entities.items() if entity_id is None]
    created = entities_create(refs=new_refs)
    ids = {
        ref: entity_id for ref, entity_id in resolution.entities.items() if entity_id is not None
    }
    ids.update(created)
    _aliases_learn(found=found, aliases=resolution.aliases, ids=ids)
    return ids


def entities_create(*, refs: Sequence[EntityRef]) -> dict[EntityRef, int]:
    """Create entities for new references; a concurrent creator of the same key wins."""
    if not refs:
        return {}
    wanted = {(ref.type, ref.key): ref for ref in refs}
    existing_slugs = set(
        Entity.objects.filter(
            type__in={ref.type for ref in refs},
            slug__in={entity_base_slug(ref.name) for ref in refs},
        ).values_list("type", "slug")
    )
    new = []
    for ref in wanted.values():
        slug = entity_base_slug(ref.name)
        if (ref.type, slug) in existing_slugs:
            slug = entity_unique_slug(ref)
        existing_slugs.add((ref.type, slug))
        new.append(
            Entity(
                type=ref.type, key=ref.key, name=ref.name, slug=slug, wikidata_id=ref.wikidata_id
            )
        )
    Entity.objects.bulk_create(new, ignore_conflicts=True)
    ids = _entity_ids_by_key(wanted)
    missing = [ref for key, ref in wanted.items() if key not in ids]
    for ref in missing:  # lost a slug race to a different key: take the hashed slug
        entity, _ = Entity.objects.get_or_create(
            type=ref.type,
            key=ref.key,
            defaults={
                "name": ref.name,
                "slug": entity_unique_slug(ref),
                "wikidata_id": ref.wikidata_id,
            },
        )
        ids[(ref.type, ref.key)] = entity.pk
    return {ref: ids[(ref.type, ref.key)] for ref in refs}


def _entity_ids_by_key(wanted: dict[tuple[str, str], EntityRef]) -> dict[tuple[str, str], int]:
    rows = Entity.objects.filter(
        type__in={t for t, _ in wanted}, key__in={k for _, k in wanted}
    ).values_list("type", "key", "pk")
    return {(t, k): pk for t, k, pk in rows if (t, k) in wanted}


def entity_base_slug(name: str) -> str:
    return slugify(name, allow_unicode=True)[:100] or "entity"


def entity_unique_slug(ref: EntityRef) -> str:
    digest = hashlib.sha1(f"{ref.type}:{ref.key}".encode()).hexdigest()[:8]
    return f"{entity_base_slug(ref.name)[:100]}-{digest}"


def _aliases_learn(
    *, found: Sequence[FoundMention], aliases: dict[EntityRef, set[str]], ids: dict[EntityRef, int]
) -> None:
    """Store the document's names as aliases so later articles resolve to the same entity.

    An alias already pointing at another entity is kept: the first, or a curator, wins.
    """
    surfaces = {(m.entity, normalise_key(m.surface)): m.surface for m in found}
    rows = {
        (ref.type, key): EntityAlias(
            entity_id=ids[ref],
            type=ref.type,
            key=key,
            name=surfaces.get((ref, key), key)[:300],
            block=blocking_key(key),
            initials=alias_initials(key),
        )
        for ref, keys in aliases.items()
        for key in keys
    }
    EntityAlias.objects.bulk_create(rows.values(), ignore_conflicts=True)


def articles_reanalyse(*, article_ids: Sequence[int]) -> None:
    """Analyse stored articles again (a new model or knowledge base), replacing their
    mentions and aggregates; their text is not fetched again."""
    articles_analyse(articles=list(Article.objects.filter(pk__in=article_ids).order_by("pk")))
