"""Curation: a curator's corrections to the entities, applied to past and future articles.

Each correction changes the stored entities, mentions and aggregates at once (no NLP
re-run) and leaves a curated alias or flag behind, so future articles follow it too; each
is recorded as a ``Correction``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from articles.models import Article, Correction, Entity, EntityAlias, Mention
from articles.nlp.mentions import EntityRef
from articles.nlp.resolve import alias_initials
from articles.nlp.text import blocking_key, normalise_key
from articles.services.analysis import (
    articles_aggregate,
    entities_create,
    entity_base_slug,
    entity_unique_slug,
)


class CurationError(Exception):
    """A correction that cannot be made; the message says why, for the curator."""


def _record(
    *, action: str, entity: Entity | None, detail: str, user: AbstractBaseUser | None
) -> None:
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
            "initials": alias_initials(key),
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
def entities_merge(
    *, source: Entity, target: Entity, user: AbstractBaseUser | None = None
) -> Entity:
    """Make ``source`` part of ``target``: its mentions, aliases and name all point there.

    Both rows are locked, in id order, before anything moves: two curators merging A into
    B and B into A at once take turns instead of deadlocking, and the second finds that
    one of its two entities has gone.
    """
    if source.pk == target.pk:
        raise CurationError("An entity cannot be merged into itself.")
    locked = Entity.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    entities = {entity.pk: entity for entity in locked.order_by("pk")}
    if source.pk not in entities:
        raise CurationError(f"{source.name} has already been merged into another entity.")
    if target.pk not in entities:
        raise CurationError(
            f"{target.name} has just been merged into another entity: merge into that one."
        )
    source, target = entities[source.pk], entities[target.pk]
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
def entity_split_alias(
    *, entity: Entity, alias: EntityAlias, user: AbstractBaseUser | None = None
) -> Entity:
    """Take a wrong alias off the entity: its mentions go to an entity of their own."""
    if alias.entity_id != entity.pk:
        raise CurationError("That alias belongs to another entity.")
    if alias.key == entity.key:
        raise CurationError(f"{alias.name} is the entity's own name; rename it instead.")
    ref = EntityRef(type=entity.type, key=alias.key, name=alias.name)
    new_id = entities_create(refs=[ref])[ref]
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
def entity_rename(*, entity: Entity, name: str, user: AbstractBaseUser | None = None) -> Entity:
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
    slug = entity_base_slug(name)
    if Entity.objects.filter(type=entity.type, slug=slug).exclude(pk=entity.pk).exists():
        slug = entity_unique_slug(EntityRef(type=entity.type, key=key, name=name))
    entity.slug = slug  # the old address still finds it, through the old name's alias
    entity.save(update_fields=["name", "key", "slug"])
    _record(
        action=Correction.Action.RENAME, entity=entity, detail=f"{old} renamed {name}", user=user
    )
    return entity


@transaction.atomic
def entity_set_type(
    *, entity: Entity, entity_type: str, user: AbstractBaseUser | None = None
) -> Entity:
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
        entity.slug = entity_unique_slug(
            EntityRef(type=entity_type, key=entity.key, name=entity.name)
        )
    entity.save(update_fields=["type", "slug"])
    _record(
        action=Correction.Action.SET_TYPE,
        entity=entity,
        detail=f"{entity.name}: {old} -> {entity.get_type_display()}",
        user=user,
    )
    return entity


@transaction.atomic
def entity_set_ignored(
    *, entity: Entity, ignored: bool, user: AbstractBaseUser | None = None
) -> Entity:
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
