"""Feed documents (RSS 0.9x/1.0/2.0, Atom, JSON Feed) read into plain values.

feedparser reads the XML formats in any encoding and survives ill-formed XML (it sets
``bozo`` and carries on); feedparser 6 does not know JSON Feed, which is read here with
the json module into the same structure. Everything a feed says is hostile input: titles
come out as plain text (markup stripped, entities decoded), to be escaped where shown;
item content is kept as the feed sent it, for ``extract_html`` to turn into text.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import html
import json
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import feedparser
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags

__all__ = ["FeedParseError", "ParsedEntry", "ParsedFeed", "http_url", "parse_feed", "plain_text"]

JSON_FEED_VERSION_PREFIX = "https://jsonfeed.org/version/"
_SPACE = re.compile(r"\s+")
# Control characters (NUL above all, which PostgreSQL refuses in text) have no place in
# anything stored from a feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FeedParseError(Exception):
    """The document is not a feed newsreader can read; ``str()`` says why, for the user."""


@dataclass(frozen=True)
class ParsedEntry:
    guid: str
    url: str  # absolute http(s) link to the article, "" when the item has none
    title: str
    published_at: datetime.datetime | None
    content: str  # the item's full content or summary (HTML or text), "" when none


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    site_url: str
    ttl_minutes: int | None  # RSS <ttl>: how long the feed may be cached
    entries: list[ParsedEntry] = field(default_factory=list)


def parse_feed(
    body: bytes, *, url: str, content_type: str = "", charset: str | None = None
) -> ParsedFeed:
    """Read a feed document fetched from ``url``, or raise ``FeedParseError``."""
    if not body.strip():
        raise FeedParseError("The feed is empty.")
    if "json" in content_type or body.lstrip()[:1] == b"{":
        return _parse_json_feed(body, url=url)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type + (f"; charset={charset}" if charset else "")
    # Bytes, never a string: given a string that looks like a URL feedparser would fetch it.
    document = feedparser.parse(body, response_headers=headers, sanitize_html=True)
    if not document.version and not document.entries:
        raise FeedParseError(_unreadable_reason(document))
    feed = document.feed
    return ParsedFeed(
        title=plain_text(feed.get("title", "")),
        site_url=http_url(feed.get("link", ""), url),
        ttl_minutes=_positive_int(feed.get("ttl")),
        entries=[_xml_entry(entry, url) for entry in document.entries],
    )


def plain_text(value: object, *, limit: int = 500) -> str:
    """Markup stripped, entities decoded, whitespace collapsed: a title to escape and show."""
    if not isinstance(value, str):
        return ""
    return _SPACE.sub(" ", _CONTROL.sub("", html.unescape(strip_tags(value)))).strip()[:limit]


def _unreadable_reason(document: feedparser.FeedParserDict) -> str:
    if document.get("bozo"):
        return f"The document is not a feed that can be read ({document.bozo_exception})."[:500]
    return "The document is not an RSS, Atom or JSON feed."


def _xml_entry(entry: feedparser.FeedParserDict, base_url: str) -> ParsedEntry:
    url = http_url(entry.get("link", ""), base_url)
    title = plain_text(entry.get("title", ""))
    content = max((part.get("value", "") for part in entry.get("content", [])), key=len, default="")
    content = content or entry.get("summary", "")
    guid = str(entry.get("id") or "") or url or _digest(title, content)
    parsed_time = entry.get("published_parsed") or entry.get("updated_parsed")
    return ParsedEntry(
        guid=_CONTROL.sub("", guid)[:1000],
        url=url,
        title=title,
        published_at=_from_struct_time(parsed_time) if parsed_time else None,
        content=_CONTROL.sub("", content),
    )


def _from_struct_time(value: time.struct_time) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromtimestamp(calendar.timegm(value), tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):  # a year datetime cannot hold
        return None


def _parse_json_feed(body: bytes, *, url: str) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1): always UTF-8."""
    try:
        document = json.loads(body.decode("utf-8-sig", errors="replace"))
    except json.JSONDecodeError as exc:
        raise FeedParseError(f"The JSON feed is not valid JSON ({exc.msg}).") from None
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
        JSON_FEED_VERSION_PREFIX
    ):
        raise FeedParseError("The document is JSON but not a JSON Feed.")
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedParseError("The JSON Feed has no list of items.")
    return ParsedFeed(
        title=plain_text(document.get("title")),
        site_url=http_url(document.get("home_page_url"), url),
        ttl_minutes=None,
        entries=[_json_entry(item, url) for item in items if isinstance(item, dict)],
    )


def _json_entry(item: dict, base_url: str) -> ParsedEntry:
    url = http_url(item.get("url") or item.get("external_url"), base_url)
    title = plain_text(item.get("title"))
    content = next(
        (item[key] for key in ("content_html", "content_text", "summary") if _text(item, key)),
        "",
    )
    content = _CONTROL.sub("", content)
    guid = str(item.get("id") or "") or url or _digest(title, content)
    published = item.get("date_published") or item.get("date_modified")
    published_at = _json_date(published) if isinstance(published, str) else None
    return ParsedEntry(
        guid=_CONTROL.sub("", guid)[:1000],
        url=url,
        title=title,
        published_at=published_at,
        content=content,
    )


def _text(item: dict, key: str) -> bool:
    return isinstance(item.get(key), str) and bool(item[key].strip())


def _json_date(value: str) -> datetime.datetime | None:
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def http_url(value: object, base_url: str) -> str:
    """An absolute http(s) URL, or "" for anything else (javascript:, data:, garbage)."""
    if not isinstance(value, str) or not value.strip() or _CONTROL.search(value):
        return ""
    try:
        absolute = urljoin(base_url, value.strip())
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return ""
    return absolute[:2048] if scheme in ("http", "https") else ""


def _positive_int(value: object) -> int | None:
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if number > 0 else None


def _digest(*parts: str) -> str:
    return "sha1:" + hashlib.sha1("\x00".join(parts).encode()).hexdigest()
