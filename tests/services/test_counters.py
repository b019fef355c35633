"""The counters kept from ArticleEntity rows (entity article counts, first and last seen,
the monthly counts behind the timeline) equal a recount from scratch after every write."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection

from articles import services
from articles.models import Article, Entity, EntityAlias
from tests.factories import ArticleFactory, store_names
from tests.support.counters import assert_counters_are_right

pytestmark = pytest.mark.django_db


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


def test_counters_after_deleting_articles_and_their_duplicates(library):
    first, second, _, undated = library
    duplicate = ArticleFactory(text="John Kerry met Francois Hollande.", duplicate_of=first)
    assert services.articles_delete(articles=[first, undated]) == 3  # the duplicate with them
    assert not Article.objects.filter(pk__in=[first.pk, undated.pk, duplicate.pk]).exists()
    assert_counters_are_right()
    kerry = Entity.objects.get(name="John Kerry")
    assert (kerry.article_count, kerry.first_seen) == (2, second.published_at)
    paris = Entity.objects.get(name="Paris")
    assert sorted(paris.months.values_list("month", "articles")) == [(datetime.date(2024, 4, 1), 1)]


def _at_once(*writes) -> None:
    """Run the writes in threads of their own, released together; their errors raised."""
    barrier = threading.Barrier(len(writes))
    errors = []

    def run(write) -> None:
        try:
            barrier.wait()
            write()
        except Exception as exc:  # raised below, from this thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=[write]) for write in writes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_counters_stay_right_when_an_article_is_deleted_while_it_is_stored_again():
    names = [("John Kerry", "PERSON"), ("Francois Hollande", "PERSON")]
    kept = dated("2024-01-01T10:00", "John Kerry met Francois Hollande.")
    store_names(kept, names)
    for day in range(1, 6):
        article = dated(f"2024-02-0{day}T10:00", "John Kerry met Francois Hollande.")
        store_names(article, [("John Kerry", "PERSON")])
        _at_once(
            lambda article=article: store_names(article, names),
            lambda article=article: services.articles_delete(articles=[article]),
        )
        assert not Article.objects.filter(pk=article.pk).exists()
        assert_counters_are_right()
    assert Entity.objects.get(name="Francois Hollande").article_count == 1
