"""Aliases keep their initials (``nlp.resolve.alias_initials``), so an acronym in one
article finds its name in full from another with one indexed query, and the other way.

The stored aliases get theirs here; the index is built CONCURRENTLY on PostgreSQL (no
lock on writes), so the migration is not atomic.
"""

from django.db import migrations, models, transaction

from articles.migrations._concurrent import AddIndexWithoutLocking
from articles.nlp.resolve import alias_initials


def fill_initials(apps, schema_editor) -> None:
    EntityAlias = apps.get_model("articles", "EntityAlias")
    changed = []
    with transaction.atomic():
        for alias in EntityAlias.objects.only("pk", "key").iterator(chunk_size=5000):
            if initials := alias_initials(alias.key):
                alias.initials = initials
                changed.append(alias)
        EntityAlias.objects.bulk_update(changed, ["initials"], batch_size=5000)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0009_reader_preference")]

    operations = [
        migrations.AddField(
            model_name="entityalias",
            name="initials",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.RunPython(fill_initials, migrations.RunPython.noop),
        AddIndexWithoutLocking(
            model_name="entityalias",
            index=models.Index(
                condition=models.Q(("initials", ""), _negated=True),
                fields=["type", "initials"],
                name="alias_type_initials",
            ),
        ),
    ]
