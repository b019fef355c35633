"""``manage.py feeds``: add, poll, list, remove, import and export."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from feeds.models import Feed, Subscription
from feeds.opml import parse_opml
from tests.feeds.server import SITES

pytestmark = pytest.mark.django_db


def feeds(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("feeds", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def staff(staff_user):
    return staff_user


def test_add_by_site_url_subscribes_the_first_staff_user(staff, feed_server, private_urls):
    out, _ = feeds("add", feed_server.url("/rss-site/"), feed_server.url("/json-site/feed.json"))
    assert "Subscribed to The RSS Herald" in out and "Subscribed to The JSON Herald" in out
    assert Subscription.objects.filter(user=staff).count() == 2


def test_add_lists_several_feeds_and_takes_the_first_unless_told(staff, feed_server, private_urls):
    feed_server.site(
        "/multi/", "Multi", [("atom", "/atom-site/atom.xml"), ("json", "/json-site/feed.json")]
    )
    out, _ = feeds("add", feed_server.url("/multi/"))
    assert "offers 2 feeds" in out and "2. Multi json" in out
    assert [s.feed.title for s in Subscription.objects.all()] == ["The Atom Herald"]

    feeds("add", "--all", "--folder", "News", feed_server.url("/multi/"))
    assert Subscription.objects.count() == 2
    assert Subscription.objects.get(feed__title="The JSON Herald").folder.name == "News"


def test_add_reports_what_cannot_be_added(staff, feed_server):
    with pytest.raises(CommandError, match="1 of 1 could not be added"):
        feeds("add", feed_server.url("/rss-site/"))  # private address, not allowed here


def test_add_needs_a_user(feed_server, private_urls):
    with pytest.raises(CommandError, match="give --user"):
        feeds("add", feed_server.url("/rss-site/"))


def test_list_and_remove(staff, feed_server, private_urls):
    feeds("add", feed_server.url("/atom-site/atom.xml"))
    out, _ = feeds("list")
    assert feed_server.url("/atom-site/atom.xml") in out and "The Atom Herald" in out
    feeds("remove", feed_server.url("/atom-site/atom.xml"))
    assert not Feed.objects.exists()
    with pytest.raises(CommandError, match="no subscription"):
        feeds("remove", feed_server.url("/atom-site/atom.xml"))


def test_import_then_export_keeps_feeds_and_folders(staff, tmp_path):
    source = tmp_path / "in.opml"
    source.write_bytes(
        b"""<?xml version="1.0"?><opml version="2.0"><body><outline text="Science">
        <outline type="rss" text="S" xmlUrl="https://science.example.org/rss"/></outline>
        <outline type="rss" text="P" xmlUrl="https://plain.example.org/feed"/>
        <outline type="rss" text="X" xmlUrl="http://10.0.0.1/feed"/></body></opml>"""
    )
    out, err = feeds("--user", staff.username, "import", str(source))
    assert "2 feeds added, 0 already followed, 1 skipped." in out
    assert "http://10.0.0.1/feed" in err

    target = tmp_path / "out.opml"
    feeds("export", "--output", str(target))
    assert {(f.url, f.folder) for f in parse_opml(target.read_bytes())} == {
        ("https://science.example.org/rss", "Science"),
        ("https://plain.example.org/feed", ""),
    }
    stdout, _ = feeds("export")
    assert stdout.startswith("<?xml") and "science.example.org" in stdout


@pytest.mark.nlp
def test_poll_sync_analyses_in_process_and_force_polls_again(staff, feed_server, private_urls):
    feeds("add", feed_server.url(SITES["atom"][0]))
    out, _ = feeds("poll", "--sync")
    assert "The Atom Herald: 2 new articles" in out
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.DONE}

    out, _ = feeds("poll", "--sync")
    assert "0 feeds polled." in out  # not due yet
    out, _ = feeds("poll", "--sync", "--force")
    assert "The Atom Herald: not modified" in out
