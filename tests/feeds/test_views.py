"""The Feeds page: subscribe (choosing among several feeds), edit, OPML; login, CSRF and
escaping on every part of it."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from feeds import services
from feeds.models import Feed, Subscription
from feeds.opml import parse_opml
from tests.feeds.server import SITES

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, user) -> Client:
    client.force_login(user)
    return client


def post_subscribe(client: Client, url: str, **extra) -> object:
    return client.post(reverse("feeds:subscribe"), {"url": url, **extra})


def test_the_feeds_page_needs_a_login(client):
    response = client.get(reverse("feeds:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post(reverse("feeds:subscribe"), {"url": "https://e.org/"}).status_code == 302
    assert not Subscription.objects.exists()


def test_the_site_header_links_the_feeds_page(reader):
    assert f'href="{reverse("feeds:list")}"' in reader.get(reverse("articles:home")).text


def test_subscribe_by_site_url_and_see_the_feed_listed(reader, user, feed_server, private_urls):
    response = post_subscribe(reader, feed_server.url(SITES["rss"][0]))
    assert response.status_code == 302
    subscription = Subscription.objects.get(user=user)
    assert subscription.feed.url == feed_server.url("/rss-site/feed.xml")
    page = reader.get(reverse("feeds:list")).text
    assert "The RSS Herald" in page and "Subscribed to The RSS Herald." in page


def test_a_site_with_several_feeds_lets_the_user_pick(reader, user, feed_server, private_urls):
    feed_server.site(
        "/multi/", "Multi", [("atom", "/atom-site/atom.xml"), ("json", "/json-site/feed.json")]
    )
    response = post_subscribe(reader, feed_server.url("/multi/"))
    assert response.status_code == 200
    assert "offers 2 feeds" in response.text and "Multi json" in response.text
    assert not Subscription.objects.exists()

    post_subscribe(reader, feed_server.url("/json-site/feed.json"), chosen="1")
    assert Subscription.objects.get().feed.title == "The JSON Herald"


def test_an_address_with_no_feed_is_refused_with_the_reason(reader, feed_server, private_urls):
    feed_server.site("/bare/", "Bare", [])
    response = post_subscribe(reader, feed_server.url("/bare/"))
    assert response.status_code == 422
    assert "No feed was found at that address." in response.text


def test_a_private_address_is_refused(reader, feed_server):
    response = post_subscribe(reader, feed_server.url("/rss-site/feed.xml"), chosen="1")
    assert response.status_code == 422
    assert "private network" in response.text
    assert not feed_server.hits and not Feed.objects.exists()


def test_every_post_needs_the_csrf_token(user, feed_server, private_urls):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = post_subscribe(client, feed_server.url("/rss-site/feed.xml"), chosen="1")
    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_rename_move_and_unsubscribe(reader, user, feed_server, private_urls):
    subscription, _ = services.subscription_create(
        user=user, url=feed_server.url("/rss-site/feed.xml")
    )
    reader.post(reverse("feeds:rename", args=[subscription.pk]), {"title": "My  paper"})
    reader.post(reverse("feeds:move", args=[subscription.pk]), {"folder": "Morning"})
    subscription.refresh_from_db()
    assert (subscription.title, subscription.folder.name) == ("My paper", "Morning")
    page = reader.get(reverse("feeds:list")).text
    assert "My paper" in page
    assert f'folder={subscription.folder.pk}">Morning</a>' in page  # the folder's list

    reader.post(reverse("feeds:unsubscribe", args=[subscription.pk]))
    assert not Subscription.objects.exists() and not Feed.objects.exists()


def test_another_users_subscription_cannot_be_touched(
    reader, django_user_model, feed_server, private_urls
):
    other = django_user_model.objects.create_user(username="other")
    subscription, _ = services.subscription_create(
        user=other, url=feed_server.url("/rss-site/feed.xml")
    )
    for name in ("rename", "move", "unsubscribe"):
        response = reader.post(reverse(f"feeds:{name}", args=[subscription.pk]), {"title": "x"})
        assert response.status_code == 404
    assert Subscription.objects.get().title == ""
    assert "The RSS Herald" not in reader.get(reverse("feeds:list")).text


def test_hostile_feed_content_is_escaped_on_the_page(reader, user, feed_server, private_urls):
    hostile = (
        '<rss version="2.0"><channel><title>&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;'
        "</title><link>javascript:alert(2)</link>"
        "<item><title>x</title><link>/articles/un-geneva.html</link></item></channel></rss>"
    )
    url = feed_server.serve("/evil/feed.xml", "application/rss+xml", hostile)
    response = post_subscribe(reader, url, chosen="1")
    feed = Feed.objects.get()
    assert feed.title == "<script>alert(1)</script>" and feed.site_url == ""
    Feed.objects.filter(pk=feed.pk).update(last_error='<img src=x onerror="alert(3)">')
    services.subscription_rename(
        subscription=Subscription.objects.get(), title="<b onmouseover=alert(4)>me</b>"
    )

    page = reader.get(reverse("feeds:list")).text

    assert response.status_code == 302
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert "<b onmouseover" not in page
    assert "javascript:" not in page


def test_a_failing_feed_shows_its_error(reader, user, feed_server, private_urls):
    subscription, _ = services.subscription_create(
        user=user, url=feed_server.url("/atom-site/atom.xml")
    )
    feed_server.failing["/atom-site/atom.xml"] = 503
    feed = services.feed_claim(feed_id=subscription.feed_id, token=uuid.uuid4().hex, force=True)
    services.feed_poll(feed=feed, queue=False)
    page = reader.get(reverse("feeds:list")).text
    assert "Failed 1 time in a row: The site answered 503 Service Unavailable." in page


def test_opml_import_then_export(reader, user):
    opml = b"""<?xml version="1.0"?><opml version="2.0"><body><outline text="Tech">
      <outline type="rss" text="A" xmlUrl="https://a.example.org/feed"/></outline>
      <outline type="rss" text="B" xmlUrl="file:///etc/passwd"/></body></opml>"""
    upload = SimpleUploadedFile("subs.opml", opml, content_type="text/x-opml")
    response = reader.post(reverse("feeds:import"), {"file": upload}, follow=True)
    assert "1 feeds added, 0 already followed, 1 skipped." in response.text
    assert Subscription.objects.get(user=user).folder.name == "Tech"

    exported = reader.get(reverse("feeds:export"))
    assert exported["Content-Type"].startswith("text/x-opml")
    assert [(f.url, f.folder) for f in parse_opml(exported.content)] == [
        ("https://a.example.org/feed", "Tech")
    ]


def test_subscribing_queues_a_first_poll_under_a_claim(
    reader, feed_server, private_urls, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(services, "_send_poll_task", lambda *args: sent.append(args) or True)
    with django_capture_on_commit_callbacks(execute=True):
        post_subscribe(reader, feed_server.url("/rss-site/feed.xml"), chosen="1")
    feed = Feed.objects.get()
    assert sent == [(feed.pk, feed.claimed_by)]


def test_the_feeds_pages_answer_head(reader):
    for name in ("feeds:list", "feeds:export"):
        response = reader.head(reverse(name))
        assert response.status_code == 200 and response.content == b""
