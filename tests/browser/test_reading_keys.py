"""Reading from the keyboard in a real Chromium: items listed, j/k select, m marks read,
s saves, / goes to search without stealing later keys, ? lists the shortcuts."""

from __future__ import annotations

import pytest

from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def articles() -> None:
    """Three articles, created before the browser opens (no ORM call while it is open);
    listed newest first, so "Third" comes first."""
    for title in ["First", "Second", "Third"]:
        ArticleFactory(title=title)


def test_keyboard_shortcuts_move_mark_save_and_help(live_server, user, articles, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "reader")
    page.fill("#id_password", "correct horse")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/?view=unread")

    items = page.locator("[data-keyboard-list] [data-item]")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text("Third")

    page.keyboard.press("j")
    expect(items.nth(0)).to_have_attribute("data-selected", "")
    page.keyboard.press("j")
    expect(items.nth(1)).to_have_attribute("data-selected", "")
    expect(items.nth(0)).not_to_have_attribute("data-selected", "")
    page.keyboard.press("k")
    expect(items.nth(0)).to_have_attribute("data-selected", "")

    # m and s press the selected item's buttons; htmx swaps in the new state.
    page.keyboard.press("m")
    expect(items.nth(0).locator(".reading-actions")).to_have_attribute("data-read", "")
    expect(items.nth(0).locator("button[data-shortcut=read]")).to_have_text("Mark unread")
    page.keyboard.press("s")
    expect(items.nth(0).locator("button[data-shortcut=save]")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(items.nth(1).locator(".reading-actions")).not_to_have_attribute("data-read", "")

    # / goes to the search box, and keys typed there are text, not shortcuts.
    page.keyboard.press("/")
    search = page.locator("input[name=q]")
    expect(search).to_be_focused()
    page.keyboard.type("jms")
    expect(search).to_have_value("jms")
    expect(items.nth(0)).to_have_attribute("data-selected", "")
    expect(items.nth(1).locator(".reading-actions")).not_to_have_attribute("data-read", "")
    search.blur()

    # A key with a modifier is the browser's, not a shortcut.
    page.keyboard.press("Control+j")
    expect(items.nth(0)).to_have_attribute("data-selected", "")

    page.keyboard.press("?")
    help_dialog = page.locator("#shortcuts-help")
    expect(help_dialog).to_be_visible()
    expect(help_dialog).to_contain_text("Mark read or unread")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()

    # o opens the selected article.
    page.keyboard.press("o")
    page.locator("h1", has_text="Third").wait_for()

    # The state was stored: Third is saved, and no longer unread; the others are.
    page.goto(f"{live_server.url}/?view=saved")
    expect(items).to_have_count(1)
    expect(items.nth(0)).to_contain_text("Third")
    page.goto(f"{live_server.url}/?view=unread")
    expect(items).to_have_count(2)
    expect(page.locator("[data-keyboard-list]")).not_to_contain_text("Third")
    assert not [e for e in errors if "Content Security Policy" in e], errors
