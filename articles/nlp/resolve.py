"""After ``analyse()``: each entity of a new document linked to an entity of the library.

Pure Python against a ``Catalog`` protocol, which the Django service implements with
indexed queries and ``InMemoryCatalog`` implements for tests and benchmarks:

* ``curated``: the aliases a curator set (merge, split, rename, set type) among some keys;
* ``lookup``: exact match of normalised keys against entity keys and alias keys;
* ``similar``: entities of one type whose alias shares a blocking token (``blocking_key``,
  stored with every alias), with the keys of the entities seen most often with them;
* ``acronyms``: entities of one type named by an acronym, or with a name whose initials
  (``alias_initials``, stored with every alias) give it, with the same context;
* ``type_votes``: how many articles name an entity of each type by some keys.

The library types what an article cannot: a one-word name the knowledge base does not
know ("Ruiz", "Cerberus"), and that the article gives no title or age ("Mrs. Ruiz"),
takes the type that most of the library's articles give it, counting this article's own
as one vote (``Resolution.mentions`` are the document's
mentions so typed). A curator's retype is final: it leaves curated aliases, which come
before any vote.

A curator's word comes first: a mention whose surface or name is a curated alias goes to
that alias's entity (``Resolution.curated``) and takes no further part, neither as
context for the others nor in the aliases learned.

Precision first: merging two real people is worse than splitting one. A spelling
variant of a person's or organisation's name of two words or more ("Fouad Massoum" for
"Fuad Masum", "General Motor" for "General Motors") is linked only when the document
also names an entity that the candidate is often seen with, and a person's name with
other forms of its given names ("Joshua Apte" for "Josh Apte", "Eugene A. Nida" for
"Eugene Nida") only when it names two; two people of one document are never linked to
one entity by such likeness. A lone surname ("Jobs") is linked only to the one known
full name it ends and only with such shared context, else it stays an entity of its
own. An organisation named only by its acronym in one article and only
in full in another ("ABC", "Associated Bottling Company") is linked when exactly one
entity of the library fits and it shares at least two names of its context with the
document.

After ``resolve``, the caller stores the result the way ``InMemoryCatalog.save`` does:
curated mentions take their curated entity; for the others, create an entity for every
``None``, add ``Resolution.aliases`` as aliases (never overwriting an alias that points
elsewhere) with their initials; then record which entities the article mentions.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from articles.nlp.coreference import nasab, same_person_name
from articles.nlp.knowledge_base import knowledge_base
from articles.nlp.mentions import EntityRef, EntityType, FoundMention
from articles.nlp.text import (
    blocking_key,
    expanded_key,
    is_acronym,
    name_initials,
    normalise_key,
    spelling_variants,
)

__all__ = [
    "Catalog",
    "CatalogCandidate",
    "CuratedAlias",
    "InMemoryCatalog",
    "Resolution",
    "alias_initials",
    "alias_keys",
    "resolve",
]

# How many co-occurring entities a candidate brings as context.
CONTEXT_SIZE = 30
# How many of them an acronym's candidate, or a person's with other given names, must
# share with the document: one is often only the country both are in ("OSU" of a Tulsa
# story is not Ohio State University; Daniel Smith of Alberta is not Danielle Smith).
ACRONYM_CONTEXT = 2


@dataclass(frozen=True)
class CatalogCandidate:
    """An existing entity that may be the same as a new name (from ``Catalog.similar``)."""

    entity_id: int
    key: str  # the entity's canonical key
    alias_key: str  # the alias key (or the canonical key) that shares the blocking token
    name: str = ""  # the entity's display name, for logs and curation screens
    # Keys of the entities most often mentioned in the same articles (up to CONTEXT_SIZE).
    context: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CuratedAlias:
    """An alias a curator set: mentions with this key go to its entity."""

    key: str  # alias key (normalise_key form)
    type: str  # EntityType value
    entity_id: int
    ignored: bool  # the entity is curated out (Entity.ignored)


class Catalog(Protocol):
    """The library's entities, as ``resolve`` reads them."""

    def curated(self, keys: Collection[str]) -> list[CuratedAlias]:
        """Every curated alias whose key is in ``keys``, of any type. One query."""
        ...

    def lookup(self, entity_type: str, keys: Collection[str]) -> dict[str, int]:
        """Exact matches: for each of ``keys`` that is the key of an entity of this type,
        or an alias key of one, that entity's id. Keys with no match are left out.
        One query: entities of the type whose key is in ``keys``, union aliases of the
        type whose key is in ``keys``; an entity's own key wins over an alias."""
        ...

    def similar(self, entity_type: str, key: str) -> list[CatalogCandidate]:
        """Blocking for fuzzy matching: one CatalogCandidate per alias (an entity's canonical key
        counts as an alias) of this type whose stored blocking token equals
        ``blocking_key(key)``, with ``context`` = the keys of the entities most often seen
        in the same articles as that entity. Two queries: the aliases by (type, blocking
        token), then the co-occurring entity keys of those entities (ArticleEntity
        self-join, grouped by candidate, top CONTEXT_SIZE each by shared article count)."""
        ...

    def acronyms(self, entity_type: str, acronyms: Collection[str]) -> list[CatalogCandidate]:
        """Acronym matching: one CatalogCandidate per alias of this type whose key is one of
        ``acronyms`` or whose stored initials (``alias_initials``) are, with ``context``
        as in ``similar`` when they all name one entity (else none: ``resolve`` links
        only a unique one, and a common acronym's many candidates cost no context
        query). Two queries: the aliases by (type, initials) and by (type, key), then the
        context."""
        ...

    def type_votes(self, keys: Collection[str]) -> dict[str, dict[str, int]]:
        """For each of ``keys`` that is the key or an alias key of entities not curated out,
        the number of articles that name such an entity, per type. Keys with no entity
        are left out. One query: aliases of any type whose key is in ``keys``, with
        their entity's article count."""
        ...


def alias_initials(key: str) -> str:
    """The initials an acronym of an alias key would be ("abc" for "associated bottling
    company"), stored with the alias; empty unless two to eight letters, as acronyms are."""
    initials = name_initials(key)[1]
    return initials if 2 <= len(initials) <= 8 else ""


def alias_keys(mentions: Iterable[FoundMention]) -> dict[EntityRef, set[str]]:
    """For each entity of a document, the keys to store as its aliases.

    The canonical key, the knowledge base's names for it, and every surface form except
    a lone first name or surname of a person: "Kerry" names John Kerry in this article,
    not in every article; each also with its abbreviated words written out. A person's
    Arabic name gives its nasab too: "Mohammed bin Salman" is how other articles name
    Mohammed bin Salman Al Saud.
    """
    kb = knowledge_base()
    keys: dict[EntityRef, set[str]] = defaultdict(set)
    for mention in mentions:
        ref = mention.entity
        if ref not in keys and (known := kb.named(ref.type, ref.name)) is not None:
            keys[ref].update(normalise_key(alias) for alias in known.aliases)
        keys[ref].add(ref.key)
        surface_key = normalise_key(mention.surface)
        if not surface_key or (
            ref.type == EntityType.PERSON and _is_partial_name(surface_key, ref.key)
        ):
            continue
        keys[ref].add(surface_key)
    for ref, found in keys.items():
        if ref.type == EntityType.PERSON and (short := nasab(ref.key.split())):
            found.add(" ".join(short))
    # "St. Petersburg" in one article, "Saint Petersburg" in another: both store the
    # written-out key, so each finds the other by exact lookup.
    return {ref: found | {expanded_key(key) for key in found} for ref, found in keys.items()}


@dataclass(frozen=True)
class Resolution:
    """What ``resolve`` decided for one document's mentions."""

    # The document's mentions, in order, each typed as the library types its entity:
    # store these, not the ones given to ``resolve``.
    mentions: tuple[FoundMention, ...]
    curated: dict[FoundMention, int]  # mentions a curator decided -> entity id
    entities: dict[EntityRef, int | None]  # every entity of the OTHER mentions -> id, or None
    aliases: dict[EntityRef, set[str]]  # alias keys to learn, from the other mentions only


def resolve(mentions: Sequence[FoundMention], catalog: Catalog) -> Resolution:
    """Each mention a curator decided, and each entity of the document's other mentions ->
    the id of the library entity it is, or None (new)."""
    curated = _curated_ids(mentions, catalog)
    retyped = _library_types(
        {mention.entity for mention in mentions if mention not in curated}, catalog
    )
    mentions = tuple(
        dataclasses.replace(mention, entity=retyped[mention.entity])
        if mention not in curated and mention.entity in retyped
        else mention
        for mention in mentions
    )
    others = [mention for mention in mentions if mention not in curated]
    aliases = alias_keys(others)
    return Resolution(
        mentions=mentions,
        curated=curated,
        entities=_resolve_entities(others, aliases, catalog),
        aliases=aliases,
    )


def _library_types(refs: set[EntityRef], catalog: Catalog) -> dict[EntityRef, EntityRef]:
    """The document's entities that the library types otherwise, as the library types them.

    Only a one-word name the knowledge base does not know is the library's to type: the
    article's own evidence for it is the weakest ("Ruiz" alone; "Anna Ruiz" says person),
    unless the article gives it a title or an age ("Mrs. Ruiz", "Ruiz, 54,"). The
    library's type wins when most articles that give the name, this one counted as one,
    give it that type.
    """
    weak = [
        ref
        for ref in refs
        if not ref.wikidata_id and len(ref.key.split()) == 1 and not ref.named_as_person
    ]
    if not weak:
        return {}
    votes = catalog.type_votes({ref.key for ref in weak})
    retyped = {}
    for ref in weak:
        by_type = votes.get(ref.key, {})
        if not by_type:
            continue
        best = max(by_type, key=by_type.__getitem__)
        if best != ref.type and 2 * by_type[best] > sum(by_type.values()) + 1:
            retyped[ref] = dataclasses.replace(ref, type=EntityType(best))
    return retyped


def _curated_ids(mentions: Sequence[FoundMention], catalog: Catalog) -> dict[FoundMention, int]:
    """Mentions a curator has decided: their surface or name is a curated alias.

    An alias curated for the mention's type wins. Otherwise a curated alias of another
    type applies when it is the only one ("Levant" set to a place stays a place when the
    model says organisation), unless its entity is ignored: ignoring a false "Jordan"
    organisation must not hide the country.
    """
    keys_of = {m: (normalise_key(m.surface), m.entity.key) for m in mentions}
    curated: dict[str, dict[str, int]] = defaultdict(dict)
    ignored: set[int] = set()
    for alias in catalog.curated({key for keys in keys_of.values() for key in keys}):
        curated[alias.key][alias.type] = alias.entity_id
        if alias.ignored:
            ignored.add(alias.entity_id)
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


def _resolve_entities(
    mentions: list[FoundMention], aliases: dict[EntityRef, set[str]], catalog: Catalog
) -> dict[EntityRef, int | None]:
    """Each entity of the mentions -> the id of the library entity it is, or None (new).

    The document's people are different people (its clustering joins the forms of one
    person's name): where two of them would go to one library entity, those linked by a
    likeness rather than by a name of theirs are new ("George H. W. Bush" and "George W.
    Bush", both like a "George Bush" of the library). Not so for organisations: a slip
    the document leaves apart ("General Motor") is rightly linked with its name.
    """
    refs = list(dict.fromkeys(mention.entity for mention in mentions))
    document_keys = {ref.key for ref in refs}
    ids: dict[EntityRef, int | None] = {}
    by_name: set[EntityRef] = set()
    for entity_type, group in itertools.groupby(
        sorted(refs, key=lambda ref: ref.type), key=lambda ref: ref.type
    ):
        typed_refs = list(group)
        wanted = set().union(*(aliases[ref] for ref in typed_refs))
        exact = catalog.lookup(entity_type, wanted)
        for ref in typed_refs:
            context = document_keys - {ref.key}
            if ref.type == EntityType.PERSON and len(ref.key.split()) == 1:
                ids[ref] = _resolve_lone_name(ref, context, exact, catalog)
            else:
                ids[ref] = _resolve_name(ref, aliases[ref], context, exact, catalog)
            if ref.type != EntityType.PERSON or ids[ref] in {
                exact.get(key) for key in aliases[ref]
            }:
                by_name.add(ref)
    claimed = Counter(ids[ref] for ref in refs if ref.type == EntityType.PERSON)
    return {ref: None if claimed[ids[ref]] > 1 and ref not in by_name else ids[ref] for ref in refs}


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
    if ref.type == EntityType.ORG and (
        entity_id := _resolve_by_initials(ref, keys, context, catalog)
    ):
        return entity_id
    if ref.type not in {EntityType.PERSON, EntityType.ORG} or len(ref.key.split()) < 2:
        # Place names vary by language rather than spelling, and one-word names are too
        # easily alike ("Iran", "Iraq"): the knowledge base and learned aliases cover them.
        return None
    matches = {
        candidate.entity_id
        for candidate in catalog.similar(ref.type, ref.key)
        if spelling_variants(ref.key, candidate.alias_key)
        and _shares_context(candidate, context)
        or _is_other_person_form(ref, candidate, context)
    }
    return matches.pop() if len(matches) == 1 else None


def _is_other_person_form(ref: EntityRef, candidate: CatalogCandidate, context: set[str]) -> bool:
    """Whether a candidate is a person ``ref`` names with other forms of the given names,
    the test one document's names pass to be one person ("Josh Apte", "Joshua Apte";
    "Eugene A. Nida", "Eugene Nida"), sharing ACRONYM_CONTEXT names of its context: a
    given name's short form may begin other names too ("Daniel", "Danielle")."""
    return (
        ref.type == EntityType.PERSON
        and same_person_name(ref.key.split(), candidate.alias_key.split())
        and len(candidate.context & (context - {candidate.key})) >= ACRONYM_CONTEXT
    )


def _resolve_by_initials(
    ref: EntityRef, keys: set[str], context: set[str], catalog: Catalog
) -> int | None:
    """An organisation the library knows only by its acronym, or only in full.

    An acronym ("ABC") goes to the one entity with a name of those initials
    ("Associated Bottling Company"); a name in full goes to the one entity named only by
    its initials. Both only when no other entity has a name of those initials and the
    entity shares ACRONYM_CONTEXT names of its context with the document: "ABC" is many
    things.
    """
    if is_acronym(ref.name):
        candidates = catalog.acronyms(ref.type, {ref.key})
    else:
        acronyms = {alias_initials(key) for key in keys if len(key.split()) > 1} - {""}
        if not acronyms:
            return None
        candidates = catalog.acronyms(ref.type, acronyms)
        # The entity must be named by the acronym alone: an acronym entity that already
        # has a name in full has another one than this.
        if any(c.alias_key not in acronyms or c.key not in acronyms for c in candidates):
            return None
    if len({candidate.entity_id for candidate in candidates}) != 1:
        return None
    shared = candidates[0].context & (context - {candidates[0].key})
    return candidates[0].entity_id if len(shared) >= ACRONYM_CONTEXT else None


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


def _shares_context(candidate: CatalogCandidate, context: set[str]) -> bool:
    return bool(candidate.context & (context - {candidate.key}))


class InMemoryCatalog:
    """A ``Catalog`` in memory that records entities and aliases the way the DB does."""

    def __init__(self) -> None:
        self.entities: dict[int, EntityRef] = {}
        self._aliases: dict[tuple[str, str], int] = {}
        self._blocking: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        self._initials: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        self._article_counts: Counter[int] = Counter()
        self._cooccurrence: dict[int, Counter[int]] = defaultdict(Counter)
        self._curated: dict[tuple[str, str], int] = {}
        self._ignored: set[int] = set()

    def add(self, ref: EntityRef) -> int:
        """Create an entity for ``ref``; its key becomes its first alias."""
        entity_id = len(self.entities) + 1
        self.entities[entity_id] = ref
        self.add_alias(ref.type, ref.key, entity_id)
        return entity_id

    def add_alias(self, entity_type: str, key: str, entity_id: int) -> None:
        """Point alias ``key`` at the entity unless it already points at another one."""
        if self._aliases.setdefault((entity_type, key), entity_id) == entity_id:
            self._index(entity_type, key, entity_id)

    def _index(self, entity_type: str, key: str, entity_id: int) -> None:
        self._blocking[entity_type, blocking_key(key)][key] = entity_id
        if initials := alias_initials(key):
            self._initials[entity_type, initials][key] = entity_id

    def add_curated(
        self, entity_type: str, key: str, entity_id: int, *, ignored: bool = False
    ) -> None:
        """Point alias ``key`` at the entity as a curator's word, replacing any other
        entity's; ``ignored`` marks the entity as curated out (``Entity.ignored``)."""
        self._aliases[entity_type, key] = entity_id
        self._index(entity_type, key, entity_id)
        self._curated[entity_type, key] = entity_id
        if ignored:
            self._ignored.add(entity_id)

    def record_article(self, entity_ids: Collection[int]) -> None:
        """Count that these entities were mentioned together in one article."""
        self._article_counts.update(set(entity_ids))
        for entity_id in entity_ids:
            self._cooccurrence[entity_id].update(
                other for other in entity_ids if other != entity_id
            )

    def curated(self, keys: Collection[str]) -> list[CuratedAlias]:
        return [
            CuratedAlias(
                key=key, type=entity_type, entity_id=entity_id, ignored=entity_id in self._ignored
            )
            for (entity_type, key), entity_id in self._curated.items()
            if key in keys
        ]

    def lookup(self, entity_type: str, keys: Collection[str]) -> dict[str, int]:
        return {
            key: self._aliases[entity_type, key]
            for key in keys
            if (entity_type, key) in self._aliases
        }

    def similar(self, entity_type: str, key: str) -> list[CatalogCandidate]:
        return [
            self._candidate(alias_key, entity_id)
            for alias_key, entity_id in self._blocking[entity_type, blocking_key(key)].items()
        ]

    def acronyms(self, entity_type: str, acronyms: Collection[str]) -> list[CatalogCandidate]:
        found = {
            (alias_key, entity_id)
            for acronym in acronyms
            for alias_key, entity_id in self._initials[entity_type, acronym].items()
        }
        found.update(
            (acronym, self._aliases[entity_type, acronym])
            for acronym in acronyms
            if (entity_type, acronym) in self._aliases
        )
        single = len({entity_id for _, entity_id in found}) == 1
        return [
            self._candidate(alias_key, entity_id, with_context=single)
            for alias_key, entity_id in sorted(found)
        ]

    def _candidate(
        self, alias_key: str, entity_id: int, *, with_context: bool = True
    ) -> CatalogCandidate:
        companions = self._cooccurrence[entity_id].most_common(CONTEXT_SIZE) if with_context else []
        return CatalogCandidate(
            entity_id=entity_id,
            key=self.entities[entity_id].key,
            alias_key=alias_key,
            name=self.entities[entity_id].name,
            context=frozenset(self.entities[other].key for other, _ in companions),
        )

    def type_votes(self, keys: Collection[str]) -> dict[str, dict[str, int]]:
        votes: dict[str, dict[str, int]] = defaultdict(dict)
        for key in keys:
            for entity_type in EntityType:
                entity_id = self._aliases.get((entity_type, key))
                if entity_id is not None and entity_id not in self._ignored:
                    votes[key][entity_type] = self._article_counts[entity_id]
        return dict(votes)

    def save(self, resolution: Resolution) -> list[int]:
        """Store one analysed document the way the DB service does after ``resolve``: the
        entity id of each of ``resolution.mentions``, in order."""
        ids = {
            ref: entity_id if entity_id is not None else self.add(ref)
            for ref, entity_id in resolution.entities.items()
        }
        for ref, keys in resolution.aliases.items():
            for key in keys:
                self.add_alias(ref.type, key, ids[ref])
        mention_ids = [
            resolution.curated[m] if m in resolution.curated else ids[m.entity]
            for m in resolution.mentions
        ]
        self.record_article(set(mention_ids))
        return mention_ids
