"""Tests of the shipped knowledge base, articles/nlp/knowledge_base.py (no spaCy)."""

from __future__ import annotations

from articles.nlp.knowledge_base import knowledge_base
from articles.nlp.mentions import EntityType


def test_major_airlines_and_companies_are_known_organisations():
    kb = knowledge_base()
    for name in ("Ryanair", "Singapore Airlines", "SIA", "Lufthansa", "Fiat", "UAW"):
        assert kb.find(name) is not None and kb.find(name).type == EntityType.ORG, name


def test_ambiguous_state_abbreviations_match_only_as_written():
    kb = knowledge_base()
    assert kb.find("Calif.").name == "California"
    assert kb.find("N.Y.").name == "New York State"
    assert kb.find("Mass.").name == "Massachusetts"
    assert kb.find("Mass") is None
    assert kb.find("NY").name == "New York State"
    assert kb.find("Ny") is None
    assert kb.find("New York").name == "New York City"


def test_historical_states_are_known_countries():
    kb = knowledge_base()
    assert kb.find("Soviet Union").type == EntityType.COUNTRY
    assert kb.find("USSR").name == "Soviet Union"
    assert kb.find("Yugoslavia").wikidata_id == "Q36704"


def test_acronyms_match_only_in_capitals():
    kb = knowledge_base()
    assert kb.find("US").name == "United States"
    assert kb.find("Us") is None
    assert kb.find("us") is None


def test_initials_written_with_spaces_are_the_acronym():
    kb = knowledge_base()
    assert kb.find("U. S.").name == "United States"
    assert kb.find("U. N.").name == "United Nations"
    assert kb.find("u. s.") is None


def test_every_entry_has_one_of_our_types():
    assert {type(entry.type) for entry in knowledge_base().entries} == {EntityType}
