"""``manage.py export``: every article with its mentions, as JSON Lines."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from articles import selectors
from articles.models import Article


class Command(BaseCommand):
    help = "Write every article and its entity mentions as JSON Lines (offsets index text)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="File to write (default: standard output).")

    def handle(self, *args, output: Path | None, **options) -> None:
        handle = output.open("w", encoding="utf-8") if output else sys.stdout
        count = 0
        try:
            for article in selectors.articles_export():
                handle.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
                count += 1
        finally:
            if output:
                handle.close()
        if output:
            self.stderr.write(f"Wrote {count} articles to {output}.")


def article_record(article: Article) -> dict:
    return {
        "id": article.pk,
        "url": article.url,
        "title": article.title,
        "published": article.published_at.isoformat() if article.published_at else None,
        "site_name": article.site_name,
        "byline": article.byline,
        "status": article.status,
        "error": article.error,
        "text": article.text,
        "mentions": [
            {
                "start": mention.start,
                "end": mention.end,
                "text": mention.surface,
                "type": mention.entity.type,
                "entity": {
                    "id": mention.entity.pk,
                    "name": mention.entity.name,
                    "type": mention.entity.type,
                    "slug": mention.entity.slug,
                },
            }
            for mention in article.mentions.all()
        ],
    }
