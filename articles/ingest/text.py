"""Text helpers shared by the extractors: both return the same shape of text.

Plain text, paragraphs separated by a blank line, whitespace inside a paragraph collapsed;
words counted the same way for the HTML and the plain-text path and the language guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "SENTENCE_END",
    "WORD",
    "collapse",
    "count_words",
    "join_paragraphs",
    "title_from_sentence",
]

# The title made up from the first sentence when a text has no headline.
DERIVED_TITLE_CHARS = 80

WORD = re.compile(r"\w+(?:['’]\w+)*")
_IDEOGRAPH = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_WHITESPACE = re.compile(r"\s+")
# Invisible characters that survive whitespace collapsing and would otherwise end up in
# the stored text (and shift mention offsets for no visible reason).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# A sentence ends with terminal punctuation, possibly followed by closing quotes/brackets.
SENTENCE_END = re.compile(r"[.!?…:;。！？．][\"'”’»)\]」』）]*$")


def collapse(text: str) -> str:
    """Collapse runs of whitespace (including no-break spaces) into single spaces."""
    return _WHITESPACE.sub(" ", text.translate(_INVISIBLE)).strip()


def count_words(text: str) -> int:
    # Chinese and Japanese put no spaces between words: count two ideographs or kana as
    # one word, about their average word length, so CJK pages are not found "too short".
    ideographs = len(_IDEOGRAPH.findall(text))
    return len(WORD.findall(_IDEOGRAPH.sub(" ", text))) + (ideographs + 1) // 2


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    return "\n\n".join(paragraphs).strip()


def title_from_sentence(text: str) -> str:
    """A title made from the first sentence, cut at a word boundary."""
    first_paragraph = text.split("\n\n", 1)[0]
    match = re.match(r"(.+?[.!?…])(?:\s|$)", first_paragraph)
    sentence = (match.group(1) if match else first_paragraph).rstrip(".")
    if len(sentence) <= DERIVED_TITLE_CHARS:
        return sentence
    cut = sentence[:DERIVED_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return f"{cut}…"
