"""OPML: folders kept both ways; a hostile or broken file does no harm."""

from __future__ import annotations

import pytest

from feeds.opml import OpmlError, OpmlFeed, build_opml, parse_opml


def test_round_trip_keeps_feeds_titles_sites_and_folders():
    feeds = [
        OpmlFeed("https://a.org/feed", "A & B", "https://a.org/", "News"),
        OpmlFeed("https://b.org/rss", "B <news>", "", "News"),
        OpmlFeed("https://c.org/atom.xml", "C", "https://c.org/", ""),
    ]
    assert parse_opml(build_opml(feeds)) == feeds


def test_nested_folders_flatten_to_the_innermost_and_folders_without_feeds_vanish():
    data = b"""<?xml version="1.0"?><opml version="1.0"><head/><body>
      <outline text="Tech"><outline text="Web">
        <outline type="rss" text="W" xmlUrl="https://w.org/feed"/></outline>
        <outline type="rss" title="T" xmlUrl="https://t.org/feed"/></outline>
      <outline text="Empty"/>
    </body></opml>"""
    assert parse_opml(data) == [
        OpmlFeed("https://w.org/feed", "W", "", "Web"),
        OpmlFeed("https://t.org/feed", "T", "", "Tech"),
    ]


def test_external_entities_are_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = f"""<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file://{secret}">]>
      <opml version="2.0"><body><outline text="&x;" xmlUrl="https://e.org/f"/></body></opml>"""
    [feed] = parse_opml(data.encode())
    assert "SECRET" not in feed.title


@pytest.mark.parametrize(
    "data", [b"", b"not xml at all", b"<html><body/></html>", b"<opml version='2.0'/>"]
)
def test_a_file_that_is_no_opml_is_refused(data):
    with pytest.raises(OpmlError):
        parse_opml(data)
