"""Tests for articles/ingest/extract.py: an HTML page to a clean article."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from articles.ingest.extract import ExtractedArticle, ExtractionError, extract_html

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def read_fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cluttered_article() -> ExtractedArticle:
    return extract_html(
        read_fixture("article_with_clutter.html"),
        url="https://herald.example/news/2024/floating-library?utm_source=feed",
    )


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


@pytest.mark.parametrize(
    ("byline_html", "byline"),
    [
        # The visible byline lower-cases the acronym; the JSON-LD has it right (an AP page).
        (
            '<script type="application/ld+json">{"@type": "NewsArticle",'
            ' "author": [{"@type": "Person", "name": "By TOM KRISHER, AP Auto Writer"}]}'
            '</script><p class="byline">Tom Krisher, Ap Auto Writer</p>',
            "Tom Krisher, AP Auto Writer",
        ),
        ('<meta name="author" content="Anne van der Berg">', "Anne van der Berg"),
        ('<meta name="author" content="By AP Auto Writer">', "AP Auto Writer"),
    ],
)
def test_bylines_keep_the_casing_the_page_writes_them_in(byline_html: str, byline: str) -> None:
    paragraphs = "".join(
        f"<p>On day {day} the council's floating library in the harbour lent books to readers.</p>"
        for day in range(1, 7)
    )
    html = (
        f"<html><head><title>Library</title>{byline_html}</head><body><article>"
        f"<h1>Library opens</h1>{paragraphs}</article></body></html>"
    )
    assert extract_html(html, url="https://herald.example/library").byline == byline


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


def test_html_headline_worded_apart_from_the_title_is_not_in_the_text() -> None:
    # The <title> words the story for search engines; the page's <h1> is its headline,
    # and trafilatura returns it among the paragraphs when it sits in the article's body.
    html = (
        read_fixture("article_with_clutter.html")
        .replace("<h1>Harbour Town Opens a Floating Library</h1>", "")
        .replace(
            '<div class="article-body">',
            '<div class="article-body"><h1>Harbour Town Opens a Floating Library</h1>',
        )
        .replace(
            "<title>Harbour Town Opens a Floating Library |",
            "<title>Grain barge becomes a library at the north quay |",
        )
        .replace(
            'content="Harbour Town Opens a Floating Library"',
            'content="Grain barge becomes a library at the north quay"',
        )
    )
    article = extract_html(html)
    assert article.title == "Grain barge becomes a library at the north quay"
    assert "Harbour Town Opens a Floating Library" not in article.text
    assert article.text.startswith("A converted grain barge moored at the north quay")


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


def test_html_teaser_behind_a_paywall_is_kept_and_marked() -> None:
    article = extract_html(read_fixture("paywall_teaser.html"), url="https://ledger.example/port")
    assert article.teaser_only
    assert article.text.startswith("The port authority will decide next month")
    assert "Subscribe" not in article.text


def test_html_subscribe_prompt_alone_marks_a_teaser() -> None:
    html = read_fixture("paywall_teaser.html")
    without_markup = html[: html.index("<script")] + html[html.index("</script>") + 9 :]
    assert extract_html(without_markup).teaser_only


def test_html_whole_article_on_a_paywalled_site_is_not_a_teaser() -> None:
    # The site served the whole article (as to a metered reader): no notice.
    more = "".join(
        f"<p>The {berth} berth would take ships of up to {size} metres, the board was told, "
        "and the dredging needed for it would be paid for by the shipping lines.</p>"
        for berth, size in zip(
            ("first", "second", "third", "fourth", "fifth", "sixth"),
            range(300, 400, 15),
            strict=False,
        )
    )
    html = read_fixture("paywall_teaser.html").replace("</p>\n  </div>", f"</p>{more}</div>", 1)
    article = extract_html(html)
    assert len(article.text.split()) > 200
    assert not article.teaser_only


def test_html_free_article_is_not_a_teaser(cluttered_article: ExtractedArticle) -> None:
    assert not cluttered_article.teaser_only


def test_html_prose_the_precise_pass_drops_inside_the_article_is_kept() -> None:
    # trafilatura's precise pass drops a heading that is all link; inside the article and
    # written as a sentence, it is the article's own text (a reader's question, here).
    html = read_fixture("article_with_clutter.html").replace(
        "<p>Children",
        '<h3><a href="/news/plan">Which villages will the barge visit first next summer?</a>'
        "</h3>\n<p>Children",
    )
    paragraphs = extract_html(html).text.split("\n\n")
    assert paragraphs[4] == "Which villages will the barge visit first next summer?"
    assert len(paragraphs) == 6
    assert not any("Related stories" in p or "Copyright" in p for p in paragraphs)


def test_html_sentence_keeps_the_link_the_precise_pass_cuts_out() -> None:
    html = read_fixture("article_with_clutter.html").replace(
        "Children's story hours will run",
        'The council has published <span class="link"><a href="/news/plan">the route of the '
        "first summer tour</a></span> on its website. Children's story hours will run",
    )
    paragraphs = extract_html(html).text.split("\n\n")
    assert paragraphs[4].startswith(
        "The council has published the route of the first summer tour on its website."
    )


@pytest.mark.parametrize(
    ("lang", "paragraphs"),
    [
        (
            "hi",
            [
                "भारत के प्रधानमंत्री ने सोमवार को नई दिल्ली में एक बैठक की अध्यक्षता की जिसमें कई "
                "राज्यों के मुख्यमंत्री शामिल हुए और बाढ़ से हुए नुकसान पर चर्चा की गई।",
                "अधिकारियों ने बताया कि राहत कार्य तेज़ी से चल रहा है और प्रभावित इलाकों में सेना की "
                "टुकड़ियाँ भेजी गई हैं ताकि लोगों को सुरक्षित स्थानों पर पहुँचाया जा सके।",
            ],
        ),
        (
            "ur",
            [
                "وزیر اعظم نے پیر کے روز اسلام آباد میں ایک اجلاس کی صدارت کی جس میں کئی صوبوں کے "
                "وزرائے اعلیٰ نے سیلاب سے ہونے والے نقصانات پر بات کی۔",
                "حکام نے بتایا کہ امدادی کارروائیاں تیزی سے جاری ہیں اور متاثرہ علاقوں میں فوج کے "
                "دستے بھیجے گئے ہیں تاکہ لوگوں کو محفوظ مقامات پر پہنچایا جا سکے۔",
            ],
        ),
    ],
)
def test_html_article_in_a_script_with_its_own_full_stop_is_found(
    lang: str, paragraphs: list[str]
) -> None:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    html = f'<html lang="{lang}"><body><article><h1>Title</h1>{body}</article></body></html>'
    assert extract_html(html).text == "\n\n".join(paragraphs)


_LAST_PARAGRAPH_END = "so that shift workers from the cannery can use it.</p>"


def test_html_list_of_other_stories_closing_the_article_is_dropped() -> None:
    # Under a short heading after the last paragraph, inside the article's container,
    # each item a headline with a link: other stories, not this one's text.
    html = read_fixture("article_with_clutter.html").replace(
        _LAST_PARAGRAPH_END,
        _LAST_PARAGRAPH_END + '<hr><div class="heading">More From the Herald</div><ul>'
        '<li>Ferry timetable <a href="/news/a">changes for the summer season</a></li>'
        '<li>Fishing fleet <a href="/news/b">reports a record herring catch</a></li>'
        '<li>Why the old cannery <a href="/news/c">is hiring again this spring</a></li></ul>',
    )
    text = extract_html(html).text
    assert text.endswith("so that shift workers from the cannery can use it.")
    for clutter in ("More From the Herald", "Ferry timetable", "herring", "cannery is hiring"):
        assert clutter not in text


def test_html_list_the_article_ends_with_is_kept() -> None:
    # Introduced by a sentence of the article, a closing list of links is its own text.
    html = read_fixture("article_with_clutter.html").replace(
        _LAST_PARAGRAPH_END,
        _LAST_PARAGRAPH_END + "<p>Books can be donated at two places:</p><ul>"
        '<li>the <a href="/places/hall">town hall</a>, on weekdays</li>'
        '<li>the <a href="/places/quay">harbour office</a> at the north quay</li></ul>',
    )
    paragraphs = extract_html(html).text.split("\n\n")
    assert paragraphs[-3:] == [
        "Books can be donated at two places:",
        "the town hall, on weekdays",
        "the harbour office at the north quay",
    ]
