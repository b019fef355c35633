"""Feeds in the reading lists: Unread is the home of a subscriber, a feed's or a folder's
list, mark all read within one, and the unread counts of the sidebar and the Feeds page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services as reading
from articles.models import Article, Reading
from feeds import selectors
from feeds import services as feed_services
from feeds.models import Feed, FeedItem, Folder, Subscription
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, user) -> Client:
    client.force_login(user)
    return client


def _feed(user, name: str, titles: list[str], folder: Folder | None = None) -> Subscription:
    feed = Feed.objects.create(url=f"https://{name}.example.org/feed.xml", title=name)
    for title in titles:
        article = ArticleFactory(title=title)
        FeedItem.objects.create(feed=feed, guid=title, url=article.url, article=article)
    return Subscription.objects.create(user=user, feed=feed, folder=folder)


@pytest.fixture
def feeds(user):
    """Two feeds in the folder Morning, one outside; an article in no feed."""
    morning = Folder.objects.create(user=user, name="Morning")
    herald = _feed(user, "herald", ["Herald one", "Herald two"], morning)
    gazette = _feed(user, "gazette", ["Gazette one"], morning)
    courier = _feed(user, "courier", ["Courier one"])
    ArticleFactory(title="Pasted story")
    return {"morning": morning, "herald": herald, "gazette": gazette, "courier": courier}


def _home(client: Client, **params) -> str:
    return client.get(reverse("articles:home"), params).text


def test_a_subscriber_starts_on_unread_others_on_all(reader, user, django_user_model, feeds):
    reading.article_set_read(user=user, article=Article.objects.get(title="Herald one"), read=True)
    home = _home(reader)
    assert "Herald two" in home and "Herald one" not in home  # unread only
    newcomer = django_user_model.objects.create_user(username="new", password="correct horse")
    reader.force_login(newcomer)
    assert "Herald one" in _home(reader)  # no subscription: every article


def test_subscribing_and_unsubscribing_move_the_home_at_once(
    reader, user, private_urls, django_capture_on_commit_callbacks
):
    feed = Feed.objects.create(url="https://herald.example.org/feed.xml", title="herald")
    article = ArticleFactory(title="Herald one")
    FeedItem.objects.create(feed=feed, guid="one", url=article.url, article=article)
    reading.article_set_read(user=user, article=article, read=True)
    assert "Herald one" in _home(reader)  # no subscription: All, read articles too
    with django_capture_on_commit_callbacks(execute=True):
        subscription, _ = feed_services.subscription_create(user=user, url=feed.url)
    assert "Herald one" not in _home(reader)  # a subscriber starts on Unread
    with django_capture_on_commit_callbacks(execute=True):
        feed_services.subscription_delete(subscription=subscription)
    assert "Herald one" in _home(reader)


def test_a_feeds_list_and_a_folders_list(reader, feeds):
    herald = _home(reader, feed=feeds["herald"].pk)
    assert "Feed: herald" in herald
    assert "Herald one" in herald and "Gazette one" not in herald and "Pasted story" not in herald
    morning = _home(reader, folder=feeds["morning"].pk)
    assert "Folder: Morning" in morning
    assert "Herald two" in morning and "Gazette one" in morning and "Courier one" not in morning


def test_a_folder_of_no_feeds_lists_nothing(reader, user, feeds):
    empty = Folder.objects.create(user=user, name="Evening")
    page = _home(reader, folder=empty.pk, view="all")
    assert "Folder: Evening" in page and "Pasted story" not in page


def test_another_users_feed_or_folder_names_nothing(client, django_user_model, feeds):
    other = django_user_model.objects.create_user(username="other", password="correct horse")
    client.force_login(other)
    page = _home(client, feed=feeds["herald"].pk, view="all")
    assert "Feed: herald" not in page and "Courier one" in page
    assert "Folder: Morning" not in _home(client, folder=feeds["morning"].pk, view="all")


def test_mark_all_read_within_a_feed(reader, user, feeds):
    response = reader.post(
        reverse("articles:mark-read"),
        {"view": "unread", "feed": feeds["herald"].pk, "shown_at": timezone.now().isoformat()},
    )
    assert response.url == f"/?view=unread&feed={feeds['herald'].pk}"
    read = Reading.objects.filter(user=user, read_at__isnull=False)
    assert set(read.values_list("article__title", flat=True)) == {"Herald one", "Herald two"}


def test_unread_counts_per_feed_and_folder_are_the_readers(user, django_user_model, feeds):
    other = django_user_model.objects.create_user(username="other", password="correct horse")
    reading.article_set_read(
        user=other, article=Article.objects.get(title="Gazette one"), read=True
    )
    reading.article_set_read(user=user, article=Article.objects.get(title="Herald one"), read=True)
    reading.article_set_hidden(
        user=user, article=Article.objects.get(title="Courier one"), hidden=True
    )
    groups = selectors.subscriptions_by_folder_unread(user=user)
    unread = {
        (group.folder.name if group.folder else None, group.unread): {
            s.feed.title: s.unread for s in group.subscriptions
        }
        for group in groups
    }
    assert unread == {(None, 0): {"courier": 0}, ("Morning", 2): {"herald": 1, "gazette": 1}}


def test_unread_counts_are_capped_per_feed_and_per_folder(user, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    morning = Folder.objects.create(user=user, name="Morning")
    evening = Folder.objects.create(user=user, name="Evening")
    _feed(user, "herald", [f"Herald {n}" for n in range(4)], morning)
    _feed(user, "gazette", ["Gazette one", "Gazette two"], evening)
    _feed(user, "courier", ["Courier one", "Courier two"], evening)
    unread = {
        group.folder.name: (group.unread, {s.feed.title: s.unread for s in group.subscriptions})
        for group in selectors.subscriptions_by_folder_unread(user=user)
    }
    # Past the cap in one feed, or in a folder's feeds together: "2+".
    assert unread == {"Evening": (3, {"courier": 2, "gazette": 2}), "Morning": (3, {"herald": 3})}


def test_unread_counts_leave_out_articles_not_listed(user):
    subscription = _feed(user, "herald", ["Herald one", "Herald two", "Herald three"])
    Article.objects.filter(title="Herald one").update(status=Article.Status.QUEUED)
    Article.objects.filter(title="Herald two").update(
        duplicate_of=Article.objects.get(title="Herald three")
    )
    [counted] = selectors.subscription_list_unread(user=user)
    assert counted == subscription and counted.unread == 1


@pytest.mark.django_db(transaction=True)  # the kept counts are dropped on commit
def test_feed_unread_counts_are_kept_until_the_reader_reads(user, django_user_model, feeds):
    def unread() -> dict[str, int]:
        return {s.feed.title: s.unread for s in selectors.subscription_list_unread(user=user)}

    assert unread() == {"courier": 1, "gazette": 1, "herald": 2}
    article = ArticleFactory(title="Herald three")  # arrives: counted once the kept counts
    FeedItem.objects.create(feed=feeds["herald"].feed, guid="3", url=article.url, article=article)
    assert unread()["herald"] == 2  # expire, not before
    other = django_user_model.objects.create_user(username="other", password="correct horse")
    reading.article_set_read(user=other, article=article, read=True)
    assert unread()["herald"] == 2  # another reader's reading
    reading.article_set_read(user=user, article=Article.objects.get(title="Herald one"), read=True)
    assert unread() == {"courier": 1, "gazette": 1, "herald": 2}  # counted again: 3 - 1
    _feed(user, "tribune", ["Tribune one"])  # a feed the kept counts do not have
    assert unread()["tribune"] == 1


def test_the_sidebar_and_the_feeds_page_link_each_list_with_its_count(reader, feeds):
    sidebar = reader.get(reverse("feeds:sidebar")).text
    herald = feeds["herald"].pk
    assert f'?view=unread&amp;feed={herald}">herald</a>' in sidebar
    assert f'?view=unread&amp;folder={feeds["morning"].pk}">Morning</a>' in sidebar
    assert re.search(r'Morning</a>\s*<span class="count">\s*3\s*</span>', sidebar)  # 2 + 1
    assert re.search(r'herald</a>\s*<span class="count">\s*2\s*</span>', sidebar)
    page = reader.get(reverse("feeds:list")).text
    assert f'?view=unread&amp;feed={herald}">herald</a>' in page
    assert f'hx-get="{reverse("feeds:sidebar")}"' in _home(reader)


def test_the_sidebar_needs_a_login(client):
    assert client.get(reverse("feeds:sidebar")).status_code == 302
