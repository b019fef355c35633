"""Tests of the word lists, articles/nlp/lexicon.py and the files in knowledge/ (no spaCy)."""

from __future__ import annotations

from pathlib import Path

from articles.nlp.knowledge_base import KNOWLEDGE_DIR
from articles.nlp.lexicon import is_given_name, not_entities, word_list

WORD_LISTS = sorted(path.stem for path in Path(KNOWLEDGE_DIR).glob("*.txt"))


def test_a_word_list_holds_its_entries_without_the_comment_header():
    roles = word_list("role_words")
    assert {"secretary", "ceo", "minister"} <= roles
    assert not any(entry.startswith("#") or entry != entry.strip() for entry in roles)


def test_every_word_list_says_what_it_is_and_is_in_the_readme():
    readme = (KNOWLEDGE_DIR / "README.md").read_text(encoding="utf-8")
    for name in WORD_LISTS:
        assert (KNOWLEDGE_DIR / f"{name}.txt").read_text(encoding="utf-8").startswith("# ")
        assert word_list(name), name
        assert f"`{name}.txt`" in readme, name


def test_word_lists_other_than_names_are_lower_case():
    for name in WORD_LISTS:
        if name not in {"given_names", "world_given_names"}:
            assert all(entry == entry.lower() for entry in word_list(name)), name


def test_given_names_match_as_written_and_before_a_hyphen():
    assert is_given_name("Mason")
    assert is_given_name("Jo-Wilfried")
    assert not is_given_name("mason")
    assert not is_given_name("Dallas")  # left out on purpose: a city first


def test_not_entities_are_listed_with_their_kind():
    kinds = not_entities()
    assert kinds["UTC"] == "time_zone"
    assert kinds["Jupiter"] == "celestial"
    assert "Utc" not in kinds
