"""Feeds named by a page's <link rel="alternate"> elements."""

from __future__ import annotations

from feeds.discovery import FeedChoice, feed_links, looks_like_html


def test_alternate_links_of_every_feed_type_are_found_and_made_absolute():
    html = """<html><head>
      <link rel="alternate" type="application/rss+xml" title="All" href="/feed.xml">
      <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="atom.xml">
      <link rel="alternate" type="application/feed+json" href="https://other.org/f.json">
      <link rel="alternate" type="application/rss+xml" href="/feed.xml">
      <link rel="alternate" hreflang="fr" type="text/html" href="/fr/">
      <link rel="stylesheet" type="application/rss+xml" href="/not-a-feed">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    </head><body></body></html>"""
    assert feed_links(html, base_url="https://e.org/blog/") == [
        FeedChoice("https://e.org/feed.xml", "All"),
        FeedChoice("https://e.org/blog/atom.xml", ""),
        FeedChoice("https://other.org/f.json", ""),
    ]


def test_link_titles_are_plain_text():
    html = '<link rel="alternate" type="application/rss+xml" title="<b>x</b>" href="/f">'
    assert feed_links(html, base_url="https://e.org/")[0].title == "x"


def test_pages_are_told_from_feeds():
    assert looks_like_html(b"\xef\xbb\xbf  <!DOCTYPE html><html>")
    assert looks_like_html(b"<html lang='en'>")
    assert not looks_like_html(b'<?xml version="1.0"?><rss version="2.0">')
    assert not looks_like_html(b'{"version": "https://jsonfeed.org/version/1.1"}')
