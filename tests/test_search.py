"""Word search on whichever database the suite runs on (FTS5 on SQLite, PostgreSQL's full
text search in CI): the same queries must find the same articles on both."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import selectors
from articles.models import Article, Entity, EntityAlias
from articles.selectors import SearchFilters
from tests.factories import ArticleFactory, store_names

pytestmark = pytest.mark.django_db

DEMO_CORPUS = Path(__file__).resolve().parents[1] / "demo" / "wikinews-120.jsonl"


def _article(title: str, text: str, **fields) -> Article:
    article = ArticleFactory(title=title, text=text, **fields)
    store_names(article, [])  # stores the search vector on PostgreSQL, like an analysis
    return article


@pytest.fixture
def demo_corpus() -> list[Article]:
    """The 120 Wikinews articles of the demo, without running the NLP pipeline."""
    articles = []
    for line in DEMO_CORPUS.read_text().splitlines():
        record = json.loads(line)
        published = datetime.datetime.fromisoformat(record["published"]).replace(
            tzinfo=datetime.UTC
        )
        articles.append(
            _article(
                record["title"],
                record["text"],
                url=record["url"],
                site_name=record["site_name"],
                published_at=published,
            )
        )
    return articles


def _page(client, **params) -> str:
    """The search page's HTML, runs of whitespace as one space."""
    return " ".join(client.get(reverse("articles:search"), params).content.decode().split())


def _ids(results: selectors.SearchResults) -> list[int]:
    return list(results.page.paginator.object_list)


@pytest.mark.parametrize("word", ["art", "bank", "rain"])
def test_demo_words_find_exactly_the_articles_holding_the_word_or_its_stem(demo_corpus, word):
    # The word itself or an inflection that stems to it; never "part", "Martin", "Rainer".
    inflected = re.compile(rf"\b{word}(s|ed|ing)?\b", re.IGNORECASE)
    results = selectors.article_search(query=word)
    found = Article.objects.in_bulk(_ids(results))
    holding = {a.pk for a in demo_corpus if inflected.search(f"{a.title}\n{a.text}")}
    assert set(found) == holding
    assert (results.count, results.count_kind) == (len(found), "exact")
    for hit in results.page:
        marked = [part.text for part in hit.title + hit.snippet if part.marked]
        assert marked and all(inflected.fullmatch(text) for text in marked)
    if any(inflected.search(a.title) for a in found.values()):
        # The title weighs more than the text: an article named after the word leads.
        assert inflected.search(results.page[0].article.title)


def test_demo_words_find_something_and_substrings_do_not_count(demo_corpus):
    assert selectors.article_search(query="bank").count > 10
    assert selectors.article_search(query="art").count >= 1
    assert selectors.article_search(query="rain").count == 0  # only "Rainer" is there


def test_a_quoted_phrase_needs_its_words_in_a_row():
    together = _article("Rates", "The central bank raised its rates.")
    _article("Apart", "The bank said the issue was central.")
    results = selectors.article_search(query='"central bank"')
    assert _ids(results) == [together.pk]
    marked = [part.text for part in results.page[0].snippet if part.marked]
    assert " ".join(marked) == "central bank"  # one mark (FTS5) or one per word (PostgreSQL)


def test_a_minus_word_leaves_out_articles_holding_it():
    kept = _article("Bank profits", "The bank reported profits.")
    _article("Bank rates", "The bank raised rates.")
    assert _ids(selectors.article_search(query="bank -rates")) == [kept.pk]
    assert _ids(selectors.article_search(query='bank -"raised rates"')) == [kept.pk]
    assert _ids(selectors.article_search(query="-rates")) == []


@pytest.mark.parametrize(
    "query",
    ['"', "*", "NEAR(", "bank NEAR(rates, 2", "bank\x00", '"bank', "bank*", "col:bank", "^bank",
     "(bank", "bank OR", "AND", "'", "-", "\x00", "NOT bank", "x" * 5000, "bank\\", "\\",
     "bank:*", "'bank' & !rates", "bank <-> rates", "U.S.", "-\"", "é\u0301"],
)  # fmt: skip
def test_hostile_queries_answer_a_page_never_an_error(client, query):
    _article("Bank news", "The bank opened.")
    response = client.get(reverse("articles:search"), {"q": query})
    # A NUL in any query value is refused at the boundary (middleware), before the search.
    assert response.status_code == (400 if "\x00" in query else 200)


def test_a_nul_byte_is_a_separator():
    article = _article("Bank news", "The bank opened.")
    assert _ids(selectors.article_search(query="bank\x00")) == [article.pk]


def test_search_filters_by_source_date_and_entity():
    old = _article(
        "Bank of Paris",
        "The bank in Paris opened.",
        site_name="Old Times",
        published_at=datetime.datetime(2010, 5, 1, tzinfo=datetime.UTC),
    )
    store_names(old, [("Paris", "PLACE")])
    new = _article(
        "Bank of Rome",
        "The bank in Rome opened.",
        site_name="New Times",
        published_at=datetime.datetime(2020, 5, 1, tzinfo=datetime.UTC),
    )
    store_names(new, [("Rome", "PLACE")])
    rome = Entity.objects.get(name="Rome")
    search = selectors.article_search
    assert _ids(search(query="bank", filters=SearchFilters(source="Old Times"))) == [old.pk]
    may_2010 = SearchFilters(since=datetime.date(2010, 5, 1), until=datetime.date(2010, 5, 1))
    assert _ids(search(query="bank", filters=may_2010)) == [old.pk]
    since_2011 = SearchFilters(since=datetime.date(2011, 1, 1))
    assert _ids(search(query="bank", filters=since_2011)) == [new.pk]
    assert _ids(search(query="bank", filters=SearchFilters(entity_ids=(rome.pk,)))) == [new.pk]
    assert _ids(search(query="bank", sort="date")) == [new.pk, old.pk]


def test_the_page_adds_and_removes_filters_by_links(client):
    article = _article("Bank of Rome", "The bank in Rome opened.", site_name="New Times")
    store_names(article, [("Rome", "PLACE")])
    rome = Entity.objects.get(name="Rome")
    content = client.get(reverse("articles:search"), {"q": "bank"}).content.decode()
    assert f"?q=bank&amp;entity={rome.pk}" in content  # a chip that narrows to Rome
    assert "?q=bank&amp;source=New+Times" in content
    narrowed = client.get(reverse("articles:search"), {"q": "bank", "entity": [rome.pk, "x"]})
    content = narrowed.content.decode()
    assert "Remove the filter: Rome" in content
    assert f'<input type="hidden" name="entity" value="{rome.pk}">' in content
    assert "<mark>Bank</mark> of Rome" in content


def test_the_entity_page_searches_inside_its_coverage(client):
    article = _article("Bank of Rome", "The bank in Rome opened.")
    store_names(article, [("Rome", "PLACE")])
    _article("Bank of Oslo", "The bank in Oslo opened.")
    rome = Entity.objects.get(name="Rome")
    page = client.get(rome.get_absolute_url()).content.decode()
    assert f'<input type="hidden" name="entity" value="{rome.pk}">' in page
    content = client.get(reverse("articles:search"), {"q": "bank", "entity": rome.pk})
    assert "Bank of Rome" in content.content.decode().replace("<mark>", "").replace("</mark>", "")
    assert "Oslo" not in content.content.decode()


def test_only_a_window_is_ranked_and_past_it_the_count_is_bounded(client, monkeypatch):
    monkeypatch.setattr(selectors.search, "SEARCH_RANK_WINDOW", 2)
    monkeypatch.setattr(selectors.search, "SEARCH_COUNT_MAX", 3)
    articles = [_article(f"Bank {n}", "The bank opened.") for n in range(5)]
    results = selectors.article_search(query="bank")
    assert set(_ids(results)) == {articles[-1].pk, articles[-2].pk}  # the newest added
    assert (results.count, results.count_kind) == (3, "more")
    content = _page(client, q="bank")
    assert "More than 3 articles (the 2 most recently added are listed)" in content


@pytest.mark.postgres
def test_a_word_in_very_many_articles_has_an_estimated_count(monkeypatch):
    monkeypatch.setattr(selectors.search, "SEARCH_RANK_WINDOW", 2)
    monkeypatch.setattr(selectors.search, "SEARCH_ESTIMATE_ABOVE", 0)
    for n in range(3):
        _article(f"Bank {n}", "The bank opened.")
    results = selectors.article_search(query="bank")
    assert results.count_kind == "about" and results.count >= 1


@pytest.mark.postgres
def test_far_more_matches_than_counted_are_not_counted(monkeypatch):
    monkeypatch.setattr(selectors.search, "SEARCH_RANK_WINDOW", 2)
    monkeypatch.setattr(selectors.search, "SEARCH_COUNT_MAX", 3)
    monkeypatch.setattr(selectors.search, "SEARCH_MORE_ABOVE", 6)
    for n in range(40):
        _article(f"Bank {n}", "The bank opened.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")  # the planner expects about 40 matches
    with CaptureQueriesContext(connection) as queries:
        results = selectors.article_search(query="bank")
    assert (results.count, results.count_kind) == (3, "more")
    assert not [q for q in queries if q["sql"].startswith("SELECT COUNT(*)")]


def test_a_small_result_is_counted_exactly(client):
    for n in range(3):
        _article(f"Bank {n}", "The bank opened.")
    _article("Markets", "Shares fell.")
    assert (selectors.article_search(query="bank").count_kind) == "exact"
    assert "3 articles" in _page(client, q="bank")


def test_snippets_are_escaped_never_rendered_as_html(client):
    _article("Bank", 'The bank said <script>alert("x")</script> and <b>bank</b>.')
    content = client.get(reverse("articles:search"), {"q": "bank"}).content.decode()
    # ts_headline drops what looks like a tag, FTS5 keeps it: either way it is only text.
    assert "<script>" not in content and "<b>" not in content
    assert "alert(&quot;x&quot;)" in content
    assert "<mark>bank</mark>" in content


def test_name_suggestions_match_every_alias_and_say_which(client):
    article = _article("Trade", "The United Kingdom and General Motors agreed.")
    store_names(article, [("United Kingdom", "COUNTRY"), ("General Motors", "ORG")])
    motors = Entity.objects.get(name="General Motors")
    EntityAlias.objects.get_or_create(
        type="ORG", key="gm", defaults={"entity": motors, "name": "GM"}
    )
    EntityAlias.objects.get_or_create(
        type="COUNTRY",
        key="uk",
        defaults={"entity": Entity.objects.get(name="United Kingdom"), "name": "UK"},
    )
    uk = selectors.entity_search(query="UK")
    assert [(m.entity.name, m.spelling) for m in uk] == [("United Kingdom", "UK")]
    gm = selectors.entity_search(query="GM")
    assert [(m.entity.name, m.spelling) for m in gm] == [("General Motors", "GM")]
    assert [(m.entity.name, m.spelling) for m in selectors.entity_search(query="motors")] == [
        ("General Motors", "")
    ]
    content = _page(client, q="UK")
    assert ">United Kingdom</a> <small>(matched “UK”)</small>" in content


def test_an_abbreviation_with_dots_finds_itself():
    article = _article("Economy", "The U.S. economy grew.")
    _article("Song", "Us and them, said the band.")
    assert _ids(selectors.article_search(query="U.S.")) == [article.pk]


def test_the_snippet_shows_a_match_deep_in_a_long_text():
    filler = "The council met and talked about roads. " * 300  # 12,000 characters
    _article("Roads", f"{filler}Then the banking crisis came up.\n\n{filler}")
    _article("Bankside", "The embankment and the bankruptcy were news.")  # no word "bank"
    (hit,) = selectors.article_search(query="bank").page
    assert [part.text for part in hit.snippet if part.marked] == ["banking"]
