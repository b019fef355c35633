"""Pure string helpers for names and texts: normalised keys, spelling variants, blocking,
the case of words in a text.

No spaCy here, so these can be used (and tested) anywhere, including the database layer
that stores keys and blocking tokens.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from rapidfuzz.distance import Levenshtein

# Words after a person's surname that tell a father from his son ("Jr.", "III"), lower
# case without their dot: never a name, nor the surname, on their own.
GENERATION_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

_DROPPED = re.compile(r"[.'’‘`´]")
_SEPARATORS = re.compile(r"[^\w]+|_")


@functools.lru_cache(maxsize=100_000)
def normalise_key(name: str) -> str:
    """A name's key: casefolded, without accents, dots, apostrophes or a leading "the".

    "U.S." and "US" give "us"; "Fouad Massoum" gives "fouad massoum"; "al-Assad" gives
    "al assad"; "the United States" gives "united states". Used for unique entity keys
    and alias keys, so it must stay stable: changing it means re-keying stored aliases.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.casefold().replace("&", " and ")
    text = _DROPPED.sub("", text)
    text = " ".join(_SEPARATORS.sub(" ", text).split())
    if text.startswith("the "):
        text = text[4:]
    return text


# A year as texts cite one (a work's, a paper's): 1500 to 2099.
YEAR = r"(?:1[5-9]|20)\d\d"


# Abbreviated words that begin place names, in key form: "St. Petersburg" and "Saint
# Petersburg", "Mt. Everest" and "Mount Everest". Only before another word: a final "St"
# is a street ("Main St").
_ABBREVIATED_NAME_WORDS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def expanded_key(key: str) -> str:
    """A key with its abbreviated leading words written out ("st petersburg" ->
    "saint petersburg"), so both spellings share one alias key."""
    words = key.split()
    return " ".join([_ABBREVIATED_NAME_WORDS.get(word, word) for word in words[:-1]] + words[-1:])


# Spelling rules that transliterations of one name differ by (Fouad/Fuad, Massoum/Masum,
# Qadhafi/Gaddafi, Mohammed/Muhammad). Applied in order to a single lower-case word.
_PHONETIC_RULES = (
    (re.compile(r"ou"), "u"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"([dgkt])h"), r"\1"),
    (re.compile(r"[qc](?=[^eiy]|$)"), "k"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"y$"), "i"),
    (re.compile(r"ee"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
)


def phonetic_word(word: str) -> str:
    """A word spelt the way transliteration variants agree on ("massoum" -> "masum")."""
    for pattern, replacement in _PHONETIC_RULES:
        word = pattern.sub(replacement, word)
    return word


def blocking_key(key: str) -> str:
    """A short token that spelling variants of one name share, for fuzzy-match blocking.

    The consonant skeleton of the name's last word: "fuad masum" and "fouad massoum" both
    give "msm"; "gaddafi" and "qadhafi" both give "kdf"; "motors" and "motor" give "mtr".
    Store it with every alias so that similar names are found with one indexed equality
    query.
    """
    words = key.split()
    if not words:
        return ""
    # A final "s" is dropped so "General Motor" and "General Motors" block together.
    word = phonetic_word(words[-1].removesuffix("s") if len(words[-1]) > 3 else words[-1])
    word = re.sub(r"[gq]", "k", word)
    skeleton = re.sub(r"[aeiouyhw\d]", "", word)
    return re.sub(r"(.)\1+", r"\1", skeleton) or word[:3]


def _word_similarity(left: str, right: str) -> float:
    return Levenshtein.normalized_similarity(phonetic_word(left), phonetic_word(right))


def spelling_variants(left_key: str, right_key: str) -> bool:
    """Whether two keys are spellings of one name: word by word, each pair close.

    Conservative on purpose: the same number of words, each at most about one edit apart
    once transliteration rules are applied, and the longer words (surnames) no looser.
    "fuad masum" ~ "fouad massoum" and "muammar gaddafi" ~ "moammar qadhafi" match;
    "john smith" ~ "joan smith" does not.
    """
    left_words, right_words = left_key.split(), right_key.split()
    if left_key == right_key or len(left_words) != len(right_words):
        return left_key == right_key
    for left, right in zip(left_words, right_words, strict=True):
        if left == right:
            continue
        if (
            min(len(left), len(right)) < 4
            or left[0] != right[0]
            and not _same_sound_start(left, right)
        ):
            return False
        if _word_similarity(left, right) < 0.8:
            return False
    return True


def _same_sound_start(left: str, right: str) -> bool:
    # g/k/q are the one onset transliterations disagree on (Gaddafi, Qadhafi, Kadhafi).
    return {left[0], right[0]} <= {"g", "k", "q"}


# Words an acronym usually skips ("MIT": Massachusetts Institute of Technology).
_MINOR_WORDS = frozenset(
    {"of", "and", "the", "for", "in", "on", "de", "du", "des", "la", "le", "al"}
)


def name_initials(name: str) -> tuple[str, str]:
    """A name's initials with and without its minor words: ("usoi", "usi").

    Works on a display name ("University of Southern Indiana") and on its key alike.
    """
    words = re.findall(r"[A-Za-z]+", re.sub(r"['’]s\b", "", name))
    return (
        "".join(word[0].lower() for word in words),
        "".join(word[0].lower() for word in words if word.lower() not in _MINOR_WORDS),
    )


def is_acronym(surface: str) -> bool:
    """Whether a name is written as an acronym: 2 to 8 capitals, with or without dots."""
    letters = surface.replace(".", "")
    return 2 <= len(letters) <= 8 and letters.isupper() and letters.isalpha()


def lower_case_words(text: str) -> frozenset[str]:
    """The words ``text`` writes in lower case: "press" if it says "the press"."""
    return frozenset(re.findall(r"\b[a-z]+\b", text))


_LONG_WORD = re.compile(r"\b[^\W\d_]{4,}\b")


def in_title_case_line(text: str, at: int) -> bool:
    """Whether most words of the line holding ``text[at]`` are capitalised (a headline)."""
    end = text.find("\n", at)
    line = text[text.rfind("\n", 0, at) + 1 : end if end >= 0 else len(text)]
    words = _LONG_WORD.findall(line)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) > 0.6 * len(words)


# What comes before the first word of a text, a line or a sentence: nothing, or a line
# break or a sentence's end (with its closing quote) and spaces.
_SENTENCE_START_BEFORE = re.compile(r"(?:^|[.!?:;\n][\"'”’)]?\s*)$")
# What comes before the first word of a quoted or bracketed title.
_TITLE_START_BEFORE = re.compile(r"[\"“‘(]\s*$")


def at_sentence_start(text: str, start: int, *, or_title: bool = False) -> bool:
    """Whether ``text[start:]`` starts the text, a line or a sentence, or, ``or_title``,
    a title in quotes or brackets ('"Scientology vs. the Internet"')."""
    window = max(0, start - 6)
    return _SENTENCE_START_BEFORE.search(text, window, start) is not None or (
        or_title and _TITLE_START_BEFORE.search(text, window, start) is not None
    )
