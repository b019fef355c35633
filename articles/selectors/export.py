"""Reads for the management commands: the whole library streamed for export, and the
articles to analyse again."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import (
    Prefetch,
)

from articles.models import (
    Article,
    Mention,
)


def articles_export() -> Iterator[Article]:
    """Every article, oldest first, with the mentions a reader sees (entity loaded), streamed
    in chunks so a large library is never held in memory."""
    return (
        Article.objects.order_by("pk")
        .prefetch_related(
            Prefetch(
                "mentions",
                queryset=Mention.objects.filter(entity__ignored=False)
                .select_related("entity")
                .order_by("start"),
            )
        )
        .iterator(chunk_size=200)
    )


def article_ids_to_reanalyse(
    *, since: datetime.date | None = None, entity_id: int | None = None
) -> list[int]:
    """Ids of the stored articles with text, oldest first: all of them, those added on or
    after ``since``, or those that mention the entity ``entity_id``."""
    articles = Article.objects.exclude(text="").filter(duplicate_of=None).order_by("pk")
    if since is not None:
        start = datetime.datetime.combine(since, datetime.time(), tzinfo=datetime.UTC)
        articles = articles.filter(created_at__gte=start)
    elif entity_id is not None:
        articles = articles.filter(article_entities__entity_id=entity_id)
    return list(articles.values_list("pk", flat=True))
