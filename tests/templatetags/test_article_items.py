"""A reading list's item: title, source, date, other sources, chips; the buttons only
for a logged-in reader. Every value escaped."""

from __future__ import annotations

import datetime

import lxml.html
from django.contrib.auth.models import AnonymousUser, User
from django.template import Context
from django.test import RequestFactory

from articles.models import Article
from articles.selectors.reading import Chip
from articles.templatetags.article_items import article_item


def _item(user, article: Article) -> lxml.html.HtmlElement:
    request = RequestFactory().get("/?view=saved")
    request.user = user
    context = Context({"csrf_token": "tok", "request": request})
    return lxml.html.fromstring(article_item(context, article, "saved"))


def _article() -> Article:
    date = datetime.datetime(2026, 3, 4, 5, 6, tzinfo=datetime.UTC)
    article = Article(
        pk=7, url="https://a.example/x", title="", site_name="A & <B>", created_at=date
    )
    article.other_sources = ["C & c", "D"]
    article.top_entities = [Chip(1, "PERSON", "Ann <Bo>", "ann-bo")]
    article.reading = None
    return article


def test_an_item_for_a_reader_has_the_buttons():
    item = _item(User(pk=1), _article())
    assert item.xpath("//h2/a/@href") == ["/articles/7/"]
    assert item.xpath("//h2/a")[0].text == "https://a.example/x"  # no title: its address
    assert item.xpath("//p[@class='meta']/a/@href") == ["?view=saved&source=A%20%26%20%3CB%3E"]
    assert item.xpath("//time/@datetime") == ["2026-03-04T05:06:00+00:00"]
    assert item.xpath("//time")[0].text == "4 Mar 2026"
    also = " ".join(item.xpath("//p[@class='also-in']")[0].text_content().split())
    assert also == "Also in 2 other sources: C & c, D"
    assert item.xpath("//a[contains(@class, 'chip')]")[0].text == "Ann <Bo>"
    assert item.xpath("//input[@name='next']/@value") == ["/?view=saved"] * 3


def test_an_item_for_anyone_else_has_no_buttons():
    article = _article()
    article.site_name, article.other_sources, article.title = "", [], "Title"
    item = _item(AnonymousUser(), article)
    assert item.xpath("//form") == [] and item.xpath("//p[@class='also-in']") == []
    assert item.xpath("//p[@class='meta']/a") == [] and item.xpath("//h2/a")[0].text == "Title"
