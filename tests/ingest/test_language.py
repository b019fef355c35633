"""Tests for articles/ingest/language.py: the language of a text, and of a page."""

from __future__ import annotations

import pytest

from articles.ingest.language import detect_language, page_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The minister said that the talks would resume after the summer.", "en"),
        ("Le ministre a déclaré que les négociations reprendraient après l'été.", "fr"),
        ("Der Minister sagte, dass die Gespräche nach dem Sommer wieder aufgenommen werden.", "de"),
        ("El ministro dijo que las negociaciones se reanudarán después del verano.", "es"),
        ("Il ministro ha detto che i negoziati riprenderanno dopo l'estate con la Francia.", "it"),
        ("O ministro disse que as negociações serão retomadas depois do verão.", "pt"),
        ("De minister zei dat de gesprekken na de zomer worden hervat met een nieuw plan.", "nl"),
        ("Министр заявил, что переговоры возобновятся после лета.", "ru"),
        ("Міністр заявив, що переговори відновляться після літа.", "uk"),
        ("大臣は夏の後に交渉を再開すると述べた。", "ja"),
        ("部长表示，谈判将在夏季之后恢复。", "zh"),
        ("장관은 여름 이후 협상이 재개될 것이라고 말했다.", "ko"),
        ("قال الوزير إن المحادثات ستستأنف بعد الصيف.", "ar"),
        ("Ο υπουργός είπε ότι οι συνομιλίες θα συνεχιστούν μετά το καλοκαίρι.", "el"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "12345 678", "OK", "Zxqv brrk plonk"])
def test_detect_language_unsure_returns_empty(text: str) -> None:
    assert detect_language(text) == ""


def test_page_language_text_wins_over_the_declared_language() -> None:
    # Sites often declare one language for every page, whatever the article's language.
    text = "The minister said that the talks would resume after the summer."
    assert page_language(text, declared="de") == "en"


def test_page_language_declaration_wins_for_a_language_the_detector_does_not_know() -> None:
    catalan = (
        "El ministre va dir que les negociacions es reprendran després de l'estiu i que el "
        "govern té un pla per a la ciutat."
    )
    assert detect_language(catalan) == "es"  # a near miss between cousins
    assert page_language(catalan, declared="ca") == "ca"


def test_page_language_falls_back_to_the_declaration_when_the_text_is_unsure() -> None:
    assert page_language("OK", declared="fr") == "fr"
    assert page_language("OK", declared="") == ""
