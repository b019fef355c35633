"""The counters kept from ArticleEntity rows (entity article counts, first and last seen,
the monthly counts behind the timeline), checked against a recount from scratch."""

from __future__ import annotations

from django.db.models import Count, DateField, Max, Min
from django.db.models.functions import TruncMonth

from articles.models import ArticleEntity, Entity, EntityMonth


def recount() -> tuple[dict, set]:
    """Every entity's (count, first, last) and every (entity, month, articles), from scratch."""
    stats = {
        row["entity_id"]: (row["n"], row["first"], row["last"])
        for row in ArticleEntity.objects.values("entity_id").annotate(
            n=Count("id"), first=Min("article_date"), last=Max("article_date")
        )
    }
    entities = {
        pk: stats.get(pk, (0, None, None)) for pk in Entity.objects.values_list("pk", flat=True)
    }
    months = set(
        ArticleEntity.objects.filter(article__published_at__isnull=False)
        .annotate(month=TruncMonth("article_date", output_field=DateField()))
        .values_list("entity_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return entities, months


def stored() -> tuple[dict, set]:
    entities = {
        pk: (count, first, last)
        for pk, count, first, last in Entity.objects.values_list(
            "pk", "article_count", "first_seen", "last_seen"
        )
    }
    return entities, set(EntityMonth.objects.values_list("entity_id", "month", "articles"))


def assert_counters_are_right() -> None:
    entities, months = stored()
    assert (entities, months) == recount()
    assert months, "the scenario has dated articles"
