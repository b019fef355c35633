"""Reading state, per user: read and unread, saved (a star), hidden, followed entities.

A ``Reading`` row exists once a user has done something to an article. "Mark all as read"
tags the rows it marks with a token, so that its undo puts back exactly what it changed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from itertools import batched

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from articles.kept import forget, reader_key
from articles.models import Article, Entity, Follow, ReaderPreference, Reading
from articles.selectors.reading import READER_COUNTS, READER_PREFERENCE

MARK_ALL_CHUNK = 1000


def _reading(*, user, article: Article) -> Reading:
    reading, _created = Reading.objects.get_or_create(user=user, article=article)
    return reading


def _unread_changed(*, user) -> None:
    """Drop the reader's kept counts (READER_COUNTS) once the change is committed."""
    forget([reader_key(name, user_id=user.pk) for name in READER_COUNTS])


def article_set_read(*, user, article: Article, read: bool) -> Reading:
    """Mark the article read (keeping the first time it was read) or unread.

    Marking by hand takes the row out of any "mark all as read" it was part of, so that
    undoing that one does not unmark an article the user has since read.
    """
    reading = _reading(user=user, article=article)
    if read and reading.read_at is None:
        reading.read_at = timezone.now()
    elif not read:
        reading.read_at = None
    reading.marked_in = None
    reading.save(update_fields=["read_at", "marked_in"])
    _unread_changed(user=user)
    return reading


def article_set_saved(*, user, article: Article, saved: bool) -> Reading:
    reading = _reading(user=user, article=article)
    if saved != (reading.saved_at is not None):
        reading.saved_at = timezone.now() if saved else None
        reading.save(update_fields=["saved_at"])
    return reading


def article_set_hidden(*, user, article: Article, hidden: bool) -> Reading:
    """Hide (archive) the article from the user's lists, or bring it back."""
    reading = _reading(user=user, article=article)
    if hidden != (reading.hidden_at is not None):
        reading.hidden_at = timezone.now() if hidden else None
        reading.save(update_fields=["hidden_at"])
        _unread_changed(user=user)
    return reading


@dataclass(frozen=True)
class MarkedRead:
    token: uuid.UUID  # what articles_unmark_read takes to undo
    count: int


def articles_mark_read(*, user, articles: QuerySet[Article]) -> MarkedRead:
    """Mark every unread article of ``articles`` read for the user, in chunks, set-wise."""
    token = uuid.uuid4()
    now = timezone.now()
    already_read = Reading.objects.filter(user=user, article=OuterRef("pk"), read_at__isnull=False)
    unread_ids = articles.exclude(Exists(already_read)).order_by().values_list("pk", flat=True)
    count = 0
    with transaction.atomic():
        for chunk in batched(unread_ids.iterator(chunk_size=MARK_ALL_CHUNK), MARK_ALL_CHUNK):
            Reading.objects.bulk_create(
                [
                    Reading(user=user, article_id=article_id, read_at=now, marked_in=token)
                    for article_id in chunk
                ],
                update_conflicts=True,
                unique_fields=["user", "article"],
                update_fields=["read_at", "marked_in"],
            )
            count += len(chunk)
        _unread_changed(user=user)
    return MarkedRead(token=token, count=count)


def articles_unmark_read(*, user, token: uuid.UUID) -> int:
    """Undo one "mark all as read": the articles it marked are unread again. Only the
    user's own rows carry the token, so another user's token changes nothing."""
    marked = Reading.objects.filter(user=user, marked_in=token)
    with transaction.atomic():
        # Rows that held nothing but this mark go; the others keep their star or hiding.
        _deleted, by_model = marked.filter(saved_at=None, hidden_at=None).delete()
        updated = marked.update(read_at=None, marked_in=None)
        _unread_changed(user=user)
    return by_model.get(Reading._meta.label, 0) + updated


def entity_follow(*, user, entity: Entity) -> Follow:
    follow, _created = Follow.objects.get_or_create(user=user, entity=entity)
    return follow


def entity_unfollow(*, user, entity: Entity) -> None:
    Follow.objects.filter(user=user, entity=entity).delete()


def reader_preference_set(
    *, user, theme: str, highlight: str, hidden_types: list[str]
) -> ReaderPreference:
    """Remember how the reader likes articles shown, for every browser they log in from."""
    preference, _created = ReaderPreference.objects.update_or_create(
        user=user,
        defaults={"theme": theme, "highlight": highlight, "hidden_types": " ".join(hidden_types)},
    )
    forget([reader_key(READER_PREFERENCE, user_id=user.pk)])
    return preference
