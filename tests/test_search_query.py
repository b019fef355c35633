"""The search box's syntax, written for FTS5 and for websearch_to_tsquery."""

from __future__ import annotations

from articles.search_query import MARK_END, MARK_START, SnippetPart, parse_query, split_marked


def test_words_phrases_and_exclusions_become_quoted_terms():
    parsed = parse_query('Bank "central bank" -rates -"interest rate" OR')
    assert parsed.fts5() == '("bank" "central bank" "or") NOT "rates" NOT "interest rate"'
    assert parsed.websearch() == '"Bank" "central bank" -"rates" -"interest rate" "OR"'


def test_postgresql_gets_each_term_as_typed_less_quotes_and_control_characters():
    parsed = parse_query('U.S. -"al-Assad" ab"c\x00d\x1b')
    assert parsed.websearch() == '"U.S." -"al-Assad" "ab c d"'
    assert parsed.fts5() == '("u s" "ab c d") NOT "al assad"'


def test_fts5_syntax_in_the_input_is_only_separators():
    parsed = parse_query('NEAR(bank* "rates AND col:x\x00y')
    assert parsed.fts5() == '("near bank" "rates and col x y")'


def test_a_query_of_exclusions_or_punctuation_only_is_empty():
    for query in ("-bank", '" * ( ) -', "\x00", "", "___"):
        assert parse_query(query).is_empty, query


def test_a_hyphen_inside_a_word_joins_a_phrase_and_accents_stay():
    assert parse_query("al-Assad Zürich").fts5() == '("al assad" "zürich")'


def test_marked_text_splits_into_parts():
    text = f"The {MARK_START}bank{MARK_END} of <b>{MARK_START}Canada{MARK_END}"
    assert split_marked(text) == [
        SnippetPart("The "),
        SnippetPart("bank", marked=True),
        SnippetPart(" of <b>"),
        SnippetPart("Canada", marked=True),
    ]
