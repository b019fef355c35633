"""A logged-in reader's display preferences (theme, highlighting) kept on the server:
saved by ``views.reader_preferences``, carried on every page's <html>."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import ReaderPreference

pytestmark = pytest.mark.django_db

URL = reverse("articles:preferences")


def test_a_reader_s_choice_is_saved_and_every_page_carries_it(client, user):
    client.force_login(user)
    response = client.post(
        URL, {"theme": "dark", "highlight": "first", "hidden_types": ["place", "org"]}
    )
    assert response.status_code == 204
    preference = ReaderPreference.objects.get(user=user)
    assert (preference.theme, preference.highlight) == ("dark", "first")
    assert set(preference.hidden_types.split()) == {"place", "org"}
    page = client.get(reverse("articles:entities")).text
    assert 'data-theme="dark"' in page and 'data-highlight="first"' in page
    assert f'data-preferences-url="{URL}"' in page


def test_a_choice_made_in_another_browser_shows_on_the_next_page(
    user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    here, there = Client(), Client()
    here.force_login(user)
    there.force_login(user)
    assert 'data-highlight="all"' in here.get(reverse("articles:entities")).text
    with django_assert_num_queries(3):  # session, user, the list: the preference is kept
        here.get(reverse("articles:entities"))
    with django_capture_on_commit_callbacks(execute=True):
        there.post(URL, {"theme": "dark", "highlight": "none"})
    page = here.get(reverse("articles:entities")).text
    assert 'data-theme="dark"' in page and 'data-highlight="none"' in page


def test_until_a_reader_chooses_the_page_carries_the_defaults_and_no_theme(client, user):
    client.force_login(user)
    page = client.get(reverse("articles:home")).text
    assert 'data-highlight="all"' in page and 'data-hide=""' in page
    assert "data-theme=" not in page
    assert not ReaderPreference.objects.exists()


def test_anonymous_pages_leave_preferences_to_the_browser(client):
    page = client.get(reverse("articles:home")).text
    assert "data-preferences-url" not in page


@pytest.mark.parametrize(
    "data",
    [
        {"theme": "sepia", "highlight": "all"},
        {"theme": "", "highlight": "some"},
        {"theme": "", "highlight": "all", "hidden_types": ["planet"]},
        {"theme": "\x00", "highlight": "all"},
    ],
)
def test_values_the_site_does_not_have_are_refused(client, user, data):
    client.force_login(user)
    assert client.post(URL, data).status_code == 400
    assert not ReaderPreference.objects.exists()


def test_saving_needs_a_login_and_the_csrf_token(client, user):
    response = client.post(URL, {"theme": "dark", "highlight": "all"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    reader = Client(enforce_csrf_checks=True)
    reader.force_login(user)
    assert reader.post(URL, {"theme": "dark", "highlight": "all"}).status_code == 403
    assert reader.get(URL).status_code == 405
    assert not ReaderPreference.objects.exists()
