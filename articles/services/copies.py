"""Copies of one story: each analysed article is linked to the first article whose text it
nearly repeats (a wire copy, a repost), found through its MinHash signature's LSH bands
(``articles.nlp.copies``) with one indexed query, whatever the library holds.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count

from articles.models import Article, ArticleBand
from articles.nlp.copies import (
    COPY_SIMILARITY,
    band_keys,
    shingles,
    signature,
    signature_from_bytes,
    signature_to_bytes,
)

# Candidates sharing the most bands are checked first; a copy shares nearly all of them.
COPY_CANDIDATES = 20


@transaction.atomic
def article_link_copies(*, article: Article) -> Article | None:
    """Store the article's signature and bands; link it (and any copies of it) to the
    first article of the story it copies. Returns that article, or None for an original.

    Idempotent: a second run replaces the bands and finds the same story.
    """
    ArticleBand.objects.filter(article=article).delete()
    if not shingles(article.text):
        Article.objects.filter(pk=article.pk).update(text_signature=None, copy_of=None)
        return None
    minhash = signature(article.text)
    keys = band_keys(minhash)
    candidates = (
        ArticleBand.objects.filter(key__in=keys, article__duplicate_of=None)
        .exclude(article=article)
        .values("article_id")
        .annotate(bands=Count("id"))
        .order_by("-bands", "article_id")
        .values_list("article_id", flat=True)[:COPY_CANDIDATES]
    )
    best, best_similarity = None, COPY_SIMILARITY
    for other in Article.objects.filter(pk__in=list(candidates)).only(
        "pk", "copy_of_id", "text_signature"
    ):
        similarity = minhash.jaccard(signature_from_bytes(bytes(other.text_signature)))
        if similarity >= best_similarity and other.copy_of_id != article.pk:
            best, best_similarity = other, similarity
    first = None
    if best is not None:
        first = Article.objects.get(pk=best.copy_of_id or best.pk)
        Article.objects.filter(copy_of=article).update(copy_of=first)
    Article.objects.filter(pk=article.pk).update(
        text_signature=signature_to_bytes(minhash), copy_of=first
    )
    ArticleBand.objects.bulk_create([ArticleBand(article=article, key=key) for key in keys])
    return first
