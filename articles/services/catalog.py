"""The library's entities as the linker reads them: ``nlp.resolve.Catalog`` on the ORM."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count

from articles.models import ArticleEntity, Entity, EntityAlias
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
        """Keys of the entities most often seen with each of these in its latest articles.

        Bounded in SQL (CONTEXT_ARTICLES articles, CONTEXT_SIZE keys), so a candidate named
        in a third of the library costs what a rare one does.
        """
        context = {}
        for entity_id in sorted(entity_ids):
            latest = (
                ArticleEntity.objects.filter(entity_id=entity_id)
                .order_by("-article_date", "-article_id")
                .values("article_id")[:CONTEXT_ARTICLES]
            )
            top = list(
                ArticleEntity.objects.filter(article_id__in=latest)
                .exclude(entity_id=entity_id)
                .values("entity_id")
                .annotate(together=Count("id"))
                .order_by("-together", "entity_id")
                .values_list("entity_id", flat=True)[:CONTEXT_SIZE]
            )
            context[entity_id] = frozenset(
                Entity.objects.filter(pk__in=top).values_list("key", flat=True)
            )
        return context
