"""Tests of mention clean-up, typing and in-document coreference (articles/nlp/linking.py)."""

from __future__ import annotations

import pytest

from articles.nlp.linking import FoundMention, analyse, split_text
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
