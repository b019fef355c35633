"""Accessibility in a real Chromium: axe-core on every page in both themes, and the reading
preferences (theme, highlight density, hidden types) as a reader uses them."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from articles.models import Article, Entity
from feeds.models import Feed, Folder, Subscription
from tests.factories import ArticleFactory, store_names
from tests.support import require

pytestmark = [pytest.mark.browser]

# Installed from the npm registry by `npm ci --prefix tests/browser` (.ci/run does it).
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}

TEXT = (
    "India, China, and Japan met in Delhi. India spoke first; John Kerry listened.\n\n"
    "Later, India and the United Nations talked. India's envoy left Delhi."
)
PARAGRAPHS = TEXT.split("\n\n")


@pytest.fixture
def library(staff_user):
    """An analysed article that names each type more than once, a wire copy of it from
    another source (one story: one card, "also in" another source), a second article a
    month later, a link the staff user pasted that is still queued (its card shows a
    spinner), and their feeds, one failing. Maps each page to its path."""
    article = ArticleFactory(
        title="Summit in Delhi",
        text=TEXT,
        published_at=datetime.datetime(2024, 8, 20, tzinfo=datetime.UTC),
    )
    names = [
        ("India", "COUNTRY"),
        ("China", "COUNTRY"),
        ("Japan", "COUNTRY"),
        ("Delhi", "PLACE"),
        ("John Kerry", "PERSON"),
        ("United Nations", "ORG"),
    ]
    store_names(article, names, every_occurrence=True)
    copy = ArticleFactory(
        title="Summit in Delhi",
        text=f"DELHI (Wire) - {TEXT}\n\nCopyright Wire News.",
        site_name="Wire",
        published_at=datetime.datetime(2024, 8, 20, 6, tzinfo=datetime.UTC),
    )
    store_names(copy, names, every_occurrence=True)
    later = ArticleFactory(
        title="India and China again",
        text="India and China met again.",
        published_at=datetime.datetime(2024, 9, 2, tzinfo=datetime.UTC),
    )
    store_names(later, [("India", "COUNTRY"), ("China", "COUNTRY")])
    ArticleFactory(
        url="https://news.example.org/queued",
        title="",
        status=Article.Status.QUEUED,
        added_by=staff_user,
    )
    folder = Folder.objects.create(user=staff_user, name="World")
    for url, error in (("https://news.example.org/feed", ""), ("https://gone.example/rss", "404")):
        feed = Feed.objects.create(url=url, title=url, last_error=error, consecutive_errors=1)
        Subscription.objects.create(user=staff_user, feed=feed, folder=folder if error else None)
    india = Entity.objects.get(name="India")
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "entity": india.get_absolute_url(),
        "entity month": india.get_absolute_url() + "?month=2024-09",
        "names": "/entities/",
        "search": "/search/?q=India",
        "login": "/login/",
        "feeds": "/feeds/",
    }


def _serious_violations(page) -> list[str]:
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in SERIOUS
    ]


def _log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", "correct horse")
    page.click("main button[type=submit]")
    page.locator("#id_url").wait_for()


def test_every_page_has_no_serious_accessibility_violation_in_either_theme(
    live_server, library, browser_page
):
    require(AXE.exists(), f"axe-core is not installed: npm ci --prefix {AXE.parents[2]}")
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    # Through the DevTools protocol, before the page's scripts: the page's CSP stays strict.
    page.context.add_init_script(path=str(AXE))
    found = {}
    for who in ("anonymous", "staff"):
        if who == "staff":
            _log_in(page, live_server.url)
        for name, path in library.items():
            if who == "staff" and name in {"login", "names", "search", "entity month"}:
                continue  # the same page for everyone
            if who == "anonymous" and name == "feeds":
                continue  # the login page
            for theme in ("light", "dark"):
                page.emulate_media(color_scheme=theme)
                page.goto(f"{live_server.url}{path}")
                assert page.locator("h1").count() == 1, f"{name}: one h1"
                if name == "home" and who == "anonymous":  # the story's one card
                    also_in = page.locator(".article-item .also-in")
                    assert also_in.all_inner_texts() == ["Also in 1 other source: Wire"]
                    assert page.locator(".article-item", has_text="Summit in Delhi").count() == 1
                found[f"{name}, {who}, {theme}"] = _serious_violations(page)
    assert {where: v for where, v in found.items() if v} == {}
    assert len(found) == 22
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_highlight_density_and_hidden_types_leave_the_text_as_written(
    live_server, library, browser_page
):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}{library['article']}")
    text = page.locator(".article-text p")
    links = page.locator(".article-text a.mention[href]")
    tab_stops = page.locator('.article-text a.mention[href]:not([tabindex="-1"])')
    expect(links).to_have_count(10)
    # India twice in the first paragraph and twice in the second: one tab stop in each.
    expect(tab_stops).to_have_count(8)
    assert text.all_inner_texts() == PARAGRAPHS

    page.get_by_label("First mention only").check()
    expect(links).to_have_count(6)  # one per name
    assert text.all_inner_texts() == PARAGRAPHS
    plain = page.locator(".article-text .mention:not([href])").first
    focusable = "e => { e.focus(); return document.activeElement === e; }"
    assert plain.evaluate(focusable) is False
    assert plain.evaluate("e => [e.title, getComputedStyle(e).paddingLeft]") == ["", "0px"]

    page.get_by_label("All mentions").check()
    page.get_by_label("Country").uncheck()
    expect(page.locator(".article-text a.mention.type-country[href]")).to_have_count(0)
    expect(links).to_have_count(4)
    assert text.all_inner_texts() == PARAGRAPHS
    country = page.locator(".article-text .mention.type-country").first
    assert country.evaluate(
        "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).textDecorationLine]"
    ) == ["rgba(0, 0, 0, 0)", "none"]

    page.reload()  # remembered
    expect(page.get_by_label("Country")).not_to_be_checked()
    expect(page.get_by_label("All mentions")).to_be_checked()
    expect(links).to_have_count(4)
    page.get_by_label("No highlights").check()
    expect(links).to_have_count(0)
    assert text.all_inner_texts() == PARAGRAPHS
    page.get_by_label("All mentions").check()
    page.get_by_label("Country").check()
    expect(links).to_have_count(10)
    expect(tab_stops).to_have_count(8)


def test_theme_toggle_is_remembered_and_the_system_theme_is_the_default(
    live_server, library, browser_page
):
    from playwright.sync_api import expect

    page = browser_page
    background = "() => getComputedStyle(document.body).backgroundColor"
    page.emulate_media(color_scheme="dark")
    page.goto(f"{live_server.url}/")
    toggle = page.get_by_role("button", name="Dark theme")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(background) == "rgb(21, 23, 26)"

    page.emulate_media(color_scheme="light")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert page.evaluate(background) == "rgb(251, 251, 250)"
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(background) == "rgb(21, 23, 26)"

    page.goto(f"{live_server.url}{library['entity']}")  # another page, the same choice
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    assert page.evaluate(background) == "rgb(21, 23, 26)"


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(
    live_server, library, browser_page
):
    page = browser_page
    page.goto(f"{live_server.url}{library['article']}")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # Past the header: the next stop is in the main content.
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


def test_the_spinner_stands_still_when_the_reader_asks_for_reduced_motion(
    live_server, library, browser_page
):
    page = browser_page
    _log_in(page, live_server.url)
    spinner = page.locator(".card .spinner")
    animation = "e => getComputedStyle(e).animationName"
    assert spinner.evaluate(animation) == "spin"
    page.emulate_media(reduced_motion="reduce")
    assert spinner.evaluate(animation) == "none"
