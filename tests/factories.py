"""Model factories and a helper that stores mentions without running spaCy."""

from __future__ import annotations

import re

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


def store_names(
    article: Article, names: list[tuple[str, str]], *, every_occurrence: bool = False
) -> None:
    """Store a mention for the first occurrence of each (surface, type) in the article text,
    or for every occurrence."""
    found = []
    for surface, entity_type in names:
        starts = [match.start() for match in re.finditer(re.escape(surface), article.text)]
        if not starts:
            raise ValueError(f"{surface!r} is not in the article text")
        ref = EntityRef(type=entity_type, key=normalise_key(surface), name=surface)
        for start in starts if every_occurrence else starts[:1]:
            found.append(
                FoundMention(start=start, end=start + len(surface), surface=surface, entity=ref)
            )
    services.article_store_mentions(article=article, found=sorted(found, key=lambda m: m.start))
