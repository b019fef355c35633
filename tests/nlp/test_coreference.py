"""Tests of in-document coreference, articles/nlp/coreference.py: one cluster per entity."""

from __future__ import annotations

import pytest

from articles.nlp.coreference import (
    Cluster,
    add_repeated_names,
    cluster_mentions,
    merge_unmarked_possessives,
)
from articles.nlp.mentions import DraftMention, EntityType
from articles.nlp.text import lower_case_words
from tests.nlp.support import draft, entities_in, entity_named, mentions_in

PLACE = EntityType.PLACE

pytestmark = pytest.mark.nlp


def test_surname_is_linked_to_the_full_name():
    text = "John Kerry met reporters in Paris. Later, Kerry said the talks went well."
    kerry = [m for m in mentions_in(text) if m.entity.type == EntityType.PERSON]
    assert {m.surface for m in kerry} == {"John Kerry", "Kerry"}
    assert {m.entity.name for m in kerry} == {"John Kerry"}


def test_acronym_defined_in_parentheses_is_linked_to_its_long_form():
    text = (
        "Shares of Northwind Freight Holdings (NFH) rose sharply on Tuesday. "
        "Analysts said NFH would report strong results."
    )
    acronyms = [m for m in mentions_in(text) if m.surface == "NFH"]
    assert len(acronyms) == 2
    assert {m.entity.name for m in acronyms} == {"Northwind Freight"}


def test_spelling_variants_in_one_article_are_one_person():
    text = (
        "Iraq's President Fuad Masum attended the meeting.\n\n"
        "Fouad Massoum, the Iraqi president, told the press he was hopeful."
    )
    people = [m for m in mentions_in(text) if m.entity.type == EntityType.PERSON]
    assert {m.surface for m in people} == {"Fuad Masum", "Fouad Massoum"}
    assert len({m.entity for m in people}) == 1


def test_acronym_of_an_organisation_named_in_the_article_is_linked_without_parentheses():
    text = (
        "The University of Southern Indiana opened an exhibit on Monday. "
        "Students at USI said the exhibit was popular."
    )
    names = entities_in(text)
    assert names["USI"] == names["University of Southern Indiana"]


def test_first_name_goes_to_the_only_person_so_named_before_it():
    text = (
        "Apple co-founder Steve Jobs died on Wednesday. "
        '"Steve was a visionary," a colleague said. '
        "Microsoft CEO Steve Ballmer also paid tribute."
    )
    mentions = mentions_in(text)
    steve = next(m for m in mentions if m.surface == "Steve")
    assert steve.entity.name == "Steve Jobs"
    assert entity_named(mentions, "Steve Ballmer") != steve.entity


def test_a_tie_in_the_model_types_of_one_name_goes_to_the_organisation():
    drafts = [
        draft(0, "Scientology", EntityType.PLACE),
        draft(20, "Scientology", EntityType.ORG),
        # Found only by repeating a name: no vote of its own.
        draft(40, "Scientology", EntityType.PLACE, repeated=True),
    ]
    (cluster,) = cluster_mentions(drafts, lower_words=frozenset())
    assert cluster.type == EntityType.ORG
    assert len(cluster.members) == 3


def test_display_name_prefers_mixed_case_over_dateline_capitals():
    def name(surface: str, entity_type: EntityType) -> str:
        (cluster,) = cluster_mentions([draft(0, surface, entity_type)], lower_words=frozenset())
        return cluster.name()

    assert name("CLEVELAND", EntityType.PLACE) == "Cleveland"
    assert name("SAN FRANCISCO", EntityType.PLACE) == "San Francisco"
    assert name("USA TODAY", EntityType.ORG) == "USA Today"
    assert name("NASA", EntityType.ORG) == "NASA"
    ents = entities_in("CLEVELAND — The team won. Fans in Cleveland cheered on Sunday.")
    assert {e.name for e in ents.values() if e.key == "cleveland"} == {"Cleveland"}


def _people(*surfaces: str) -> list[list[str]]:
    """The clusters ``cluster_mentions`` makes of these person names, as their surfaces."""
    drafts, start = [], 0
    for surface in surfaces:
        drafts.append(draft(start, surface, EntityType.PERSON))
        start += len(surface) + 10
    return [
        [m.surface for m in cluster.members]
        for cluster in cluster_mentions(drafts, lower_words=frozenset())
    ]


def test_forms_of_one_name_that_differ_by_given_names_are_one_person():
    assert _people("Eugene Nida", "Eugene A. Nida", "Nida") == [
        ["Eugene Nida", "Eugene A. Nida", "Nida"]
    ]
    assert len(_people("Otto Jespersen", "Jens Otto Harry Jespersen")) == 1
    assert len(_people("Josh Apte", "Joshua Apte", "Apte")) == 1
    assert len(_people("Joshua Apte", "Josh Apte")) == 1  # the full form written first


def test_a_middle_name_alone_before_the_full_name_is_someone_else():
    assert len(_people("Chao", "Rulan Chao Pian")) == 2
    assert len(_people("Rulan Chao Pian", "Chao")) == 1
    assert len(_people("Pian", "Rulan Chao Pian")) == 1  # a surname may come first


def test_different_given_names_or_initials_are_different_people():
    assert len(_people("Ralph Goode", "Rose Goode")) == 2
    assert len(_people("George H. W. Bush", "George W. Bush")) == 2
    assert len(_people("Jo Smith", "Joan Smith")) == 2  # a short form needs 3 letters


def test_an_arabic_name_without_its_family_name_is_the_same_person():
    assert len(_people("Tamim bin Hamad Al Thani", "Tamim bin Hamad")) == 1
    # Two sons of one father are two people.
    assert len(_people("Tamim bin Hamad Al Thani", "Jassim bin Hamad")) == 2


def test_surname_particles_in_any_case_are_one_person():
    clusters = _people("Ahmed al-Rashid", "al-Rashid", "Al-Rashid", "Rashid")
    assert clusters == [["Ahmed al-Rashid", "al-Rashid", "Al-Rashid", "Rashid"]]


def test_a_double_surname_the_model_took_for_an_organisation_is_the_person():
    drafts = [
        draft(0, "Clara Martínez Cantón", EntityType.PERSON),
        draft(40, "Martínez Cantón", EntityType.ORG),
    ]
    (cluster,) = cluster_mentions(drafts, lower_words=frozenset())
    assert cluster.type == EntityType.PERSON
    assert [m.surface for m in cluster.members] == ["Clara Martínez Cantón", "Martínez Cantón"]


def test_a_surname_inside_another_name_is_not_a_repeated_mention():
    text = (
        "We sailed with Paul Terre to the island of Petite Terre, which is small. The one "
        "called Grande Terre is flat and dry; Terre said so. Later President Terre came "
        "and, on Monday, Terre left."
    )
    drafts = [draft(15, "Paul Terre", EntityType.PERSON)]
    found = add_repeated_names(text, drafts, lower_words=lower_case_words(text))
    added = [" ".join(text[: d.end].split()[-2:]) for d in found if d.repeated]
    assert added == ["dry; Terre", "President Terre", "Monday, Terre"]


def test_a_surname_repeated_with_its_particles_keeps_them_in_either_case():
    text = "Mayor Pete van Horn spoke. Van Horn said van Horn and Horn agreed."
    drafts = [draft(6, "Pete van Horn", EntityType.PERSON)]
    found = add_repeated_names(text, drafts, lower_words=lower_case_words(text))
    assert [d.surface for d in found if d.repeated] == ["Van Horn", "van Horn", "Horn"]


def test_a_place_s_name_that_a_longer_one_ends_with_is_that_place():
    drafts = [
        draft(0, "York Outer Ring Road", EntityType.PLACE),
        draft(40, "Outer Ring Road", EntityType.PLACE),
    ]
    (cluster,) = cluster_mentions(drafts, lower_words=frozenset())
    assert cluster.name() == "York Outer Ring Road"


def test_a_surname_shared_by_several_people_is_the_one_named_most():
    clusters = _people("Antonín Dvořák", "Leopold Dvořák", "Antonín Dvořák", "Dvořák", "Dvořák")
    assert clusters == [
        ["Antonín Dvořák", "Antonín Dvořák", "Dvořák", "Dvořák"],
        ["Leopold Dvořák"],
    ]


def test_a_surname_shared_by_people_named_as_often_stays_apart():
    clusters = _people("George Bush", "Jeb Bush", "Bush")
    assert ["Bush"] in clusters


def test_a_surname_after_the_full_name_is_the_person_not_the_known_company():
    text = (
        "Senator Anne Ford spoke to farmers in Iowa on Monday. "
        "Ford said the bill would pass. Later, Ford thanked the crowd."
    )
    fords = [m for m in mentions_in(text) if "Ford" in m.surface]
    assert [m.surface for m in fords] == ["Anne Ford", "Ford", "Ford"]
    assert {m.entity.name for m in fords} == {"Anne Ford"}


def test_the_known_company_before_any_person_so_named_stays_the_company():
    text = "Ford recalled two million cars on Monday. Ford shares fell."
    fords = [m for m in mentions_in(text) if m.surface == "Ford"]
    assert fords and {m.entity.name for m in fords} == {"Ford Motor Company"}


def test_a_surname_stays_the_known_company_the_article_also_names_in_full():
    text = (
        "The Ford Motor Company will cut 30,000 jobs. The plan of its chief executive, "
        "William Clay Ford Jr., is to end Ford's losses by 2008."
    )
    fords = [m for m in mentions_in(text) if m.surface == "Ford"]
    assert fords and {m.entity.name for m in fords} == {"Ford Motor Company"}


def test_the_surname_after_a_particle_alone_is_the_person():
    text = "Ahmed al-Rashid arrived in Cairo on Monday. Rashid left on Friday."
    rashid = [m for m in mentions_in(text) if "Rashid" in m.surface]
    assert [m.surface for m in rashid] == ["Ahmed al-Rashid", "Rashid"]
    assert {m.entity.name for m in rashid} == {"Ahmed al-Rashid"}


def test_a_name_written_surname_first_is_the_same_person():
    assert len(_people("Ichiyō Higuchi", "Higuchi Ichiyō", "Higuchi")) == 1
    assert len(_people("Natsu Higuchi", "Ichiyō Higuchi")) == 2
    # ... also with a short form of the given name, and typed as a place by the model.
    assert len(_people("Natsu Higuchi", "Higuchi Natsuko")) == 1
    drafts = [draft(0, "Natsuko Higuchi", EntityType.PERSON), draft(30, "Higuchi Natsuko", PLACE)]
    assert len(cluster_mentions(drafts, lower_words=frozenset())) == 1


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("General Motors Corporation", "General Motors"),
        ("Volvo AB", "Volvo"),
        ("Eni S.p.A.", "Eni"),
        ("Equinor ASA", "Equinor"),
        ("Acme Holdings Pty Ltd", "Acme"),
        ("AB", "AB"),  # a legal form alone is a name, not a suffix
    ],
)
def test_an_organisation_is_named_without_its_legal_form(surface: str, name: str):
    (cluster,) = cluster_mentions([draft(0, surface, EntityType.ORG)], lower_words=frozenset())
    assert cluster.name() == name


def test_a_surname_with_its_particle_capitalised_at_a_sentence_start_is_the_person():
    text = "Hassan el-Amin met the press in Cairo. El-Amin said the talks were useful."
    amin = [m for m in mentions_in(text) if "Amin" in m.surface]
    assert [m.surface for m in amin] == ["Hassan el-Amin", "El-Amin"]
    assert {(m.entity.type, m.entity.name) for m in amin} == {(EntityType.PERSON, "Hassan el-Amin")}


def test_a_company_named_with_and_without_its_legal_form_is_one_company():
    text = (
        "Shares of Acme Chemical Co fell 5% on Monday. Acme Chemical said demand was weak. "
        "Reporters asked about the merger of Contoso SpA and Tailspin NV. "
        "Contoso said it agreed."
    )
    names = entities_in(text)
    assert names["Acme Chemical"] == names["Acme Chemical Co"]
    assert names["Contoso"] == names["Contoso SpA"]
    assert names["Contoso"].type == EntityType.ORG
    assert "Chemical" not in names


def test_the_end_of_the_one_longer_organisation_name_is_that_organisation():
    text = (
        "Boeing won a contract to supply the United States Air Force with new tankers. "
        "The Air Force said the deal was fair."
    )
    names = entities_in(text)
    assert names["Air Force"] == names["United States Air Force"]


def test_a_company_name_with_two_letters_swapped_is_the_same_company():
    text = (
        "Unlike Chrysler, GM will not close dealers. Chrysler said it would. "
        "Unlike Chrylser, Ford agreed."
    )
    names = entities_in(text)
    assert names["Chrylser"] == names["Chrysler"]


def test_a_city_is_not_the_university_named_after_it():
    text = (
        "He studied at the University of Copenhagen. "
        "Later he returned to Copenhagen, where he taught until 1925."
    )
    names = entities_in(text)
    assert names["Copenhagen"].type == EntityType.PLACE
    assert names["University of Copenhagen"].type == EntityType.ORG


def test_a_word_beginning_the_one_longer_organisation_name_is_it_even_as_a_person():
    drafts = [
        draft(0, "Cerberus Capital Management", EntityType.ORG),
        draft(40, "Cerberus", EntityType.PERSON),
        draft(60, "Andy Warhol", EntityType.PERSON),
        draft(80, "Warhol Foundation", EntityType.ORG),
        draft(100, "Warhol", EntityType.PERSON),
    ]
    clusters = cluster_mentions(drafts, lower_words=frozenset())
    assert [[m.surface for m in c.members] for c in clusters] == [
        ["Cerberus Capital Management", "Cerberus"],
        ["Andy Warhol", "Warhol"],
        ["Warhol Foundation"],
    ]


def _clusters(*drafts_: DraftMention) -> list[list[str]]:
    """The clusters ``cluster_mentions`` makes of these drafts, as their surfaces."""
    return [
        [m.surface for m in cluster.members]
        for cluster in cluster_mentions(list(drafts_), lower_words=frozenset())
    ]


def test_a_name_with_an_abbreviated_first_word_is_the_name_written_out():
    assert _clusters(draft(0, "St. Petersburg", PLACE), draft(30, "Saint Petersburg", PLACE)) == [
        ["St. Petersburg", "Saint Petersburg"]
    ]


def test_a_name_beginning_with_initials_is_the_name_they_stand_for():
    assert _clusters(
        draft(0, "George Washington Bridge", PLACE), draft(40, "GW Bridge", PLACE)
    ) == [["George Washington Bridge", "GW Bridge"]]
    # ... only when the initials are those of the words before the same ending.
    assert len(_clusters(draft(0, "George Bush Bridge", PLACE), draft(40, "GW Bridge", PLACE))) == 2


def test_a_place_named_with_its_formal_title_is_the_place():
    assert _clusters(draft(0, "Texas", PLACE), draft(20, "the State of Texas", PLACE)) == [
        ["Texas", "the State of Texas"]
    ]
    assert len(_clusters(draft(0, "London", PLACE), draft(20, "City of London", PLACE))) == 2


def test_a_one_word_place_beginning_the_one_country_named_is_that_country():
    country = EntityType.COUNTRY
    assert _clusters(draft(0, "North Korea", country), draft(30, "North", PLACE)) == [
        ["North Korea", "North"]
    ]
    assert (
        len(
            _clusters(
                draft(0, "North Korea", country),
                draft(20, "North Macedonia", country),
                draft(40, "North", PLACE),
            )
        )
        == 3
    )


def test_repeated_names_are_whole_words_and_the_form_found_first_wins_at_one_place():
    text = (
        "Acme Chemical fell. Acme Chemical Works rose. Later Acme Chemical Works, "
        "pre-Acme Chemical, x.Acme Chemical and Acme Chemicals; Acme Chemical."
    )
    drafts = [
        draft(0, "Acme Chemical", EntityType.ORG),
        draft(20, "Acme Chemical Works", EntityType.ORG),
    ]
    found = add_repeated_names(text, drafts, lower_words=lower_case_words(text))
    added = [(d.start, d.surface) for d in found if d.repeated]
    assert added == [(52, "Acme Chemical"), (128, "Acme Chemical")]


def _possessive_clusters(text: str, *names: tuple[str, EntityType]) -> list[list[str]]:
    """The clusters ``merge_unmarked_possessives`` leaves of one cluster per name (each
    at its first place in ``text``), as their surfaces."""
    clusters = [
        Cluster(type=entity_type, members=[draft(text.index(name), name, entity_type)])
        for name, entity_type in names
    ]
    return [[m.surface for m in c.members] for c in merge_unmarked_possessives(text, clusters)]


def test_a_possessive_without_its_apostrophe_is_the_name():
    text = "Contoso cut costs. Contosos new chief said so."
    assert _possessive_clusters(
        text, ("Contoso", EntityType.ORG), ("Contosos", EntityType.PERSON)
    ) == [["Contoso", "Contosos"]]
    # Not at a sentence end, where nothing says it is a possessive; a given name with an
    # "s" is a surname of its own.
    text = "Contoso cut costs. Analysts like Contosos."
    assert (
        len(_possessive_clusters(text, ("Contoso", EntityType.ORG), ("Contosos", EntityType.ORG)))
        == 2
    )
    text = "William met Williams today."
    assert (
        len(
            _possessive_clusters(
                text, ("William", EntityType.PERSON), ("Williams", EntityType.PERSON)
            )
        )
        == 2
    )


def test_a_team_s_nickname_is_the_team_named_with_its_city():
    drafts = [
        draft(0, "Steelers", EntityType.ORG),
        draft(20, "Pittsburgh Steelers", EntityType.ORG),
        draft(40, "Celtics", EntityType.PERSON),
        draft(60, "Red Sox", EntityType.PLACE),
        draft(80, "Boston Red Sox", EntityType.ORG),
        draft(100, "Boston Celtics", EntityType.ORG),
    ]
    clusters = cluster_mentions(drafts, lower_words=frozenset())
    assert sorted(c.name() for c in clusters) == [
        "Boston Celtics",
        "Boston Red Sox",
        "Pittsburgh Steelers",
    ]
    # Not without a city before it, nor a person's name.
    drafts = [
        draft(0, "Times", EntityType.ORG),
        draft(20, "Financial Times", EntityType.ORG),
        draft(40, "Dallas Morgan", EntityType.PERSON),
        draft(60, "Morgan", EntityType.PERSON),
    ]
    clusters = cluster_mentions(drafts, lower_words=frozenset())
    assert sorted(c.name() for c in clusters) == ["Dallas Morgan", "Financial Times", "Times"]


def test_a_surname_with_its_generation_is_the_person_named_so_in_full():
    drafts = [
        draft(0, "Robert F. Kennedy", EntityType.PERSON),
        draft(30, "Robert F. Kennedy Jr.", EntityType.PERSON),
        draft(60, "Kennedy Jr.", EntityType.PERSON),
    ]
    clusters = cluster_mentions(drafts, lower_words=frozenset())
    assert [[m.surface for m in c.members] for c in clusters] == [
        ["Robert F. Kennedy"],
        ["Robert F. Kennedy Jr.", "Kennedy Jr."],
    ]
