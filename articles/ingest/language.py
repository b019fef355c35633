"""Guess the language of an article's text without a model.

Non-Latin scripts mostly name their language by themselves; Latin-script text is told
apart by the share of each language's most common function words.
"""

from __future__ import annotations

import re
import unicodedata

from articles.ingest.text import WORD

__all__ = ["detect_language", "page_language"]

# The most frequent function words of each language: in running text they are a third
# to a half of all words, so their share tells the language apart without a model.
_STOPWORD_TEXT = {
    "en": (
        "the of and to in a is that for it as was with be by on not he i this are or his "
        "from at which but have an they you were her she there been their has would will "
        "its who said we after also more than"
    ),
    "fr": (
        "le la les de des du et à un une est que qui dans pour pas sur au aux ce il elle "
        "ne se sont par plus avec son sa ses ont été mais nous vous leur cette comme "
        "était être lui où"
    ),
    "de": (
        "der die das und in zu den von mit sich des auf für ist im dem nicht ein eine als "
        "auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie "
        "einem über einen so zum war haben nur oder aber vor zur bis"
    ),
    "es": (
        "el la de que y en los se del las un por con no una su para es al lo como más "
        "pero sus le ya o este fue ha sí porque esta entre cuando muy sin sobre también "
        "me hasta hay donde han"
    ),
    "it": (
        "il di che e la per un in è del non una sono della le si con da al alla gli dei "
        "delle nel anche come più ma lo questo ha nella ci hanno essere era tra degli "
        "sul quando"
    ),
    "pt": (
        "o a de que e do da em um para é com não uma os no se na por mais as dos como "
        "mas foi ao ele das tem à seu sua ou ser quando muito há nos já está também "
        "pelo pela até isso ela entre era depois sem mesmo"
    ),
    "nl": (
        "de het een van en in is dat op te zijn niet met voor die er aan ook als door "
        "maar om bij dan nog wel naar uit werd worden zou hij ze wordt heeft tot over "
        "kan deze dit"
    ),
}
_STOPWORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split()) for language, words in _STOPWORD_TEXT.items()
}
# Scripts that (nearly) identify a language on their own, by Unicode name prefix.
_SCRIPT_LANGUAGES = (
    ("HANGUL", "ko"),
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("CJK", "zh"),
    ("CYRILLIC", "ru"),
    ("ARABIC", "ar"),
    ("HEBREW", "he"),
    ("GREEK", "el"),
    ("THAI", "th"),
    ("DEVANAGARI", "hi"),
    ("BENGALI", "bn"),
    ("TAMIL", "ta"),
    ("GEORGIAN", "ka"),
    ("ARMENIAN", "hy"),
)
_LANGUAGE_SAMPLE_CHARS = 20000
_MIN_STOPWORD_HITS = 3


def detect_language(text: str) -> str:
    """Guess the ISO 639-1 language of `text`, "" when unsure.

    Non-Latin scripts decide by themselves (kana means Japanese even among Chinese
    characters; Ukrainian letters set Ukrainian apart from Russian); Latin-script text is
    scored by the share of each language's most common function words.
    """
    sample = text[:_LANGUAGE_SAMPLE_CHARS]
    script = _dominant_script(sample)
    if script is not None:
        return script
    words = [word.casefold() for word in WORD.findall(sample) if not word.isdigit()]
    if len(words) < 3:
        return ""
    scores = {
        language: sum(1 for word in words if word in stopwords)
        for language, stopwords in _STOPWORDS.items()
    }
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, best_hits), (_, runner_up_hits) = ranked[0], ranked[1]
    # Short or mixed texts give weak evidence: demand a few hits, a fair share of the
    # words, and a clear lead over the next language (many short words are shared).
    if best_hits < min(_MIN_STOPWORD_HITS, len(words) // 2 or 1):
        return ""
    if best_hits < 0.1 * len(words) or best_hits < 1.25 * runner_up_hits:
        return ""
    return best


def page_language(text: str, *, declared: str) -> str:
    """The language of the article text, with the page's own declaration as a fallback.

    The text decides when it can: sites often declare one language for every page
    (an English article on a .de site declares "de"). But for languages our detector
    does not know (Swedish, Polish...), a Latin-script guess is a near miss between
    cousins, so the page's declaration wins there.
    """
    detected = detect_language(text)
    if declared and declared not in _STOPWORDS and detected in _STOPWORDS:
        return declared
    return detected or declared


def _dominant_script(sample: str) -> str | None:
    """The language of a non-Latin script covering most letters; None for Latin or mixed."""
    counts: dict[str, int] = {}
    letters = 0
    for character in sample:
        if not character.isalpha():
            continue
        letters += 1
        if character.isascii():
            continue
        name = unicodedata.name(character, "")
        for prefix, language in _SCRIPT_LANGUAGES:
            if name.startswith(prefix):
                counts[language] = counts.get(language, 0) + 1
                break
    if not letters or not counts:
        return None
    # Japanese mixes kanji (CJK) with kana: any real share of kana makes it Japanese.
    if counts.get("ja", 0) >= 0.05 * letters:
        return "ja"
    language, count = max(counts.items(), key=lambda item: item[1])
    if count < 0.4 * letters:
        return None
    if language == "ru" and re.search(r"[іїєґІЇЄҐ]", sample):
        return "uk"
    if language == "ar" and re.search(r"[پچژگکی]", sample):
        return "fa"
    return language
