"""Tests for articles/ingest/extract.py: HTML and plain text to a clean article."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from articles.ingest.extract import (
    ExtractedArticle,
    ExtractionError,
    decode_html,
    detect_language,
    extract_html,
    extract_text,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO_ROOT = Path(__file__).resolve().parents[2]
# In CI the repository is a fresh clone with shared/ beside it.
SEED_ARTICLE = REPO_ROOT.parent / "shared" / "examples" / "seed-article.txt"


def read_fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cluttered_article() -> ExtractedArticle:
    return extract_html(
        read_fixture("article_with_clutter.html"),
        url="https://herald.example/news/2024/floating-library?utm_source=feed",
    )


# --- extract_html -------------------------------------------------------------------


def test_html_article_keeps_every_paragraph(cluttered_article: ExtractedArticle) -> None:
    paragraphs = cluttered_article.text.split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("A converted grain barge moored at the north quay")
    assert paragraphs[-1].endswith("so that shift workers from the cannery can use it.")
    assert "Read the council's plan for the route." in cluttered_article.text


def test_html_article_drops_nav_footer_comments_and_related(
    cluttered_article: ExtractedArticle,
) -> None:
    for clutter in (
        "Sport",
        "Weather",
        "Subscribe today",
        "harbourfan77",
        "potholes on Mill Road",
        "Related stories",
        "ferry timetable",
        "Copyright",
        "Cookie settings",
    ):
        assert clutter not in cluttered_article.text


def test_html_article_text_is_plain_and_clean(cluttered_article: ExtractedArticle) -> None:
    text = cluttered_article.text
    assert text == text.strip()
    assert "\n\n\n" not in text
    for paragraph in text.split("\n\n"):
        assert paragraph == " ".join(paragraph.split())


def test_html_hostile_markup_leaves_no_trace(cluttered_article: ExtractedArticle) -> None:
    everything = " ".join(str(value) for value in vars(cluttered_article).values())
    for hostile in (
        "<",
        ">",
        "script",
        "Injected paragraph",
        "document.",
        "tracker",
        "onclick",
        "steal()",
        "javascript:",
        "gotcha",
        "alert(",
    ):
        assert hostile not in everything


def test_html_metadata_comes_from_meta_tags(cluttered_article: ExtractedArticle) -> None:
    assert cluttered_article.title == "Harbour Town Opens a Floating Library"
    assert cluttered_article.byline == "Maria Lindqvist"
    assert cluttered_article.site_name == "The Coastal Herald"
    assert cluttered_article.language == "en"
    assert cluttered_article.published_at == datetime.datetime(
        2024, 3, 5, 13, 30, tzinfo=datetime.UTC
    )
    assert cluttered_article.published_at.tzinfo is not None
    assert cluttered_article.image_url == "https://herald.example/images/library-barge.jpg"


def test_html_relative_canonical_is_resolved_against_the_page_url(
    cluttered_article: ExtractedArticle,
) -> None:
    assert cluttered_article.canonical_url == "https://herald.example/news/2024/floating-library"


def test_html_headline_is_not_repeated_in_the_text(cluttered_article: ExtractedArticle) -> None:
    assert not cluttered_article.text.startswith(cluttered_article.title)


def test_html_without_canonical_or_url_has_empty_canonical() -> None:
    html = read_fixture("article_with_clutter.html").replace(
        '<link rel="canonical" href="/news/2024/floating-library">', ""
    )
    assert extract_html(html).canonical_url == ""


def test_html_javascript_canonical_is_ignored() -> None:
    html = read_fixture("article_with_clutter.html").replace(
        'href="/news/2024/floating-library"', 'href="javascript:alert(1)"'
    )
    assert extract_html(html, url="https://herald.example/x").canonical_url == ""


def test_html_timestamp_without_timezone_is_utc() -> None:
    html = read_fixture("article_with_clutter.html").replace(
        "2024-03-05T14:30:00+01:00", "2024-03-05T14:30:00"
    )
    published_at = extract_html(html).published_at
    assert published_at == datetime.datetime(2024, 3, 5, 14, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize("fixture", ["login_wall.html", "index_page.html"])
def test_html_page_without_article_raises_readable_error(fixture: str) -> None:
    with pytest.raises(ExtractionError) as error:
        extract_html(read_fixture(fixture), url="https://ledger.example/")
    message = str(error.value)
    assert message.endswith(".")
    assert "article" in message


@pytest.mark.parametrize("html", ["", "   \n", "<html><body></body></html>"])
def test_html_empty_page_raises(html: str) -> None:
    with pytest.raises(ExtractionError):
        extract_html(html)


def test_html_declared_language_loses_to_the_text() -> None:
    html = read_fixture("article_with_clutter.html").replace('lang="en"', 'lang="de"')
    assert extract_html(html).language == "en"


# --- decode_html --------------------------------------------------------------------


def test_decode_cp1252_bytes_without_any_declaration() -> None:
    body = "<html><body><p>It’s a “café” – naïve</p></body></html>".encode("cp1252")
    assert "It’s a “café” – naïve" in decode_html(body)


def test_decode_latin1_label_means_windows_1252() -> None:
    body = "<p>“quoted”</p>".encode("cp1252")
    assert decode_html(body, charset="ISO-8859-1") == "<p>“quoted”</p>"


def test_decode_shift_jis_from_meta() -> None:
    text = (
        '<html><head><meta charset="Shift_JIS"></head><body><p>日本語の記事です。</p></body></html>'
    )
    assert "日本語の記事です。" in decode_html(text.encode("shift_jis"))


def test_decode_shift_jis_from_header() -> None:
    body = "<p>東京で会議が開かれた。</p>".encode("shift_jis")
    assert decode_html(body, charset="shift_jis") == "<p>東京で会議が開かれた。</p>"


def test_decode_utf8_bom_is_removed_and_wins_over_header() -> None:
    body = b"\xef\xbb\xbf" + "<p>Zürich – ça va</p>".encode()
    assert decode_html(body, charset="windows-1252") == "<p>Zürich – ça va</p>"


def test_decode_header_wins_over_contradicting_meta() -> None:
    html = '<html><head><meta charset="utf-8"></head><body><p>Crème brûlée</p></body></html>'
    assert "Crème brûlée" in decode_html(html.encode("cp1252"), charset="windows-1252")


def test_decode_meta_http_equiv_is_read() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "</head><body><p>Señor “Ñandú”</p></body></html>"
    )
    assert "Señor “Ñandú”" in decode_html(html.encode("cp1252"))


def test_decode_plain_utf8_without_declaration() -> None:
    assert decode_html("<p>Łódź – Kraków</p>".encode()) == "<p>Łódź – Kraków</p>"


def test_decode_unknown_header_charset_falls_through() -> None:
    assert decode_html("<p>naïve</p>".encode(), charset="x-no-such-charset") == "<p>naïve</p>"


def test_decode_never_raises_on_bad_bytes() -> None:
    body = b'<meta charset="utf-8"><p>broken \xff\xfe\xc3 bytes</p>'
    decoded = decode_html(body)
    assert "broken" in decoded
    assert "\ufffd" in decoded


# --- extract_text -------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_article() -> ExtractedArticle:
    if not SEED_ARTICLE.exists():
        pytest.skip(f"seed article not found at {SEED_ARTICLE} (shared/ must sit beside the repo)")
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


# --- detect_language ----------------------------------------------------------------


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
