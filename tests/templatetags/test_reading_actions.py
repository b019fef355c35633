"""The reader's buttons: each state's button, the CSRF field, every value escaped."""

from __future__ import annotations

import lxml.html
from django.template import Context
from django.urls import reverse

from articles.models import Article, Reading
from articles.templatetags.reading_actions import reading_actions


def _buttons(html: str) -> list[tuple[str, str]]:
    tree = lxml.html.fromstring(html)
    return [(b.get("value"), b.text_content()) for b in tree.xpath("//button")]


def test_buttons_follow_the_reading_and_keep_the_page_to_go_back_to():
    article = Article(pk=7)
    context = Context({"csrf_token": "tok"})
    html = reading_actions(context, article, None, '/?q="<x>"')
    assert _buttons(html) == [("save", "☆ Save"), ("read", "Mark read"), ("hide", "Hide")]
    tree = lxml.html.fromstring(html)
    assert tree.get("id") == "reading-7" and tree.get("data-read") is None
    assert {form.get("action") for form in tree.xpath("//form")} == {
        reverse("articles:reading", args=[7])
    }
    assert tree.xpath("//input[@name='csrfmiddlewaretoken']/@value") == ["tok"] * 3
    assert tree.xpath("//input[@name='next']/@value") == ['/?q="<x>"'] * 3
    assert "&quot;&lt;x&gt;&quot;" in html  # escaped in the attribute

    done = Reading(read_at="2026-01-01", saved_at="2026-01-01", hidden_at="2026-01-01")
    html = reading_actions(context, article, done, "/")
    assert _buttons(html) == [
        ("unsave", "★ Saved"),
        ("unread", "Mark unread"),
        ("unhide", "Unhide"),
    ]
    assert lxml.html.fromstring(html).get("data-read") is not None
