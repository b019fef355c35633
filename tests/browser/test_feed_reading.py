"""The issue's whole flow in a real Chromium, with a real worker: subscribe to a site on
the Feeds page, its items arrive in the Unread list, then j/k, m and s read them."""

from __future__ import annotations

import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.redis, pytest.mark.nlp]

# The titles of the articles the feed's items link to (tests/feeds/server.py).
ITEMS = {
    "Angela Merkel Meets Emmanuel Macron In Paris",
    "United Nations Opens Climate Talks In Geneva",
}


def test_subscribe_then_read_the_items_from_the_keyboard(
    live_server, celery_worker, feed_server, private_urls, user, browser_page
):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "reader")
    page.fill("#id_password", "correct horse")
    page.click("button[type=submit]")

    page.goto(f"{live_server.url}/feeds/")
    page.fill("#id_url", feed_server.url("/rss-site/"))  # the site: its feed is discovered
    page.click(".feeds-subscribe button[type=submit]")
    page.locator(".message", has_text="Subscribed to The RSS Herald.").wait_for()

    # A subscriber's home is Unread; the poll and the analysis run in the worker.
    items = page.locator("[data-keyboard-list] [data-item]")
    deadline = time.monotonic() + 120
    while items.count() < len(ITEMS):
        assert time.monotonic() < deadline, "the feed's items did not arrive"
        time.sleep(1)
        page.goto(live_server.url)
    titles = {items.nth(n).locator("h2").inner_text() for n in range(len(ITEMS))}
    assert titles == ITEMS
    expect(page.locator(".reading-views a[aria-current=page]")).to_contain_text("Unread")

    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(items.nth(1)).to_have_attribute("data-selected", "")
    page.keyboard.press("k")
    expect(items.nth(0)).to_have_attribute("data-selected", "")
    first = items.nth(0).locator("h2").inner_text()
    page.keyboard.press("m")
    expect(items.nth(0).locator(".reading-actions")).to_have_attribute("data-read", "")
    page.keyboard.press("s")
    expect(items.nth(0).locator("button[data-shortcut=save]")).to_have_attribute(
        "aria-pressed", "true"
    )

    page.goto(f"{live_server.url}/?view=saved")
    expect(items).to_have_count(1)
    expect(items.nth(0)).to_contain_text(first)
    page.goto(live_server.url)  # Unread: the other item only
    expect(items).to_have_count(1)
    expect(items.nth(0)).not_to_contain_text(first)
