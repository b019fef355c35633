"""Tests of cross-document linking in articles/nlp/resolve.py (no spaCy)."""

from __future__ import annotations

from articles.nlp.linking import EntityRef, FoundMention
from articles.nlp.resolve import InMemoryCatalog, alias_keys, resolve


def person(name: str) -> EntityRef:
    return EntityRef(type="PERSON", key=name.lower(), name=name)


def country(name: str) -> EntityRef:
    return EntityRef(type="COUNTRY", key=name.lower(), name=name)


def mentions_of(*refs_and_surfaces: tuple[EntityRef, str]) -> list[FoundMention]:
    mentions, offset = [], 0
    for ref, surface in refs_and_surfaces:
        mentions.append(FoundMention(offset, offset + len(surface), surface, ref))
        offset += len(surface) + 1
    return mentions


def store(catalog: InMemoryCatalog, mentions: list[FoundMention]) -> dict[EntityRef, int]:
    return catalog.save(mentions, resolve(mentions, catalog))


def test_same_key_resolves_to_existing_entity():
    catalog = InMemoryCatalog()
    first = store(catalog, mentions_of((person("John Kerry"), "John Kerry")))
    second = resolve(mentions_of((person("John Kerry"), "John Kerry")), catalog)
    assert second[person("John Kerry")] == first[person("John Kerry")]


def test_spelling_variant_merges_when_context_is_shared():
    catalog = InMemoryCatalog()
    iraq = country("Iraq")
    first = store(catalog, mentions_of((person("Fuad Masum"), "Fuad Masum"), (iraq, "Iraq")))
    second = resolve(
        mentions_of((person("Fouad Massoum"), "Fouad Massoum"), (iraq, "Iraq")), catalog
    )
    assert second[person("Fouad Massoum")] == first[person("Fuad Masum")]


def test_spelling_variant_stays_apart_without_shared_context():
    catalog = InMemoryCatalog()
    store(catalog, mentions_of((person("Fuad Masum"), "Fuad Masum"), (country("Iraq"), "Iraq")))
    second = resolve(
        mentions_of((person("Fouad Massoum"), "Fouad Massoum"), (country("Peru"), "Peru")),
        catalog,
    )
    assert second[person("Fouad Massoum")] is None


def test_lone_surname_links_to_the_one_full_name_with_shared_context():
    catalog = InMemoryCatalog()
    apple = EntityRef(type="ORG", key="apple inc", name="Apple Inc.")
    first = store(catalog, mentions_of((person("Steve Jobs"), "Steve Jobs"), (apple, "Apple")))
    second = resolve(mentions_of((person("Jobs"), "Jobs"), (apple, "Apple")), catalog)
    assert second[person("Jobs")] == first[person("Steve Jobs")]


def test_lone_surname_stays_unresolved_when_ambiguous():
    catalog = InMemoryCatalog()
    usa = country("United States")
    store(catalog, mentions_of((person("George Bush"), "George Bush"), (usa, "U.S.")))
    store(catalog, mentions_of((person("Jeb Bush"), "Jeb Bush"), (usa, "U.S.")))
    result = resolve(mentions_of((person("Bush"), "Bush"), (usa, "U.S.")), catalog)
    assert result[person("Bush")] is None


def test_acronym_surface_becomes_alias_but_lone_surname_does_not():
    acme = EntityRef(type="ORG", key="acme widgets", name="Acme Widgets")
    kerry = person("John Kerry")
    keys = alias_keys(mentions_of((acme, "Acme Widgets"), (acme, "AW"), (kerry, "Kerry")))
    assert keys[acme] == {"acme widgets", "aw"}
    assert keys[kerry] == {"john kerry"}


def test_knowledge_base_names_become_aliases():
    gm = EntityRef(type="ORG", key="general motors", name="General Motors", wikidata_id="Q81965")
    keys = alias_keys(mentions_of((gm, "General Motors")))
    assert {"gm", "general motors corporation"} <= keys[gm]


def test_learned_acronym_alias_links_a_later_article():
    catalog = InMemoryCatalog()
    gm = EntityRef(type="ORG", key="general motors", name="General Motors")
    first = store(catalog, mentions_of((gm, "General Motors"), (gm, "GM")))
    bare = EntityRef(type="ORG", key="gm", name="GM")
    assert resolve(mentions_of((bare, "GM")), catalog)[bare] == first[gm]
