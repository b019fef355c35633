"""The counters kept from ArticleEntity rows (entity article counts, first and last seen,
the monthly counts behind the timeline) equal a recount from scratch after every write."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.db.models import Count, DateField, Max, Min
from django.db.models.functions import TruncMonth

from articles import services
from articles.models import ArticleEntity, Entity, EntityAlias, EntityMonth
from tests.factories import ArticleFactory, store_names

pytestmark = pytest.mark.django_db


def recount() -> tuple[dict, set]:
    """Every entity's (count, first, last) and every (entity, month, articles), from scratch."""
    stats = {
        row["entity_id"]: (row["n"], row["first"], row["last"])
        for row in ArticleEntity.objects.values("entity_id").annotate(
            n=Count("id"), first=Min("article_date"), last=Max("article_date")
        )
    }
    entities = {
        pk: stats.get(pk, (0, None, None)) for pk in Entity.objects.values_list("pk", flat=True)
    }
    months = set(
        ArticleEntity.objects.filter(article__published_at__isnull=False)
        .annotate(month=TruncMonth("article_date", output_field=DateField()))
        .values_list("entity_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return entities, months


def stored() -> tuple[dict, set]:
    entities = {
        pk: (count, first, last)
        for pk, count, first, last in Entity.objects.values_list(
            "pk", "article_count", "first_seen", "last_seen"
        )
    }
    return entities, set(EntityMonth.objects.values_list("entity_id", "month", "articles"))


def assert_counters_are_right() -> None:
    entities, months = stored()
    assert (entities, months) == recount()
    assert months, "the scenario has dated articles"


def dated(day: str, text: str, **fields):
    published = datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC)
    return ArticleFactory(text=text, published_at=published, **fields)


@pytest.fixture
def library():
    """Articles over three months (one undated) naming overlapping entities."""
    first = dated("2024-01-31T23:30", "John Kerry met Francois Hollande in Paris.")
    store_names(
        first, [("John Kerry", "PERSON"), ("Francois Hollande", "PERSON"), ("Paris", "PLACE")]
    )
    second = dated("2024-02-01T00:30", "John Kerry flew to Baghdad.")
    store_names(second, [("John Kerry", "PERSON"), ("Baghdad", "PLACE")])
    third = dated("2024-04-10T12:00", "Francois Hollande and John Kerry in Paris again.")
    store_names(
        third, [("Francois Hollande", "PERSON"), ("John Kerry", "PERSON"), ("Paris", "PLACE")]
    )
    undated = ArticleFactory(text="John Kerry, undated.")
    store_names(undated, [("John Kerry", "PERSON")])
    return first, second, third, undated


def test_counters_after_ingest(library):
    assert_counters_are_right()
    kerry = Entity.objects.get(name="John Kerry")
    assert kerry.article_count == 4
    assert sorted(kerry.months.values_list("month", "articles")) == [
        (datetime.date(2024, 1, 1), 1),
        (datetime.date(2024, 2, 1), 1),
        (datetime.date(2024, 4, 1), 1),
    ]  # the undated article counts in article_count, not in the timeline


def test_counters_after_reanalysis_with_other_entities_and_with_the_same(library):
    first, _, third, _ = library
    store_names(first, [("Francois Hollande", "PERSON")])  # Kerry and Paris gone from it
    assert_counters_are_right()
    assert Entity.objects.get(name="Paris").first_seen == third.published_at
    store_names(first, [("Francois Hollande", "PERSON")])  # again: nothing changes
    assert_counters_are_right()
    store_names(third, [])  # the last article of Paris: its counts go to zero
    assert_counters_are_right()
    paris = Entity.objects.get(name="Paris")
    assert (paris.article_count, paris.first_seen, paris.last_seen) == (0, None, None)
    assert not paris.months.exists()


def test_counters_after_merge(library):
    services.entities_merge(
        source=Entity.objects.get(name="Baghdad"), target=Entity.objects.get(name="Paris")
    )
    assert_counters_are_right()
    assert Entity.objects.get(name="Paris").article_count == 3


def test_counters_after_split():
    kerry_article = dated("2024-03-01T10:00", "John Kerry spoke.")
    store_names(kerry_article, [("John Kerry", "PERSON")])
    kerry = Entity.objects.get()
    alias = EntityAlias.objects.create(entity=kerry, type="PERSON", key="j kerry", name="J Kerry")
    other = dated("2024-05-01T10:00", "J Kerry arrived.")
    store_names(other, [("J Kerry", "PERSON")])
    assert_counters_are_right()

    services.entity_split_alias(entity=kerry, alias=alias)

    assert_counters_are_right()
    kerry.refresh_from_db()
    assert (kerry.article_count, kerry.last_seen) == (1, kerry_article.published_at)


@pytest.mark.nlp
def test_counters_after_a_duplicate_gives_its_place_to_the_canonical_page(
    page_server, private_urls
):
    spelling, _ = services.article_ingest_url(
        url=f"{page_server}/kerry-visit.html?from=home", queue=False
    )
    services.articles_process(article_ids=[spelling.pk], token="test")
    canonical, _ = services.article_ingest_url(url=f"{page_server}/kerry-visit.html", queue=False)
    services.articles_process(article_ids=[canonical.pk], token="test")
    assert_counters_are_right()
    assert Entity.objects.get(name="John Kerry").article_count == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_counters_stay_right_when_articles_naming_one_entity_are_stored_at_once():
    names = [("John Kerry", "PERSON"), ("Francois Hollande", "PERSON")]
    first = dated("2024-01-01T10:00", "John Kerry met Francois Hollande.")
    store_names(first, names)  # the entities exist: the race is on their counters
    articles = [
        dated(f"2024-0{1 + n % 3}-1{n}T10:00", f"John Kerry met Francois Hollande, {n}.")
        for n in range(8)
    ]
    barrier = threading.Barrier(len(articles))
    errors = []

    def store(article) -> None:
        try:
            barrier.wait()
            store_names(article, names)
        except Exception as exc:  # reported below, with the thread's own error
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=store, args=[article]) for article in articles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert_counters_are_right()
    assert Entity.objects.get(name="John Kerry").article_count == 9
