"""``manage.py reprocess``: analyse stored articles again (a new model or knowledge base)."""

from __future__ import annotations

import itertools

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date
from tqdm import tqdm

from articles import selectors, services

BATCH_SIZE = 32


class Command(BaseCommand):
    help = "Run entity analysis again on stored articles."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="Every article with text.")
        which.add_argument("--since", help="Articles added on or after this date (YYYY-MM-DD).")
        which.add_argument("--entity", type=int, help="Articles that mention this entity id.")

    def handle(self, *args, all: bool, since: str | None, entity: int | None, **options) -> None:
        day = None
        if since:
            day = parse_date(since)
            if day is None:
                raise CommandError(f"--since wants a date like 2024-09-15, not {since!r}.")
        ids = selectors.article_ids_to_reanalyse(since=day, entity_id=entity)
        progress = tqdm(total=len(ids), desc="Reprocessing", unit="article", disable=None)
        for batch in itertools.batched(ids, BATCH_SIZE):
            services.articles_reanalyse(article_ids=batch)
            progress.update(len(batch))
        progress.close()
        self.stdout.write(f"Reprocessed {len(ids)} articles.")
