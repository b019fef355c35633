"""Library scale: a stored sort date for keyset pagination, the per-month entity counts
behind the timeline, the indexes the lists page on, and one for curated alias lookups.

Non-atomic so the indexes on the big tables are built CONCURRENTLY on PostgreSQL (no lock
on writes). Adding the generated ``sort_date`` column rewrites the article table once.
"""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models, transaction
from django.db.models import Count, DateField
from django.db.models.functions import TruncMonth

from articles.migrations._concurrent import AddIndexWithoutLocking, RemoveIndexWithoutLocking

LISTED = models.Q(("duplicate_of", None), ("status", "done"))
NAMED = models.Q(("article_count__gt", 0), ("ignored", False))


def count_months(apps, schema_editor) -> None:
    """Fill the timeline's counts from the stored rows, as articles_aggregate keeps them."""
    ArticleEntity = apps.get_model("articles", "ArticleEntity")
    EntityMonth = apps.get_model("articles", "EntityMonth")
    rows = (
        ArticleEntity.objects.filter(article__published_at__isnull=False)
        .annotate(month=TruncMonth("article_date", output_field=DateField()))
        .values("entity_id", "month")
        .annotate(articles=Count("id"))
        .order_by()
    )
    with transaction.atomic():
        EntityMonth.objects.bulk_create(
            (EntityMonth(**row) for row in rows.iterator(chunk_size=5000)), batch_size=5000
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0003_claim_and_labels")]

    operations = [
        migrations.CreateModel(
            name="EntityMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(help_text="The first day of the month (UTC).")),
                ("articles", models.PositiveIntegerField()),
                (
                    "entity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="months",
                        to="articles.entity",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("entity", "month"), name="entity_month_unique")
                ],
            },
        ),
        migrations.AddField(
            model_name="article",
            name="sort_date",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.comparison.Coalesce(
                    "published_at", "created_at"
                ),
                output_field=models.DateTimeField(),
            ),
        ),
        AddIndexWithoutLocking(
            model_name="article",
            index=models.Index(condition=LISTED, fields=["sort_date", "id"], name="article_listed"),
        ),
        AddIndexWithoutLocking(
            model_name="article",
            index=models.Index(
                condition=LISTED,
                fields=["site_name", "sort_date", "id"],
                name="article_site_listed",
            ),
        ),
        AddIndexWithoutLocking(
            model_name="articleentity",
            index=models.Index(
                fields=["entity", "article_date", "article"], name="article_entity_dated"
            ),
        ),
        RemoveIndexWithoutLocking(model_name="articleentity", name="article_entity_newest"),
        AddIndexWithoutLocking(
            model_name="entity",
            index=models.Index(
                condition=NAMED, fields=["article_count", "id"], name="entity_named"
            ),
        ),
        AddIndexWithoutLocking(
            model_name="entity",
            index=models.Index(
                condition=NAMED, fields=["type", "article_count", "id"], name="entity_type_named"
            ),
        ),
        AddIndexWithoutLocking(
            model_name="entityalias",
            index=models.Index(
                condition=models.Q(("source", "curated")), fields=["key"], name="alias_curated_key"
            ),
        ),
        migrations.RunPython(count_months, migrations.RunPython.noop),
    ]
