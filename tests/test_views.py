"""The pages: listing, pasting, reading, entities, search, curation; security on every write."""

from __future__ import annotations

import datetime
import re

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from articles import selectors, services
from articles.models import Article, Correction, Entity, EntityAlias
from tests.factories import ArticleFactory, store_names

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SAVED = "Saved. The correction applies to every article."


@pytest.fixture
def library():
    """Three analysed articles sharing entities."""
    first = ArticleFactory(
        title="Kerry in Paris",
        text="John Kerry met Francois Hollande in Paris.\n\nThe United Nations watched.",
    )
    store_names(
        first,
        [
            ("John Kerry", "PERSON"),
            ("Francois Hollande", "PERSON"),
            ("Paris", "PLACE"),
            ("United Nations", "ORG"),
        ],
    )
    second = ArticleFactory(
        title="Kerry in Baghdad", text="John Kerry flew to Baghdad. Iraq welcomed him."
    )
    store_names(second, [("John Kerry", "PERSON"), ("Baghdad", "PLACE"), ("Iraq", "COUNTRY")])
    third = ArticleFactory(title="Markets", text="The United Nations reported on trade.")
    store_names(third, [("United Nations", "ORG")])
    return first, second, third


def test_home_lists_articles_newest_first_with_entity_chips(client, library):
    response = client.get(reverse("articles:home"))
    content = response.content.decode()
    assert response.status_code == 200
    assert (
        content.index("Markets")
        < content.index("Kerry in Baghdad")
        < content.index("Kerry in Paris")
    )
    assert 'class="chip type-person"' in content
    assert ">John Kerry<" in content


def test_pages_run_a_fixed_number_of_queries(client, library):
    first = library[0]
    kerry = Entity.objects.get(name="John Kerry")
    pages = (
        reverse("articles:home"),
        first.get_absolute_url(),
        kerry.get_absolute_url(),
        reverse("articles:entities"),
        reverse("articles:search") + "?q=Kerry",
    )

    def queries_per_page() -> list[int]:
        counts = []
        for url in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    small = queries_per_page()
    for n in range(12):
        extra = ArticleFactory(text=f"John Kerry spoke to Francois Hollande in Paris {n}.")
        store_names(extra, [("John Kerry", "PERSON"), ("Francois Hollande", "PERSON")])
    assert queries_per_page() == small  # the same however much the library holds
    assert max(small) <= 9


def test_article_page_highlights_each_mention_with_a_link_to_its_entity(client, library):
    first = library[0]
    content = client.get(first.get_absolute_url()).content.decode()
    kerry = Entity.objects.get(name="John Kerry")
    links = _mentions(content)
    assert ("John Kerry", "mention type-person first-mention", kerry.get_absolute_url()) in links
    assert any(css == "mention type-org first-mention" for _, css, _ in links)
    assert "Kerry in Baghdad" in content  # related coverage through the shared entity


def test_article_text_is_escaped_never_rendered_as_html(client):
    article = ArticleFactory(text='Alert <script>alert("x")</script> by <b>John Kerry</b>.')
    store_names(article, [("John Kerry", "PERSON")])
    content = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
    assert '&lt;b&gt;<a class="mention type-person' in content


def test_entity_page_lists_its_articles_and_the_entities_seen_with_it(client, library):
    kerry = Entity.objects.get(name="John Kerry")
    content = client.get(kerry.get_absolute_url()).content.decode()
    assert "Kerry in Paris" in content and "Kerry in Baghdad" in content
    assert "Markets" not in content
    assert "Francois Hollande" in content  # seen with
    assert "2 articles" in content


def test_unknown_entity_is_404(client):
    assert client.get("/entities/person/nobody/").status_code == 404


def test_paste_needs_login(client):
    response = client.post(reverse("articles:paste"), {"url": "https://example.org/a"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Article.objects.exists()


def test_paste_without_csrf_token_is_refused(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("articles:paste"), {"url": "https://example.org/a"})
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_paste_answers_with_a_queued_card_that_polls(client, user):
    client.force_login(user)
    response = client.post(
        reverse("articles:paste"), {"url": "https://Example.org/story?utm_source=x"}, **HTMX
    )
    article = Article.objects.get()
    content = response.content.decode()
    assert article.status == Article.Status.QUEUED
    assert article.url == "https://example.org/story"
    assert f'hx-get="{reverse("articles:card", args=[article.pk])}"' in content
    assert 'hx-trigger="every 1s"' in content


def test_paste_same_url_twice_returns_existing_article(client, user):
    client.force_login(user)
    client.post(reverse("articles:paste"), {"url": "https://example.org/story/"})
    client.post(reverse("articles:paste"), {"url": "HTTPS://EXAMPLE.ORG:443/story#top"})
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    "url",
    ["not a url", "javascript:alert(1)", "ftp://example.org/file", "http://user:pw@example.org/"],
)
def test_paste_bad_input_shows_a_readable_error(client, user, url):
    client.force_login(user)
    response = client.post(reverse("articles:paste"), {"url": url}, **HTMX)
    assert response.status_code == 422
    assert 'class="error"' in response.content.decode()
    assert not Article.objects.exists()


def test_card_of_failed_article_shows_reason_and_retry(client, user):
    article = ArticleFactory(
        status=Article.Status.FAILED, error="The site answered 404 Not Found.", added_by=user
    )
    client.force_login(user)
    content = client.get(reverse("articles:card", args=[article.pk])).content.decode()
    assert "The site answered 404 Not Found." in content
    assert reverse("articles:retry", args=[article.pk]) in content
    assert "hx-trigger" not in content
    client.post(reverse("articles:retry", args=[article.pk]), **HTMX)
    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED and article.error == ""


def test_pages_send_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("articles:home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_search_finds_articles_and_names(client, library):
    content = client.get(reverse("articles:search"), {"q": "Baghdad"}).content.decode()
    assert "Kerry in <mark>Baghdad</mark>" in content
    assert "Markets" not in content


def test_pasting_too_fast_is_refused_with_a_message(client, user, settings):
    settings.NEWSREADER_INGEST_RATE_PER_MINUTE = 3
    client.force_login(user)
    urls = [f"https://example.org/rate-{n}" for n in range(5)]
    statuses = [
        client.post(reverse("articles:paste"), {"url": url}, **HTMX).status_code for url in urls
    ]
    assert statuses == [200, 200, 200, 429, 429]
    assert Article.objects.count() == 3


def test_non_english_article_says_entities_are_for_english_only(client):
    article = ArticleFactory(text="Le président a parlé.", language="fr")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "Entities are extracted for English only" in content


def test_names_page_lists_entities_by_coverage_and_filters_by_type(client, library):
    content = client.get(reverse("articles:entities")).content.decode()
    assert content.index("John Kerry") < content.index("Francois Hollande")
    people = client.get(reverse("articles:entities"), {"type": "person"}).content.decode()
    assert "John Kerry" in people and "United Nations" not in people


def test_a_private_library_sends_anonymous_readers_to_the_login_page(client, library, settings):
    settings.NEWSREADER_LOGIN_TO_READ = True
    response = client.get(reverse("articles:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200


def test_admin_is_for_staff_only(client, user, staff_user):
    client.force_login(user)
    assert client.get("/admin/").status_code == 302
    client.force_login(staff_user)
    staff_user.is_superuser = True
    staff_user.save()
    assert client.get("/admin/articles/article/").status_code == 200


def test_entity_timeline_counts_every_month_including_empty_ones():
    for month in (1, 4):
        article = ArticleFactory(
            text="Iraq.", published_at=datetime.datetime(2014, month, 5, tzinfo=datetime.UTC)
        )
        store_names(article, [("Iraq", "COUNTRY")])
    rows = selectors.entity_timeline(entity=Entity.objects.get())
    assert [(row["label"], row["articles"]) for row in rows] == [
        ("Jan 14", 1), ("Feb 14", 0), ("Mar 14", 0), ("Apr 14", 1),
    ]  # fmt: skip


def test_entity_timeline_counts_years_when_coverage_spans_many():
    for year in (2005, 2011, 2011):
        article = ArticleFactory(
            text="Iraq.", published_at=datetime.datetime(year, 6, 1, tzinfo=datetime.UTC)
        )
        store_names(article, [("Iraq", "COUNTRY")])
    rows = selectors.entity_timeline(entity=Entity.objects.get())
    assert (rows[0]["label"], rows[0]["articles"], rows[0]["percent"]) == ("2005", 1, 50)
    assert (rows[-1]["label"], rows[-1]["articles"], rows[-1]["percent"]) == ("2011", 2, 100)
    assert len(rows) == 7


def test_home_lists_only_finished_articles_and_the_reader_own_pending_links(client, user):
    ArticleFactory(title="Finished story")
    ArticleFactory(title="Broken link", status=Article.Status.FAILED, error="404", added_by=user)
    ArticleFactory(title="Someone else's", status=Article.Status.QUEUED)
    public = client.get(reverse("articles:home")).content.decode()
    assert "Finished story" in public
    assert "Broken link" not in public and "Someone else" not in public
    client.force_login(user)
    own = client.get(reverse("articles:home")).content.decode()
    assert "Broken link" in own and "Retry" in own
    assert "Someone else" not in own


def test_pasting_a_url_already_read_says_so(client, user):
    article = ArticleFactory(url="https://example.org/known")
    client.force_login(user)
    response = client.post(
        reverse("articles:paste"), {"url": "https://example.org/known?utm_source=x"}, **HTMX
    )
    content = response.content.decode()
    assert "Already in the library" in content
    assert article.get_absolute_url() in content


def test_card_of_an_article_waiting_to_be_retried_says_why_and_can_be_cancelled(client, user):
    client.force_login(user)
    article = ArticleFactory(status=Article.Status.FETCHING, added_by=user)
    services.article_note_retry(
        article_id=article.pk, error="The site did not answer.", attempt=2, seconds=40
    )
    content = client.get(reverse("articles:card", args=[article.pk])).content.decode()
    next_try = re.search(r"Try 2 failed; the next is at (\d\d:\d\d:\d\d) UTC", content)
    assert next_try, content
    expected = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=40)
    shown = datetime.datetime.combine(
        expected.date(), datetime.time.fromisoformat(next_try.group(1)), datetime.UTC
    )
    assert abs((shown - expected).total_seconds()) < 5
    assert 'hx-trigger="every 1s"' in content

    cancelled = client.post(reverse("articles:cancel", args=[article.pk]), **HTMX)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED and article.error == "Cancelled."
    assert "Failed: Cancelled." in cancelled.text and "hx-trigger" not in cancelled.text
    # The task's retry, when it comes, finds nothing to claim.
    assert services.article_claim(article_id=article.pk, token="the-waiting-task") is None


def test_a_failed_card_can_be_dismissed_by_the_reader_who_added_it(client, user):
    article = ArticleFactory(status=Article.Status.FAILED, error="Gone.", added_by=user)
    client.force_login(user)
    assert reverse("articles:dismiss", args=[article.pk]) in client.get("/").text
    response = client.post(reverse("articles:dismiss", args=[article.pk]), **HTMX)
    assert response.status_code == 200 and response.text == ""
    assert not Article.objects.exists()


def test_only_the_reader_who_added_an_article_may_retry_cancel_or_dismiss_it(
    client, user, staff_user, django_user_model
):
    other = django_user_model.objects.create_user(username="other", password="x" * 12)
    article = ArticleFactory(status=Article.Status.FAILED, error="Gone.", added_by=other)
    client.force_login(user)
    assert (
        reverse("articles:retry", args=[article.pk])
        not in client.get(reverse("articles:card", args=[article.pk])).text
    )
    for action in ("retry", "cancel", "dismiss"):
        assert client.post(reverse(f"articles:{action}", args=[article.pk])).status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    client.force_login(staff_user)
    client.post(reverse("articles:retry", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED


def test_a_failed_article_s_own_page_shows_the_reason_and_retry(client, user):
    article = ArticleFactory(
        status=Article.Status.FAILED, error="The site answered 404 Not Found.", added_by=user
    )
    client.force_login(user)
    content = client.get(article.get_absolute_url()).text
    assert "Failed: The site answered 404 Not Found." in content
    assert reverse("articles:retry", args=[article.pk]) in content


def test_an_unfinished_article_s_page_refreshes_itself_without_javascript(client, user):
    article = ArticleFactory(status=Article.Status.QUEUED, text="", added_by=user)
    client.force_login(user)
    refresh = re.compile(r'<noscript>\s*<meta http-equiv="refresh" content="3">\s*</noscript>')
    assert refresh.search(client.get(article.get_absolute_url()).text)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.FAILED)
    assert not refresh.search(client.get(article.get_absolute_url()).text)


def test_pasting_a_link_again_replaces_its_card_instead_of_stacking_another(client, user):
    client.force_login(user)
    first = client.post(reverse("articles:paste"), {"url": "https://example.org/a"}, **HTMX)
    article = Article.objects.get()
    assert 'hx-swap-oob="delete"' not in first.text
    again = client.post(reverse("articles:paste"), {"url": "https://example.org/a"}, **HTMX)
    card_id = f"article-card-{article.pk}"
    # htmx removes the card already shown (out of band) before adding the new one on top.
    assert f'<div id="{card_id}" hx-swap-oob="delete"></div>' in again.text
    assert again.text.count(f'id="{card_id}"') == 2


def test_search_finds_every_word_anywhere_and_says_when_nothing_matches(client, library):
    content = client.get(reverse("articles:search"), {"q": "kerry  BAGHDAD"}).content.decode()
    assert "<mark>Kerry</mark> in <mark>Baghdad</mark>" in content
    assert "Kerry in Paris" not in content
    nothing = client.get(reverse("articles:search"), {"q": "zebra"}).content.decode()
    assert "No article matches" in nothing


def test_name_search_matches_the_start_of_a_word(client, library):
    assert [m.entity.name for m in selectors.entity_search(query="holl")] == ["Francois Hollande"]
    assert selectors.entity_search(query="ollande") == []
    assert selectors.entity_search(query="k") == []


def test_logout_by_link_asks_first_then_logs_out(client, user):
    client.force_login(user)
    assert "Log out?" in client.get(reverse("logout")).content.decode()
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_unfinished_articles_are_not_shown_to_anonymous_readers(client, user):
    article = ArticleFactory(status=Article.Status.FAILED, error="The site answered 404.")
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(reverse("articles:card", args=[article.pk])).status_code == 404
    client.force_login(user)
    assert client.get(reverse("articles:card", args=[article.pk])).status_code == 200


def test_a_query_of_punctuation_only_finds_nothing(client, library):
    content = client.get(reverse("articles:search"), {"q": "!!"}).content.decode()
    assert "No article matches" in content


def test_pagination_keeps_the_page_filters_and_nothing_else(client, library, settings):
    for n in range(25):
        ArticleFactory(title=f"Wire {n}", site_name="Wire")
    content = client.get(reverse("articles:home"), {"source": "Wire", "junk": "x"}).content
    links = re.findall(rb'href="(\?[^"]*after=[^"]*)"', content)
    assert len(links) == 1
    assert re.fullmatch(rb"\?source=Wire&amp;after=-?\d+\.\d+", links[0])


# Curation: each action through the view, with the table's form and service.


@pytest.fixture
def kerry():
    """A person with a wrong alias, and a second person to merge into."""
    article = ArticleFactory(text="John Kerry and Secretary Kerry met John F. Kerry.")
    store_names(article, [("John Kerry", "PERSON"), ("John F. Kerry", "PERSON")])
    entity = Entity.objects.get(name="John Kerry")
    EntityAlias.objects.create(entity=entity, type="PERSON", key="secretary", name="Secretary")
    return entity


def curate(client, entity: Entity, action: str, data: dict | None = None):
    url = reverse("articles:entity-curate", args=[entity.pk, action])
    return client.post(url, data or {}, follow=True)


@pytest.mark.parametrize(
    ("action", "data", "check"),
    [
        ("rename", {"name": "John Forbes Kerry"}, lambda e: e.name == "John Forbes Kerry"),
        ("type", {"type": "ORG"}, lambda e: e.type == "ORG"),
        ("ignore", {}, lambda e: e.ignored),
    ],
)
def test_each_curation_saves_and_says_so(client, staff_user, kerry, action, data, check):
    client.force_login(staff_user)
    response = curate(client, kerry, action, data)
    kerry.refresh_from_db()
    assert check(kerry)
    assert response.redirect_chain[-1][0] == kerry.get_absolute_url()
    assert f'<li class="message success" role="status">{SAVED}</li>' in response.content.decode()
    assert Correction.objects.count() == 1


def test_restore_shows_an_ignored_entity_again(client, staff_user, kerry):
    kerry.ignored = True
    kerry.save()
    client.force_login(staff_user)
    page = client.get(kerry.get_absolute_url()).content.decode()
    assert "Show again" in page and "Ignore: not a real entity" not in page
    assert SAVED in curate(client, kerry, "restore").content.decode()
    kerry.refresh_from_db()
    assert not kerry.ignored


def test_merge_through_the_page_lands_on_the_target(client, staff_user, kerry):
    target = Entity.objects.get(name="John F. Kerry")
    client.force_login(staff_user)
    response = curate(client, kerry, "merge", {"target": str(target.pk)})
    assert response.redirect_chain[-1][0] == target.get_absolute_url()
    assert SAVED in response.content.decode()
    assert not Entity.objects.filter(pk=kerry.pk).exists()


def test_split_takes_an_alias_of_the_entity_and_stays_on_its_page(client, staff_user, kerry):
    alias = EntityAlias.objects.get(key="secretary")
    client.force_login(staff_user)
    response = curate(client, kerry, "split", {"alias": str(alias.pk)})
    assert response.redirect_chain[-1][0] == kerry.get_absolute_url()
    assert SAVED in response.content.decode()
    alias.refresh_from_db()
    assert alias.entity.name == "Secretary"


@pytest.mark.parametrize(
    ("action", "data", "error"),
    [
        ("rename", {"name": "  "}, "This field is required."),
        ("type", {"type": "ANIMAL"}, "Select a valid choice. ANIMAL is not one of the"),
        ("merge", {"target": "Nobody"}, "No other person is called &#x27;Nobody&#x27;."),
        ("merge", {"target": ""}, "This field is required."),
        ("split", {"alias": "x"}, "Select a valid choice."),
    ],
)
def test_curation_form_errors_show_and_change_nothing(
    client, staff_user, kerry, action, data, error
):
    client.force_login(staff_user)
    response = curate(client, kerry, action, data)
    content = response.content.decode()
    assert response.redirect_chain[-1][0] == kerry.get_absolute_url()
    assert '<li class="message error" role="status">' + error in content
    assert SAVED not in content
    assert not Correction.objects.exists()


def test_split_refuses_an_alias_of_another_entity_and_the_entity_own_name(
    client, staff_user, kerry
):
    other = Entity.objects.get(name="John F. Kerry")
    client.force_login(staff_user)
    for alias, owner in ((other.aliases.get(), other), (kerry.aliases.get(key=kerry.key), kerry)):
        content = curate(client, kerry, "split", {"alias": str(alias.pk)}).content.decode()
        assert "Select a valid choice." in content
        alias.refresh_from_db()
        assert alias.entity == owner
    assert not Correction.objects.exists()


def test_a_correction_the_service_refuses_shows_its_reason(client, staff_user, kerry):
    client.force_login(staff_user)
    content = curate(client, kerry, "rename", {"name": "John F. Kerry"}).content.decode()
    assert "There is already a person called John F. Kerry: merge the two instead." in content
    kerry.refresh_from_db()
    assert kerry.name == "John Kerry"


def test_an_unknown_curation_is_404(client, staff_user, kerry):
    client.force_login(staff_user)
    assert curate(client, kerry, "delete").status_code == 404
    assert Entity.objects.filter(pk=kerry.pk).exists()


@pytest.mark.parametrize("action", ["rename", "type", "merge", "split", "ignore", "restore"])
def test_curation_is_for_staff_only(client, user, kerry, action):
    url = reverse("articles:entity-curate", args=[kerry.pk, action])
    assert client.post(url, {"name": "X", "type": "ORG"})["Location"].startswith(reverse("login"))
    client.force_login(user)
    assert client.post(url, {"name": "X", "type": "ORG"}).status_code == 403
    assert not Correction.objects.exists()


def test_entity_page_renders_the_curation_forms_for_staff_only(client, user, staff_user, kerry):
    client.force_login(user)
    assert "Curate" not in client.get(kerry.get_absolute_url()).content.decode()
    client.force_login(staff_user)
    page = client.get(kerry.get_absolute_url()).content.decode()
    assert '<label for="rename-name">Name</label>' in page
    assert 'value="John Kerry"' in page  # the rename field starts from the current name
    assert '<option value="PERSON" selected>Person</option>' in page
    assert '<label for="merge-target">Merge into (name or id)</label>' in page
    secretary = kerry.aliases.get(key="secretary")
    assert f'<option value="{secretary.pk}">Secretary</option>' in page
    assert f'<option value="{kerry.aliases.get(key=kerry.key).pk}">' not in page
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_entity_page_offers_no_split_without_another_alias(client, staff_user):
    article = ArticleFactory(text="Zoltan Freebird spoke.")
    store_names(article, [("Zoltan Freebird", "PERSON")])
    client.force_login(staff_user)
    page = client.get(Entity.objects.get().get_absolute_url()).content.decode()
    assert "Rename" in page and "Split off" not in page


def test_entity_timeline_writes_each_count_and_links_each_month_to_its_coverage(client):
    for month in (1, 1, 3):
        article = ArticleFactory(
            text="Iraq.", published_at=datetime.datetime(2014, month, 5, tzinfo=datetime.UTC)
        )
        store_names(article, [("Iraq", "COUNTRY")])
    page = client.get(Entity.objects.get().get_absolute_url()).content.decode()
    bars = lxml.html.fromstring(page).xpath('//ol[@class="timeline-bars"]/li/a')
    assert [
        (
            bar.get("href"),
            bar.xpath('string(span[@class="timeline-count"])'),
            bar.xpath("svg/rect/@height")[0],
            " ".join(bar.text_content().split()),
        )
        for bar in bars
    ] == [
        ("?month=2014-01", "2", "100", "2 articles in Jan 14"),
        ("?month=2014-02", "0", "0", "0 articles in Feb 14"),
        ("?month=2014-03", "1", "50", "1 article in Mar 14"),
    ]
    assert "style=" not in page


def test_entity_timeline_by_year_has_no_month_links(client):
    for year in (2005, 2011):
        article = ArticleFactory(
            text="Iraq.", published_at=datetime.datetime(year, 6, 1, tzinfo=datetime.UTC)
        )
        store_names(article, [("Iraq", "COUNTRY")])
    page = client.get(Entity.objects.get().get_absolute_url()).content.decode()
    tree = lxml.html.fromstring(page)
    assert len(tree.xpath('//ol[@class="timeline-bars"]/li')) == 7
    assert tree.xpath('//ol[@class="timeline-bars"]//a') == []
    assert "by year" in page


def _mentions(content: str) -> list[tuple[str, str, str]]:
    """(text, class, href) of each mention in the article text, in order."""
    tree = lxml.html.fromstring(content)
    return [
        (link.text_content(), link.get("class"), link.get("href"))
        for link in tree.xpath('//div[@class="article-text"]//a')
    ]


ARTICLE_TEXT = (
    "India, China, and Japan met. India (again) spoke; India's envoy left.\n\n"
    "In Delhi, India.\n\n"
    "  China's turn:\tIndia-China talks, John Kerry said.  "
)


@pytest.fixture
def repeated_names():
    article = ArticleFactory(title="Summit", text=ARTICLE_TEXT)
    names = [("India", "COUNTRY"), ("China", "COUNTRY"), ("Japan", "COUNTRY"), ("Delhi", "PLACE")]
    store_names(article, [*names, ("John Kerry", "PERSON")], every_occurrence=True)
    return article


def test_article_text_renders_exactly_as_written_around_every_mention(client, repeated_names):
    content = client.get(repeated_names.get_absolute_url()).content.decode()
    paragraphs = lxml.html.fromstring(content).xpath('//div[@class="article-text"]/p')
    assert [p.text_content() for p in paragraphs] == [
        "India, China, and Japan met. India (again) spoke; India's envoy left.",
        "In Delhi, India.",
        "China's turn:\tIndia-China talks, John Kerry said.",
    ]
    assert len(_mentions(content)) == 11


def test_only_a_name_first_mention_in_each_paragraph_is_a_tab_stop(client, repeated_names):
    content = client.get(repeated_names.get_absolute_url()).content.decode()
    tree = lxml.html.fromstring(content)
    rows = [
        [(link.text, link.get("tabindex"), "first-mention" in link.get("class")) for link in p]
        for p in tree.xpath('//div[@class="article-text"]/p')
    ]
    assert rows == [
        [
            ("India", None, True),
            ("China", None, True),
            ("Japan", None, True),
            ("India", "-1", False),
            ("India", "-1", False),
        ],
        [("Delhi", None, True), ("India", None, False)],
        [
            ("China", None, False),
            ("India", None, False),
            ("China", "-1", False),
            ("John Kerry", None, True),
        ],
    ]


def test_entity_coverage_of_a_month_runs_from_its_first_to_its_last_instant():
    dates = {
        "december": datetime.datetime(2013, 12, 31, 23, 59, tzinfo=datetime.UTC),
        "first": datetime.datetime(2014, 1, 1, 0, 0, tzinfo=datetime.UTC),
        "last": datetime.datetime(2014, 1, 31, 23, 59, 59, tzinfo=datetime.UTC),
        "february": datetime.datetime(2014, 2, 1, 0, 0, tzinfo=datetime.UTC),
    }
    for title, published_at in dates.items():
        store_names(ArticleFactory(title=title, text="Iraq.", published_at=published_at), [
            ("Iraq", "COUNTRY")
        ])  # fmt: skip
    iraq = Entity.objects.get()
    _, january = selectors.entity_coverage(entity=iraq, month=datetime.date(2014, 1, 1))
    assert [item.article.title for item in january] == ["last", "first"]
    _, everything = selectors.entity_coverage(entity=iraq)
    assert len(everything) == 4


@pytest.fixture
def iraq_by_month():
    for month, day in ((1, 5), (1, 20), (3, 5)):
        article = ArticleFactory(
            title=f"Iraq story {month}-{day}",
            text="Iraq.",
            published_at=datetime.datetime(2014, month, day, tzinfo=datetime.UTC),
        )
        store_names(article, [("Iraq", "COUNTRY")])
    return Entity.objects.get()


def test_entity_page_month_filters_the_coverage_and_marks_the_month(client, iraq_by_month):
    page = client.get(iraq_by_month.get_absolute_url() + "?month=2014-01").content.decode()
    tree = lxml.html.fromstring(page)
    titles = tree.xpath('//article[@class="article-item"]/h3/a/text()')
    assert titles == ["Iraq story 1-20", "Iraq story 1-5"]
    assert " ".join(tree.xpath("string(//h2[1])").split()) == "Coverage in January 2014"
    assert tree.xpath('//a[@aria-current="true"]/@href') == ["?month=2014-01"]
    assert tree.xpath('//p[@class="filter"]/a/@href') == [iraq_by_month.get_absolute_url()]

    empty = client.get(iraq_by_month.get_absolute_url() + "?month=2014-02").content.decode()
    assert "No article mentions Iraq in February 2014." in empty


@pytest.mark.parametrize(
    "month", ["2014-13", "2014-00", "2014-1", "14-01", "abc", "٢٠١٤-٠١", "9999-12"]
)
def test_entity_page_ignores_a_month_that_is_not_one(client, iraq_by_month, month):
    response = client.get(iraq_by_month.get_absolute_url(), {"month": month})
    assert response.status_code == 200
    titles = lxml.html.fromstring(response.content).xpath('//article[@class="article-item"]/h3/a')
    assert len(titles) == 3
    assert response.context["month"] is None


def test_entity_page_pagination_keeps_the_month(client, monkeypatch):
    monkeypatch.setattr(selectors.entities, "ARTICLES_PER_PAGE", 2)
    for day in (3, 4, 5):
        article = ArticleFactory(
            text="Iraq.", published_at=datetime.datetime(2014, 1, day, tzinfo=datetime.UTC)
        )
        store_names(article, [("Iraq", "COUNTRY")])
    url = Entity.objects.get().get_absolute_url()
    content = client.get(url, {"month": "2014-01"}).content.decode()
    links = re.findall(r'href="(\?[^"]*after=[^"]*)"', content)
    assert len(links) == 1
    assert re.fullmatch(r"\?month=2014-01&amp;after=-?\d+\.\d+", links[0])
    older = client.get(url + links[0].replace("&amp;", "&")).content.decode()
    assert older.count('class="snippet"') == 1  # the third article of January, and no more


def test_pasting_over_the_rate_limit_answers_429_with_retry_after(client, user, settings):
    settings.NEWSREADER_INGEST_RATE_PER_MINUTE = 1
    client.force_login(user)
    client.post(reverse("articles:paste"), {"url": "https://example.org/1"}, **HTMX)
    htmx = client.post(reverse("articles:paste"), {"url": "https://example.org/2"}, **HTMX)
    assert htmx.status_code == 429 and htmx["Retry-After"] == "60"
    assert "pasted many links in the last minute" in htmx.text
    plain = client.post(reverse("articles:paste"), {"url": "https://example.org/3"})
    assert plain.status_code == 429 and plain["Retry-After"] == "60"
    assert 'value="https://example.org/3"' in plain.text  # kept, to send again
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        lambda library: reverse("articles:home"),
        lambda library: library[0].get_absolute_url(),
        lambda library: reverse("articles:entities"),
        lambda library: Entity.objects.get(name="John Kerry").get_absolute_url(),
        lambda library: reverse("articles:search") + "?q=kerry",
        lambda library: reverse("login"),
    ],
)
def test_pages_answer_head_as_they_answer_get(client, library, url):
    response = client.head(url(library))
    assert response.status_code == 200
    assert response.content == b""


def test_an_ignored_entity_s_page_is_404_for_readers_and_shown_to_staff(
    client, library, staff_user
):
    entity = Entity.objects.get(name="John Kerry")
    entity.ignored = True
    entity.save()
    assert client.get(entity.get_absolute_url()).status_code == 404
    client.force_login(staff_user)
    assert client.get(entity.get_absolute_url()).status_code == 200


def test_an_unknown_entity_type_in_the_address_is_404(client, library):
    entity = Entity.objects.get(name="John Kerry")
    assert client.get(f"/entities/planet/{entity.slug}/").status_code == 404
    assert client.get(f"/entities/person/{entity.slug}/").status_code == 200


def test_not_found_and_server_error_pages_are_the_site_s_own(client, monkeypatch):
    missing = client.get("/no/such/page/")
    assert missing.status_code == 404
    assert '<a class="brand" href="/">newsreader</a>' in missing.text
    assert "There is no page at this address" in missing.text

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(selectors, "article_list", broken)
    client.raise_request_exception = False
    failed = client.get(reverse("articles:home"))
    assert failed.status_code == 500
    assert '<a class="brand" href="/">newsreader</a>' in failed.text
    assert "Something went wrong" in failed.text


@pytest.mark.parametrize("target", ["\u00b2", "99999999999999999999", "-3", "0"])
def test_a_merge_target_that_is_no_id_and_no_name_is_a_form_error(
    client, staff_user, kerry, target
):
    client.force_login(staff_user)
    response = curate(client, kerry, "merge", {"target": target})
    assert response.status_code == 200
    assert escape(f"No other person is called {target!r}.") in response.text
    assert Entity.objects.filter(pk=kerry.pk).exists()


def test_curating_an_entity_merged_meanwhile_says_it_was_already_merged(client, staff_user, kerry):
    target = Entity.objects.get(name="John F. Kerry")
    page_loaded_before = Entity.objects.get(pk=kerry.pk)
    services.entities_merge(source=kerry, target=target)
    client.force_login(staff_user)
    response = curate(client, page_loaded_before, "merge", {"target": str(target.pk)})
    assert response.redirect_chain[-1][0] == reverse("articles:entities")
    assert "has already been merged into another" in response.text
