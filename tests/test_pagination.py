"""Keyset pagination: walking the pages forward and back gives every row once, in order."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from articles import selectors
from articles.models import Article, Entity
from articles.pagination import Cursor
from tests.factories import ArticleFactory, store_names

pytestmark = pytest.mark.django_db

DAY = datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)


@pytest.fixture
def articles(settings):
    """45 articles: some sharing a publication date, some undated (sorted by when added),
    one failed and one duplicate (never listed)."""
    for n in range(40):
        ArticleFactory(
            title=f"Dated {n}",
            text="Iraq.",
            published_at=DAY - datetime.timedelta(days=n // 3),  # three on each day
        )
    for n in range(5):
        ArticleFactory(title=f"Undated {n}", text="Iraq.")
    ArticleFactory(title="Failed", status=Article.Status.FAILED)
    ArticleFactory(title="Copy", duplicate_of=Article.objects.first())
    for article in Article.objects.filter(status=Article.Status.DONE, duplicate_of=None):
        store_names(article, [("Iraq", "COUNTRY")])


def walk(fetch, *, dated: bool = True) -> tuple[list[list[int]], list[list[int]]]:
    """Every page forward (following ``next``), then every page back (``previous``); the
    cursors go through the URL format as a request brings them."""
    forward, page = [], fetch(after=None, before=None)
    forward.append([row_id(item) for item in page])
    while page.next:
        page = fetch(after=Cursor.parse(str(page.next), dated=dated), before=None)
        forward.append([row_id(item) for item in page])
    backward = [forward[-1]]
    while page.previous:
        page = fetch(after=None, before=Cursor.parse(str(page.previous), dated=dated))
        backward.append([row_id(item) for item in page])
    return forward, backward[::-1]


def row_id(item) -> int:
    return item["article_id"] if isinstance(item, dict) else item.pk


def expected_articles(*, oldest_first: bool) -> list[int]:
    rows = Article.objects.filter(status=Article.Status.DONE, duplicate_of=None)
    keyed = sorted((a.published_at or a.created_at, a.pk) for a in rows)
    ids = [pk for _, pk in keyed]
    return ids if oldest_first else ids[::-1]


@pytest.mark.parametrize("oldest_first", [False, True])
def test_home_pages_give_every_article_once_in_date_order_both_ways(articles, oldest_first):
    anonymous = AnonymousUser()
    every = selectors.articles_for_reader(user=anonymous)
    forward, backward = walk(
        lambda **cursors: selectors.article_list(
            articles=every, user=anonymous, oldest_first=oldest_first, **cursors
        )
    )
    assert [len(page) for page in forward] == [20, 20, 5]
    assert sum(forward, []) == expected_articles(oldest_first=oldest_first)
    assert backward == forward


def test_entity_pages_give_every_article_once_newest_first(articles):
    iraq = Entity.objects.get()
    forward, backward = walk(lambda **cursors: selectors.entity_coverage(entity=iraq, **cursors)[0])
    assert sum(forward, []) == expected_articles(oldest_first=False)
    assert backward == forward


def test_names_pages_give_every_name_once_most_covered_first(settings):
    for n in range(130):
        Entity.objects.create(
            type="PLACE", name=f"Place {n}", key=f"place {n}", slug=f"p{n}", article_count=n % 7
        )
    forward, backward = walk(lambda **cursors: selectors.entity_list(**cursors), dated=False)
    listed = Entity.objects.filter(article_count__gt=0).order_by("-article_count", "-pk")
    assert sum(forward, []) == list(listed.values_list("pk", flat=True))
    assert [len(page) for page in forward] == [60, 51]
    assert backward == forward


def listed(client, **params) -> list[str]:
    """The titles the home page lists."""
    content = client.get(reverse("articles:home"), params).content.decode()
    return re.findall(r'<h2>\s*<a href="/articles/\d+/"[^>]*>([^<]+)</a>', content)


def test_a_new_article_does_not_shift_the_next_page(articles, client):
    content = client.get(reverse("articles:home")).content.decode()
    older = re.search(r'href="\?after=([^"]+)"\s+rel="next"', content)[1]
    page_two = listed(client, after=older)
    ArticleFactory(title="Breaking news", published_at=timezone.now() + datetime.timedelta(days=1))
    assert listed(client)[0] == "Breaking news"
    assert listed(client, after=older) == page_two
    assert len(page_two) == 20 and "Breaking news" not in page_two


@pytest.mark.parametrize("value", ["", "x", "1.", "99999999999999999999.1", "-5.-3", "1.2.3"])
def test_a_bad_cursor_gives_the_first_page(articles, client, value):
    assert listed(client, after=value) == listed(client)
