"""Tests of cross-document linking in articles/nlp/resolve.py (no spaCy)."""

from __future__ import annotations

from articles.nlp.mentions import EntityRef, EntityType, FoundMention
from articles.nlp.resolve import InMemoryCatalog, alias_initials, alias_keys, resolve


def person(name: str) -> EntityRef:
    return EntityRef(type=EntityType.PERSON, key=name.lower(), name=name)


def country(name: str) -> EntityRef:
    return EntityRef(type=EntityType.COUNTRY, key=name.lower(), name=name)


def place(name: str) -> EntityRef:
    return EntityRef(type=EntityType.PLACE, key=name.lower(), name=name)


def org(name: str) -> EntityRef:
    return EntityRef(type=EntityType.ORG, key=name.lower(), name=name)


def mentions_of(*refs_and_surfaces: tuple[EntityRef, str]) -> list[FoundMention]:
    mentions, offset = [], 0
    for ref, surface in refs_and_surfaces:
        mentions.append(FoundMention(offset, offset + len(surface), surface, ref))
        offset += len(surface) + 1
    return mentions


def store(catalog: InMemoryCatalog, mentions: list[FoundMention]) -> dict[EntityRef, int]:
    """Resolve and save one document; the entity id of each of its entities."""
    ids = catalog.save(resolve(mentions, catalog))
    return {mention.entity: entity_id for mention, entity_id in zip(mentions, ids, strict=True)}


def test_same_key_resolves_to_existing_entity():
    catalog = InMemoryCatalog()
    first = store(catalog, mentions_of((person("John Kerry"), "John Kerry")))
    second = resolve(mentions_of((person("John Kerry"), "John Kerry")), catalog)
    assert second.entities[person("John Kerry")] == first[person("John Kerry")]


def test_spelling_variant_merges_when_context_is_shared():
    catalog = InMemoryCatalog()
    iraq = country("Iraq")
    first = store(catalog, mentions_of((person("Fuad Masum"), "Fuad Masum"), (iraq, "Iraq")))
    second = resolve(
        mentions_of((person("Fouad Massoum"), "Fouad Massoum"), (iraq, "Iraq")), catalog
    )
    assert second.entities[person("Fouad Massoum")] == first[person("Fuad Masum")]


def test_spelling_variant_stays_apart_without_shared_context():
    catalog = InMemoryCatalog()
    store(catalog, mentions_of((person("Fuad Masum"), "Fuad Masum"), (country("Iraq"), "Iraq")))
    second = resolve(
        mentions_of((person("Fouad Massoum"), "Fouad Massoum"), (country("Peru"), "Peru")),
        catalog,
    )
    assert second.entities[person("Fouad Massoum")] is None


def test_other_given_name_forms_link_with_two_names_of_context_in_common():
    catalog = InMemoryCatalog()
    bank, iraq = org("Contoso Bank"), country("Iraq")
    first = store(
        catalog,
        mentions_of((person("Josh Apte"), "Josh Apte"), (bank, "Contoso Bank"), (iraq, "Iraq")),
    )
    for other in ("Joshua Apte", "Josh A. Apte"):
        second = resolve(
            mentions_of((person(other), other), (bank, "Contoso Bank"), (iraq, "Iraq")), catalog
        )
        assert second.entities[person(other)] == first[person("Josh Apte")]
    # One name of context in common is not enough: a short form begins other names too.
    second = resolve(mentions_of((person("Joshua Apte"), "Joshua Apte"), (iraq, "Iraq")), catalog)
    assert second.entities[person("Joshua Apte")] is None


def test_an_arabic_name_in_full_and_its_nasab_link_across_articles():
    catalog = InMemoryCatalog()
    emir, nasab = person("Tamim bin Hamad Al Thani"), person("Tamim bin Hamad")
    assert "tamim bin hamad" in alias_keys(mentions_of((emir, "Tamim bin Hamad Al Thani")))[emir]
    first = store(catalog, mentions_of((emir, "Tamim bin Hamad Al Thani")))
    later = resolve(mentions_of((nasab, "Tamim bin Hamad")), catalog)
    assert later.entities[nasab] == first[emir]
    assert alias_keys(mentions_of((nasab, "Tamim bin Hamad")))[nasab] == {"tamim bin hamad"}


def test_two_people_of_one_article_are_not_linked_to_one_entity_by_likeness():
    catalog = InMemoryCatalog()
    usa, texas = country("United States"), place("Texas")
    first = store(
        catalog,
        mentions_of((person("George Bush"), "George Bush"), (usa, "U.S."), (texas, "Texas")),
    )
    father, son = person("George H. W. Bush"), person("George W. Bush")
    result = resolve(
        mentions_of(
            (father, "George H. W. Bush"), (son, "George W. Bush"), (usa, "U.S."), (texas, "Texas")
        ),
        catalog,
    )
    assert result.entities[father] is None and result.entities[son] is None
    alone = resolve(mentions_of((son, "George W. Bush"), (usa, "U.S."), (texas, "Texas")), catalog)
    assert alone.entities[son] == first[person("George Bush")]


def test_lone_surname_links_to_the_one_full_name_with_shared_context():
    catalog = InMemoryCatalog()
    apple = EntityRef(type=EntityType.ORG, key="apple inc", name="Apple Inc.")
    first = store(catalog, mentions_of((person("Steve Jobs"), "Steve Jobs"), (apple, "Apple")))
    second = resolve(mentions_of((person("Jobs"), "Jobs"), (apple, "Apple")), catalog)
    assert second.entities[person("Jobs")] == first[person("Steve Jobs")]


def test_lone_surname_stays_unresolved_when_ambiguous():
    catalog = InMemoryCatalog()
    usa = country("United States")
    store(catalog, mentions_of((person("George Bush"), "George Bush"), (usa, "U.S.")))
    store(catalog, mentions_of((person("Jeb Bush"), "Jeb Bush"), (usa, "U.S.")))
    result = resolve(mentions_of((person("Bush"), "Bush"), (usa, "U.S.")), catalog)
    assert result.entities[person("Bush")] is None


def test_acronym_surface_becomes_alias_but_lone_surname_does_not():
    acme = EntityRef(type=EntityType.ORG, key="acme widgets", name="Acme Widgets")
    kerry = person("John Kerry")
    keys = alias_keys(mentions_of((acme, "Acme Widgets"), (acme, "AW"), (kerry, "Kerry")))
    assert keys[acme] == {"acme widgets", "aw"}
    assert keys[kerry] == {"john kerry"}


def test_knowledge_base_names_become_aliases():
    gm = EntityRef(
        type=EntityType.ORG, key="general motors", name="General Motors", wikidata_id="Q81965"
    )
    keys = alias_keys(mentions_of((gm, "General Motors")))
    assert {"gm", "general motors corporation"} <= keys[gm]


def test_learned_acronym_alias_links_a_later_article():
    catalog = InMemoryCatalog()
    gm = EntityRef(type=EntityType.ORG, key="general motors", name="General Motors")
    first = store(catalog, mentions_of((gm, "General Motors"), (gm, "GM")))
    bare = EntityRef(type=EntityType.ORG, key="gm", name="GM")
    assert resolve(mentions_of((bare, "GM")), catalog).entities[bare] == first[gm]


# Curated aliases: a curator's word comes before any other ---------------------------


def test_a_curated_alias_of_the_mention_type_wins_over_one_of_another_type():
    catalog = InMemoryCatalog()
    ids = store(catalog, mentions_of((person("Michael Jordan"), "Michael Jordan")))
    ids |= store(catalog, mentions_of((country("Jordan"), "Jordan")))
    catalog.add_curated(EntityType.PERSON, "jordan", ids[person("Michael Jordan")])
    catalog.add_curated(EntityType.COUNTRY, "jordan", ids[country("Jordan")])
    later = mentions_of((country("Jordan"), "Jordan"), (person("Jordan"), "Jordan"))
    resolution = resolve(later, catalog)
    assert resolution.curated == {
        later[0]: ids[country("Jordan")],
        later[1]: ids[person("Michael Jordan")],
    }
    assert resolution.entities == {}


def test_the_only_curated_alias_of_another_type_applies():
    # "Levant" set to a place stays a place when the model says organisation.
    catalog = InMemoryCatalog()
    levant = store(catalog, mentions_of((place("Levant"), "Levant")))[place("Levant")]
    catalog.add_curated(EntityType.PLACE, "levant", levant)
    later = mentions_of((org("Levant"), "Levant"))
    assert resolve(later, catalog).curated == {later[0]: levant}
    assert catalog.save(resolve(later, catalog)) == [levant]
    assert len(catalog.entities) == 1


def test_an_ignored_entity_of_another_type_does_not_take_the_mention():
    # Ignoring a false "Jordan" organisation must not hide the country.
    catalog = InMemoryCatalog()
    false_org = store(catalog, mentions_of((org("Jordan"), "Jordan")))[org("Jordan")]
    catalog.add_curated(EntityType.ORG, "jordan", false_org, ignored=True)
    later = mentions_of((country("Jordan"), "Jordan"))
    resolution = resolve(later, catalog)
    assert resolution.curated == {}
    assert resolution.entities == {country("Jordan"): None}
    again = mentions_of((org("Jordan"), "Jordan"))
    assert resolve(again, catalog).curated == {again[0]: false_org}


def test_two_curated_aliases_of_other_types_decide_nothing():
    catalog = InMemoryCatalog()
    ids = store(catalog, mentions_of((country("Georgia"), "Georgia"), (place("Georgia"), "GA")))
    catalog.add_curated(EntityType.COUNTRY, "georgia", ids[country("Georgia")])
    catalog.add_curated(EntityType.PLACE, "georgia", ids[place("Georgia")])
    later = mentions_of((person("Georgia"), "Georgia"))
    assert resolve(later, catalog).curated == {}


def test_a_curated_surface_decides_even_when_the_name_differs():
    catalog = InMemoryCatalog()
    bush = store(catalog, mentions_of((person("George W. Bush"), "George W. Bush")))
    catalog.add_curated(EntityType.PERSON, "dubya", bush[person("George W. Bush")])
    later = mentions_of((person("Dubya Smith"), "Dubya"))
    assert resolve(later, catalog).curated == {later[0]: bush[person("George W. Bush")]}


def test_curated_mentions_take_no_part_in_aliases_or_new_entities():
    catalog = InMemoryCatalog()
    levant = store(catalog, mentions_of((place("Levant"), "Levant")))[place("Levant")]
    catalog.add_curated(EntityType.PLACE, "levant", levant)
    kerry = person("John Kerry")
    later = mentions_of((org("Levant"), "Levant"), (kerry, "John Kerry"))
    resolution = resolve(later, catalog)
    assert resolution.entities == {kerry: None}
    assert resolution.aliases == {kerry: {"john kerry"}}
    ids = catalog.save(resolution)
    assert ids[0] == levant
    assert catalog.entities[ids[1]] == kerry


def test_a_curated_mention_gives_no_context_to_the_others():
    catalog = InMemoryCatalog()
    iraq = country("Iraq")
    first = store(catalog, mentions_of((person("Fuad Masum"), "Fuad Masum"), (iraq, "Iraq")))
    variant = mentions_of((person("Fouad Massoum"), "Fouad Massoum"), (iraq, "Iraq"))
    assert (
        resolve(variant, catalog).entities[person("Fouad Massoum")] == first[person("Fuad Masum")]
    )
    catalog.add_curated(EntityType.COUNTRY, "iraq", first[iraq])
    resolution = resolve(variant, catalog)
    assert resolution.curated == {variant[1]: first[iraq]}
    assert resolution.entities == {person("Fouad Massoum"): None}


def test_a_one_word_name_takes_the_type_most_of_the_library_gives_it():
    catalog = InMemoryCatalog()
    for _ in range(2):
        ruiz = store(catalog, mentions_of((org("Ruiz"), "Ruiz")))[org("Ruiz")]
    later = mentions_of((person("Ruiz"), "Ruiz"))
    resolution = resolve(later, catalog)
    assert [m.entity for m in resolution.mentions] == [org("Ruiz")]
    assert catalog.save(resolution) == [ruiz]
    assert len(catalog.entities) == 1


def test_one_earlier_article_does_not_outvote_the_article():
    catalog = InMemoryCatalog()
    store(catalog, mentions_of((org("Ruiz"), "Ruiz")))
    later = mentions_of((person("Ruiz"), "Ruiz"))
    resolution = resolve(later, catalog)
    assert [m.entity for m in resolution.mentions] == [person("Ruiz")]
    assert resolution.entities == {person("Ruiz"): None}


def test_a_full_name_keeps_the_type_the_article_gives_it():
    catalog = InMemoryCatalog()
    for _ in range(3):
        store(catalog, mentions_of((org("Anna Ruiz"), "Anna Ruiz")))
    later = mentions_of((person("Anna Ruiz"), "Anna Ruiz"))
    assert [m.entity for m in resolve(later, catalog).mentions] == [person("Anna Ruiz")]


def test_a_name_the_article_gives_a_title_keeps_its_type_against_the_library():
    catalog = InMemoryCatalog()
    for _ in range(3):
        store(catalog, mentions_of((org("Lincoln"), "Lincoln")))
    senator = EntityRef(type=EntityType.PERSON, key="lincoln", name="Lincoln", named_as_person=True)
    resolution = resolve(mentions_of((senator, "Lincoln")), catalog)
    assert [m.entity.type for m in resolution.mentions] == [EntityType.PERSON]
    assert resolution.entities == {senator: None}


def test_an_ignored_entity_casts_no_vote():
    catalog = InMemoryCatalog()
    for _ in range(2):
        ruiz = store(catalog, mentions_of((org("Ruiz"), "Ruiz")))[org("Ruiz")]
    catalog.add_curated(EntityType.ORG, "ruiz", ruiz, ignored=True)
    later = mentions_of((person("Ruiz"), "Ruiz"))
    assert [m.entity for m in resolve(later, catalog).mentions] == [person("Ruiz")]


def test_alias_initials_are_an_acronym_of_the_major_words():
    assert alias_initials("associated bottling company") == "abc"
    assert alias_initials("massachusetts institute of technology") == "mit"
    assert alias_initials("chrysler") == ""
    assert alias_initials(" ".join(["word"] * 9)) == ""


# The companions both articles of a story name: the context an acronym's link needs.
COMPANIONS = ((place("Atlanta"), "Atlanta"), (person("Jane Roe"), "Jane Roe"))
ABC = EntityRef(type=EntityType.ORG, key="abc", name="ABC")


def test_an_acronym_links_to_the_one_name_in_full_with_its_initials():
    catalog = InMemoryCatalog()
    bottling = org("Associated Bottling Company")
    first = store(catalog, mentions_of((bottling, bottling.name), *COMPANIONS))
    later = mentions_of((ABC, "ABC"), *COMPANIONS)
    assert store(catalog, later)[ABC] == first[bottling]


def test_a_name_in_full_links_to_the_entity_named_only_by_its_acronym():
    catalog = InMemoryCatalog()
    first = store(catalog, mentions_of((ABC, "ABC"), *COMPANIONS))
    bottling = org("Associated Bottling Company")
    later = mentions_of((bottling, bottling.name), *COMPANIONS)
    assert store(catalog, later)[bottling] == first[ABC]


def test_an_acronym_of_two_names_in_full_links_to_neither():
    catalog = InMemoryCatalog()
    store(catalog, mentions_of((org("Associated Bottling Company"), "ABC Co"), *COMPANIONS))
    store(catalog, mentions_of((org("American Broadcasting Company"), "ABC TV"), *COMPANIONS))
    assert resolve(mentions_of((ABC, "ABC"), *COMPANIONS), catalog).entities[ABC] is None


def test_an_acronym_needs_two_companions_in_common():
    catalog = InMemoryCatalog()
    store(catalog, mentions_of((org("Associated Bottling Company"), "ABC Co"), *COMPANIONS))
    later = mentions_of((ABC, "ABC"), COMPANIONS[0], (person("John Doe"), "John Doe"))
    assert resolve(later, catalog).entities[ABC] is None


def test_an_acronym_entity_with_another_name_in_full_takes_no_new_one():
    catalog = InMemoryCatalog()
    broadcasting = org("American Broadcasting Company")
    store(catalog, mentions_of((ABC, "ABC"), *COMPANIONS))
    store(catalog, mentions_of((ABC, "ABC"), (broadcasting, broadcasting.name), *COMPANIONS))
    bottling = org("Associated Bottling Company")
    later = mentions_of((bottling, bottling.name), *COMPANIONS)
    assert resolve(later, catalog).entities[bottling] is None


def test_a_name_with_an_abbreviated_first_word_links_to_the_name_written_out():
    catalog = InMemoryCatalog()
    first = store(catalog, mentions_of((place("St. Petersburg"), "St. Petersburg")))
    second = resolve(mentions_of((place("Saint Petersburg"), "Saint Petersburg")), catalog)
    assert second.entities[place("Saint Petersburg")] == first[place("St. Petersburg")]
