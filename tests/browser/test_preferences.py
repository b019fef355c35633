"""A logged-in reader's display preferences follow them to another browser: chosen in one
browser context, found in a fresh one (its own storage, nothing remembered locally)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import ArticleFactory, store_names
from tests.support import require

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article_path() -> str:
    article = ArticleFactory(text="Iraq and Iraq again, said John Kerry.")
    store_names(article, [("Iraq", "COUNTRY"), ("John Kerry", "PERSON")])
    return article.get_absolute_url()


def test_theme_and_highlighting_chosen_in_one_browser_hold_in_another(
    live_server, user, article_path
):
    import os

    require(os.path.exists(CHROMIUM), f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import expect, sync_playwright

    def logged_in_page(browser):
        page = browser.new_context().new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "reader")
        page.fill("#id_password", "correct horse")
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}{article_path}")
        return page

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        first = logged_in_page(browser)
        with first.expect_response(lambda r: r.url.endswith("/preferences/")) as sent:
            first.get_by_role("button", name="Dark theme").click()
        assert sent.value.status == 204
        with first.expect_response(lambda r: r.url.endswith("/preferences/")) as sent:
            first.get_by_label("First mention only").check()
        assert sent.value.status == 204

        second = logged_in_page(browser)  # a new context: empty localStorage
        root = second.locator("html")
        expect(root).to_have_attribute("data-theme", "dark")
        expect(root).to_have_attribute("data-highlight", "first")
        expect(second.get_by_label("First mention only")).to_be_checked()
        browser.close()
