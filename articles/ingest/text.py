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
    "strip_bidi_controls",
    "title_from_sentence",
    "unstorable_reason",
]

# The title made up from the first sentence when a text has no headline.
DERIVED_TITLE_CHARS = 80

WORD = re.compile(r"\w+(?:['’]\w+)*")
_IDEOGRAPH = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_WHITESPACE = re.compile(r"\s+")
# Invisible characters that survive whitespace collapsing and would otherwise end up in
# the stored text (and shift mention offsets for no visible reason).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Bidirectional embeddings, overrides and isolates: invisible, and able to make a line
# display in another order than it reads ("Trojan Source"). No stored text keeps them.
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)], None)
_INVISIBLE.update(_BIDI_CONTROLS)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# A sentence ends with terminal punctuation, possibly followed by closing quotes/brackets:
# in Latin, Greek and Cyrillic, CJK, Indic (danda), Arabic, Urdu, Armenian, Ethiopic,
# Myanmar and Khmer script. A script missing here makes every page written in it "empty".
SENTENCE_END = re.compile(r"[.!?…:;‼⁇。！？．｡।॥؟۔։።။។][\"'”’»)\]」』）]*$")


def collapse(text: str) -> str:
    """Collapse runs of whitespace (including no-break spaces) into single spaces."""
    return _WHITESPACE.sub(" ", text.translate(_INVISIBLE)).strip()


def strip_bidi_controls(text: str) -> str:
    return text.translate(_BIDI_CONTROLS)


def unstorable_reason(text: str) -> str:
    """Why ``text`` cannot be stored as it is (a NUL, half a surrogate pair), or "".

    Both can arrive in valid JSON (``"\\u0000"``, ``"\\ud800"``); PostgreSQL refuses
    the first and UTF-8 cannot encode the second.
    """
    nul = text.find("\x00")
    if nul >= 0:
        return f"contains a NUL character (\\u0000) at position {nul}"
    surrogate = _SURROGATE.search(text)
    if surrogate:
        return (
            f"contains an unpaired surrogate (\\u{ord(surrogate.group()):04x}) "
            f"at position {surrogate.start()}"
        )
    return ""


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
