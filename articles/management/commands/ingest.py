"""``manage.py ingest``: add articles from URLs or files, queued or analysed in-process."""

from __future__ import annotations

import datetime
import itertools
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from articles import services
from articles.ingest.encoding import decode_html
from articles.ingest.extract import ExtractionError
from articles.ingest.fetch import MAX_PAGE_BYTES
from articles.ingest.urls import InvalidURL
from articles.models import Article

BATCH_SIZE = 32
MAX_FILE_SIZE = f"{MAX_PAGE_BYTES // (1024 * 1024)} MB"


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
                continue
            if suffix not in {".html", ".htm", ".txt"}:
                self.failures.append((str(path), "Only .html, .txt and .jsonl files are read."))
                continue
            if path.stat().st_size > MAX_PAGE_BYTES:
                self.failures.append((str(path), f"The file is larger than {MAX_FILE_SIZE}."))
                continue
            fields: dict = {"url": url or path.resolve().as_uri()}
            if suffix == ".txt":
                fields["page_text"] = path.read_text(encoding="utf-8", errors="replace")
            else:
                fields["html"] = decode_html(path.read_bytes())
            yield str(path), fields

    def _from_jsonl(self, path: Path) -> Iterator[tuple[str, dict]]:
        """The file's documents, a line at a time; a line that cannot be read is reported
        with its number and reason, and the lines after it are read all the same."""
        with path.open("rb") as handle:
            for number, line in enumerate(_lines(handle, limit=MAX_PAGE_BYTES), start=1):
                source = f"{path}:{number}"
                if line is None:
                    self.failures.append((source, f"The line is longer than {MAX_FILE_SIZE}."))
                    continue
                if not line.strip():
                    continue
                try:
                    record = json.loads(line.decode("utf-8"))
                except UnicodeDecodeError as exc:
                    byte = f"0x{line[exc.start]:02x}"
                    self.failures.append((source, f"Not UTF-8 (byte {byte} at {exc.start})."))
                    continue
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
        """Say what happened; a run in which anything failed ends with a non-zero status."""
        verb = "analysed" if sync else "queued"
        self.stdout.write(
            f"{self.added} added and {verb}, {self.existing} already in the library, "
            f"{len(self.failures)} failed."
        )
        for source, reason in self.failures:
            self.stderr.write(f"  {source}: {reason}")
        if self.failures:
            raise CommandError(f"{len(self.failures)} could not be imported (see above).")


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
    except ValueError as exc:
        return str(exc)
    return ""


def _parse_published(value: str | None) -> datetime.datetime | None:
    """A date or date-time string as an aware datetime; ValueError saying why for a value
    that is not one."""
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
        day = parse_date(value) if parsed is None else None
    except ValueError as exc:  # the shape of a date, but no such day: "2024-02-30"
        raise ValueError(f'"published" is not a real date: {value[:40]!r}.') from exc
    if parsed is None:
        if day is None:
            raise ValueError(
                f'"published" is not a date: {value[:40]!r} '
                "(give YYYY-MM-DD or an ISO 8601 date and time)."
            )
        parsed = datetime.datetime.combine(day, datetime.time(12, 0))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def _lines(handle: BinaryIO, *, limit: int) -> Iterator[bytes | None]:
    """The file's lines, read one at a time; None for a line longer than ``limit`` bytes,
    which is skipped without holding more than ``limit`` bytes of it."""
    while line := handle.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        while (rest := handle.readline(limit)) and not rest.endswith(b"\n"):
            pass
        yield None
