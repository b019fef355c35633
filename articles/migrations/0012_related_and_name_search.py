"""Related coverage and name suggestions at library scale.

The index on an entity's articles by date carries the weight too: related coverage reads
its candidates from the index alone. On PostgreSQL the aliases' keys get a
trigram index (pg_trgm), so a name suggestion (a word of a key starting with the typed
letters: ``key LIKE '% xi%'``) is an index scan, not a scan of every alias; where the
extension cannot be created (no privilege) the suggestions work as before, unindexed.

Non-atomic: the indexes are built CONCURRENTLY on PostgreSQL (no lock on writes), the new
one before the old goes, so the entity pages always have one.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, migrations, models

from articles.migrations._concurrent import AddIndexWithoutLocking, RemoveIndexWithoutLocking

logger = logging.getLogger(__name__)

TRIGRAM_INDEX = "alias_key_trigram"


def create_trigram_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as exc:
            logger.warning("No pg_trgm (%s): name suggestions scan every alias", exc)
            return
        cursor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {TRIGRAM_INDEX} "
            "ON articles_entityalias USING gin (key gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0011_story")]

    operations = [
        AddIndexWithoutLocking(
            model_name="articleentity",
            index=models.Index(
                fields=["entity", "article_date", "article", "weight"],
                name="article_entity_dated_weight",
            ),
        ),
        RemoveIndexWithoutLocking(model_name="articleentity", name="article_entity_dated"),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
