"""Analysis and storage: an article's entities found, linked to the library's, stored.

``articles_analyse`` runs the NLP pipeline (``articles.nlp``) over articles and
``article_store_mentions`` stores each result: it resolves the document's entities against
the library (``DatabaseCatalog``), creates the new ones, learns their aliases, replaces
the article's mentions and rebuilds the aggregates (``ArticleEntity``, entity counters)
that every coverage page reads.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils.text import slugify

from articles.models import Article, ArticleEntity, Entity, EntityAlias, Mention
from articles.nlp.analyse import analyse
from articles.nlp.mentions import EntityRef, FoundMention
from articles.nlp.pipeline import load_pipeline
from articles.nlp.resolve import Resolution, resolve
from articles.nlp.text import blocking_key, normalise_key
from articles.services.catalog import DatabaseCatalog
from articles.services.lifecycle import article_set_status

SEARCH_VECTOR = SearchVector("title", weight="A", config="english") + SearchVector(
    "text", weight="B", config="english"
)

# A title that names an entity makes it more central to the article than its count says.
TITLE_WEIGHT_BONUS = 0.5


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
        resolution = resolve(found, DatabaseCatalog())
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
        article_set_status(article=article, status=Article.Status.DONE)


def articles_aggregate(*, articles: Sequence[Article]) -> None:
    """Rebuild the articles' ArticleEntity rows from their mentions, and entity counts."""
    article_ids = [article.pk for article in articles]
    previous = set(
        ArticleEntity.objects.filter(article_id__in=article_ids).values_list("entity_id", flat=True)
    )
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
        top = max(counts[article.pk].values(), default=1)
        for entity_id, count in counts[article.pk].items():
            in_title = any(f" {key} " in title for key in surfaces[article.pk, entity_id])
            rows.append(
                ArticleEntity(
                    article=article,
                    entity_id=entity_id,
                    mentions=count,
                    weight=count / top + (TITLE_WEIGHT_BONUS if in_title else 0.0),
                    article_date=article.date,
                )
            )
    ArticleEntity.objects.bulk_create(rows, batch_size=500)
    entities_refresh_counts(entity_ids=previous | {row.entity_id for row in rows})


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
        )
        for ref, keys in aliases.items()
        for key in keys
    }
    EntityAlias.objects.bulk_create(rows.values(), ignore_conflicts=True)


@transaction.atomic
def entities_refresh_counts(*, entity_ids: Iterable[int]) -> None:
    """Recompute article counts and first/last seen of these entities from the aggregates.

    The entity rows are locked (in id order) before counting, so two workers storing
    articles that mention one entity count one after the other, never over each other.
    """
    entity_ids = set(entity_ids)
    if not entity_ids:
        return
    entities = list(
        Entity.objects.select_for_update().filter(pk__in=entity_ids).order_by("pk").only("pk")
    )
    stats = {
        row["entity_id"]: row
        for row in ArticleEntity.objects.filter(entity_id__in=entity_ids)
        .values("entity_id")
        .annotate(n=Count("id"), first=Min("article_date"), last=Max("article_date"))
    }
    for entity in entities:
        row = stats.get(entity.pk)
        entity.article_count = row["n"] if row else 0
        entity.first_seen = row["first"] if row else None
        entity.last_seen = row["last"] if row else None
    Entity.objects.bulk_update(entities, ["article_count", "first_seen", "last_seen"])


def articles_reanalyse(*, article_ids: Sequence[int]) -> None:
    """Analyse stored articles again (a new model or knowledge base), replacing their
    mentions and aggregates; their text is not fetched again."""
    articles_analyse(articles=list(Article.objects.filter(pk__in=article_ids).order_by("pk")))
