"""A feed's articles from the index alone, newest first (the unread counts).

Non-atomic: the index is built CONCURRENTLY on PostgreSQL (no lock on writes).
"""

from __future__ import annotations

from django.db import migrations, models

from articles.migrations._concurrent import AddIndexWithoutLocking


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("feeds", "0001_initial")]

    operations = [
        AddIndexWithoutLocking(
            model_name="feeditem",
            index=models.Index(fields=["feed", "article"], name="feeditem_feed_article"),
        ),
    ]
