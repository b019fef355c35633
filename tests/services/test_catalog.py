"""The linker's view of the library (articles/services/catalog.py)."""

from __future__ import annotations

import datetime

import pytest

from articles.models import Entity
from articles.services import catalog
from tests.factories import ArticleFactory, store_names

pytestmark = pytest.mark.django_db


def test_context_is_the_names_seen_most_with_an_entity_in_its_latest_articles(monkeypatch):
    day = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    for n, other in enumerate(["Francois Hollande"] * 3 + ["Barack Obama"] * 2 + ["Ban Ki-moon"]):
        article = ArticleFactory(
            text=f"John Kerry met {other}.", published_at=day + datetime.timedelta(days=n)
        )
        store_names(article, [("John Kerry", "PERSON"), (other, "PERSON")])
    kerry = Entity.objects.get(name="John Kerry")

    found = catalog.DatabaseCatalog()._context({kerry.pk})
    assert found == {kerry.pk: {"francois hollande", "barack obama", "ban ki moon"}}

    monkeypatch.setattr(catalog, "CONTEXT_ARTICLES", 3)  # the latest three articles only
    assert catalog.DatabaseCatalog()._context({kerry.pk})[kerry.pk] == {
        "barack obama",
        "ban ki moon",
    }
    monkeypatch.setattr(catalog, "CONTEXT_SIZE", 1)  # the most frequent name only
    assert catalog.DatabaseCatalog()._context({kerry.pk})[kerry.pk] == {"barack obama"}


def test_acronyms_finds_names_by_their_initials_and_acronyms_by_their_key():
    article = ArticleFactory(text="Associated Bottling Company and ABC and Acme Bank Corp.")
    store_names(article, [("Associated Bottling Company", "ORG"), ("ABC", "ORG")])
    found = catalog.DatabaseCatalog().acronyms("ORG", {"abc"})
    assert {c.alias_key for c in found} == {"associated bottling company", "abc"}
    assert catalog.DatabaseCatalog().acronyms("PERSON", {"abc"}) == []


def test_type_votes_count_the_articles_of_each_type_that_name_a_key():
    for text, entity_type in [("Ruiz", "PERSON"), ("Ruiz", "ORG"), ("Ruiz", "ORG")]:
        store_names(ArticleFactory(text=f"{text} said so."), [(text, entity_type)])
    ignored = Entity.objects.create(type="PLACE", key="ruiz", name="Ruiz", slug="ruiz")
    ignored.aliases.create(type="PLACE", key="ruiz", name="Ruiz")
    Entity.objects.filter(pk=ignored.pk).update(article_count=5, ignored=True)
    assert catalog.DatabaseCatalog().type_votes({"ruiz", "acme"}) == {
        "ruiz": {"ORG": 2, "PERSON": 1}
    }


def test_a_lone_name_stored_takes_the_library_type_of_its_key():
    for _ in range(2):
        store_names(ArticleFactory(text="Altima sold well."), [("Altima", "ORG")])
    later = ArticleFactory(text="The Altima sold well.")
    store_names(later, [("Altima", "PERSON")])
    (mention,) = later.mentions.select_related("entity")
    assert mention.entity.type == "ORG"
    assert Entity.objects.get().article_count == 3
