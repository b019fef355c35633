"""Copies of one story linked at analysis, shown once in related coverage, listed as versions."""

from __future__ import annotations

import pytest

from articles import selectors, services
from articles.models import Article, ArticleBand
from articles.nlp.copies import BANDS
from tests.factories import ArticleFactory, store_names

pytestmark = pytest.mark.django_db

STORY = (
    "Northrop Grumman and EADS have defeated Boeing for a contract to supply the United "
    "States Air Force with 179 new aerial refueling tankers at a rate of 15 a year. The "
    "Air Force said the decision followed a long review of the three bids and the cost "
    "of each aircraft over its working life. Boeing said it would study the decision."
)
OTHER_STORY = (
    "Boeing unveiled its new 787 Dreamliner at a ceremony in Washington, where the company "
    "said orders from airlines had passed 600 aircraft. Northrop Grumman was not at the "
    "event. Analysts said the aircraft would compete with Airbus for a decade."
)
NAMES = [("Northrop Grumman", "ORG"), ("Boeing", "ORG")]


def _stored(text: str, **fields) -> Article:
    article = ArticleFactory(text=text, **fields)
    store_names(article, NAMES)
    article.refresh_from_db()
    return article


def test_a_wire_copy_is_linked_to_the_first_article_of_its_story():
    first = _stored(STORY, site_name="Herald")
    copy = _stored(f"WASHINGTON (Wire) - {STORY}\n\nCopyright Wire News.", site_name="Wire")
    other = _stored(OTHER_STORY)
    assert (first.copy_of, copy.copy_of, other.copy_of) == (None, first, None)
    assert ArticleBand.objects.filter(article=copy).count() == BANDS


def test_linking_again_finds_the_same_story_and_keeps_one_set_of_bands():
    first = _stored(STORY)
    copy = _stored(f"{STORY} Subscribe to our newsletter.")
    assert services.article_link_copies(article=copy) == first
    assert services.article_link_copies(article=first) is None  # the first stays the first
    assert ArticleBand.objects.filter(article=copy).count() == BANDS


def test_related_coverage_lists_a_story_once_and_never_its_own_copies(client):
    first = _stored(STORY)
    copy = _stored(f"{STORY} Share this story.")
    third = _stored(f"{STORY} Read more at our site.")
    other = _stored(OTHER_STORY)
    for n in range(6):  # so that the shared names are rare in the library
        ArticleFactory(text=f"Markets rose {n} points.")
    _, _, article_entities = selectors.article_detail(article_id=other.pk)
    related = selectors.related_articles(article=other, article_entities=article_entities)
    assert len(related) == 1 and related[0].article.pk in {first.pk, copy.pk, third.pk}
    _, _, article_entities = selectors.article_detail(article_id=copy.pk)
    related = selectors.related_articles(article=copy, article_entities=article_entities)
    assert [item.article.pk for item in related] == [other.pk]
    content = client.get(copy.get_absolute_url()).content.decode()
    assert "The same story elsewhere" in content
    assert first.get_absolute_url() in content and third.get_absolute_url() in content


def test_an_original_lists_no_versions(client):
    article = _stored(OTHER_STORY)
    assert selectors.article_versions(article=article) == []
    assert "The same story elsewhere" not in client.get(article.get_absolute_url()).content.decode()
