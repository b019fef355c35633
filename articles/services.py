"""Writes: ingesting and analysing articles, storing their entities, curating entities.

Views, tasks and commands call these; the pure packages ``articles.ingest`` and
``articles.nlp`` do the work that needs no database.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.text import slugify

from articles.catalog import DatabaseCatalog
from articles.ingest.encoding import decode_html
from articles.ingest.extract import ExtractedArticle, extract_html
from articles.ingest.fetch import FetchError, fetch, refuse_private_host
from articles.ingest.language import detect_language
from articles.ingest.urls import InvalidURL, canonicalize_url
from articles.models import Article, ArticleEntity, Correction, Entity, EntityAlias, Mention
from articles.nlp.linking import EntityRef, FoundMention, analyse, normalise_key
from articles.nlp.pipeline import load_pipeline
from articles.nlp.resolve import alias_keys, resolve
from articles.nlp.text import blocking_key

logger = logging.getLogger(__name__)

SEARCH_VECTOR = SearchVector("title", weight="A", config="english") + SearchVector(
    "text", weight="B", config="english"
)

# A title that names an entity makes it more central to the article than its count says.
TITLE_WEIGHT_BONUS = 0.5


# Ingest --------------------------------------------------------------------------------


def article_ingest_url(*, url: str, user=None, queue: bool = True) -> tuple[Article, bool]:
    """Accept a pasted URL: the existing article for it, or a new one queued for fetching.

    Raises ``InvalidURL`` with a readable message for input that is not a web address.
    With ``queue=False`` the caller processes the new article itself.
    """
    canonical = canonicalize_url(url)
    if not settings.NEWSREADER_ALLOW_PRIVATE_URLS:
        try:
            refuse_private_host(canonical)
        except FetchError as exc:
            raise InvalidURL(exc.message) from exc
    # get_or_create finds the article already stored under this URL, and catches the
    # unique-constraint race: one article however many pastes.
    article, created = Article.objects.get_or_create(
        url=canonical, defaults={"original_url": url.strip()[:2048], "added_by": user}
    )
    if created and queue:
        article_queue(article=article)
    return article, created


def article_ingest_document(
    *,
    url: str,
    text: str = "",
    html: str = "",
    title: str = "",
    published_at: datetime.datetime | None = None,
    site_name: str = "",
    byline: str = "",
    user=None,
) -> tuple[Article, bool]:
    """Store an article whose content the caller already has (a file, an import line).

    A given ``text`` is kept verbatim apart from line endings, so offsets computed on the
    caller's copy line up with the stored one. ``html`` is extracted like a fetched page.
    The new article is ``queued`` with its text in place: the caller queues it or
    analyses it in-process; no fetch happens.
    """
    canonical = url if url.startswith("file:") else canonicalize_url(url)
    if html:
        extracted = extract_html(html, url=canonical)
    else:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        extracted = ExtractedArticle(title="", text=text, language=detect_language(text))
    given = {"title": title, "published_at": published_at, "site_name": site_name, "byline": byline}
    extracted = dataclasses.replace(extracted, **{name: v for name, v in given.items() if v})
    defaults = {**_article_fields(extracted), "original_url": url[:2048], "added_by": user}
    return Article.objects.get_or_create(url=canonical, defaults=defaults)


def _article_fields(extracted: ExtractedArticle) -> dict:
    """An extracted page as Article field values, cut to the columns' lengths."""
    return {
        "title": extracted.title[:500],
        "text": extracted.text,
        "word_count": len(extracted.text.split()),
        "byline": extracted.byline[:300],
        "site_name": extracted.site_name[:200],
        "image_url": extracted.image_url[:2048],
        "published_at": extracted.published_at,
        "language": extracted.language,
        "fetched_at": timezone.now(),
    }


def article_queue(*, article: Article) -> None:
    """Queue the article's processing once the current transaction commits.

    If the broker is unreachable the article stays ``queued`` and the sweeper
    (``articles_requeue_stale``) sends it again later: nothing is lost.
    """
    article_id = article.pk
    transaction.on_commit(lambda: _send_process_task(article_id))


def _send_process_task(article_id: int) -> bool:
    """Publish the article's task; False (logged) when the broker cannot be reached.

    The publish retries briefly (``CELERY_TASK_PUBLISH_RETRY_POLICY``) to ride out a
    broker restart, and the transport's socket timeouts bound each try, so a dead broker
    costs a request well under a second, or a few seconds if it accepts and never answers.
    """
    from articles.tasks import article_process_task

    try:
        article_process_task.apply_async(args=[article_id], retry=True)
    except Exception:  # any broker failure: the sweeper re-sends later
        logger.warning("Could not queue article %s; the sweeper will retry", article_id)
        return False
    return True


def article_retry(*, article: Article) -> Article:
    """Queue a failed article again from the start."""
    if article.status != Article.Status.FAILED:
        return article
    article.status = Article.Status.QUEUED
    article.error = ""
    article.save(update_fields=["status", "error", "updated_at"])
    article_queue(article=article)
    return article


def articles_requeue_stale(*, older_than: datetime.timedelta | None = None) -> int:
    """Send again every article left queued or mid-way for too long (broker down, worker gone).

    An article mid-way is only stale once no task can still be working on it: after the
    task's hard time limit, so a long analysis is not sent a second time while it runs.
    """
    if older_than is None:
        older_than = datetime.timedelta(seconds=settings.NEWSREADER_STALE_AFTER_SECONDS)
    now = timezone.now()
    running_cutoff = now - max(
        older_than, datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)
    )
    stale = Q(status=Article.Status.QUEUED, updated_at__lt=now - older_than) | Q(
        status__in=[Article.Status.FETCHING, Article.Status.ANALYSING],
        updated_at__lt=running_cutoff,
    )
    ids = list(Article.objects.filter(stale).values_list("pk", flat=True)[:500])
    sent = 0
    for article_id in ids:
        # Queued again and released from a task that is gone, so the new task can claim
        # it; the touch makes the next sweep wait a full period before sending it again.
        Article.objects.filter(pk=article_id).update(
            status=Article.Status.QUEUED, claimed_by="", updated_at=timezone.now()
        )
        if not _send_process_task(article_id):
            break  # the broker is still down: the rest wait for the next sweep
        sent += 1
    return sent


# Processing ----------------------------------------------------------------------------


def article_set_status(*, article: Article, status: str, error: str = "") -> None:
    article.status = status
    article.error = error
    article.save(update_fields=["status", "error", "updated_at"])


def article_note_retry(*, article_id: int, error: str, seconds: int) -> None:
    """Say on the card why the article waits, while its task waits to try again."""
    Article.objects.filter(pk=article_id).update(
        error=f"{error} Trying again in {seconds} seconds.", updated_at=timezone.now()
    )


def article_fail(*, article_id: int, error: str) -> None:
    Article.objects.filter(pk=article_id).exclude(status=Article.Status.DONE).update(
        status=Article.Status.FAILED, error=error, updated_at=timezone.now()
    )


def article_claim(*, article_id: int, token: str) -> Article | None:
    """Take the article for one task, or None when another task holds it or it is finished.

    A queued article is free; one mid-way is held by the task that took it (the same
    token comes back when the broker redelivers that task) until the hard time limit has
    passed. So a message sent twice (the sweeper, a double publish) is processed once.
    """
    now = timezone.now()
    abandoned = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)
    running = [Article.Status.FETCHING, Article.Status.ANALYSING]
    claimed = (
        Article.objects.filter(pk=article_id)
        .filter(
            Q(status=Article.Status.QUEUED)
            | Q(status__in=running, claimed_by=token)
            | Q(status__in=running, updated_at__lt=abandoned)
        )
        .update(status=Article.Status.FETCHING, claimed_by=token, updated_at=now)
    )
    return Article.objects.get(pk=article_id) if claimed else None


def article_process(*, article: Article) -> Article:
    """Fetch (unless the text is already stored), extract, then analyse the article.

    Raises ``FetchError``/``ExtractionError`` for the task to retry or record.
    """
    article_prepare(article=article)
    if article.duplicate_of_id:
        article_set_status(article=article, status=Article.Status.DONE)
        return article
    article_set_status(article=article, status=Article.Status.ANALYSING)
    articles_analyse(articles=[article])
    return article


def article_prepare(*, article: Article) -> None:
    """Fetch and extract the article's page, unless its text is already stored.

    A page whose rel=canonical names an article already stored is marked its duplicate.
    """
    if article.text:
        return
    article_set_status(article=article, status=Article.Status.FETCHING)
    page = fetch(article.url, allow_private=settings.NEWSREADER_ALLOW_PRIVATE_URLS)
    extracted = extract_html(decode_html(page.body, charset=page.charset), url=page.url)
    _article_store_extracted(article=article, extracted=extracted, page_url=page.url)


def _article_store_extracted(
    *, article: Article, extracted: ExtractedArticle, page_url: str
) -> None:
    fields = _article_fields(extracted)
    fields["title"] = fields["title"] or article.url
    for name, value in fields.items():
        setattr(article, name, value)
    update = [*fields, "updated_at"]
    canonical = _canonical_or_none(extracted.canonical_url, page_url=page_url) or article.url
    if canonical != article.url:
        # Another spelling: it is the stored canonical article's duplicate, if there is one.
        article.canonical_url = canonical
        article.duplicate_of = (
            Article.objects.filter(url=canonical, duplicate_of=None).exclude(pk=article.pk).first()
        )
        update += ["canonical_url", "duplicate_of"]
    article.save(update_fields=update)
    if canonical == article.url:
        _articles_absorb(canonical=article)


def _articles_absorb(*, canonical: Article) -> None:
    """Make the stored articles whose page names this one as canonical its duplicates.

    Only the canonical page itself absorbs: a page that merely claims another address
    never takes that address's place, so no page can stand in for another's article.
    """
    others = list(
        Article.objects.filter(canonical_url=canonical.url, duplicate_of=None).exclude(
            pk=canonical.pk
        )
    )
    if not others:
        return
    with transaction.atomic():
        Article.objects.filter(pk__in=[a.pk for a in others]).update(duplicate_of=canonical)
        Mention.objects.filter(article__in=others).delete()
        articles_aggregate(articles=others)


def _canonical_or_none(url: str, *, page_url: str) -> str | None:
    """The page's canonical URL, if it can be trusted to name this article.

    Only on the page's own host (a page must not claim another site's address) and not a
    site's home page (many sites name it as every page's canonical).
    """
    if not url:
        return None
    try:
        canonical = canonicalize_url(url)
    except InvalidURL:
        return None
    parts, page = urlsplit(canonical), urlsplit(page_url)
    if parts.hostname != page.hostname or parts.path in {"", "/"}:
        return None
    return canonical


# Analysis ------------------------------------------------------------------------------


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
        curated = _curated_ids(found)
        ids_by_ref = _entities_for([m for m in found if m not in curated])
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


def _curated_ids(found: Sequence[FoundMention]) -> dict[FoundMention, int]:
    """Mentions a curator has decided: their surface or name is a curated alias.

    An alias curated for the mention's type wins. Otherwise a curated alias of another
    type applies when it is the only one ("Levant" set to a place stays a place when the
    model says organisation), unless its entity is ignored: ignoring a false "Jordan"
    organisation must not hide the country.
    """
    keys_of = {m: (normalise_key(m.surface), m.entity.key) for m in found}
    curated: dict[str, dict[str, int]] = defaultdict(dict)
    ignored: set[int] = set()
    for key, entity_type, entity_id, is_ignored in EntityAlias.objects.filter(
        source=EntityAlias.Source.CURATED, key__in={k for keys in keys_of.values() for k in keys}
    ).values_list("key", "type", "entity_id", "entity__ignored"):
        curated[key][entity_type] = entity_id
        if is_ignored:
            ignored.add(entity_id)
    decided = {}
    for mention, keys in keys_of.items():
        same_type = [
            curated[k][mention.entity.type] for k in keys if mention.entity.type in curated[k]
        ]
        if same_type:
            decided[mention] = same_type[0]
            continue
        for key in keys:
            choices = list(curated.get(key, {}).values())
            if len(choices) == 1 and choices[0] not in ignored:
                decided[mention] = choices[0]
                break
    return decided


def _entities_for(found: Iterable[FoundMention]) -> dict[EntityRef, int]:
    """Entity ids for the document's entity references, creating the new ones."""
    found = list(found)
    resolution = resolve(found, DatabaseCatalog())
    new_refs = [ref for ref, entity_id in resolution.items() if entity_id is None]
    created = _entities_create(refs=new_refs)
    ids = {ref: entity_id for ref, entity_id in resolution.items() if entity_id is not None}
    ids.update(created)
    _aliases_learn(found=found, ids=ids)
    return ids


def _entities_create(*, refs: Sequence[EntityRef]) -> dict[EntityRef, int]:
    """Create entities for new references; a concurrent creator of the same key wins."""
    if not refs:
        return {}
    wanted = {(ref.type, ref.key): ref for ref in refs}
    existing_slugs = set(
        Entity.objects.filter(
            type__in={ref.type for ref in refs},
            slug__in={_base_slug(ref.name) for ref in refs},
        ).values_list("type", "slug")
    )
    new = []
    for ref in wanted.values():
        slug = _base_slug(ref.name)
        if (ref.type, slug) in existing_slugs:
            slug = _unique_slug(ref)
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
            defaults={"name": ref.name, "slug": _unique_slug(ref), "wikidata_id": ref.wikidata_id},
        )
        ids[(ref.type, ref.key)] = entity.pk
    return {ref: ids[(ref.type, ref.key)] for ref in refs}


def _entity_ids_by_key(wanted: dict[tuple[str, str], EntityRef]) -> dict[tuple[str, str], int]:
    rows = Entity.objects.filter(
        type__in={t for t, _ in wanted}, key__in={k for _, k in wanted}
    ).values_list("type", "key", "pk")
    return {(t, k): pk for t, k, pk in rows if (t, k) in wanted}


def _base_slug(name: str) -> str:
    return slugify(name, allow_unicode=True)[:100] or "entity"


def _unique_slug(ref: EntityRef) -> str:
    digest = hashlib.sha1(f"{ref.type}:{ref.key}".encode()).hexdigest()[:8]
    return f"{_base_slug(ref.name)[:100]}-{digest}"


def _aliases_learn(*, found: Sequence[FoundMention], ids: dict[EntityRef, int]) -> None:
    """Store the document's names as aliases so later articles resolve to the same entity.

    An alias already pointing at another entity is kept: the first, or a curator, wins.
    """
    surfaces = {(m.entity, normalise_key(m.surface)): m.surface for m in found}
    aliases = {
        (ref.type, key): EntityAlias(
            entity_id=ids[ref],
            type=ref.type,
            key=key,
            name=surfaces.get((ref, key), key)[:300],
            block=blocking_key(key),
        )
        for ref, keys in alias_keys(found).items()
        for key in keys
    }
    EntityAlias.objects.bulk_create(aliases.values(), ignore_conflicts=True)


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


# Curation ------------------------------------------------------------------------------
# Each correction changes the stored entities, mentions and aggregates at once (no NLP
# re-run) and leaves a curated alias or flag behind, so future articles follow it too.


class CurationError(Exception):
    """A correction that cannot be made; the message says why, for the curator."""


def _record(*, action: str, entity: Entity | None, detail: str, user) -> None:
    Correction.objects.create(action=action, entity=entity, detail=detail[:500], user=user)


def _alias_curate(*, entity: Entity, key: str, name: str) -> None:
    """Point the alias ``key`` at the entity, as a curator's word that later articles keep."""
    EntityAlias.objects.update_or_create(
        type=entity.type,
        key=key,
        defaults={
            "entity": entity,
            "name": name,
            "block": blocking_key(key),
            "source": EntityAlias.Source.CURATED,
        },
    )


def _affected_articles(entity_ids: Iterable[int]) -> list[Article]:
    return list(
        Article.objects.filter(article_entities__entity_id__in=list(entity_ids))
        .distinct()
        .only("pk", "title", "published_at", "created_at")
    )


@transaction.atomic
def entities_merge(*, source: Entity, target: Entity, user=None) -> Entity:
    """Make ``source`` part of ``target``: its mentions, aliases and name all point there."""
    if source.pk == target.pk:
        raise CurationError("An entity cannot be merged into itself.")
    if source.type != target.type:
        raise CurationError(
            f"{source.name} is a {source.get_type_display().lower()} and {target.name} a "
            f"{target.get_type_display().lower()}: set the same type before merging."
        )
    articles = _affected_articles([source.pk])
    Mention.objects.filter(entity=source).update(entity=target)
    EntityAlias.objects.filter(entity=source).update(
        entity=target, source=EntityAlias.Source.CURATED
    )
    source_name, source_key = source.name, source.key
    Correction.objects.filter(entity=source).update(entity=target)
    source.delete()
    _alias_curate(entity=target, key=source_key, name=source_name)
    articles_aggregate(articles=articles)
    _record(
        action=Correction.Action.MERGE,
        entity=target,
        detail=f"{source_name} merged into {target.name}",
        user=user,
    )
    return target


@transaction.atomic
def entity_split_alias(*, entity: Entity, alias: EntityAlias, user=None) -> Entity:
    """Take a wrong alias off the entity: its mentions go to an entity of their own."""
    if alias.entity_id != entity.pk:
        raise CurationError("That alias belongs to another entity.")
    if alias.key == entity.key:
        raise CurationError(f"{alias.name} is the entity's own name; rename it instead.")
    ref = EntityRef(type=entity.type, key=alias.key, name=alias.name)
    new_id = _entities_create(refs=[ref])[ref]
    alias.entity_id = new_id
    alias.source = EntityAlias.Source.CURATED
    alias.save(update_fields=["entity", "source"])
    moved = [
        m.pk
        for m in Mention.objects.filter(entity=entity).only("pk", "surface")
        if normalise_key(m.surface) == alias.key
    ]
    Mention.objects.filter(pk__in=moved).update(entity_id=new_id)
    articles_aggregate(articles=_affected_articles([entity.pk]))
    new = Entity.objects.get(pk=new_id)
    _record(
        action=Correction.Action.SPLIT,
        entity=new,
        detail=f"{alias.name} split off {entity.name}",
        user=user,
    )
    return new


@transaction.atomic
def entity_rename(*, entity: Entity, name: str, user=None) -> Entity:
    """Give the entity another canonical name; the old one stays as an alias."""
    name = " ".join(name.split())
    key = normalise_key(name)
    if not key:
        raise CurationError("A name needs at least one letter or digit.")
    clash = Entity.objects.filter(type=entity.type, key=key).exclude(pk=entity.pk).first()
    if clash:
        raise CurationError(
            f"There is already a {clash.get_type_display().lower()} "
            f"called {clash.name}: merge the two instead."
        )
    taken = EntityAlias.objects.filter(type=entity.type, key=key).exclude(entity=entity)
    if taken.exists():
        other = taken.select_related("entity").first().entity
        raise CurationError(f"{name} already names {other.name}: merge the two instead.")
    _alias_curate(entity=entity, key=entity.key, name=entity.name)
    _alias_curate(entity=entity, key=key, name=name)
    old = entity.name
    entity.name, entity.key = name, key
    slug = _base_slug(name)
    if Entity.objects.filter(type=entity.type, slug=slug).exclude(pk=entity.pk).exists():
        slug = _unique_slug(EntityRef(type=entity.type, key=key, name=name))
    entity.slug = slug  # the old address still finds it, through the old name's alias
    entity.save(update_fields=["name", "key", "slug"])
    _record(
        action=Correction.Action.RENAME, entity=entity, detail=f"{old} renamed {name}", user=user
    )
    return entity


@transaction.atomic
def entity_set_type(*, entity: Entity, entity_type: str, user=None) -> Entity:
    """Change the entity's type, with its aliases; future articles resolve to it by type."""
    if entity_type == entity.type:
        return entity
    clash = Entity.objects.filter(type=entity_type, key=entity.key).first()
    if clash:
        raise CurationError(
            f"There is already a {clash.get_type_display().lower()} called {clash.name}: "
            "change the type, then merge."
        )
    old = entity.get_type_display()
    moving = EntityAlias.objects.filter(entity=entity)
    # Aliases the other type already uses stay where they are.
    taken = set(
        EntityAlias.objects.filter(type=entity_type, key__in=moving.values("key")).values_list(
            "key", flat=True
        )
    )
    moving.filter(key__in=taken).delete()
    moving.update(type=entity_type, source=EntityAlias.Source.CURATED)
    entity.type = entity_type
    if Entity.objects.filter(type=entity_type, slug=entity.slug).exists():
        entity.slug = _unique_slug(EntityRef(type=entity_type, key=entity.key, name=entity.name))
    entity.save(update_fields=["type", "slug"])
    _record(
        action=Correction.Action.SET_TYPE,
        entity=entity,
        detail=f"{entity.name}: {old} -> {entity.get_type_display()}",
        user=user,
    )
    return entity


@transaction.atomic
def entity_set_ignored(*, entity: Entity, ignored: bool, user=None) -> Entity:
    """Hide a false entity everywhere (or show it again); later mentions that resolve to
    it, through its aliases, stay hidden too."""
    entity.ignored = ignored
    entity.save(update_fields=["ignored"])
    _record(
        action=Correction.Action.IGNORE if ignored else Correction.Action.RESTORE,
        entity=entity,
        detail=entity.name,
        user=user,
    )
    return entity
