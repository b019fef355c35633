"""Tests of the pure name and text helpers in articles/nlp/text.py (no spaCy)."""

from __future__ import annotations

import re

from articles.nlp.text import (
    at_sentence_start,
    blocking_key,
    expanded_key,
    in_title_case_line,
    lower_case_words,
    normalise_key,
    spelling_variants,
)


def test_normalise_key_unifies_dotted_and_plain_acronyms():
    assert normalise_key("U.S.") == normalise_key("US") == "us"


def test_normalise_key_drops_accents_case_and_leading_article():
    assert normalise_key("The  Côte d’Ivoire") == "cote divoire"


def test_normalise_key_turns_hyphens_into_spaces():
    assert normalise_key("Haider al-Abadi") == "haider al abadi"


def test_transliterations_share_a_blocking_key():
    assert blocking_key("fuad masum") == blocking_key("fouad massoum")
    assert blocking_key("muammar gaddafi") == blocking_key("moammar qadhafi")


def test_spelling_variants_of_one_name_match():
    assert spelling_variants("fuad masum", "fouad massoum")
    assert spelling_variants("muammar gaddafi", "moammar qadhafi")


def test_different_first_names_are_not_spelling_variants():
    assert not spelling_variants("john smith", "joan smith")
    assert not spelling_variants("john kerry", "john kelly")


def test_names_of_different_length_are_not_spelling_variants():
    assert not spelling_variants("george bush", "george w bush")


def test_lower_case_words_are_the_words_written_all_in_lower_case():
    assert lower_case_words("The Press and the press, PRESS-ganged.") == {
        "and",
        "the",
        "press",
        "ganged",
    }


def test_a_line_of_mostly_capitalised_words_is_a_title():
    text = "Steve Jobs Resigns As Apple Chief\n\nThe board said Jobs would stay on."
    assert in_title_case_line(text, text.index("Jobs"))
    assert not in_title_case_line(text, text.rindex("Jobs"))


def test_a_word_after_a_sentence_end_or_a_line_break_starts_a_sentence():
    text = 'Press said so. Press ran.\nPress and "Press on" and the Press'
    starts = [m.start() for m in re.finditer("Press", text)]
    assert [at_sentence_start(text, start) for start in starts] == [True, True, True, False, False]
    assert at_sentence_start(text, starts[3], or_title=True)


def test_expanded_key_writes_out_abbreviated_leading_words():
    assert expanded_key("st petersburg") == "saint petersburg"
    assert expanded_key("mt everest") == "mount everest"
    assert expanded_key("port st lucie") == "port saint lucie"
    # A final "St" is a street.
    assert expanded_key("main st") == "main st"
