"""Feed documents of every format, encoding and state of repair, read into plain values."""

from __future__ import annotations

import datetime

import pytest

from feeds.parsing import FeedParseError, parse_feed

BASE = "https://news.example.org/feed"
WHEN = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


def test_rss2_items_with_links_dates_guids_and_full_content():
    feed = parse_feed(
        b"""<?xml version="1.0"?><rss version="2.0"
        xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
        <title>Herald</title><link>https://news.example.org/</link><ttl>90</ttl>
        <item><title>One</title><link>/one</link><guid isPermaLink="false">g-1</guid>
        <pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate><description>Short.</description>
        <content:encoded><![CDATA[<p>The whole story.</p>]]></content:encoded></item>
        </channel></rss>""",
        url=BASE,
    )
    assert (feed.title, feed.ttl_minutes) == ("Herald", 90)
    assert feed.site_url == "https://news.example.org/"
    [entry] = feed.entries
    assert entry.guid == "g-1"
    assert entry.url == "https://news.example.org/one"
    assert entry.published_at == WHEN
    assert entry.content == "<p>The whole story.</p>"


def test_rss1_rdf_and_rss091_are_read():
    rdf = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://e.org/"><title>RDF</title>
      <link>https://e.org/</link></channel>
      <item rdf:about="https://e.org/a"><title>A</title><link>https://e.org/a</link></item>
      </rdf:RDF>"""
    old = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title>
      <link>https://e.org/</link><item><title>B</title><link>https://e.org/b</link></item>
      </channel></rss>"""
    assert [e.url for e in parse_feed(rdf, url=BASE).entries] == ["https://e.org/a"]
    assert [e.url for e in parse_feed(old, url=BASE).entries] == ["https://e.org/b"]


def test_atom_entry_uses_its_id_and_content():
    feed = parse_feed(
        b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>
        <link href="https://e.org/"/><entry><title type="html">&lt;b&gt;Bold&lt;/b&gt; news</title>
        <id>urn:x:1</id><link rel="alternate" href="https://e.org/x"/>
        <published>2026-11-20T10:00:00Z</published>
        <content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>""",
        url=BASE,
    )
    [entry] = feed.entries
    assert (entry.guid, entry.url, entry.title) == ("urn:x:1", "https://e.org/x", "Bold news")
    assert entry.published_at == WHEN
    assert "Body" in entry.content


def test_json_feed_is_read_into_the_same_structure():
    feed = parse_feed(
        b"""{"version": "https://jsonfeed.org/version/1.1", "title": "J",
        "home_page_url": "https://e.org/", "items": [
          {"id": 7, "url": "https://e.org/7", "title": "Seven",
           "date_published": "2026-11-20T11:00:00+01:00", "content_html": "<p>Full</p>"},
          {"id": "no-url", "title": "Note", "content_text": "Just text"},
          "not an item"]}""",
        url=BASE,
        content_type="application/feed+json",
    )
    assert (feed.title, feed.site_url) == ("J", "https://e.org/")
    first, second = feed.entries
    assert (first.guid, first.url, first.published_at) == ("7", "https://e.org/7", WHEN)
    assert first.content == "<p>Full</p>"
    assert (second.url, second.content) == ("", "Just text")


def test_latin1_feed_is_decoded_from_its_declaration():
    body = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel>'
        "<title>Caf\xe9 news</title><item><title>D\xe9j\xe0 vu</title>"
        "<link>https://e.org/d</link></item></channel></rss>"
    )
    feed = parse_feed(body.encode("latin-1"), url=BASE)
    assert feed.title == "Café news"
    assert feed.entries[0].title == "Déjà vu"


def test_ill_formed_xml_is_read_as_far_as_it_goes():
    body = b"""<rss version="2.0"><channel><title>Broken & co</title>
      <item><title>Fine</title><link>https://e.org/fine</link></item>
      <item><title>Unclosed <b>tag</title><link>https://e.org/other</link></item>"""
    feed = parse_feed(body, url=BASE)
    assert [e.url for e in feed.entries][:1] == ["https://e.org/fine"]


def test_script_payloads_come_out_as_plain_text_and_bad_links_are_dropped():
    feed = parse_feed(
        b"""<rss version="2.0"><channel>
        <title>&lt;script&gt;alert(1)&lt;/script&gt;Herald</title>
        <item><title>&lt;img src=x onerror=alert(2)&gt;Story</title>
        <link>javascript:alert(3)</link><description>&lt;script&gt;alert(4)&lt;/script&gt;
        </description></item></channel></rss>""",
        url=BASE,
    )
    assert "<" not in feed.title and "script" not in feed.title.lower()
    [entry] = feed.entries
    assert entry.title == "Story"
    assert entry.url == ""
    assert "<script" not in entry.content


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"<html><body><p>A page</p></body></html>", "not"),
        (b"Just some words", "not"),
        (b"{not json", "not valid JSON"),
        (b'{"version": "1", "items": []}', "not a JSON Feed"),
    ],
)
def test_documents_that_are_no_feed_are_refused_with_a_reason(body, reason):
    with pytest.raises(FeedParseError, match=reason):
        parse_feed(body, url=BASE)


def test_control_characters_never_reach_the_database():
    feed = parse_feed(
        b'{"version": "https://jsonfeed.org/version/1", "title": "T\\u0000itle", "items": ['
        b'{"id": "a\\u0000b", "title": "x\\u0000y", "url": "https://e.org/\\u0000",'
        b' "content_html": "<p>c\\u0000d</p>", "date_published": "0000-13-45"}]}',
        url=BASE,
    )
    [entry] = feed.entries
    assert (feed.title, entry.guid, entry.title) == ("Title", "ab", "xy")
    assert (entry.url, entry.content, entry.published_at) == ("", "<p>cd</p>", None)
