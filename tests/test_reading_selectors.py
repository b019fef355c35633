"""The reading lists: each shows the right articles for the right user, and counts are capped."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from articles import selectors, services
from articles.models import Article, ArticleEntity, Entity, Follow
from articles.selectors import ReadingView
from tests.factories import ArticleFactory, store_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user(username="other", password="correct horse")


def _listed(user, view, **filters) -> set[str]:
    articles = selectors.articles_for_reader(user=user, view=view, **filters)
    return {article.title for article in selectors.article_list(articles=articles, user=user)}


@pytest.fixture
def shelf(user, other_user):
    """Five articles; the reader read one, saved one, hid one; the other user did the
    opposite, so any leak of their state shows."""
    titles = ["fresh", "read", "saved", "hidden", "theirs"]
    articles = {title: ArticleFactory(title=title) for title in titles}
    ArticleFactory(title="queued", status=Article.Status.QUEUED)
    services.article_set_read(user=user, article=articles["read"], read=True)
    services.article_set_saved(user=user, article=articles["saved"], saved=True)
    services.article_set_hidden(user=user, article=articles["hidden"], hidden=True)
    for title in ["fresh", "saved", "theirs"]:
        services.article_set_read(user=other_user, article=articles[title], read=True)
        services.article_set_hidden(user=other_user, article=articles[title], hidden=True)
    services.article_set_saved(user=other_user, article=articles["theirs"], saved=True)
    return articles


def test_each_view_lists_the_readers_own_state(shelf, user):
    assert _listed(user, ReadingView.UNREAD) == {"fresh", "saved", "theirs"}
    assert _listed(user, ReadingView.ALL) == {"fresh", "read", "saved", "theirs"}
    assert _listed(user, ReadingView.SAVED) == {"saved"}
    assert _listed(user, ReadingView.HIDDEN) == {"hidden"}


def test_the_other_users_view_is_theirs(shelf, other_user):
    assert _listed(other_user, ReadingView.UNREAD) == {"read", "hidden"}
    assert _listed(other_user, ReadingView.SAVED) == {"theirs"}


def test_anonymous_readers_see_every_finished_article(shelf):
    assert _listed(AnonymousUser(), ReadingView.UNREAD) == set(shelf)


def test_list_items_carry_the_readers_state_only(shelf, user):
    articles = selectors.articles_for_reader(user=user, view=ReadingView.ALL)
    page = selectors.article_list(articles=articles, user=user)
    states = {a.title: a.reading for a in page}
    assert states["read"].read_at is not None
    assert states["saved"].saved_at is not None
    assert states["fresh"] is None and states["theirs"] is None  # the other user's rows


def test_per_source_and_per_entity_filters(user):
    ArticleFactory(title="elsewhere", site_name="Other Times")
    about = ArticleFactory(title="about Ada", text="Ada Lovelace wrote notes.")
    store_names(about, [("Ada Lovelace", "PERSON")])
    ada = Entity.objects.get(name="Ada Lovelace")
    assert _listed(user, ReadingView.ALL, site_name="Other Times") == {"elsewhere"}
    assert _listed(user, ReadingView.ALL, entity=ada) == {"about Ada"}


@pytest.mark.django_db(transaction=True)  # the kept counts are dropped on commit
def test_following_lists_articles_added_since_the_follow_with_unread_counts(user, other_user):
    before = ArticleFactory(title="before", text="Ada Lovelace wrote notes.")
    store_names(before, [("Ada Lovelace", "PERSON")])
    ada = Entity.objects.get(name="Ada Lovelace")
    Article.objects.filter(pk=before.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    services.entity_follow(user=user, entity=ada)
    Follow.objects.filter(user=user).update(created_at=timezone.now() - datetime.timedelta(days=1))
    since = [ArticleFactory(title=f"since {n}", text="Ada Lovelace again.") for n in range(3)]
    for article in since:
        store_names(article, [("Ada Lovelace", "PERSON")])
    ArticleFactory(title="unrelated")
    services.article_set_read(user=user, article=since[0], read=True)
    services.article_set_read(user=other_user, article=since[1], read=True)

    assert _listed(user, ReadingView.FOLLOWING) == {"since 0", "since 1", "since 2"}
    assert _listed(other_user, ReadingView.FOLLOWING) == set()  # follows are per user
    [follow] = selectors.follow_list(user=user)
    assert follow.entity == ada and follow.unread == 2
    services.article_set_saved(user=user, article=since[1], saved=True)  # still unread
    services.article_set_hidden(user=user, article=since[2], hidden=True)
    [follow] = selectors.follow_list(user=user)
    assert follow.unread == 1
    later = ArticleFactory(title="later", text="Ada Lovelace once more.")
    store_names(later, [("Ada Lovelace", "PERSON")])
    [follow] = selectors.follow_list(user=user)
    assert follow.unread == 1  # kept: counted again once it expires or the reader reads
    services.entity_unfollow(user=user, entity=ada)
    services.entity_follow(user=user, entity=ada)  # a new follow: counted from now
    [follow] = selectors.follow_list(user=user)
    assert follow.unread == 0


def test_unread_counts_stop_at_the_cap(user, settings):
    ArticleFactory.create_batch(selectors.COUNT_CAP + 5)
    assert selectors.unread_count(user=user) == selectors.COUNT_CAP + 1


@pytest.mark.django_db(transaction=True)  # the cached count is cleared on commit
def test_unread_count_is_kept_until_the_reader_reads(user, other_user):
    first, second = ArticleFactory.create_batch(2)
    assert selectors.unread_count(user=user) == 2
    ArticleFactory.create_batch(2)  # arrive: counted once the kept count expires, not before
    assert selectors.unread_count(user=user) == 2
    services.article_set_read(user=other_user, article=first, read=True)
    assert selectors.unread_count(user=user) == 2  # another reader's reading
    services.article_set_read(user=user, article=first, read=True)
    assert selectors.unread_count(user=user) == 3  # counted again: 4 - 1
    services.article_set_hidden(user=user, article=second, hidden=True)
    assert selectors.unread_count(user=user) == 2
    marked = services.articles_mark_read(
        user=user, articles=selectors.articles_for_reader(user=user, view=ReadingView.UNREAD)
    )
    assert selectors.unread_count(user=user) == 0
    services.articles_unmark_read(user=user, token=marked.token)
    assert selectors.unread_count(user=user) == 2


def test_unread_is_the_home_only_when_an_app_says_the_user_has_a_stream(user, monkeypatch):
    assert selectors.reading_view_default(user=user) == ReadingView.ALL
    monkeypatch.setattr(
        selectors.reading, "HOME_UNREAD_CHECKS", [lambda *, user: user.username == "reader"]
    )
    assert selectors.reading_view_default(user=user) == ReadingView.UNREAD
    assert selectors.reading_view_default(user=AnonymousUser()) == ReadingView.ALL


def test_list_items_carry_their_most_central_names_as_chips(user):
    names = [f"Person{letter} Example" for letter in "ABCDEFGH"]
    many = ArticleFactory(title="many", text=". ".join(names + names[:1] * 3))
    store_names(many, [(name, "PERSON") for name in names], every_occurrence=True)
    few = ArticleFactory(title="few", text="Ada Lovelace wrote notes.")
    store_names(few, [("Ada Lovelace", "PERSON")])
    services.entity_set_ignored(
        entity=Entity.objects.get(name="PersonB Example"), ignored=True, user=user
    )
    page = selectors.article_list(
        articles=selectors.articles_for_reader(user=user, view=ReadingView.ALL), user=user
    )
    chips = {article.title: article.top_entities for article in page}
    central = (
        ArticleEntity.objects.filter(article=many, entity__ignored=False)
        .order_by("-weight", "-mentions", "entity_id")
        .values_list("entity__name", flat=True)
    )
    assert [chip.name for chip in chips["many"]] == list(central[: selectors.CHIPS_PER_ARTICLE])
    assert chips["many"][0].name == "PersonA Example"  # named four times
    assert "PersonB Example" not in {chip.name for chip in chips["many"]}
    assert [(chip.name, chip.get_absolute_url()) for chip in chips["few"]] == [
        ("Ada Lovelace", Entity.objects.get(name="Ada Lovelace").get_absolute_url())
    ]


def test_only_the_follows_shown_are_counted(user, monkeypatch):
    monkeypatch.setattr(selectors.reading, "FOLLOWS_SHOWN", 1)
    article = ArticleFactory(text="Ada Lovelace met Charles Babbage.")
    store_names(article, [("Ada Lovelace", "PERSON"), ("Charles Babbage", "PERSON")])
    for entity in Entity.objects.all():
        services.entity_follow(user=user, entity=entity)
    [shown] = selectors.follow_list(user=user)
    assert shown.entity.name == "Ada Lovelace"
    assert selectors.reading._follow_unread_counts(user=user).keys() == {shown.pk}
