"""Turn a pasted plain text, such as a reader's copy of a web page, into a clean article.

Our own rule for telling article sentences from site furniture (menus, timestamps,
"Like us on Facebook"); the result is the same `ExtractedArticle` as for a web page.
"""

from __future__ import annotations

import re

from articles.ingest.extract import ExtractedArticle, ExtractionError
from articles.ingest.language import detect_language
from articles.ingest.text import (
    SENTENCE_END,
    WORD,
    collapse,
    count_words,
    join_paragraphs,
    title_from_sentence,
)

__all__ = ["extract_text"]

# A pasted title longer than this is a sentence, not a headline.
MAX_TITLE_WORDS = 20
MAX_TITLE_CHARS = 200

_ALL_CAPS_MIN_LETTERS = 4
_DATE_OR_TIME = re.compile(
    r"^[\W\d_]*(?:\d{1,4}[/.:-]\d{1,2}[/.:-]?\d{0,4}|\d{1,2}:\d{2})", re.IGNORECASE
)


def extract_text(text: str) -> ExtractedArticle:
    """Extract an article from plain text, such as a reader's copy of a web page.

    Paragraphs are blocks separated by blank lines (or single lines when the text has no
    blank lines). A paragraph is kept when it reads as prose: it ends like a sentence
    and has several words, or is long. Everything else (site names, menus, timestamps,
    "Like us on Facebook") is site furniture. The headline is the longest short,
    capitalised, unpunctuated line before the first paragraph of prose.
    """
    blocks = _text_blocks(text)
    if not blocks:
        raise ExtractionError("The text is empty.")

    first_prose = next((i for i, block in enumerate(blocks) if _is_prose(block)), None)
    lead = blocks if first_prose is None else blocks[:first_prose]
    title_index = _headline_index(lead)

    body = [
        block
        for index, block in enumerate(blocks)
        if index != title_index and (first_prose is not None and _is_prose(block))
    ]
    if not body:
        # Nothing reads as prose (a list, notes without punctuation): keep it all rather
        # than throw the reader's text away.
        body = [block for index, block in enumerate(blocks) if index != title_index]
    body_text = join_paragraphs(body)
    if not body_text:
        raise ExtractionError("No article text was found in that text.")

    title = blocks[title_index] if title_index is not None else title_from_sentence(body_text)
    return ExtractedArticle(title=title, text=body_text, language=detect_language(body_text))


def _text_blocks(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Some copies (and some editors) use a form feed or a Unicode separator for breaks.
    text = re.sub(r"[\f\v\u2028\u2029\x85]", "\n", text)
    lines = [line.strip() for line in text.split("\n")]
    if any(not line for line in lines) and sum(1 for line in lines if line) > 1:
        # Blank lines separate paragraphs; single newlines inside one are hard wraps.
        chunks = re.split(r"\n\s*\n", "\n".join(lines))
        blocks = [collapse(chunk) for chunk in chunks]
    else:
        blocks = [collapse(line) for line in lines]
    return [block for block in blocks if block]


def _is_prose(block: str, *, min_words: int = 5) -> bool:
    """True when a block reads as article text rather than site furniture."""
    words = count_words(block)
    if words >= 20:
        return True
    return words >= min_words and bool(SENTENCE_END.search(block)) and not block.endswith(":")


def _headline_index(lead: list[str]) -> int | None:
    """Index in `lead` of the headline: the longest title-like block, earliest on ties."""
    best: int | None = None
    best_words = 0
    for index, block in enumerate(lead):
        if not _is_title_like(block):
            continue
        words = count_words(block)
        if words > best_words:
            best, best_words = index, words
    if best is not None and best_words >= 3:
        return best
    # No line looks like a headline: a short first line is still the title of a text
    # without clutter ("Notes", "Meeting 3 May"), unless it is a timestamp.
    for index, block in enumerate(lead[:1]):
        if count_words(block) <= MAX_TITLE_WORDS and not _DATE_OR_TIME.match(block):
            return index
    return best


def _is_title_like(block: str) -> bool:
    words = WORD.findall(block)
    if not words or len(words) > MAX_TITLE_WORDS or len(block) > MAX_TITLE_CHARS:
        return False
    if block.endswith((".", ",", ";", ":")) or _DATE_OR_TIME.match(block):
        return False
    letters = [character for character in block if character.isalpha()]
    # Shouted lines are site names and section labels ("CHINA TOPIX"), not headlines.
    if len(letters) >= _ALL_CAPS_MIN_LETTERS and all(c.isupper() for c in letters):
        return False
    first = block[0]
    return first.isupper() or first.isdigit() or first in "\"'“‘«¿¡"
