"""``manage.py reprocess``: analyse stored articles again (a new model or knowledge base)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date
from tqdm import tqdm

from articles import services
from articles.models import Article

BATCH_SIZE = 32


class Command(BaseCommand):
    help = "Run entity analysis again on stored articles."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="Every article with text.")
        which.add_argument("--since", help="Articles added on or after this date (YYYY-MM-DD).")
        which.add_argument("--entity", type=int, help="Articles that mention this entity id.")

    def handle(self, *args, all: bool, since: str | None, entity: int | None, **options) -> None:
        articles = Article.objects.exclude(text="").filter(duplicate_of=None).order_by("pk")
        if since:
            day = parse_date(since)
            if day is None:
                raise CommandError(f"--since wants a date like 2024-09-15, not {since!r}.")
            start = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
            articles = articles.filter(created_at__gte=start)
        elif entity is not None:
            articles = articles.filter(article_entities__entity_id=entity)
        ids = list(articles.values_list("pk", flat=True))
        progress = tqdm(total=len(ids), desc="Reprocessing", unit="article", disable=None)
        for start in range(0, len(ids), BATCH_SIZE):
            batch = list(Article.objects.filter(pk__in=ids[start : start + BATCH_SIZE]))
            services.articles_analyse(articles=batch)
            progress.update(len(batch))
        progress.close()
        self.stdout.write(f"Reprocessed {len(ids)} articles.")
