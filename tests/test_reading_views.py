"""The reading pages: read on open, the buttons with and without htmx, mark all as read
and its undo, follow; every write a logged-in POST with CSRF."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import selectors, services
from articles.models import Article, Entity, Follow, Reading
from tests.factories import ArticleFactory, store_names

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def reader(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def ada():
    article = ArticleFactory(title="About Ada", text="Ada Lovelace wrote notes.")
    store_names(article, [("Ada Lovelace", "PERSON")])
    return Entity.objects.get(name="Ada Lovelace")


def _writes(article: Article, entity: Entity) -> list[tuple[str, dict]]:
    return [
        (reverse("articles:reading", args=[article.pk]), {"action": "save"}),
        (reverse("articles:follow", args=[entity.pk]), {"follow": "1"}),
        (
            reverse("articles:mark-read"),
            {"view": "all", "shown_at": timezone.now().isoformat()},
        ),
        (reverse("articles:mark-read-undo"), {"token": "4f7c1a2e-8a0b-4a3c-9d51-1e2f3a4b5c6d"}),
    ]


def test_every_reading_write_needs_a_login(client, ada):
    article = ArticleFactory()
    for url, data in _writes(article, ada):
        response = client.post(url, data)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    assert not Reading.objects.exists() and not Follow.objects.exists()


def test_every_reading_write_needs_the_csrf_token(user, ada):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    article = ArticleFactory()
    for url, data in _writes(article, ada):
        assert client.post(url, data).status_code == 403, url
    assert not Reading.objects.exists() and not Follow.objects.exists()


def test_every_reading_write_refuses_get(reader, ada):
    for url, _data in _writes(ArticleFactory(), ada):
        assert reader.get(url).status_code == 405, url


def test_opening_an_article_marks_it_read_for_the_logged_in_reader(reader, user):
    article = ArticleFactory()
    assert reader.get(article.get_absolute_url()).status_code == 200
    assert Reading.objects.get(user=user, article=article).read_at is not None


def test_anonymous_readers_leave_no_state(client):
    article = ArticleFactory()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert not Reading.objects.exists()


def test_save_without_javascript_redirects_back(reader, user):
    article = ArticleFactory()
    response = reader.post(
        reverse("articles:reading", args=[article.pk]), {"action": "save", "next": "/?view=saved"}
    )
    assert response.status_code == 302 and response.url == "/?view=saved"
    assert Reading.objects.get(user=user, article=article).saved_at is not None


def test_next_pointing_elsewhere_falls_back_to_the_article(reader):
    article = ArticleFactory()
    response = reader.post(
        reverse("articles:reading", args=[article.pk]),
        {"action": "read", "next": "https://evil.example/"},
    )
    assert response.url == article.get_absolute_url()


def test_unknown_action_is_refused(reader):
    article = ArticleFactory()
    response = reader.post(reverse("articles:reading", args=[article.pk]), {"action": "delete"})
    assert response.status_code == 400
    assert not Reading.objects.exists()


def test_htmx_toggle_answers_with_the_new_buttons(reader, user):
    article = ArticleFactory()
    url = reverse("articles:reading", args=[article.pk])
    response = reader.post(url, {"action": "read", "next": "/"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="reading-{article.pk}"' in html and "data-read" in html
    assert 'value="unread"' in html and 'name="next" value="/"' in html
    response = reader.post(url, {"action": "unread"}, **HTMX)
    assert "data-read" not in response.content.decode()
    assert Reading.objects.get(user=user, article=article).read_at is None


def test_home_shows_the_buttons_and_the_views_to_a_reader(reader):
    article = ArticleFactory(title="A story")
    html = reader.get(reverse("articles:home")).content.decode()
    assert reverse("articles:reading", args=[article.pk]) in html
    assert 'href="?view=unread"' in html and 'href="?view=saved"' in html
    assert "Mark all as read" in html


def test_saved_view_lists_saved_articles(reader, user):
    saved = ArticleFactory(title="Kept story")
    ArticleFactory(title="Passing story")
    services.article_set_saved(user=user, article=saved, saved=True)
    html = reader.get(reverse("articles:home"), {"view": "saved"}).content.decode()
    assert "Kept story" in html and "Passing story" not in html


def test_unknown_view_falls_back_to_the_default(reader):
    ArticleFactory(title="A story")
    response = reader.get(reverse("articles:home"), {"view": "../../etc"})
    assert response.status_code == 200 and "A story" in response.content.decode()


def test_mark_all_read_then_undo_through_the_pages(reader, user):
    ArticleFactory.create_batch(3)
    shown_at = timezone.now()
    late = ArticleFactory(title="Arrived after the page was shown")
    response = reader.post(
        reverse("articles:mark-read"), {"view": "unread", "shown_at": shown_at.isoformat()}
    )
    assert response.status_code == 302 and response.url == "/?view=unread"
    assert Reading.objects.filter(user=user, read_at__isnull=False).count() == 3
    assert not Reading.objects.filter(article=late).exists()

    page = reader.get(response.url).content.decode()
    assert "Marked 3 articles read." in page
    token = Reading.objects.filter(user=user).first().marked_in
    assert f'value="{token}"' in page

    response = reader.post(reverse("articles:mark-read-undo"), {"token": str(token), "next": "/"})
    assert response.status_code == 302
    assert not Reading.objects.filter(user=user, read_at__isnull=False).exists()
    assert "Marked 3" not in reader.get("/").content.decode()  # the offer is shown once


def test_mark_all_read_of_one_source_leaves_the_others(reader, user):
    ArticleFactory(site_name="One")
    other = ArticleFactory(site_name="Two")
    reader.post(
        reverse("articles:mark-read"),
        {"view": "all", "source": "One", "shown_at": timezone.now().isoformat()},
    )
    assert Reading.objects.filter(user=user, read_at__isnull=False).count() == 1
    assert not Reading.objects.filter(article=other).exists()


def test_mark_all_read_refuses_a_bad_list(reader):
    response = reader.post(reverse("articles:mark-read"), {"view": "everyone", "shown_at": "x"})
    assert response.status_code == 400
    assert not Reading.objects.exists()


def test_follow_in_one_click_and_the_following_view(reader, user, ada):
    response = reader.post(reverse("articles:follow", args=[ada.pk]), {"follow": "1"})
    assert response.status_code == 302 and response.url == ada.get_absolute_url()
    assert Follow.objects.filter(user=user, entity=ada).exists()
    assert "Following ✓" in reader.get(ada.get_absolute_url()).content.decode()

    newer = ArticleFactory(title="Ada again", text="Ada Lovelace again.")
    store_names(newer, [("Ada Lovelace", "PERSON")])
    html = reader.get(reverse("articles:home"), {"view": "following"}).content.decode()
    assert "Ada again" in html and "About Ada" not in html  # only what came since
    assert f"?view=following&amp;entity={ada.pk}" in html

    response = reader.post(reverse("articles:follow", args=[ada.pk]), {"follow": "0"}, **HTMX)
    assert response.status_code == 200 and 'value="1"' in response.content.decode()
    assert not Follow.objects.exists()


@pytest.mark.parametrize("view", ["unread", "all", "saved", "following", "hidden"])
def test_a_list_costs_the_same_queries_however_many_articles_it_shows(reader, user, ada, view):
    def queries() -> int:
        cache.clear()  # the Unread count counted each time, as it is when not kept
        with CaptureQueriesContext(connection) as captured:
            assert reader.get(reverse("articles:home"), {"view": view}).status_code == 200
        return len(captured)

    def add(count: int) -> None:
        """Articles that every one of the lists shows."""
        for article in ArticleFactory.create_batch(count, text="Ada Lovelace again."):
            store_names(article, [("Ada Lovelace", "PERSON")])
            services.article_set_saved(user=user, article=article, saved=True)
            services.article_set_hidden(user=user, article=article, hidden=view == "hidden")

    services.entity_follow(user=user, entity=ada)
    add(1)
    few = queries()
    add(8)
    assert queries() == few


def test_the_article_page_has_the_buttons_for_a_reader_only(reader):
    article = ArticleFactory()
    html = reader.get(article.get_absolute_url()).content.decode()
    assert 'value="unread"' in html and 'data-shortcut="save"' in html  # read on open
    reader.logout()
    assert "data-shortcut=" not in reader.get(article.get_absolute_url()).content.decode()


@pytest.fixture
def shelf_scope(monkeypatch, user):
    owner = user

    """A scope of another app's, as feeds registers one: ?shelf=mine narrows the reader's
    lists to the articles on their shelf (the ones they saved); it names nothing for others."""

    def resolve(*, user, value: str) -> selectors.ReadingScope | None:
        if value != "mine" or user.pk != owner.pk:
            return None
        on_shelf = Reading.objects.filter(user=owner, saved_at__isnull=False)
        return selectors.ReadingScope("shelf", value, "Shelf: mine", on_shelf)

    monkeypatch.setattr(selectors.reading, "READING_SCOPES", {"shelf": resolve})


def test_a_registered_scope_narrows_the_list_and_mark_all_read(reader, user, shelf_scope):
    services.article_set_saved(user=user, article=ArticleFactory(title="On the shelf"), saved=True)
    off = ArticleFactory(title="Elsewhere")
    html = reader.get(reverse("articles:home"), {"shelf": "mine"}).content.decode()
    assert "Shelf: mine" in html and "On the shelf" in html and "Elsewhere" not in html
    assert '<input type="hidden" name="shelf" value="mine">' in html

    response = reader.post(
        reverse("articles:mark-read"),
        {"view": "unread", "shelf": "mine", "shown_at": timezone.now().isoformat()},
    )
    assert response.url == "/?view=unread&shelf=mine"
    assert Reading.objects.filter(user=user, read_at__isnull=False).count() == 1
    assert not Reading.objects.filter(article=off).exists()


def test_a_scope_that_names_nothing_of_the_readers_is_ignored(
    client, user, django_user_model, shelf_scope
):
    other = django_user_model.objects.create_user(username="other", password="correct horse")
    client.force_login(other)
    services.article_set_saved(user=user, article=ArticleFactory(title="On the shelf"), saved=True)
    ArticleFactory(title="Elsewhere")
    html = client.get(reverse("articles:home"), {"shelf": "mine"}).content.decode()
    assert "On the shelf" in html and "Elsewhere" in html and "Shelf: mine" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"entity": "9" * 30},
        {"entity": "²"},
        {"feed": "²"},
        {"entity": "-1"},
        {"view": "all", "entity": "x"},
        {"feed": "9" * 30},
        {"folder": "1 OR 1=1"},
        {"page": "-3"},
    ],
)
def test_odd_list_parameters_show_a_list_not_an_error(reader, params):
    ArticleFactory(title="A story")
    response = reader.get(reverse("articles:home"), params)
    assert response.status_code == 200 and "A story" in response.text


def test_a_reading_list_pages_by_keyset_and_keeps_its_view(reader, user):
    for number in range(selectors.ARTICLES_PER_PAGE + 3):
        article = ArticleFactory(title=f"Kept {number}")
        services.article_set_saved(user=user, article=article, saved=True)
    ArticleFactory(title="Not kept")
    first = reader.get(reverse("articles:home"), {"view": "saved"}).text
    assert first.count("data-item>") == selectors.ARTICLES_PER_PAGE
    [next_page] = re.findall(r'href="(\?[^"]*after=[^"]*)"\s+rel="next"', first)
    assert "view=saved" in next_page
    second = reader.get(reverse("articles:home") + next_page.replace("&amp;", "&")).text
    assert second.count("data-item>") == 3 and "Not kept" not in second


def test_a_large_scope_is_tested_row_by_row_with_the_same_list(reader, user, shelf_scope):
    services.article_set_saved(user=user, article=ArticleFactory(title="On the shelf"), saved=True)
    ArticleFactory(title="Elsewhere")
    large = selectors.ReadingScope(
        "shelf",
        "mine",
        "Shelf: mine",
        Reading.objects.filter(user=user, saved_at__isnull=False),
        size=selectors.SCOPE_READ_WHOLE_MAX + 1,
    )
    articles = selectors.articles_for_reader(user=user, view=selectors.ReadingView.ALL, scope=large)
    assert [article.title for article in articles] == ["On the shelf"]
