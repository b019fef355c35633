"""Tests for articles/ingest/plain_text.py: a pasted text to a clean article."""

from __future__ import annotations

import pytest

from articles.ingest.extract import ExtractedArticle, ExtractionError
from articles.ingest.plain_text import extract_text
from tests.support import SHARED, require

SEED_ARTICLE = SHARED / "examples" / "seed-article.txt"


@pytest.fixture(scope="module")
def seed_article() -> ExtractedArticle:
    require(
        SEED_ARTICLE.exists(),
        f"the seed article is not at {SEED_ARTICLE} (shared/ sits beside the repository)",
    )
    return extract_text(SEED_ARTICLE.read_text(encoding="utf-8"))


def test_seed_article_title(seed_article: ExtractedArticle) -> None:
    assert seed_article.title == "World Powers Back ISIL Fight In Iraq, But Not In Syria"


@pytest.mark.parametrize(
    "clutter",
    [
        "CHINA TOPIX",
        "04/26/2024",
        "05:54:35",
        "Make CT Your Homepage",
        "Paris conference/ISIL",
        "Like Us on Facebook",
        "Real Time Analytics",
    ],
)
def test_seed_article_has_no_clutter(seed_article: ExtractedArticle, clutter: str) -> None:
    assert clutter not in seed_article.text
    assert clutter not in seed_article.title


def test_seed_article_keeps_the_paragraphs(seed_article: ExtractedArticle) -> None:
    paragraphs = seed_article.text.split("\n\n")
    assert paragraphs[1].startswith("Thirty world powers met in France on Monday")
    assert paragraphs[-1].startswith("Secretary of State John Kerry earlier said")
    for fragment in (
        "In attendance were the five U.N. Security council members",
        "Fouad Massoum, the Iraqi president",
        "Syria, however, is an altogether different matter.",
        "Obama's anti-ISIL strategy, announced last week",
    ):
        assert fragment in seed_article.text
    # The caption is kept: it is the only place the text names Fuad Masum that way.
    assert "Iraq's President Fuad Masum" in seed_article.text
    assert "\xa0" not in seed_article.text
    assert seed_article.language == "en"


def test_text_without_clutter_first_line_is_title() -> None:
    article = extract_text(
        "Notes from the harbour\r\n\r\n"
        "The ferry was late again this morning because of fog in the strait.\r\n\r\n"
        "Passengers waited for an hour on the quay before the captain arrived.\r\n"
    )
    assert article.title == "Notes from the harbour"
    assert article.text == (
        "The ferry was late again this morning because of fog in the strait.\n\n"
        "Passengers waited for an hour on the quay before the captain arrived."
    )


def test_text_hard_wrapped_lines_join_into_paragraphs() -> None:
    article = extract_text(
        "Council Votes to Keep the Night Ferry\n\n"
        "The council voted on Tuesday to keep the night ferry\n"
        "running through the winter, after a petition.\n\n"
        "The service will cost the town about the same as last year.\n"
    )
    assert article.title == "Council Votes to Keep the Night Ferry"
    assert article.text.split("\n\n")[0] == (
        "The council voted on Tuesday to keep the night ferry running through the winter, "
        "after a petition."
    )


def test_text_without_headline_takes_title_from_first_sentence() -> None:
    article = extract_text(
        "The regional parliament approved a budget on Thursday that doubles spending on "
        "rural bus services over the next five years. Opposition parties abstained.\n\n"
        "The transport minister said the first new routes would open in the spring."
    )
    assert article.title.startswith("The regional parliament approved a budget")
    assert len(article.title) <= 81
    assert article.title.endswith("…")
    assert article.text.startswith("The regional parliament approved")


def test_text_empty_raises() -> None:
    with pytest.raises(ExtractionError):
        extract_text(" \n\r\n ")
