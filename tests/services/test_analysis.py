"""Analysis and storage (articles/services/analysis.py) with the real spaCy pipeline."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from articles import services
from articles.models import Article, Entity, Mention
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.nlp]


def test_reanalysis_replaces_mentions_and_is_idempotent(page_server, settings):
    settings.NEWSREADER_ALLOW_PRIVATE_URLS = True
    article, _ = services.article_ingest_url(
        url=f"{page_server}/paris-conference.html", queue=False
    )
    services.articles_process(article_ids=[article.pk], token="test")
    first = list(article.mentions.values_list("start", "end", "entity_id").order_by("start"))
    services.articles_reanalyse(article_ids=[article.pk])
    services.articles_reanalyse(article_ids=[article.pk])
    assert (
        list(article.mentions.values_list("start", "end", "entity_id").order_by("start")) == first
    )
    kerry = Entity.objects.get(name="John Kerry")
    assert kerry.article_count == 1


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


def test_the_longest_text_allowed_is_analysed_in_chunks_to_its_end(settings):
    paragraph = (
        "Secretary of State John Kerry met officials of the United Nations in Geneva on "
        "Tuesday, and Germany said it would send aid to Iraq within a week. "
    ) * 8
    limit = settings.NEWSREADER_MAX_TEXT_CHARS
    text = "\n\n".join([paragraph] * (limit // (len(paragraph) + 2) + 1))[:limit]
    assert len(text) == limit
    article, _ = services.article_ingest_document(
        url="https://example.org/very-long", title="Long", text=text
    )
    services.articles_analyse(articles=[article])
    article.refresh_from_db()
    assert article.status == Article.Status.DONE
    mentions = list(article.mentions.all())
    assert len({m.start for m in mentions}) == len(mentions)
    assert mentions[-1].start > limit - len(paragraph)  # the tail was analysed too
    for mention in mentions[:: max(1, len(mentions) // 200)]:
        assert text[mention.start : mention.end] == mention.surface


def analyse_text(text: str) -> Article:
    article = ArticleFactory(text=text, status=Article.Status.ANALYSING)
    services.articles_analyse(articles=[article])
    return article


def entities_named_in(article: Article, surface: str) -> set[Entity]:
    return {m.entity for m in Mention.objects.filter(article=article, surface=surface)}


def test_an_acronym_defined_in_one_article_names_the_same_company_in_the_next():
    first = analyse_text(
        "Associated Bottling Company (ABC) said on Monday that it would close its plant in "
        "Atlanta. Jane Roe, the mayor of Atlanta, said the city would help the workers."
    )
    later = analyse_text("ABC said on Tuesday that its plant in Atlanta would stay open.")
    (company,) = entities_named_in(first, "Associated Bottling Company")
    assert entities_named_in(later, "ABC") == {company}
    assert company.article_count == 2


def test_an_acronym_alone_finds_the_company_another_article_names_in_full():
    first = analyse_text(
        "Associated Bottling Company said on Monday that it would close its plant in "
        "Atlanta. Jane Roe, the mayor of Atlanta, said the city would help the workers."
    )
    later = analyse_text(
        "ABC said on Tuesday that its plant in Atlanta would stay open. Mayor Jane Roe "
        "welcomed the news."
    )
    (company,) = entities_named_in(first, "Associated Bottling Company")
    assert entities_named_in(later, "ABC") == {company}


def test_a_curated_type_is_the_type_of_the_name_in_later_articles():
    first = analyse_text("The Magic Box will host a concert on Friday, Jane Roe said in Atlanta.")
    (venue,) = entities_named_in(first, "Magic Box")
    assert venue.type == "ORG"
    services.entity_set_type(entity=venue, entity_type="PLACE")
    later = analyse_text("The Magic Box will host a play on Monday, Jane Roe said.")
    assert entities_named_in(later, "Magic Box") == {venue}
    assert Entity.objects.get(pk=venue.pk).type == "PLACE"
