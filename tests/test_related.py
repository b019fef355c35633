"""Related coverage: only shared distinctive names bring an article in, and they show."""

from __future__ import annotations

import datetime

import pytest

from articles import selectors
from articles.models import Article
from tests.factories import ArticleFactory, store_names

pytestmark = pytest.mark.django_db

DAY = datetime.datetime(2014, 9, 15, tzinfo=datetime.UTC)


def _article(text: str, names: list[tuple[str, str]], *, days: int = 0) -> Article:
    article = ArticleFactory(text=text, published_at=DAY + datetime.timedelta(days=days))
    store_names(article, names)
    return article


def _related(article: Article) -> list[selectors.Related]:
    _, _, article_entities = selectors.article_detail(article_id=article.pk)
    return selectors.related_articles(article=article, article_entities=article_entities)


def test_an_article_sharing_only_a_country_has_no_related_coverage(client):
    tennis = _article(
        "Serena Williams won the final in the United States.",
        [("Serena Williams", "PERSON"), ("United States", "COUNTRY")],
    )
    for n in range(8):
        _article(
            f"Aerojet Unit{n} raised money in the United States.",
            [(f"Aerojet Unit{n}", "ORG"), ("United States", "COUNTRY")],
        )
    assert _related(tennis) == []
    content = client.get(tennis.get_absolute_url()).content.decode()
    assert "No other article shares a distinctive name with this one yet." in content


def test_names_found_across_the_library_are_no_evidence():
    first = _article("Reuters reported a storm in Oslo.", [("Reuters", "ORG"), ("Oslo", "PLACE")])
    for n in range(11):
        _article(f"Reuters reported story {n}.", [("Reuters", "ORG")])
    assert _related(first) == []


def test_two_shared_rare_names_rank_first_and_are_shown_as_evidence(client):
    kerry = [("John Kerry", "PERSON")]
    this = _article(
        "John Kerry met Francois Hollande in France at the United Nations.",
        [*kerry, ("Francois Hollande", "PERSON"), ("France", "COUNTRY"), ("United Nations", "ORG")],
    )
    two_rare = _article(
        "Francois Hollande and John Kerry spoke by phone.",
        [*kerry, ("Francois Hollande", "PERSON")],
        days=30,
    )
    one_rare = _article(
        "John Kerry visited France and the United Nations.",
        [*kerry, ("France", "COUNTRY"), ("United Nations", "ORG")],
    )
    country_and_common = _article(
        "France joined the United Nations talks.",
        [("France", "COUNTRY"), ("United Nations", "ORG")],
    )
    for n in range(9):  # the United Nations is named across the library
        _article(f"The United Nations met {n} times.", [("United Nations", "ORG")])

    related = _related(this)
    assert [item.article.pk for item in related] == [two_rare.pk, one_rare.pk]
    assert country_and_common.pk not in [item.article.pk for item in related]
    assert {e.name for e in related[0].shared} == {"John Kerry", "Francois Hollande"}
    assert [e.name for e in related[1].shared][0] == "John Kerry"
    assert {e.name for e in related[1].shared} == {"John Kerry", "France", "United Nations"}
    content = client.get(this.get_absolute_url()).content.decode()
    assert "Shares: John Kerry, Francois Hollande" in content or (
        "Shares: Francois Hollande, John Kerry" in content
    )


def test_the_closer_in_date_ranks_higher_on_equal_evidence():
    names = [("John Kerry", "PERSON"), ("Francois Hollande", "PERSON")]
    this = _article("John Kerry met Francois Hollande in Paris about trade.", names)
    far = _article("Francois Hollande told John Kerry the talks had failed.", names, days=400)
    near = _article("John Kerry and Francois Hollande signed a climate pact.", names, days=2)
    for n in range(6):  # so that the two names are rare in the library
        _article(f"Markets rose {n} points.", [])
    assert [item.article.pk for item in _related(this)] == [near.pk, far.pk]


def test_the_library_count_is_kept_once_it_reaches_its_limit():
    articles = ArticleFactory.create_batch(3)
    assert selectors.listed_count(limit=4) == 3
    ArticleFactory()
    assert selectors.listed_count(limit=4) == 4  # below the limit, it was counted again
    for article in articles:
        article.delete()
    assert selectors.listed_count(limit=4) == 4  # at the limit, it was kept
    assert selectors.listed_count(limit=5) == 1
