"""Stories across sources: each analysed article joins the story of its copies
(``services.copies``) and of the other reports of its event (``nlp.stories``), merging
stories it bridges. A few indexed queries per article, whatever the library holds.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Max, Min, Q

from articles import selectors
from articles.models import LISTED, Article, ArticleEntity, Story
from articles.nlp.stories import (
    SALIENT_WEIGHT,
    SAME_EVENT_DAYS,
    SAME_EVENT_SIMILARITY,
    content_words,
    similarity,
    uncommon_names,
)

# The library's size is counted up to this: past it, a common name is one in more than
# COMMON_SHARE of this many articles, and names that common find no candidate.
LIBRARY_COUNT_MAX = 10_000
# Bounds on the work: the rows of shared names read, and the candidates whose texts are
# compared (those sharing the most names).
CANDIDATE_ROWS = 500
CANDIDATES = 20


@transaction.atomic
def article_group_story(*, article: Article) -> Story | None:
    """Put the article in the story of its copies and same-event reports, merging the
    stories it joins; take it out of its story when it has none. Returns its story.

    Idempotent: analysing the same text again finds the same versions and keeps the
    story. A story only grows by merges: an article leaving does not split the others.
    """
    article = Article.objects.only("pk", "story_id", "copy_of_id", "text").get(pk=article.pk)
    versions = set(Article.objects.filter(copy_of=article).values_list("pk", flat=True))
    if article.copy_of_id is not None:
        versions.add(article.copy_of_id)
    versions |= _same_event_reports(article=article)
    if not versions:
        if article.story_id is not None:
            Article.objects.filter(pk=article.pk).update(story=None)
            _story_refresh(story_id=article.story_id)
        return None
    stories = set(
        Article.objects.filter(pk__in=versions, story__isnull=False).values_list(
            "story_id", flat=True
        )
    )
    if article.story_id is not None:
        stories.add(article.story_id)
    story_id = min(stories) if stories else Story.objects.create().pk
    merged = stories - {story_id}
    if merged:
        Article.objects.filter(story_id__in=merged).update(story_id=story_id)
        Story.objects.filter(pk__in=merged).delete()
    # Only the rows that change: an index entry and a row version each.
    Article.objects.filter(pk__in=versions | {article.pk}).exclude(story_id=story_id).update(
        story_id=story_id
    )
    return _story_refresh(story_id=story_id)


def _same_event_reports(*, article: Article) -> set[int]:
    """The finished articles within SAME_EVENT_DAYS that share an uncommon name salient
    in either and whose content words are at least SAME_EVENT_SIMILARITY alike."""
    words = content_words(article.text)
    if not words:
        return set()
    rows = list(
        ArticleEntity.objects.filter(article=article, entity__ignored=False).values_list(
            "entity_id", "weight", "entity__article_count", "article_date"
        )
    )
    if not rows:
        return set()
    weights = {entity_id: weight for entity_id, weight, _, _ in rows}
    counts = {entity_id: count for entity_id, _, count, _ in rows}
    names = uncommon_names(weights, counts, selectors.listed_count(limit=LIBRARY_COUNT_MAX))
    salient = {name for name in names if weights[name] >= SALIENT_WEIGHT}
    if not names:
        return set()
    date = rows[0][3]
    window = datetime.timedelta(days=SAME_EVENT_DAYS)
    # A short range per name of the index on (entity, date, article, weight), read from it
    # alone: only listed articles have these rows, so no article row is read for them.
    shared = Counter(
        ArticleEntity.objects.filter(
            Q(entity_id__in=salient) | Q(weight__gte=SALIENT_WEIGHT),
            entity_id__in=names,
            article_date__range=(date - window, date + window),
        )
        .exclude(article=article)
        .values_list("article_id", flat=True)[:CANDIDATE_ROWS]
    )
    candidates = [pk for pk, _ in shared.most_common(CANDIDATES)]
    return {
        other.pk
        for other in Article.objects.filter(LISTED, pk__in=candidates).only("pk", "text")
        if similarity(words, content_words(other.text)) >= SAME_EVENT_SIMILARITY
    }


def stories_refresh(*, story_ids: Iterable[int]) -> None:
    """Recount these stories after articles left them (deleted): lead, count, dates."""
    for story_id in sorted(story_ids):
        _story_refresh(story_id=story_id)


def _story_refresh(*, story_id: int) -> Story | None:
    """Recount the story from its articles: its lead (the first by date), count and date
    span; a story left with one article is no story."""
    members = Article.objects.filter(story_id=story_id)
    summary = members.aggregate(count=Count("pk"), first=Min("sort_date"), last=Max("sort_date"))
    if summary["count"] < 2:
        members.update(story=None)
        Story.objects.filter(pk=story_id).delete()
        return None
    lead = members.order_by("sort_date", "pk").values_list("pk", flat=True).first()
    story = Story(
        pk=story_id,
        lead_id=lead,
        article_count=summary["count"],
        first_date=summary["first"],
        last_date=summary["last"],
    )
    story.save(update_fields=["lead", "article_count", "first_date", "last_date"])
    return story
