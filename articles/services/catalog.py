"""The library's entities as the linker reads them: ``nlp.resolve.Catalog`` on the ORM."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from django.db.models import QuerySet

from articles import selectors
from articles.models import Entity, EntityAlias
from articles.nlp.mentions import EntityType
from articles.nlp.resolve import CONTEXT_SIZE, CatalogCandidate, CuratedAlias
from articles.nlp.text import blocking_key

# The context of an entity is read from its latest articles: who it is seen with now.
CONTEXT_ARTICLES = 300


class DatabaseCatalog:
    def curated(self, keys: Collection[str]) -> list[CuratedAlias]:
        return [
            CuratedAlias(key=key, type=entity_type, entity_id=entity_id, ignored=ignored)
            for key, entity_type, entity_id, ignored in EntityAlias.objects.filter(
                source=EntityAlias.Source.CURATED, key__in=list(keys)
            ).values_list("key", "type", "entity_id", "entity__ignored")
        ]

    def lookup(self, entity_type: str, keys: Collection[str]) -> dict[str, int]:
        if not keys:
            return {}
        keys = list(keys)
        found = dict(
            EntityAlias.objects.filter(type=entity_type, key__in=keys).values_list(
                "key", "entity_id"
            )
        )
        # An entity's own key wins over an alias that happens to equal it.
        found.update(Entity.objects.filter(type=entity_type, key__in=keys).values_list("key", "pk"))
        return found

    def similar(self, entity_type: str, key: str) -> list[CatalogCandidate]:
        return self._candidates(
            EntityAlias.objects.filter(type=entity_type, block=blocking_key(key))
        )

    def acronyms(self, entity_type: str, acronyms: Collection[str]) -> list[CatalogCandidate]:
        # A union of two index probes, (type, initials) and (type, key): an OR in one
        # WHERE may leave the planner a scan of every alias of the type.
        acronyms = list(acronyms)
        return self._candidates(
            EntityAlias.objects.filter(type=entity_type, initials__in=acronyms),
            EntityAlias.objects.filter(type=entity_type, key__in=acronyms),
            single_entity=True,
        )

    def type_votes(self, keys: Collection[str]) -> dict[str, dict[str, int]]:
        votes: dict[str, dict[str, int]] = defaultdict(dict)
        for key, entity_type, articles in EntityAlias.objects.filter(
            type__in=list(EntityType), key__in=list(keys), entity__ignored=False
        ).values_list("key", "type", "entity__article_count"):
            votes[key][entity_type] = articles
        return dict(votes)

    def _candidates(
        self, *aliases: QuerySet[EntityAlias], single_entity: bool = False
    ) -> list[CatalogCandidate]:
        """The aliases of these querysets (one query) as candidates, each with its entity's
        context; ``single_entity``: only if they all name one entity."""
        fields = ("key", "entity_id", "entity__key", "entity__name")
        first, *others = (queryset.values_list(*fields) for queryset in aliases)
        aliases = list(first.union(*others) if others else first)
        if not aliases:
            return []
        entity_ids = {entity_id for _, entity_id, _, _ in aliases}
        if single_entity and len(entity_ids) > 1:
            return [
                CatalogCandidate(entity_id=entity_id, key=entity_key, alias_key=key, name=name)
                for key, entity_id, entity_key, name in aliases
            ]
        context = self._context(entity_ids)
        return [
            CatalogCandidate(
                entity_id=entity_id,
                key=entity_key,
                alias_key=alias_key,
                name=name,
                context=context.get(entity_id, frozenset()),
            )
            for alias_key, entity_id, entity_key, name in aliases
        ]

    def _context(self, entity_ids: set[int]) -> dict[int, frozenset[str]]:
        """Keys of the entities most often seen with each of these in its latest articles.

        Bounded in SQL (CONTEXT_ARTICLES articles, CONTEXT_SIZE keys), so a candidate named
        in a third of the library costs what a rare one does.
        """
        top = {
            entity_id: [
                other
                for other, _ in selectors.entity_companions(
                    entity_id=entity_id, articles=CONTEXT_ARTICLES, limit=CONTEXT_SIZE
                )
            ]
            for entity_id in sorted(entity_ids)
        }
        keys = dict(
            Entity.objects.filter(
                pk__in={other for ids in top.values() for other in ids}
            ).values_list("pk", "key")
        )
        return {
            entity_id: frozenset(keys[other] for other in ids) for entity_id, ids in top.items()
        }
