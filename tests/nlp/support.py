"""Helpers for the tests of articles/nlp: analyse a text, build spaCy entities by hand."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from articles.nlp.analyse import analyse
from articles.nlp.mentions import DraftMention, EntityRef, EntityType, FoundMention
from articles.nlp.pipeline import load_pipeline


def mentions_in(text: str) -> list[FoundMention]:
    """The mentions ``analyse`` finds in one text, each checked against its offsets."""
    (mentions,) = analyse([text], nlp=load_pipeline())
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.surface
    return mentions


def entities_in(text: str) -> dict[str, EntityRef]:
    """The entity of each surface form ``analyse`` finds in one text."""
    return {mention.surface: mention.entity for mention in mentions_in(text)}


def entity_named(mentions: list[FoundMention], name: str) -> EntityRef:
    return next(m.entity for m in mentions if m.entity.name == name)


def doc_with_entity(text: str, words: str, label: str) -> tuple[Doc, Span]:
    """``text`` tokenised, with ``words`` (its first occurrence) as the one model entity:
    what the stages do with an entity, whatever the statistical model would find."""
    doc = load_pipeline().make_doc(text)
    start_char = text.index(words)
    span = doc.char_span(start_char, start_char + len(words), label=label)
    assert span is not None, f"{words!r} is not a run of whole tokens"
    doc.ents = [span]
    return doc, doc.ents[0]


def draft(start: int, surface: str, entity_type: EntityType, **fields: object) -> DraftMention:
    """A draft mention the knowledge base does not know, as typing leaves it."""
    return DraftMention(
        start, start + len(surface), surface, entity_type, None, entity_type.value, **fields
    )
