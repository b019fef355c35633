"""Tests of the spaCy pipeline set-up (articles/nlp/pipeline.py)."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from articles.nlp.pipeline import load_pipeline

pytestmark = pytest.mark.nlp


def test_pipeline_loads_only_what_ner_needs_and_is_cached():
    nlp = load_pipeline()
    assert nlp.pipe_names == ["ner", "entity_ruler"]
    assert load_pipeline() is nlp


def test_ruler_is_case_sensitive_for_acronyms():
    nlp = load_pipeline()
    ruler = nlp.get_pipe("entity_ruler")
    doc = ruler(nlp.make_doc("The US said it would help us. Like Us on Facebook."))
    assert [(ent.text, ent.label_) for ent in doc.ents] == [("US", "COUNTRY"), ("Facebook", "ORG")]


def test_ruler_matches_names_with_a_lower_case_tail():
    nlp = load_pipeline()
    ruler = nlp.get_pipe("entity_ruler")
    doc = ruler(nlp.make_doc("Members of the U.N. Security council met."))
    assert [ent.text for ent in doc.ents] == ["U.N. Security council"]


def test_ruler_matches_an_abbreviation_that_is_also_a_word_only_after_a_comma():
    nlp = load_pipeline()
    ruler = nlp.get_pipe("entity_ruler")
    doc = ruler(nlp.make_doc("They met in Boston, Mass. Staff attended Mass. on Sunday."))
    assert [(ent.text, ent.label_) for ent in doc.ents] == [
        ("Boston", "PLACE"),
        (", Mass.", "PLACE"),
    ]


def test_ruler_keeps_longer_entities_and_replaces_shorter_ones():
    nlp = load_pipeline()
    ruler = nlp.get_pipe("entity_ruler")
    doc = nlp.make_doc("Michael Jordan met Islamic State of Iraq and the Levant envoys.")
    doc.ents = [Span(doc, 0, 2, label="PERSON"), Span(doc, 3, 5, label="ORG")]
    ruler(doc)
    # "Jordan" lies within the model's person; "Islamic State" gives way to the longer name.
    assert [(ent.text, ent.label_) for ent in doc.ents] == [
        ("Michael Jordan", "PERSON"),
        ("Islamic State of Iraq and the Levant", "ORG"),
    ]
    doc = nlp.make_doc("Michael Jordan met them.")
    doc.ents = [Span(doc, 0, 2, label="PERSON")]
    assert [(ent.text, ent.label_) for ent in ruler(doc).ents] == [("Michael Jordan", "PERSON")]


def test_tokenizer_cache_holds_every_word_the_model_knows():
    # spaCy caches nothing inside a memory zone, where analyse() runs: what the warm-up
    # at load leaves in the cache is all there is.
    # The model knows ~84,000 words; spaCy's default cache holds 10,000 chunks.
    assert load_pipeline().tokenizer.max_cache_size > 80_000
