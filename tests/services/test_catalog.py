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
