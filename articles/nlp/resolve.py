"""Cross-document linking: each entity of a new document to an entity of the library.

Pure Python against a ``Catalog`` protocol, which the Django service implements with two
kinds of indexed query and ``InMemoryCatalog`` implements for tests and benchmarks:

* ``lookup``: exact match of normalised keys against entity keys and alias keys;
* ``similar``: entities of one type whose alias shares a blocking token (``blocking_key``,
  stored with every alias), with the keys of the entities seen most often with them.

Precision first: merging two real people is worse than splitting one. A spelling
variant of a person's or organisation's name of two words or more ("Fouad Massoum" for
"Fuad Masum", "General Motor" for "General Motors") is linked only when the document also names
an entity that the candidate is often seen with; a lone surname ("Jobs") is linked only
to the one known full name it ends and only with such shared context, else it stays
an entity of its own.

After ``resolve``, the caller stores the result the way ``InMemoryCatalog.save`` does:
create an entity for every ``None``, add ``alias_keys`` as aliases (never overwriting an
alias that points elsewhere), and record which entities the article mentions.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Protocol

from articles.nlp.knowledge_base import knowledge_base
from articles.nlp.linking import EntityRef, FoundMention
from articles.nlp.text import blocking_key, normalise_key, spelling_variants

__all__ = [
    "Candidate",
    "Catalog",
    "InMemoryCatalog",
    "alias_keys",
    "resolve",
]

# How many co-occurring entities a candidate brings as context.
CONTEXT_SIZE = 30


@dataclass(frozen=True)
class Candidate:
    """An existing entity that may be the same as a new name (from ``Catalog.similar``)."""

    entity_id: int
    key: str  # the entity's canonical key
    alias_key: str  # the alias key (or the canonical key) that shares the blocking token
    name: str = ""  # the entity's display name, for logs and curation screens
    # Keys of the entities most often mentioned in the same articles (up to CONTEXT_SIZE).
    context: frozenset[str] = frozenset()


class Catalog(Protocol):
    """The library's entities, as ``resolve`` reads them."""

    def lookup(self, entity_type: str, keys: Collection[str]) -> dict[str, int]:
        """Exact matches: for each of ``keys`` that is the key of an entity of this type,
        or an alias key of one, that entity's id. Keys with no match are left out.
        One query: entities of the type whose key is in ``keys``, union aliases of the
        type whose key is in ``keys``; an entity's own key wins over an alias."""
        ...

    def similar(self, entity_type: str, key: str) -> list[Candidate]:
        """Blocking for fuzzy matching: one Candidate per alias (an entity's canonical key
        counts as an alias) of this type whose stored blocking token equals
        ``blocking_key(key)``, with ``context`` = the keys of the entities most often seen
        in the same articles as that entity. Two queries: the aliases by (type, blocking
        token), then the co-occurring entity keys of those entities (ArticleEntity
        self-join, grouped by candidate, top CONTEXT_SIZE each by shared article count)."""
        ...


def alias_keys(mentions: Iterable[FoundMention]) -> dict[EntityRef, set[str]]:
    """For each entity of a document, the keys to store as its aliases.

    The canonical key, the knowledge base's names for it, and every surface form except
    a lone first name or surname of a person: "Kerry" names John Kerry in this article,
    not in every article.
    """
    kb = knowledge_base()
    keys: dict[EntityRef, set[str]] = defaultdict(set)
    for mention in mentions:
        ref = mention.entity
        if ref not in keys and (known := kb.named(ref.type, ref.name)) is not None:
            keys[ref].update(normalise_key(alias) for alias in known.aliases)
        keys[ref].add(ref.key)
        surface_key = normalise_key(mention.surface)
        if not surface_key or (ref.type == "PERSON" and _is_partial_name(surface_key, ref.key)):
            continue
        keys[ref].add(surface_key)
    return dict(keys)


def resolve(mentions: list[FoundMention], catalog: Catalog) -> dict[EntityRef, int | None]:
    """Each entity of one document -> the id of the library entity it is, or None (new)."""
    refs = list(dict.fromkeys(mention.entity for mention in mentions))
    aliases = alias_keys(mentions)
    document_keys = {ref.key for ref in refs}
    resolution: dict[EntityRef, int | None] = {}
    for entity_type, group in itertools.groupby(
        sorted(refs, key=lambda ref: ref.type), key=lambda ref: ref.type
    ):
        typed_refs = list(group)
        wanted = set().union(*(aliases[ref] for ref in typed_refs))
        exact = catalog.lookup(entity_type, wanted)
        for ref in typed_refs:
            context = document_keys - {ref.key}
            if ref.type == "PERSON" and len(ref.key.split()) == 1:
                resolution[ref] = _resolve_lone_name(ref, context, exact, catalog)
            else:
                resolution[ref] = _resolve_name(ref, aliases[ref], context, exact, catalog)
    return {ref: resolution[ref] for ref in refs}


def _resolve_name(
    ref: EntityRef,
    keys: set[str],
    context: set[str],
    exact: dict[str, int],
    catalog: Catalog,
) -> int | None:
    if ref.key in exact:
        return exact[ref.key]
    found = {exact[key] for key in keys if key in exact}
    if len(found) == 1:
        return found.pop()
    if found:
        return None  # the document's names point at several entities: don't guess
    if ref.type not in {"PERSON", "ORG"} or len(ref.key.split()) < 2:
        # Place names vary by language rather than spelling, and one-word names are too
        # easily alike ("Iran", "Iraq"): the knowledge base and learned aliases cover them.
        return None
    matches = {
        candidate.entity_id
        for candidate in catalog.similar(ref.type, ref.key)
        if spelling_variants(ref.key, candidate.alias_key) and _shares_context(candidate, context)
    }
    return matches.pop() if len(matches) == 1 else None


def _resolve_lone_name(
    ref: EntityRef, context: set[str], exact: dict[str, int], catalog: Catalog
) -> int | None:
    """A lone first name or surname the document never gives in full ("Jobs")."""
    matches = {
        candidate.entity_id
        for candidate in catalog.similar(ref.type, ref.key)
        if _is_partial_name(ref.key, candidate.key) and _shares_context(candidate, context)
    }
    if len(matches) == 1:
        return matches.pop()
    if matches:
        return None
    return exact.get(ref.key)


def _is_partial_name(part: str, full: str) -> bool:
    """Whether one-word ``part`` is the first or last word of a longer ``full`` name."""
    words = full.split()
    return len(part.split()) == 1 and len(words) > 1 and part in (words[0], words[-1])


def _shares_context(candidate: Candidate, context: set[str]) -> bool:
    return bool(candidate.context & (context - {candidate.key}))


class InMemoryCatalog:
    """A ``Catalog`` in memory that records entities and aliases the way the DB does."""

    def __init__(self) -> None:
        self.entities: dict[int, EntityRef] = {}
        self._aliases: dict[tuple[str, str], int] = {}
        self._blocking: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        self._cooccurrence: dict[int, Counter[int]] = defaultdict(Counter)

    def add(self, ref: EntityRef) -> int:
        """Create an entity for ``ref``; its key becomes its first alias."""
        entity_id = len(self.entities) + 1
        self.entities[entity_id] = ref
        self.add_alias(ref.type, ref.key, entity_id)
        return entity_id

    def add_alias(self, entity_type: str, key: str, entity_id: int) -> None:
        """Point alias ``key`` at the entity unless it already points at another one."""
        if self._aliases.setdefault((entity_type, key), entity_id) == entity_id:
            self._blocking[entity_type, blocking_key(key)][key] = entity_id

    def record_article(self, entity_ids: Collection[int]) -> None:
        """Count that these entities were mentioned together in one article."""
        for entity_id in entity_ids:
            self._cooccurrence[entity_id].update(
                other for other in entity_ids if other != entity_id
            )

    def lookup(self, entity_type: str, keys: Collection[str]) -> dict[str, int]:
        return {
            key: self._aliases[entity_type, key]
            for key in keys
            if (entity_type, key) in self._aliases
        }

    def similar(self, entity_type: str, key: str) -> list[Candidate]:
        return [
            Candidate(
                entity_id=entity_id,
                key=self.entities[entity_id].key,
                alias_key=alias_key,
                name=self.entities[entity_id].name,
                context=frozenset(
                    self.entities[other].key
                    for other, _ in self._cooccurrence[entity_id].most_common(CONTEXT_SIZE)
                ),
            )
            for alias_key, entity_id in self._blocking[entity_type, blocking_key(key)].items()
        ]

    def save(
        self, mentions: list[FoundMention], resolution: dict[EntityRef, int | None]
    ) -> dict[EntityRef, int]:
        """Store one analysed document: what the DB service does after ``resolve``."""
        ids = {
            ref: entity_id if entity_id is not None else self.add(ref)
            for ref, entity_id in resolution.items()
        }
        for ref, keys in alias_keys(mentions).items():
            for key in keys:
                self.add_alias(ref.type, key, ids[ref])
        self.record_article(set(ids.values()))
        return ids
