"""Articles in (articles/services/ingest.py): accepted, fetched, extracted, claimed and analysed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles import services
from articles.ingest.urls import InvalidURL
from articles.models import Article, Entity
from articles.services.ingest import trusted_canonical_url

pytestmark = [pytest.mark.django_db, pytest.mark.nlp]


def test_fetched_article_is_extracted_and_analysed(page_server, settings):
    settings.NEWSREADER_ALLOW_PRIVATE_URLS = True
    article, _ = services.article_ingest_url(url=f"{page_server}/kerry-visit.html", queue=False)
    services.articles_process(article_ids=[article.pk], token="test")
    article.refresh_from_db()
    assert article.status == Article.Status.DONE
    assert article.byline == "Jane Reporter"
    assert article.published_at.year == 2024
    assert "Copyright" not in article.text and "Sign in" not in article.text
    assert not article.teaser_only
    names = set(article.mentions.values_list("entity__name", flat=True))
    assert {"John Kerry", "Baghdad", "United States", "Iran"} <= names


def test_another_copy_of_a_failed_article_fills_it_and_is_analysed_without_a_fetch():
    article, _ = services.article_ingest_url(url="https://news.example.org/gone", queue=False)
    services.article_fail(article_id=article.pk, error="The site answered 404 Not Found.")
    paragraph = (
        "<p>Secretary of State John Kerry arrived in Baghdad on Wednesday for talks with "
        "Iraqi leaders about the campaign, and met the Prime Minister of Iraq.</p>"
    )
    article.refresh_from_db()

    services.article_store_html(
        article=article, html=paragraph * 2, page_url=article.url, title="Kerry in Baghdad"
    )
    services.article_retry(article=article)
    # No network: the text is in place, so nothing is fetched.
    result = services.articles_process(article_ids=[article.pk], token="test")

    article.refresh_from_db()
    assert result.done == [article.pk]
    assert (article.status, article.title) == (Article.Status.DONE, "Kerry in Baghdad")
    assert "John Kerry" in set(article.mentions.values_list("entity__name", flat=True))


def test_a_paywalled_teaser_is_stored_with_its_notice(page_server, private_urls, client):
    article, _ = services.article_ingest_url(url=f"{page_server}/port-terminal.html", queue=False)
    services.articles_process(article_ids=[article.pk], token="test")
    article.refresh_from_db()
    assert article.status == Article.Status.DONE
    assert article.teaser_only
    assert article.text.startswith("The port authority will decide next month")
    assert article.text.endswith("for most of last year.")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "Only the first paragraphs were available" in content


def test_private_address_is_refused_before_anything_is_stored(page_server):
    with pytest.raises(InvalidURL, match="private network"):
        services.article_ingest_url(url=f"{page_server}/kerry-visit.html")
    assert not Article.objects.exists()


def test_private_address_is_refused_when_pasted(page_server, client, user):
    client.force_login(user)
    response = client.post(
        reverse("articles:paste"),
        {"url": f"{page_server}/kerry-visit.html"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "private network" in response.content.decode()
    assert not Article.objects.exists()


def test_private_address_behind_a_name_fails_at_fetch_with_a_readable_error(monkeypatch):
    from articles.ingest import fetch as fetch_module

    monkeypatch.setattr(fetch_module, "resolve_host", lambda host, port: ["10.0.0.7"])
    article, _ = services.article_ingest_url(url="https://intranet.example/page", queue=False)
    result = services.articles_process(article_ids=[article.pk], token="test")
    assert "private network" in result.failed[article.pk]
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED and "private network" in article.error


def test_a_spelling_read_after_the_canonical_page_is_its_duplicate(page_server, private_urls):
    canonical, _ = services.article_ingest_url(url=f"{page_server}/kerry-visit.html", queue=False)
    services.articles_process(article_ids=[canonical.pk], token="test")
    spelling, created = services.article_ingest_url(
        url=f"{page_server}/kerry-visit.html?from=home", queue=False
    )
    services.articles_process(article_ids=[spelling.pk], token="test")
    spelling.refresh_from_db()
    assert created and spelling.duplicate_of == canonical
    assert not spelling.mentions.exists()


def test_the_canonical_page_read_after_a_spelling_takes_its_place(page_server, private_urls):
    spelling, _ = services.article_ingest_url(
        url=f"{page_server}/kerry-visit.html?from=home", queue=False
    )
    services.articles_process(article_ids=[spelling.pk], token="test")
    assert spelling.mentions.exists()
    canonical, _ = services.article_ingest_url(url=f"{page_server}/kerry-visit.html", queue=False)
    services.articles_process(article_ids=[canonical.pk], token="test")
    spelling.refresh_from_db()
    assert spelling.duplicate_of == canonical
    assert not spelling.mentions.exists()
    assert Entity.objects.get(name="John Kerry").article_count == 1
    again, created = services.article_ingest_url(url=f"{page_server}/kerry-visit.html?from=home")
    assert not created and again.duplicate_of == canonical


@pytest.mark.parametrize(
    ("canonical", "trusted"),
    [
        ("https://news.example/2024/story?utm_source=x", "https://news.example/2024/story"),
        ("https://news.example/", None),  # a site that names its home page everywhere
        ("https://other.example/2024/story", None),  # a page claiming another site's URL
        ("javascript:alert(1)", None),
    ],
)
def test_only_a_canonical_link_on_the_page_own_host_is_trusted(canonical, trusted):
    page_url = "https://news.example/2024/story-amp"
    assert trusted_canonical_url(canonical, page_url=page_url) == trusted


def test_a_fetched_text_over_the_length_limit_fails_with_the_reason(
    page_server, private_urls, settings
):
    settings.NEWSREADER_MAX_TEXT_CHARS = 100
    article, _ = services.article_ingest_url(url=f"{page_server}/kerry-visit.html", queue=False)
    result = services.articles_process(article_ids=[article.pk], token="test")
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "newsreader keeps articles of up to 100 characters" in article.error
    assert result.failed == {article.pk: article.error}


def test_a_short_link_and_the_page_it_redirects_to_are_one_article(page_server, private_urls):
    """The final URL after redirects names the article, as rel=canonical does (the page
    has none): the short link first, then its target, leave one article to read."""
    short, _ = services.article_ingest_url(url=f"{page_server}/go/kerry-visit", queue=False)
    services.articles_process(article_ids=[short.pk], token="test")
    short.refresh_from_db()
    assert short.status == Article.Status.DONE
    assert short.canonical_url == f"{page_server}/bare/kerry-visit.html"

    target, created = services.article_ingest_url(url=short.canonical_url, queue=False)
    services.articles_process(article_ids=[target.pk], token="test")
    short.refresh_from_db()
    assert created and short.duplicate_of == target
    assert list(Article.objects.filter(duplicate_of=None)) == [target]


def test_a_short_link_read_after_its_target_is_the_target_s_duplicate(page_server, private_urls):
    target, _ = services.article_ingest_url(url=f"{page_server}/bare/kerry-visit.html", queue=False)
    services.articles_process(article_ids=[target.pk], token="test")
    short, _ = services.article_ingest_url(url=f"{page_server}/go/kerry-visit", queue=False)
    services.articles_process(article_ids=[short.pk], token="test")
    short.refresh_from_db()
    assert short.duplicate_of == target
    assert not short.mentions.exists()
