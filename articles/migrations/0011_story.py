"""Stories: a Story per group of articles (copies and same-event reports) and the
article's story, indexed CONCURRENTLY on PostgreSQL (no lock on writes to the article
table, hence non-atomic); the new column is nullable, so adding it rewrites nothing."""

import django.db.models.deletion
from django.db import migrations, models

from articles.migrations._concurrent import AddIndexWithoutLocking


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0010_alias_initials"),
    ]

    operations = [
        migrations.CreateModel(
            name="Story",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("article_count", models.PositiveIntegerField(default=0)),
                ("first_date", models.DateTimeField(blank=True, null=True)),
                ("last_date", models.DateTimeField(blank=True, null=True)),
                (
                    "lead",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="articles.article",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "stories",
            },
        ),
        migrations.AddField(
            model_name="article",
            name="story",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="articles",
                to="articles.story",
            ),
        ),
        AddIndexWithoutLocking(
            model_name="article",
            index=models.Index(
                condition=models.Q(("story__isnull", False)),
                fields=["story", "sort_date", "id"],
                name="article_story",
            ),
        ),
    ]
