"""The feeds' unread counts from indexes alone: whether an article is listed by its id,
and whether a user has read or hidden it.

Non-atomic: the indexes are built CONCURRENTLY on PostgreSQL (no lock on writes).
"""

from __future__ import annotations

from django.db import migrations, models

from articles.migrations._concurrent import AddIndexWithoutLocking


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0012_related_and_name_search")]

    operations = [
        AddIndexWithoutLocking(
            model_name="article",
            index=models.Index(
                fields=["id"],
                name="article_listed_id",
                condition=models.Q(status="done", duplicate_of=None),
            ),
        ),
        AddIndexWithoutLocking(
            model_name="reading",
            index=models.Index(
                fields=["user", "article"],
                name="reading_read_or_hidden",
                condition=models.Q(read_at__isnull=False) | models.Q(hidden_at__isnull=False),
            ),
        ),
    ]
