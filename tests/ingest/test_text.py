"""Tests for articles/ingest/text.py: the text helpers both extractors share."""

from __future__ import annotations

from articles.ingest.text import (
    collapse,
    count_words,
    join_paragraphs,
    title_from_sentence,
    unstorable_reason,
)


def test_collapse_joins_whitespace_and_drops_invisible_characters() -> None:
    # No-break spaces count as whitespace; zero-width spaces and soft hyphens vanish, so
    # they cannot shift the offsets of mentions in the stored text.
    assert collapse(" a\u00a0 b\u200bc\u00adz \n\t d ") == "a bcz d"


def test_collapse_drops_bidi_controls_that_could_reorder_a_line() -> None:
    controls = "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
    assert collapse(f"Paris{controls} talks \u202eon\u202c") == "Paris talks on"


def test_unstorable_reason_names_a_nul_or_half_a_surrogate_pair() -> None:
    assert unstorable_reason("Paris \u05d0 \U0001f600") == ""
    assert unstorable_reason("ab\x00") == "contains a NUL character (\\u0000) at position 2"
    assert unstorable_reason("a\udc00") == "contains an unpaired surrogate (\\udc00) at position 1"


def test_count_words_keeps_contractions_whole() -> None:
    assert count_words("It's a well-known fact, isn't it?") == 7


def test_count_words_counts_two_ideographs_as_one_word() -> None:
    # Japanese and Chinese have no spaces: a page of them must not count as one word.
    assert count_words("東京で会議が開かれた") == 5


def test_join_paragraphs_separates_with_a_blank_line() -> None:
    assert join_paragraphs(["", "One.", "Two.", ""]) == "One.\n\nTwo."


def test_title_from_sentence_takes_the_first_sentence_without_its_full_stop() -> None:
    assert title_from_sentence("Short one. Then more.\n\nNext.") == "Short one"


def test_title_from_sentence_cuts_a_long_sentence_at_a_word() -> None:
    title = title_from_sentence(
        "The regional parliament approved a budget on Thursday that doubles spending on "
        "rural bus services over the next five years."
    )
    assert (
        title == "The regional parliament approved a budget on Thursday that doubles spending on…"
    )
