"""Tests of the contract types, articles/nlp/mentions.py (no spaCy)."""

from __future__ import annotations

from articles.nlp.mentions import DraftMention, EntityType, non_overlapping


def test_entity_types_are_stored_by_value_and_shown_by_label():
    assert [(t.value, t.label) for t in EntityType] == [
        ("PERSON", "Person"),
        ("COUNTRY", "Country"),
        ("ORG", "Organisation"),
        ("PLACE", "Place"),
    ]
    assert EntityType("ORG") == "ORG"
    assert "PLACE" in EntityType


def test_non_overlapping_keeps_the_longer_of_two_drafts_starting_together():
    def draft(start: int, surface: str) -> DraftMention:
        return DraftMention(start, start + len(surface), surface, EntityType.ORG, None, "ORG")

    longer, shorter, inside, after = (
        draft(0, "Bank of America"),
        draft(0, "Bank"),
        draft(8, "America"),
        draft(16, "Reuters"),
    )
    assert non_overlapping([after, inside, shorter, longer]) == [longer, after]
