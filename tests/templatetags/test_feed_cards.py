"""A feed's card: its links, count, dates and three forms, every value escaped."""

from __future__ import annotations

import datetime

import lxml.html
from django.template import Context
from django.urls import reverse
from django.utils import timezone

from feeds.models import Feed, Folder, Subscription
from feeds.templatetags.feed_cards import feed_card


def _card(subscription: Subscription) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(feed_card(Context({"csrf_token": "tok"}), subscription, "/"))


def test_a_failing_feed_in_a_folder():
    now = timezone.now()
    feed = Feed(
        url="https://x.example/feed?a=1&b=<2>",
        site_url='https://x.example/"home"',
        title="Feed <b>",
        last_polled_at=now - datetime.timedelta(hours=2),
        next_poll_at=now,
        consecutive_errors=2,
        last_error="Bad <xml>",
        item_count=1,
    )
    subscription = Subscription(pk=7, feed=feed, title="", folder=Folder(name="A & B"))
    subscription.unread = 150
    card = _card(subscription)
    assert card.get("id") == "subscription-7" and "status-failed" in card.get("class")
    assert card.xpath("//p[@class='card-url']/a/@href") == ["/?view=unread&feed=7"]
    assert card.xpath("//p[@class='card-url']/a")[0].text == "Feed <b>"
    assert card.xpath("//span[@class='count']")[0].text == "99+"
    assert card.xpath("//a[@rel]/@href") == ['https://x.example/"home"']
    assert card.xpath("//span[@class='feed-url']")[0].text == "https://x.example/feed?a=1&b=<2>"
    assert "1 item ·" in card.text_content() and "2\xa0hours ago" in card.text_content()
    assert card.xpath("//time/@datetime")[1] == now.isoformat()
    assert "Failed 2 times in a row: Bad <xml>" in card.text_content()
    assert card.xpath("//input[@name='folder']/@value") == ["A & B"]
    assert card.xpath("//input[@name='title']/@placeholder") == ["Feed <b>"]
    assert card.xpath("//form/@action") == [
        reverse(name, args=[7]) for name in ("feeds:rename", "feeds:move", "feeds:unsubscribe")
    ]
    assert card.xpath("//input[@name='csrfmiddlewaretoken']/@value") == ["tok"] * 3


def test_a_feed_never_polled_and_polling_now():
    feed = Feed(url="https://y.example/", title="", item_count=3, claimed_by="worker")
    subscription = Subscription(pk=8, feed=feed, title="Mine")
    subscription.unread = 0
    card = _card(subscription)
    text = " ".join(card.text_content().split())
    assert "3 items · last polled never · next poll running now" in text
    assert card.xpath("//span[@class='count']")[0].text == "0"
    assert card.xpath("//a[@rel]") == [] and card.xpath("//input[@name='folder']/@value") == [""]
