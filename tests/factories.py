"""Model factories and a helper that stores mentions without running spaCy."""

from __future__ import annotations

import factory

from articles import services
from articles.models import Article
from articles.nlp.mentions import EntityRef, FoundMention
from articles.nlp.text import normalise_key


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    url = factory.Sequence(lambda n: f"https://news.example.org/story-{n}")
    title = factory.Sequence(lambda n: f"Story number {n}")
    text = "Plain text."
    status = Article.Status.DONE
    site_name = "Example News"


def store_names(article: Article, names: list[tuple[str, str]]) -> None:
    """Store a mention for the first occurrence of each (surface, type) in the article text."""
    found = []
    for surface, entity_type in names:
        start = article.text.index(surface)
        ref = EntityRef(type=entity_type, key=normalise_key(surface), name=surface)
        found.append(
            FoundMention(start=start, end=start + len(surface), surface=surface, entity=ref)
        )
    services.article_store_mentions(article=article, found=sorted(found, key=lambda m: m.start))
