"""Subscribing, polling and importing, against the local server of sites and feeds."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from articles.models import Article, ArticleEntity
from feeds import services
from feeds.models import Feed, FeedItem, Folder, Subscription
from feeds.opml import parse_opml
from feeds.selectors import subscriptions_opml
from tests.feeds.server import ARTICLES, SITES, FeedServer, rss

pytestmark = pytest.mark.django_db


def subscribe(user, feed_server: FeedServer, kind: str) -> Subscription:
    site, _, _ = SITES[kind]
    [choice] = services.feeds_discover(url=feed_server.url(site))
    subscription, _ = services.subscription_create(user=user, url=choice.url)
    return subscription


def poll(feed: Feed, *, force: bool = True) -> services.PollResult:
    claimed = services.feed_claim(feed_id=feed.pk, token=uuid.uuid4().hex, force=force)
    assert claimed is not None
    return services.feed_poll(feed=claimed, queue=False)


# Discovery and subscribing


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_a_site_url_finds_its_feed(user, feed_server, private_urls, kind):
    site, feed_path, _ = SITES[kind]
    choices = services.feeds_discover(url=feed_server.url(site))
    assert [choice.url for choice in choices] == [feed_server.url(feed_path)]
    subscription, created = services.subscription_create(user=user, url=choices[0].url)
    assert created
    assert subscription.feed.url == feed_server.url(feed_path)
    assert subscription.feed.title == f"The {kind.upper() if kind != 'atom' else 'Atom'} Herald"


def test_a_feed_url_is_its_own_only_choice(feed_server, private_urls):
    url = feed_server.url("/json-site/feed.json")
    assert [choice.url for choice in services.feeds_discover(url=url)] == [url]


def test_a_page_with_several_feeds_offers_them_all(feed_server, private_urls):
    feed_server.site(
        "/multi/", "Multi", [("rss", "/rss-site/feed.xml"), ("json", "/json-site/feed.json")]
    )
    choices = services.feeds_discover(url=feed_server.url("/multi/"))
    assert [(c.url, c.title) for c in choices] == [
        (feed_server.url("/rss-site/feed.xml"), "Multi rss"),
        (feed_server.url("/json-site/feed.json"), "Multi json"),
    ]


def test_a_page_naming_no_feed_falls_back_on_the_usual_paths(feed_server, private_urls):
    feed_server.site("/bare/", "Bare", [])
    feed_server.serve("/rss", "application/rss+xml", rss(feed_server.base, [], title="Usual"))
    [choice] = services.feeds_discover(url=feed_server.url("/bare/"))
    assert choice == services.FeedChoice(feed_server.url("/rss"), "Usual")
    assert feed_server.hits["/feed"] == 1  # tried first, 404


def test_a_page_starting_with_a_comment_is_still_read_as_a_page(feed_server, private_urls):
    page = (
        '<!-- generated -->\n<html><head><link rel="alternate" type="application/rss+xml" '
        'href="/rss-site/feed.xml"></head><body>Hi</body></html>'
    )
    url = feed_server.serve("/commented/", "text/html; charset=utf-8", page)
    assert [c.url for c in services.feeds_discover(url=url)] == [
        feed_server.url("/rss-site/feed.xml")
    ]


def test_a_site_without_any_feed_is_refused(feed_server, private_urls):
    feed_server.site("/bare/", "Bare", [])
    with pytest.raises(services.FeedError, match="No feed was found"):
        services.feeds_discover(url=feed_server.url("/bare/"))


def test_a_document_that_is_no_feed_is_refused_with_the_reason(user, feed_server, private_urls):
    url = feed_server.serve("/words.txt", "text/plain", "Just some words, no feed here.")
    with pytest.raises(services.FeedError, match="not"):
        services.subscription_create(user=user, url=url)
    assert not Feed.objects.exists()


def test_a_private_address_is_refused_without_a_request(user, feed_server):
    url = feed_server.url("/rss-site/feed.xml")
    with pytest.raises(services.FeedError, match="private network"):
        services.feeds_discover(url=url)
    with pytest.raises(services.FeedError, match="private network"):
        services.subscription_create(user=user, url=url)
    assert not feed_server.hits
    assert not Feed.objects.exists()


def test_subscribing_twice_keeps_one_subscription_in_its_folder(user, feed_server, private_urls):
    url = feed_server.url("/rss-site/feed.xml")
    first, created = services.subscription_create(user=user, url=url, folder_name=" World  news ")
    again, created_again = services.subscription_create(user=user, url=url)
    assert (created, created_again, first.pk) == (True, False, again.pk)
    assert first.folder.name == "World news"


# Polling


def test_poll_stores_new_items_and_a_second_poll_gets_304_and_fetches_nothing(
    user, feed_server, private_urls
):
    subscription = subscribe(user, feed_server, "rss")
    result = poll(subscription.feed)
    feed = Feed.objects.get()
    assert {a.url for a in result.new_articles} == {
        feed_server.url(f"/articles/{slug}.html") for slug in SITES["rss"][2]
    }
    assert feed.item_count == 2 and feed.etag and not feed.last_error
    assert feed.last_polled_at is not None and feed.next_poll_at > feed.last_polled_at
    feed_hits = feed_server.hits["/rss-site/feed.xml"]

    again = poll(feed)

    assert again.not_modified and not again.new_articles
    assert feed_server.not_modified["/rss-site/feed.xml"] == 1
    assert feed_server.hits["/rss-site/feed.xml"] == feed_hits + 1
    assert feed_server.article_hits() == 0  # queue=False: nothing fetched either way
    assert Article.objects.count() == 2 and FeedItem.objects.count() == 2


def test_items_are_deduplicated_by_guid_and_by_canonical_url(user, feed_server, private_urls):
    base = feed_server.base
    dated = "Fri, 20 Nov 2026 10:00:00 +0000"
    path = "/dup/feed.xml"
    feed_server.serve(path, "application/rss+xml", rss(base, [("merkel-paris", "One", dated)]))
    subscription, _ = services.subscription_create(user=user, url=feed_server.url(path))
    poll(subscription.feed)
    # The same link again under another GUID and with tracking parameters: one item.
    feed_server.serve(
        path,
        "application/rss+xml",
        rss(base, [("merkel-paris", "One", dated)])
        .replace("<guid>", "<guid>renamed-")
        .replace("merkel-paris.html</link>", "merkel-paris.html?utm_source=rss</link>"),
    )
    assert poll(subscription.feed).new_articles == []
    assert FeedItem.objects.count() == 1


def test_an_item_already_in_the_library_is_linked_not_fetched(user, feed_server, private_urls):
    pasted = Article.objects.create(
        url=feed_server.url("/articles/merkel-paris.html"), status=Article.Status.DONE
    )
    subscription = subscribe(user, feed_server, "rss")
    result = poll(subscription.feed)
    assert pasted not in result.new_articles
    assert FeedItem.objects.get(url=pasted.url).article == pasted
    assert Article.objects.count() == 2


def test_old_items_are_back_filled_up_to_the_limit_and_new_ones_always_taken(
    user, feed_server, private_urls, settings
):
    settings.FEEDS_BACKFILL_LIMIT = 1
    base = feed_server.base
    old = [
        ("merkel-paris", "A", "Fri, 20 Nov 2026 10:00:00 +0000"),
        ("un-geneva", "B", "Thu, 19 Nov 2026 10:00:00 +0000"),
        ("kerry-baghdad", "C", "Wed, 18 Nov 2026 10:00:00 +0000"),
    ]
    path = "/old/feed.xml"
    feed_server.serve(path, "application/rss+xml", rss(base, old))
    subscription, _ = services.subscription_create(user=user, url=feed_server.url(path))
    Subscription.objects.filter(pk=subscription.pk).update(
        created_at=datetime.datetime(2026, 11, 25, tzinfo=datetime.UTC)
    )

    first = poll(subscription.feed)
    assert [a.url for a in first.new_articles] == [feed_server.url("/articles/merkel-paris.html")]
    assert FeedItem.objects.filter(article=None).count() == 2  # seen, not fetched

    fresh = ("nato-brussels", "D", "Sat, 28 Nov 2026 10:00:00 +0000")
    feed_server.serve(path, "application/rss+xml", rss(base, [fresh, *old]))
    second = poll(subscription.feed)
    assert [a.url for a in second.new_articles] == [feed_server.url("/articles/nato-brussels.html")]


def test_a_failing_feed_backs_off_and_keeps_its_error_until_it_recovers(
    user, feed_server, private_urls
):
    subscription = subscribe(user, feed_server, "atom")
    feed_server.failing["/atom-site/atom.xml"] = 500
    waits = []
    for _ in range(3):
        before = timezone.now()
        result = poll(subscription.feed)
        feed = Feed.objects.get()
        waits.append(feed.next_poll_at - before)
        assert result.error == feed.last_error == "The site answered 500 Internal Server Error."
    assert feed.consecutive_errors == 3
    assert waits[0] > feed.interval
    assert waits[1] > 1.9 * waits[0] and waits[2] > 1.9 * waits[1]

    del feed_server.failing["/atom-site/atom.xml"]
    poll(feed)
    feed.refresh_from_db()
    assert (feed.consecutive_errors, feed.last_error, feed.item_count) == (0, "", 2)


def test_retry_after_of_a_busy_server_is_honoured(user, feed_server, private_urls):
    subscription = subscribe(user, feed_server, "rss")
    feed_server.failing["/rss-site/feed.xml"] = 429
    feed_server.failing_headers["/rss-site/feed.xml"] = {"Retry-After": str(6 * 3600)}
    before = timezone.now()
    poll(subscription.feed)
    feed = Feed.objects.get()
    assert feed.last_error == "The site answered 429 Too Many Requests."
    assert feed.next_poll_at - before >= datetime.timedelta(hours=6)


def test_a_feed_that_turns_into_garbage_is_marked_failed_and_released(
    user, feed_server, private_urls
):
    subscription = subscribe(user, feed_server, "json")
    feed_server.serve("/json-site/feed.json", "application/feed+json", b"{broken")
    result = poll(subscription.feed)
    feed = Feed.objects.get()
    assert "not valid JSON" in result.error and feed.last_error == result.error
    assert feed.claimed_by == ""


def test_hostile_titles_are_stored_as_plain_text(user, feed_server, private_urls):
    base = feed_server.base
    hostile = (
        '<rss version="2.0"><channel><title>&lt;script&gt;alert(1)&lt;/script&gt;Evil</title>'
        f"<item><title>&lt;img src=x onerror=alert(2)&gt;Bad</title>"
        f"<link>{base}/articles/un-geneva.html</link></item>"
        "<item><title>Nowhere</title><link>javascript:alert(3)</link></item>"
        "</channel></rss>"
    )
    url = feed_server.serve("/evil/feed.xml", "application/rss+xml", hostile)
    subscription, _ = services.subscription_create(user=user, url=url)
    poll(subscription.feed)
    assert Feed.objects.get().title == "alert(1)Evil"  # the markup gone, the text harmless
    assert set(FeedItem.objects.values_list("title", "url")) == {
        ("Bad", feed_server.url("/articles/un-geneva.html")),
        ("Nowhere", ""),
    }


def test_nul_characters_in_a_feed_do_not_stop_its_poll(user, feed_server, private_urls):
    body = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Nul\\u0000", "items": ['
        f'{{"id": "n\\u0000", "title": "a\\u0000b", "url": "{feed_server.base}/articles/'
        'un-geneva.html", "content_text": "x\\u0000y"}]}'
    )
    url = feed_server.serve("/nul/feed.json", "application/json", body)
    subscription, _ = services.subscription_create(user=user, url=url)
    assert len(poll(subscription.feed).new_articles) == 1
    assert FeedItem.objects.get().title == "ab" and Feed.objects.get().title == "Nul"


def test_one_poll_at_a_time(user, feed_server, private_urls):
    feed = subscribe(user, feed_server, "rss").feed
    assert services.feed_claim(feed_id=feed.pk, token="first") is not None
    assert services.feed_claim(feed_id=feed.pk, token="second") is None
    assert services.feed_claim(feed_id=feed.pk, token="second", force=True) is None
    # The same poll, its message delivered again, keeps its claim.
    assert services.feed_claim(feed_id=feed.pk, token="first") is not None


def test_a_claim_left_by_a_lost_poll_expires(user, feed_server, private_urls, settings):
    feed = subscribe(user, feed_server, "rss").feed
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    Feed.objects.filter(pk=feed.pk).update(claimed_by="lost", claimed_at=long_ago)
    assert services.feed_claim(feed_id=feed.pk, token="next") is not None


def test_the_feeds_copy_is_used_when_the_page_cannot_be_fetched(user, feed_server, private_urls):
    title, text = ARTICLES["kerry-baghdad"]
    body = (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Copy</title>'
        f"<item><title>{title}</title><link>{feed_server.base}/articles/gone.html</link>"
        "<pubDate>Fri, 20 Nov 2026 10:00:00 +0000</pubDate>"
        f"<content:encoded><![CDATA[<p>{text}</p><p>{text}</p>]]></content:encoded>"
        "</item></channel></rss>"
    )
    url = feed_server.serve("/copy/feed.xml", "application/rss+xml", body)
    subscription, _ = services.subscription_create(user=user, url=url)
    [article] = poll(subscription.feed).new_articles
    Article.objects.filter(pk=article.pk).update(status=Article.Status.FAILED, error="404")

    assert services.feed_items_use_content() == 1

    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED and not article.error
    assert article.title == title
    assert "John Kerry arrived in Baghdad" in article.text
    assert services.feed_items_use_content() == 0  # used once

    Article.objects.filter(pk=article.pk).update(status=Article.Status.DONE)
    poll(subscription.feed)
    assert FeedItem.objects.get().content == ""  # kept only until the article is done


# OPML


def test_opml_round_trip_keeps_feeds_and_folders(user, django_user_model, feed_server):
    data = f"""<?xml version="1.0"?><opml version="2.0"><body>
      <outline text="World"><outline type="rss" text="RSS" xmlUrl="https://rss.example.org/feed"
        htmlUrl="javascript:alert(1)"/>
        <outline type="rss" text="Atom" xmlUrl="https://atom.example.org/atom.xml"/></outline>
      <outline type="rss" text="JSON" xmlUrl="https://json.example.org/feed.json"/>
      <outline type="rss" text="Local" xmlUrl="{feed_server.url("/rss-site/feed.xml")}"/>
      <outline type="rss" text="Bad" xmlUrl="not a url"/>
    </body></opml>""".encode()

    result = services.subscriptions_import_opml(user=user, data=data)

    assert (result.added, result.existing, len(result.failures)) == (3, 0, 2)
    assert Feed.objects.get(url="https://rss.example.org/feed").site_url == ""
    assert not feed_server.hits  # nothing fetched on import
    exported = parse_opml(subscriptions_opml(user=user))
    assert {(f.url, f.folder) for f in exported} == {
        ("https://rss.example.org/feed", "World"),
        ("https://atom.example.org/atom.xml", "World"),
        ("https://json.example.org/feed.json", ""),
    }
    other = django_user_model.objects.create_user(username="other")
    services.subscriptions_import_opml(user=other, data=subscriptions_opml(user=user))
    assert set(parse_opml(subscriptions_opml(user=other))) == set(exported)
    assert Folder.objects.filter(name="World").count() == 2
    again = services.subscriptions_import_opml(user=user, data=data)
    assert (again.added, again.existing) == (0, 3)


def test_an_opml_file_that_is_broken_is_reported(user):
    result = services.subscriptions_import_opml(user=user, data=b"<opml><body><outline")
    assert (result.added, result.failures) == (0, [("file", "The OPML file lists no feeds.")])


def test_unsubscribing_the_last_subscriber_removes_the_feed(user, feed_server, private_urls):
    subscription = subscribe(user, feed_server, "rss")
    poll(subscription.feed)
    services.subscription_delete(subscription=subscription)
    assert not Feed.objects.exists() and Article.objects.count() == 2


# In-process processing (feeds poll --sync)


@pytest.mark.nlp
def test_poll_now_analyses_every_item_and_uses_the_copy_for_a_dead_link(
    user, feed_server, private_urls
):
    for kind in SITES:
        subscribe(user, feed_server, kind)
    title, text = ARTICLES["kerry-baghdad"]
    copy = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Copy</title>'
        f"<item><title>Dead link</title><link>{feed_server.base}/articles/gone.html</link>"
        f"<description><![CDATA[<p>{text}</p><p>{text}</p>]]></description>"
        "</item></channel></rss>"
    )
    url = feed_server.serve("/copy/feed.xml", "application/rss+xml", copy)
    services.subscription_create(user=user, url=url)

    polled = services.feeds_poll_now()

    assert len(polled) == 4 and not any(result.error for _, result in polled)
    articles = Article.objects.all()
    assert len(articles) == 7
    for article in articles:
        assert article.status == Article.Status.DONE, (article.url, article.error)
        assert ArticleEntity.objects.filter(article=article).exists(), article.url
    assert articles.get(url__endswith="gone.html").title == "Dead link"
    article_hits = feed_server.article_hits()

    assert all(result.not_modified for _, result in services.feeds_poll_now(force=True))
    assert sum(feed_server.not_modified.values()) == 4
    assert feed_server.article_hits() == article_hits
