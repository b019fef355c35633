"""Services against the database with the real spaCy pipeline: ingest, analyse, re-analyse."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles import services
from articles.ingest.fetch import FetchError
from articles.ingest.urls import InvalidURL
from articles.models import Article, Entity, Mention
from tests.support import SHARED

pytestmark = [pytest.mark.django_db, pytest.mark.nlp]

SEED = SHARED / "examples" / "seed-article.txt"


def test_fetched_article_is_extracted_and_analysed(page_server, settings):
    settings.NEWSREADER_ALLOW_PRIVATE_URLS = True
    article, _ = services.article_ingest_url(url=f"{page_server}/kerry-visit.html", queue=False)
    services.article_process(article=article)
    article.refresh_from_db()
    assert article.status == Article.Status.DONE
    assert article.byline == "Jane Reporter"
    assert article.published_at.year == 2024
    assert "Copyright" not in article.text and "Sign in" not in article.text
    names = set(article.mentions.values_list("entity__name", flat=True))
    assert {"John Kerry", "Baghdad", "United States", "Iran"} <= names


def test_private_address_is_refused_before_anything_is_stored(page_server):
    with pytest.raises(InvalidURL, match="private network"):
        services.article_ingest_url(url=f"{page_server}/kerry-visit.html")
    assert not Article.objects.exists()


def test_private_address_behind_a_name_fails_at_fetch_with_a_readable_error(monkeypatch):
    from articles.ingest import fetch as fetch_module

    monkeypatch.setattr(fetch_module, "resolve_host", lambda host, port: ["10.0.0.7"])
    article, _ = services.article_ingest_url(url="https://intranet.example/page", queue=False)
    with pytest.raises(FetchError, match="private network"):
        services.article_process(article=article)


def test_a_spelling_read_after_the_canonical_page_is_its_duplicate(page_server, private_urls):
    canonical, _ = services.article_ingest_url(url=f"{page_server}/kerry-visit.html", queue=False)
    services.article_process(article=canonical)
    spelling, created = services.article_ingest_url(
        url=f"{page_server}/kerry-visit.html?from=home", queue=False
    )
    services.article_process(article=spelling)
    spelling.refresh_from_db()
    assert created and spelling.duplicate_of == canonical
    assert not spelling.mentions.exists()


def test_the_canonical_page_read_after_a_spelling_takes_its_place(page_server, private_urls):
    spelling, _ = services.article_ingest_url(
        url=f"{page_server}/kerry-visit.html?from=home", queue=False
    )
    services.article_process(article=spelling)
    assert spelling.mentions.exists()
    canonical, _ = services.article_ingest_url(url=f"{page_server}/kerry-visit.html", queue=False)
    services.article_process(article=canonical)
    spelling.refresh_from_db()
    assert spelling.duplicate_of == canonical
    assert not spelling.mentions.exists()
    assert Entity.objects.get(name="John Kerry").article_count == 1
    again, created = services.article_ingest_url(url=f"{page_server}/kerry-visit.html?from=home")
    assert not created and again.duplicate_of == canonical


def test_reanalysis_replaces_mentions_and_is_idempotent(page_server, settings):
    settings.NEWSREADER_ALLOW_PRIVATE_URLS = True
    article, _ = services.article_ingest_url(
        url=f"{page_server}/paris-conference.html", queue=False
    )
    services.article_process(article=article)
    first = list(article.mentions.values_list("start", "end", "entity_id").order_by("start"))
    services.articles_analyse(articles=[article])
    services.articles_analyse(articles=[article])
    assert (
        list(article.mentions.values_list("start", "end", "entity_id").order_by("start")) == first
    )
    kerry = Entity.objects.get(name="John Kerry")
    assert kerry.article_count == 1


@pytest.mark.skipif(not SEED.exists(), reason=f"the seed article is not at {SEED}")
def test_seed_article_imports_with_its_title_and_without_clutter(capsys):
    call_command("ingest", "--sync", "--file", str(SEED))
    article = Article.objects.get()
    assert article.title == "World Powers Back ISIL Fight In Iraq, But Not In Syria"
    for clutter in ("Make CT Your Homepage", "Like Us on Facebook", "Real Time Analytics"):
        assert clutter not in article.text
    names = {(m.entity.type, m.entity.name) for m in Mention.objects.select_related("entity")}
    assert ("PERSON", "John Kerry") in names
    assert ("COUNTRY", "Iraq") in names and ("COUNTRY", "Syria") in names
    assert not any(name == "Us" for _, name in names)


def test_jsonl_text_is_stored_verbatim_so_offsets_line_up(tmp_path):
    text = "Apple said on Monday that Steve Jobs will return.\n\nJobs founded Apple in 1976."
    path = tmp_path / "articles.jsonl"
    path.write_text(
        '{"url": "https://eval.invalid/1", "title": "Jobs returns", "published": "2009-06-01",'
        f' "text": {json.dumps(text)}}}\n'
        "not json\n"
    )
    call_command("ingest", "--sync", "--file", str(path))
    article = Article.objects.get()
    assert article.text == text
    assert article.published_at.date().isoformat() == "2009-06-01"
    jobs = {m.surface: m.entity.name for m in article.mentions.select_related("entity")}
    assert jobs["Steve Jobs"] == jobs["Jobs"] == "Steve Jobs"
    for mention in article.mentions.all():
        assert text[mention.start : mention.end] == mention.surface


def test_non_english_text_is_stored_with_its_language_and_not_analysed(tmp_path):
    path = tmp_path / "article.jsonl"
    text = (
        "Le président de la République a rencontré le chancelier allemand à Paris. "
        "Les deux dirigeants ont parlé de l'Europe et de la guerre en Ukraine pendant "
        "plus de deux heures, selon un communiqué publié dans la soirée."
    )
    path.write_text(json.dumps({"url": "https://example.fr/a", "title": "Sommet", "text": text}))
    call_command("ingest", "--sync", "--file", str(path))
    article = Article.objects.get()
    assert article.language == "fr"
    assert article.status == Article.Status.DONE
    assert not article.mentions.exists()


def test_article_longer_than_the_pipeline_limit_is_analysed_in_chunks():
    from articles.nlp.pipeline import load_pipeline

    paragraph = (
        "Secretary of State John Kerry met officials of the United Nations in Geneva on "
        "Tuesday, and Germany said it would send aid to Iraq within a week. "
    ) * 8
    limit = load_pipeline().max_length
    copies = limit // len(paragraph) + 2
    text = "\n\n".join([paragraph] * copies)
    assert len(text) > limit
    article, _ = services.article_ingest_document(
        url="https://example.org/very-long", title="Long", text=text
    )
    services.articles_analyse(articles=[article])
    article.refresh_from_db()
    assert article.status == Article.Status.DONE
    mentions = list(article.mentions.all())
    assert len({m.start for m in mentions}) == len(mentions)
    assert mentions[-1].start > limit  # the tail beyond the limit was analysed too
    for mention in mentions[:: max(1, len(mentions) // 200)]:
        assert text[mention.start : mention.end] == mention.surface


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
    assert services._canonical_or_none(canonical, page_url=page_url) == trusted


def test_an_article_left_mid_way_by_a_lost_task_is_released_and_claimed_again(settings):
    from unittest import mock

    article = Article.objects.create(url="https://example.org/lost", text="Some text.")
    assert services.article_claim(article_id=article.pk, token="lost-task") is not None
    assert services.article_claim(article_id=article.pk, token="another") is None
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    Article.objects.filter(pk=article.pk).update(updated_at=long_ago)
    with mock.patch.object(services, "_send_process_task", return_value=True) as send:
        assert services.articles_requeue_stale() == 1
    send.assert_called_once_with(article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED and article.claimed_by == ""
    assert services.article_claim(article_id=article.pk, token="new-task") is not None
