"""Tests of mention clean-up, typing and in-document coreference (articles/nlp/linking.py)."""

from __future__ import annotations

import re

import pytest

from articles.nlp.knowledge_base import knowledge_base
from articles.nlp.linking import (
    FoundMention,
    _Candidate,
    _Cluster,
    _entity_type,
    _from_given_name,
    _harmonise_types,
    _is_headline_fragment,
    _is_not_entity,
    _is_thing_not_person,
    _joins_names,
    _with_adjacent_name_words,
    _without_trailing_numbers,
    analyse,
    split_text,
)
from articles.nlp.pipeline import load_pipeline


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def mentions_in(text: str, nlp) -> list[FoundMention]:
    (mentions,) = analyse([text], nlp=nlp)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.surface
    return mentions


def entity_named(mentions: list[FoundMention], name: str):
    return next(m.entity for m in mentions if m.entity.name == name)


def test_split_text_cuts_at_paragraphs_and_keeps_offsets():
    text = "First paragraph here.\n\nSecond paragraph follows.\n\nThird one."
    pieces = split_text(text, 30)
    assert all(len(chunk) <= 30 for _, chunk in pieces)
    assert "".join(chunk for _, chunk in pieces) == text
    assert all(text[offset : offset + len(chunk)] == chunk for offset, chunk in pieces)


@pytest.mark.nlp
def test_leading_determiner_and_possessive_are_trimmed(nlp):
    mentions = mentions_in("The talks were hosted by the United Nations's envoy.", nlp)
    assert [m.surface for m in mentions] == ["United Nations"]


@pytest.mark.nlp
def test_titles_and_roles_are_trimmed_from_person_names(nlp):
    mentions = mentions_in("U.S. Secretary of State John Kerry flew to Paris on Monday.", nlp)
    people = [m for m in mentions if m.entity.type == "PERSON"]
    assert [m.surface for m in people] == ["John Kerry"]
    assert "State" not in {m.surface for m in mentions}


@pytest.mark.nlp
def test_us_is_mapped_to_the_united_states_country(nlp):
    mentions = mentions_in("The U.S. and the US Congress disagree with America.", nlp)
    countries = {m.surface: m.entity for m in mentions if m.entity.type == "COUNTRY"}
    assert countries["U.S."].name == "United States"
    assert countries["U.S."].wikidata_id == "Q30"
    assert countries["U.S."] == countries["America"]


@pytest.mark.nlp
def test_like_us_on_facebook_gives_no_country(nlp):
    mentions = mentions_in("Like Us on Facebook\n\nFollow us for more news.", nlp)
    assert not [m for m in mentions if m.entity.type == "COUNTRY"]


@pytest.mark.nlp
def test_surname_is_linked_to_the_full_name(nlp):
    text = "John Kerry met reporters in Paris. Later, Kerry said the talks went well."
    mentions = mentions_in(text, nlp)
    kerry = [m for m in mentions if m.entity.type == "PERSON"]
    assert {m.surface for m in kerry} == {"John Kerry", "Kerry"}
    assert {m.entity.name for m in kerry} == {"John Kerry"}


@pytest.mark.nlp
def test_acronym_defined_in_parentheses_is_linked_to_its_long_form(nlp):
    text = (
        "Shares of Northwind Freight Holdings (NFH) rose sharply on Tuesday. "
        "Analysts said NFH would report strong results."
    )
    mentions = mentions_in(text, nlp)
    acronyms = [m for m in mentions if m.surface == "NFH"]
    assert len(acronyms) == 2
    assert {m.entity.name for m in acronyms} == {"Northwind Freight"}


@pytest.mark.nlp
def test_the_president_is_not_a_name(nlp):
    text = "President Barack Obama spoke on Monday. The president said he was pleased."
    mentions = mentions_in(text, nlp)
    assert [m.surface for m in mentions] == ["Barack Obama"]


@pytest.mark.nlp
def test_spelling_variants_in_one_article_are_one_person(nlp):
    text = (
        "Iraq's President Fuad Masum attended the meeting.\n\n"
        "Fouad Massoum, the Iraqi president, told the press he was hopeful."
    )
    mentions = mentions_in(text, nlp)
    people = {m.entity for m in mentions if m.entity.type == "PERSON"}
    assert len(people) == 1


@pytest.mark.nlp
def test_knowledge_base_fixes_types_and_joins_split_names(nlp):
    text = (
        "Thirty world powers met to tackle the Islamic State of Iraq and the Levant (ISIL). "
        "Daesh was the word they used. Aid was flown to Bagdad."
    )
    mentions = mentions_in(text, nlp)
    isil = entity_named(mentions, "Islamic State")
    assert isil.type == "ORG"
    assert {m.surface for m in mentions if m.entity == isil} == {
        "Islamic State of Iraq and the Levant",
        "ISIL",
        "Daesh",
    }
    assert entity_named(mentions, "Baghdad").type == "PLACE"


@pytest.mark.nlp
def test_long_text_is_chunked_and_offsets_stay_right(nlp, monkeypatch):
    monkeypatch.setattr("articles.nlp.linking.CHUNK_CHARS", 200)
    paragraph = "Angela Merkel visited Washington with officials from the European Union."
    text = "\n\n".join([paragraph] * 12)
    mentions = mentions_in(text, nlp)
    assert len([m for m in mentions if m.surface == "Angela Merkel"]) == 12
    assert len({m.entity for m in mentions if m.surface == "Angela Merkel"}) == 1
    starts = [m.start for m in mentions]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))


@pytest.mark.nlp
def test_results_come_back_one_list_per_text_in_order(nlp):
    texts = ["Angela Merkel spoke.", "", "Reuters reported from Japan."]
    results = list(analyse(texts, nlp=nlp, batch_size=2))
    assert len(results) == 3
    assert [m.surface for m in results[0]] == ["Angela Merkel"]
    assert results[1] == []
    assert {m.entity.name for m in results[2]} == {"Reuters", "Japan"}


@pytest.mark.nlp
def test_acronym_of_an_organisation_named_in_the_article_is_linked_without_parentheses(nlp):
    text = (
        "The University of Southern Indiana opened an exhibit on Monday. "
        "Students at USI said the exhibit was popular."
    )
    mentions = mentions_in(text, nlp)
    names = {m.surface: m.entity for m in mentions}
    assert names["USI"] == names["University of Southern Indiana"]


@pytest.mark.nlp
def test_first_name_goes_to_the_only_person_so_named_before_it(nlp):
    text = (
        "Apple co-founder Steve Jobs died on Wednesday. "
        '"Steve was a visionary," a colleague said. '
        "Microsoft CEO Steve Ballmer also paid tribute."
    )
    mentions = mentions_in(text, nlp)
    steve = next(m for m in mentions if m.surface == "Steve")
    assert steve.entity.name == "Steve Jobs"
    assert entity_named(mentions, "Steve Ballmer") != steve.entity


@pytest.mark.nlp
def test_names_of_buildings_and_sites_are_places(nlp):
    text = "The shuttle Discovery will be displayed at the Johnson Space Center in Houston."
    mentions = mentions_in(text, nlp)
    assert entity_named(mentions, "Johnson Space Center").type == "PLACE"


def test_head_words_type_unknown_names_but_spare_surnames():
    assert _entity_type("ORG", None, "Museum of Flight") == "PLACE"
    assert _entity_type("ORG", None, "Adler Planetarium") == "PLACE"
    assert _entity_type("ORG", None, "Center for Strategic Studies") == "ORG"
    assert _entity_type("GPE", None, "Municipality of Livorno") == "ORG"
    assert _entity_type("PERSON", None, "Edmonton Sun Gazette") == "ORG"
    # People whose surname is such a word stay people.
    assert _entity_type("PERSON", None, "Stuart Hall") == "PERSON"
    assert _entity_type("PERSON", None, "Jim Press") == "PERSON"


@pytest.mark.nlp
def test_person_name_cut_short_by_the_model_is_extended_over_capitalised_neighbours(nlp):
    mentions = mentions_in("Guests included the singer-songwriter Carly Simon.", nlp)
    assert [m.surface for m in mentions if m.entity.type == "PERSON"] == ["Carly Simon"]


@pytest.mark.nlp
def test_person_name_is_not_extended_in_a_title_cased_headline(nlp):
    doc = nlp("Singer Returns Home With Simon Tonight\n\nShe said so.")
    simon = next(t.i for t in doc if t.text == "Simon")
    span = (simon, simon + 1)
    assert _with_adjacent_name_words(doc, *span, doc.text, frozenset()) == span


@pytest.mark.nlp
def test_acronym_in_parentheses_inside_an_entity_is_its_own_mention(nlp):
    text = "The World Health Organisation (WHO) recommends iodised salt. The WHO says so."
    mentions = mentions_in(text, nlp)
    surfaces = [m.surface for m in mentions]
    assert surfaces == ["World Health Organisation", "WHO", "WHO"]
    assert len({m.entity for m in mentions}) == 1


@pytest.mark.nlp
def test_lower_case_tail_and_trailing_role_are_not_part_of_an_organisation(nlp):
    text = (
        "According to Yonhap news agency, the talks failed. "
        "NASA Administrator Charles Bolden announced the plan."
    )
    surfaces = [m.surface for m in mentions_in(text, nlp)]
    assert surfaces == ["Yonhap", "NASA", "Charles Bolden"]


@pytest.mark.nlp
def test_countries_on_either_side_of_a_score_are_teams(nlp):
    text = (
        "Group F: Sweden 1 – 0 South Korea\n\n"
        "Sweden faced South Korea in Nizhny Novgorod. Korea had chances."
    )
    mentions = mentions_in(text, nlp)
    teams = [m for m in mentions if m.surface in {"Sweden", "South Korea", "Korea"}]
    assert len(teams) == 5
    assert {m.entity.type for m in teams} == {"ORG"}
    assert {m.entity.name for m in teams} == {"Sweden", "South Korea"}
    assert all(m.entity.wikidata_id == "" for m in teams)


@pytest.mark.nlp
def test_countries_without_a_score_stay_countries(nlp):
    mentions = mentions_in("Sweden and South Korea signed a trade agreement on Monday.", nlp)
    assert {m.entity.type for m in mentions} == {"COUNTRY"}


def _candidate(start: int, surface: str, entity_type: str, **fields) -> _Candidate:
    return _Candidate(
        start, start + len(surface), surface, entity_type, None, entity_type, **fields
    )


def test_a_tie_in_the_model_types_of_one_name_goes_to_the_organisation():
    candidates = [
        _candidate(0, "Scientology", "PLACE"),
        _candidate(20, "Scientology", "ORG"),
        # Found only by repeating a name: no vote of its own.
        _candidate(40, "Scientology", "PLACE", repeated=True),
    ]
    _harmonise_types(candidates)
    assert {c.type for c in candidates} == {"ORG"}


def test_a_name_mostly_after_the_is_a_thing_not_a_person():
    text = "Pilgrims died during the Hajj. The Hajj ended. Hajj pilgrims went home."
    members = [_candidate(m.start(), "Hajj", "PERSON") for m in re.finditer("Hajj", text)]
    assert _is_thing_not_person(text, _Cluster("PERSON", members))


def test_a_name_before_a_noun_does_not_count_against_a_person():
    text = "Tom Cruise spoke. Critics of the Tom Cruise video and the Tom Cruise video spoke."
    members = [
        _candidate(m.start(), "Tom Cruise", "PERSON") for m in re.finditer("Tom Cruise", text)
    ]
    assert not _is_thing_not_person(text, _Cluster("PERSON", members))


def test_major_airlines_and_companies_are_known_organisations():
    kb = knowledge_base()
    for name in ("Ryanair", "Singapore Airlines", "SIA", "Lufthansa", "Fiat", "UAW"):
        assert kb.find(name) is not None and kb.find(name).type == "ORG", name


# Precision on ordinary news pages ------------------------------------------------------


def test_span_starting_with_a_given_name_is_a_person_whatever_the_model_said():
    assert _entity_type("ORG", None, "Mason Rudolph") == "PERSON"
    assert _entity_type("GPE", None, "Denzel Ward") == "PERSON"


def test_given_name_does_not_make_a_place_or_company_a_person():
    assert _entity_type("GPE", None, "Heinz Field") == "PLACE"
    assert _entity_type("ORG", None, "Howard University") == "ORG"
    assert _entity_type("ORG", None, "Darren Rowse’s Problogger") == "ORG"


def test_person_label_on_a_company_name_is_an_organisation():
    assert _entity_type("PERSON", None, "Dick Clark Productions") == "ORG"


def test_person_label_on_a_product_or_event_is_dropped():
    assert _entity_type("PERSON", None, "Nintendo Switch Lite") is None
    assert _entity_type("PERSON", None, "Davis Cup") is None
    assert _entity_type("ORG", None, "ATP Finals") is None
    assert _entity_type("PERSON", None, "Kevin Max") == "PERSON"


def test_title_case_headline_fragments_are_not_names():
    assert _is_headline_fragment("Stadia Is Essentially A Beta Version")
    assert _is_headline_fragment("Streaming Quality Seems To Be Mostly Excellent")
    assert not _is_headline_fragment("Bank of America")
    assert not _is_headline_fragment("United States Department of Health and Human Services")
    assert not _is_headline_fragment("James To")


def test_time_zones_terms_and_holidays_are_not_entities():
    assert _is_not_entity("UTC", "ORG")
    assert _is_not_entity("USB", "PERSON")
    assert _is_not_entity("Diwali", "PLACE")
    assert not _is_not_entity("Christmas", "PERSON")  # Johnnie Christmas
    assert not _is_not_entity("Utc", "ORG")


def test_lower_case_words_and_results_split_joined_names(nlp):
    doc = nlp.make_doc("Garrett hit Rudolph and Bank of America and Melbourne d. Cocoa")
    assert _joins_names(doc, 1, 0, 3)
    assert not _joins_names(doc, 5, 4, 7)
    assert _joins_names(doc, 9, 8, 11)


def test_leading_words_before_a_given_name_are_dropped(nlp):
    assert _from_given_name(nlp.make_doc("Email Tariq Malik"), 0, 3) == 1
    assert _from_given_name(nlp.make_doc("Kathleen Hawk Sawyer"), 0, 3) == 0


def test_trailing_scores_and_roster_numbers_are_trimmed(nlp):
    assert _without_trailing_numbers(nlp.make_doc("Nicolas Jarry 6-4"), 0, 5, "PERSON") == 2
    assert _without_trailing_numbers(nlp.make_doc("Adrianna Knight 12"), 0, 3, "PERSON") == 2
    assert _without_trailing_numbers(nlp.make_doc("Chile 3-0"), 0, 4, "GPE") == 1
    assert _without_trailing_numbers(nlp.make_doc("Thunderbolt 3"), 0, 2, "ORG") == 2


@pytest.mark.nlp
def test_underscore_joined_role_is_split_from_the_name(nlp):
    mentions = mentions_in("Art Director_Park Dong Woo designed the stage.", nlp)
    assert [m.surface for m in mentions] == ["Park Dong Woo"]


@pytest.mark.nlp
def test_state_abbreviation_in_a_dateline_is_the_state(nlp):
    text = "It is based in Boston, Mass., with an office in Fresno, Calif. Staff attended Mass."
    mentions = mentions_in(text, nlp)
    names = [m.entity.name for m in mentions]
    assert names.count("Massachusetts") == 1
    assert "California" in names


def test_ambiguous_state_abbreviations_match_only_as_written():
    kb = knowledge_base()
    assert kb.find("Calif.").name == "California"
    assert kb.find("N.Y.").name == "New York State"
    assert kb.find("Mass.").name == "Massachusetts"
    assert kb.find("Mass") is None
    assert kb.find("NY").name == "New York State"
    assert kb.find("Ny") is None
    assert kb.find("New York").name == "New York City"


@pytest.mark.nlp
def test_celestial_bodies_and_plural_surnames_are_dropped(nlp):
    text = "The probe will orbit Jupiter. Joe Biden spoke. The Bidens left early."
    names = {m.entity.name for m in mentions_in(text, nlp)}
    assert "Jupiter" not in names
    assert "Bidens" not in names


@pytest.mark.nlp
def test_a_celestial_word_that_names_a_person_of_the_document_is_kept(nlp):
    text = "Moon Jae-in met Kim Jong-un. Moon said the talks went well."
    mentions = mentions_in(text, nlp)
    assert [m.entity.name for m in mentions if m.surface == "Moon"] == ["Moon Jae-in"]


# Display names, junk words, peoples, parties, clubs and airlines --------------------


def _entities(text: str) -> dict[str, str]:
    from articles.nlp.linking import analyse
    from articles.nlp.pipeline import load_pipeline

    (mentions,) = analyse([text], nlp=load_pipeline())
    return {m.surface: m.entity for m in mentions}


def test_display_name_prefers_mixed_case_over_dateline_capitals() -> None:
    from articles.nlp.linking import _without_shouting

    assert _without_shouting("CLEVELAND") == "Cleveland"
    assert _without_shouting("SAN FRANCISCO") == "San Francisco"
    assert _without_shouting("USA TODAY") == "USA Today"
    assert _without_shouting("NASA") == "NASA"
    ents = _entities("CLEVELAND — The team won. Fans in Cleveland cheered on Sunday.")
    assert {e.name for e in ents.values() if e.key == "cleveland"} <= {"Cleveland"}


def test_generic_word_and_letter_is_not_an_organisation() -> None:
    ents = _entities("France won in Group A, and the group winners advance to the final.")
    assert "Group A" not in ents


def test_plural_demonym_of_known_country_is_not_an_organisation() -> None:
    from articles.nlp.knowledge_base import knowledge_base
    from articles.nlp.linking import _is_plural_demonym

    kb = knowledge_base()
    assert _is_plural_demonym("Palestinians", kb)
    assert _is_plural_demonym("Afghans", kb)
    assert not _is_plural_demonym("Republicans", kb)
    assert not _is_plural_demonym("Democrats", kb)


def test_listed_peoples_and_generic_words_are_not_entities() -> None:
    from articles.nlp.linking import _is_not_entity

    assert _is_not_entity("Uighurs", "ORG")
    assert _is_not_entity("Kurds", "PERSON")
    assert _is_not_entity("Homepage", "ORG")


def test_party_adjective_is_extended_over_party() -> None:
    ents = _entities("The Communist Party said on Monday that it would hold talks in Beijing.")
    assert "Communist" not in ents
    assert ents.get("Communist Party") is None or ents["Communist Party"].type == "ORG"


def test_club_and_airline_names_are_organisations() -> None:
    from articles.nlp.linking import _entity_type

    assert _entity_type("GPE", None, "Athletic Bilbao") == "ORG"
    assert _entity_type("GPE", None, "Air Astana") == "ORG"
    assert _entity_type("PERSON", None, "Qantas Airways") == "ORG"


def test_occasion_named_after_a_hall_is_not_a_place() -> None:
    from articles.nlp.linking import _entity_type

    assert _entity_type("FAC", None, "Rock and Roll Hall of Fame Induction") is None


def test_common_word_capitalised_only_at_sentence_start_is_dropped() -> None:
    ents = _entities(
        "Plague is back.\n\nA man caught bubonic plague after eating a rabbit in Mongolia."
    )
    assert "Plague" not in ents


def test_historical_states_are_known_countries() -> None:
    from articles.nlp.knowledge_base import knowledge_base

    kb = knowledge_base()
    assert kb.find("Soviet Union").type == "COUNTRY"
    assert kb.find("USSR").name == "Soviet Union"
    assert kb.find("Yugoslavia").wikidata_id == "Q36704"
