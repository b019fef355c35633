"""A real Chromium page for the browser tests (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.support import require

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def browser_page():
    require(os.path.exists(CHROMIUM), f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, so the test makes no ORM
    # call while the browser is open: the data it needs is created before.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(30_000)
        yield page
        browser.close()


# The feeds' local server, for the flow that subscribes in the browser.
from tests.feeds.server import feed_server  # noqa: E402

__all__ = ["browser_page", "feed_server"]
