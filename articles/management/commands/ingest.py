"""``manage.py ingest``: add articles from URLs or files, queued or analysed in-process."""

from __future__ import annotations

import datetime
import itertools
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from articles import services
from articles.ingest.encoding import decode_html
from articles.ingest.extract import ExtractionError
from articles.ingest.urls import InvalidURL
from articles.models import Article

BATCH_SIZE = 32


class Command(BaseCommand):
    help = "Add articles: URLs (fetched like a pasted link) or files (.html, .txt, .jsonl)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("urls", nargs="*", help="Article URLs to fetch.")
        parser.add_argument(
            "--file",
            dest="files",
            action="append",
            default=[],
            type=Path,
            metavar="PATH",
            help=".html (with --url), .txt or .jsonl (url, title, text or html, published).",
        )
        parser.add_argument("--url", help="The URL an .html or .txt file was saved from.")
        parser.add_argument(
            "--sync", action="store_true", help="Analyse in this process instead of queueing."
        )

    def handle(
        self, *args, urls: list[str], files: list[Path], url: str | None, sync: bool, **options
    ) -> None:
        if not urls and not files:
            raise CommandError("Give at least one URL or --file PATH.")
        self.added = 0
        self.existing = 0
        self.failures: list[tuple[str, str]] = []
        # One token for the whole run: the articles it analyses are claimed by it, so
        # the sweeper never hands them to a worker meanwhile.
        self.token = f"ingest-sync-{uuid.uuid4().hex}"
        documents = itertools.chain(self._from_urls(urls), self._from_files(files, url))
        progress = tqdm(desc="Importing", unit="article", disable=None)
        # Added and processed a batch at a time, so no article waits long as ``queued``.
        for batch in itertools.batched(documents, BATCH_SIZE):
            added = [article for article in map(self._add, batch) if article is not None]
            if sync:
                self._process(added)
            else:
                for article in added:
                    services.article_queue(article=article)
            progress.update(len(batch))
        progress.close()
        self._summary(sync=sync)

    def _from_urls(self, urls: list[str]) -> Iterator[tuple[str, dict | None]]:
        for value in urls:
            yield value, None

    def _from_files(self, files: list[Path], url: str | None) -> Iterator[tuple[str, dict]]:
        for path in files:
            if not path.is_file():
                self.failures.append((str(path), "No such file."))
                continue
            suffix = path.suffix.lower()
            if suffix == ".jsonl":
                yield from self._from_jsonl(path)
            elif suffix in {".html", ".htm"}:
                html = decode_html(path.read_bytes())
                yield str(path), {"url": url or path.resolve().as_uri(), "html": html}
            elif suffix == ".txt":
                text = path.read_text(encoding="utf-8", errors="replace")
                yield str(path), {"url": url or path.resolve().as_uri(), "page_text": text}
            else:
                self.failures.append((str(path), "Only .html, .txt and .jsonl files are read."))

    def _from_jsonl(self, path: Path) -> Iterator[tuple[str, dict]]:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                source = f"{path}:{number}"
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    self.failures.append((source, f"Not valid JSON ({exc.msg})."))
                    continue
                problem = _record_problem(record)
                if problem:
                    self.failures.append((source, problem))
                    continue
                yield (
                    source,
                    {
                        "url": record["url"],
                        "title": record.get("title") or "",
                        "text": record.get("text") or "",
                        "html": record.get("html") or "",
                        "published_at": _parse_published(record.get("published")),
                        "site_name": record.get("site_name") or "",
                        "byline": record.get("byline") or "",
                    },
                )

    def _add(self, document: tuple[str, dict | None]) -> Article | None:
        """Store one document; the new article, or None when it exists or was refused."""
        source, fields = document
        try:
            if fields is None:
                article, created = services.article_ingest_url(url=source, queue=False)
            else:
                article, created = services.article_ingest_document(**fields)
        except (InvalidURL, ExtractionError) as exc:
            self.failures.append((source, str(exc)))
            return None
        if not created:
            self.existing += 1
            return None
        self.added += 1
        return article

    def _process(self, articles: list[Article]) -> None:
        result = services.articles_process(
            article_ids=[article.pk for article in articles], token=self.token
        )
        for article in articles:
            if article.pk in result.failed:
                self.failures.append(
                    (article.original_url or article.url, result.failed[article.pk])
                )

    def _summary(self, *, sync: bool) -> None:
        verb = "analysed" if sync else "queued"
        self.stdout.write(
            f"{self.added} added and {verb}, {self.existing} already in the library, "
            f"{len(self.failures)} failed."
        )
        for source, reason in self.failures:
            self.stderr.write(f"  {source}: {reason}")


TEXT_FIELDS = ("url", "title", "text", "html", "published", "site_name", "byline")


def _record_problem(record: object) -> str:
    """Why a JSON line cannot be imported, or "" when it can."""
    if not isinstance(record, dict) or not record.get("url"):
        return 'Each line needs a "url".'
    if not record.get("text") and not record.get("html"):
        return 'Each line needs "text" or "html".'
    wrong = [name for name in TEXT_FIELDS if record.get(name) and not isinstance(record[name], str)]
    if wrong:
        return f'"{wrong[0]}" must be a string.'
    try:
        _parse_published(record.get("published"))
    except ValueError:
        return f'"published" is not a real date: {record["published"]!r}.'
    return ""


def _parse_published(value: str | None) -> datetime.datetime | None:
    """A date or date-time string as an aware datetime; ValueError for an impossible one."""
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            return None
        parsed = datetime.datetime.combine(day, datetime.time(12, 0))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed
