"""The reader's whole flow in a real Chromium: log in, paste, read, follow an entity."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.nlp]


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user(username="reader", password="correct horse")


def test_paste_read_and_follow_an_entity(
    live_server, celery_worker, page_server, reader, browser_page, settings
):
    from playwright.sync_api import expect

    settings.NEWSREADER_ALLOW_PRIVATE_URLS = True
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "reader")
    page.fill("#id_password", "correct horse")
    page.click("button[type=submit]")

    page.fill("#id_url", "javascript:alert(1)")
    page.click(".paste-form button[type=submit]")
    page.locator(".paste-form .error", has_text="Only http and https").wait_for()

    page.fill("#id_url", f"{page_server}/paris-conference.html")
    with page.expect_response(
        lambda response: response.request.method == "POST" and response.url.endswith("/articles/")
    ) as pasted:
        page.click(".paste-form button[type=submit]")
    # The paste answers with a queued card, which then polls for itself until it is done.
    assert pasted.value.status == 200
    assert 'class="card status-queued"' in pasted.value.text()
    expect(page.locator("#id_url")).to_have_value("")  # the form is fresh for the next link
    done = page.locator("#paste-results .card.status-done")
    done.wait_for(timeout=90_000)
    expect(done).to_contain_text(re.compile(r"Done · \d+ words\. Read the article"))

    page.click("text=Read the article")
    page.locator("h1", has_text="World Powers Back Fight Against Islamic State").wait_for()
    people = page.locator(".article-text a.mention.type-person")
    assert people.count() >= 3
    assert page.locator(".article-text a.mention.type-country", has_text="Iraq").count() >= 1

    page.locator(".article-text a.mention.type-person", has_text="John Kerry").first.click()
    page.locator("h1", has_text="John Kerry").wait_for()
    assert (
        page.locator(
            ".article-item a", has_text="World Powers Back Fight Against Islamic State In Iraq"
        ).count()
        == 1
    )
    assert not [e for e in errors if "Content Security Policy" in e], errors
