"""The library's entities as the linker reads them: ``nlp.resolve.Catalog`` on the ORM."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from django.db.models import Count, F

from articles.models import ArticleEntity, Entity, EntityAlias
from articles.nlp.resolve import CONTEXT_SIZE, CatalogCandidate, CuratedAlias
from articles.nlp.text import blocking_key


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
        aliases = list(
            EntityAlias.objects.filter(type=entity_type, block=blocking_key(key)).values_list(
                "key", "entity_id", "entity__key", "entity__name"
            )
        )
        if not aliases:
            return []
        context = self._context({entity_id for _, entity_id, _, _ in aliases})
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
        """Keys of the entities most often seen in the same articles as each of these."""
        rows = (
            ArticleEntity.objects.filter(article__article_entities__entity_id__in=entity_ids)
            .annotate(candidate=F("article__article_entities__entity_id"))
            .exclude(entity_id=F("candidate"))
            .values("candidate", "entity__key")
            .annotate(together=Count("article_id"))
            .order_by("candidate", "-together")
        )
        context: dict[int, list[str]] = defaultdict(list)
        for row in rows:
            keys = context[row["candidate"]]
            if len(keys) < CONTEXT_SIZE:
                keys.append(row["entity__key"])
        return {entity_id: frozenset(keys) for entity_id, keys in context.items()}
