"""The app at library scale: build a library of N articles fast, serve it with gunicorn as
deployed, and time every page against the trivial ``/login/`` in the same run.

    createdb scale_bench
    .venv/bin/python bench/scale.py --database-url postgres://postgres@127.0.0.1:5432/scale_bench
    .venv/bin/python bench/scale.py --database-url sqlite:///var/scale.sqlite3  # 10,000 articles
    .venv/bin/python bench/scale.py ... --reuse --json   # measure again without rebuilding

Building: the database is emptied and migrated; the ~120 demo texts are analysed once with
the app's analyser (the mentions are cached in ``var/bench/``) and stored through the app's
own service, so their entities, aliases and aggregates are real. Those articles are then
replicated with COPY (PostgreSQL) or batched inserts (SQLite) into N articles over three
years: each copy keeps its text and mention offsets, a copy keeps a named entity with a
probability falling with the entity's rank (Zipf-like; the United States stays in ~31% of
articles) and otherwise names a long-tail entity of the same type that only a few
articles share (72% of long-tail entities in at most 3). Entity counts, first/last seen
and the monthly counts are recomputed from the rows at the end, as the app keeps them.

Measuring: gunicorn with DEBUG off, then for every page, with 1 client and with 4
concurrent clients, each request paired with a ``/login/`` request (the baseline); prints
p50/p95/p99 per page, the server's CPU time per request (which, unlike latency, does not
follow the load other programs put on a shared machine) and, with ``--json``, one JSON
object (see issue 10).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import http.cookiejar
import json
import os
import random
import re
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from ingest_load import Scratch, free_port, percentile  # noqa: E402

DEMO = REPO_ROOT / "demo" / "wikinews-120.jsonl"
CACHE = REPO_ROOT / "var" / "bench"
END = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
SPAN = datetime.timedelta(days=3 * 365)
STORY_DAYS = 3  # copies of one demo text this close in date are one story (nlp.stories)
UNDATED_SHARE = 0.05  # articles without a publication date: sorted by when they were added
TOP_ENTITY_SHARE = 0.31  # the United States' share of articles
ZIPF_EXPONENT = 1.0  # a named entity of rank r keeps ~TOP_ENTITY_SHARE / r^s of articles
TAIL_ALPHA = 0.92  # P(a long-tail entity is in at most 3 articles) = 1 - 4^-alpha = 0.72
ENTITIES_PER_ARTICLE = 0.5  # 50,000 entities at 100,000 articles
# The reader the logged-in pages are measured as: a heavy user of a large library.
READER, READER_PASSWORD = "bench-reader", "bench-reader-not-secret"
FEEDS, FEEDS_SUBSCRIBED, FOLDERS = 100, 60, 4
FEED_SHARE = 0.6  # articles that arrived from a feed (the rest were pasted)
READ_SHARE, SAVED_SHARE, HIDDEN_SHARE = 0.5, 0.005, 0.002  # of articles older than 2 days
FOLLOWS = 10  # entities of ranks 10 to 100 by coverage, followed 60 days before the end


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# Building ----------------------------------------------------------------------------------


def setup_django(database_url: str) -> None:
    os.environ.update(DATABASE_URL=database_url, DEBUG="1", LOG_LEVEL="WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
    import django

    django.setup()


def reset_database(database_url: str) -> None:
    """Start from an empty database: the bench owns it."""
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def analysed_demo() -> list[tuple[dict, list]]:
    """The demo articles and their analysed mentions: computed once, then read from a cache."""
    from django.conf import settings

    from articles.nlp.analyse import analyse
    from articles.nlp.mentions import EntityRef, FoundMention
    from articles.nlp.pipeline import load_pipeline

    rows = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line]
    # Keyed by the texts, the model and the analyser's code: a change to any analyses again.
    sources = b"".join(
        p.read_bytes() for p in sorted((REPO_ROOT / "articles" / "nlp").rglob("*.py"))
    )
    digest = hashlib.sha1(DEMO.read_bytes() + settings.SPACY_MODEL.encode() + sources)
    cache = CACHE / f"scale-mentions-{digest.hexdigest()[:12]}.json"
    if not cache.exists():
        started = time.perf_counter()
        nlp = load_pipeline(settings.SPACY_MODEL)
        found = [
            [[m.start, m.end, m.surface, m.entity.type, m.entity.key, m.entity.name] for m in ms]
            for ms in analyse((row["text"] for row in rows), nlp=nlp)
        ]
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(found))
        log(f"analysed {len(rows)} demo texts in {time.perf_counter() - started:.1f} s")
    found = json.loads(cache.read_text())
    return [
        (
            row,
            [
                FoundMention(start, end, surface, EntityRef(type=t, key=key, name=name))
                for start, end, surface, t, key, name in mentions
            ],
        )
        for row, mentions in zip(rows, found, strict=True)
    ]


def random_date(rng: random.Random) -> datetime.datetime:
    return END - SPAN * rng.random()


def store_templates(rng: random.Random) -> list[int]:
    """The demo articles stored through the app's own services; their ids."""
    from articles import services

    ids = []
    for row, found in analysed_demo():
        article, _ = services.article_ingest_document(
            url=row["url"],
            text=row["text"],
            title=row["title"],
            site_name=row.get("site_name", ""),
            published_at=random_date(rng),
        )
        services.article_store_mentions(article=article, found=found)
        ids.append(article.pk)
    return ids


@dataclass
class Template:
    row: dict  # the article's column values
    entities: list[tuple[int, int, float]]  # (entity id, mentions, weight)
    mentions: list[tuple[int, int, int, str]]  # (entity id, start, end, surface)
    weight: float = 1.0


def read_templates(ids: list[int]) -> list[Template]:
    from django.db import connection

    from articles.models import Article, ArticleEntity, Mention

    columns = article_columns()
    rows = {row["id"]: row for row in Article.objects.filter(pk__in=ids).values(*columns)}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, search_vector::text FROM articles_article WHERE id = ANY(%s)", [ids]
            )
            for article_id, vector in cursor.fetchall():
                rows[article_id]["search_vector"] = vector
    entities, mentions = defaultdict(list), defaultdict(list)
    for article_id, *rest in ArticleEntity.objects.filter(article_id__in=ids).values_list(
        "article_id", "entity_id", "mentions", "weight"
    ):
        entities[article_id].append(tuple(rest))
    for article_id, *rest in Mention.objects.filter(article_id__in=ids).values_list(
        "article_id", "entity_id", "start", "end", "surface"
    ):
        mentions[article_id].append(tuple(rest))
    return [Template(rows[i], entities[i], mentions[i]) for i in ids if entities[i]]


def article_columns() -> list[str]:
    """The stored columns of Article (generated ones are the database's to fill)."""
    from django.db.models import GeneratedField

    from articles.models import Article

    return [
        f.attname
        for f in Article._meta.concrete_fields
        if not isinstance(f, GeneratedField) and f.attname != "search_vector"
    ]


@dataclass
class Plan:
    """What the N articles will hold: a template each, and an entity for every slot."""

    templates: list[Template]
    choice: list[int] = field(default_factory=list)  # template index per article
    slots: list[list[int]] = field(default_factory=list)  # entity id per template entity
    new_entities: list[tuple[int, str, str]] = field(default_factory=list)  # (id, type, name)


def plan_library(templates: list[Template], n: int, rng: random.Random) -> Plan:
    from articles.models import Entity

    entity_type = dict(Entity.objects.values_list("pk", "type"))
    top = Entity.objects.filter(type="COUNTRY", key="united states").values_list("pk", flat=True)
    top_id = top[0] if top else None
    # Articles naming the United States are drawn often enough to make TOP_ENTITY_SHARE.
    with_top = [t for t in templates if any(e[0] == top_id for e in t.entities)]
    if with_top and len(with_top) < len(templates):
        share = len(with_top) / len(templates)
        for t in templates:
            t.weight = (
                TOP_ENTITY_SHARE / share if t in with_top else (1 - TOP_ENTITY_SHARE) / (1 - share)
            )
    total = sum(t.weight for t in templates)
    natural: Counter[int] = Counter()
    for t in templates:
        for entity_id, _, _ in t.entities:
            natural[entity_id] += n * t.weight / total
    # The United States first, then by how often the templates name each entity.
    ranked = sorted(natural, key=lambda entity_id: (entity_id != top_id, -natural[entity_id]))
    head = natural[ranked[0]]
    keep = {
        entity_id: min(1.0, head / (rank**ZIPF_EXPONENT) / natural[entity_id])
        for rank, entity_id in enumerate(ranked, start=1)
    }

    plan = Plan(templates)
    plan.choice = rng.choices(range(len(templates)), [t.weight for t in templates], k=n)
    replaced: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for article, index in enumerate(plan.choice):
        slots = []
        for slot, (entity_id, _, _) in enumerate(templates[index].entities):
            if rng.random() < keep[entity_id]:
                slots.append(entity_id)
            else:
                slots.append(0)
                replaced[entity_type[entity_id]].append((article, slot))
        plan.slots.append(slots)

    next_id = max(entity_type) + 1
    all_replaced = sum(len(v) for v in replaced.values())
    wanted_tail = max(all_replaced // 20 + 1, int(n * ENTITIES_PER_ARTICLE) - len(entity_type))
    cap = min(tail_cap(all_replaced / wanted_tail), max(3, n // 100))
    names = TailNames(rng)
    for kind, places in replaced.items():
        ids: list[int] = []
        while len(ids) < len(places):
            count = min(cap, int((1 - rng.random()) ** (-1 / TAIL_ALPHA)))
            plan.new_entities.append((next_id, kind, names.take(kind)))
            ids.extend([next_id] * count)
            next_id += 1
        rng.shuffle(ids)
        for (article, slot), entity_id in zip(places, ids, strict=False):
            if entity_id in plan.slots[article]:  # the same name twice in one article
                plan.new_entities.append((next_id, kind, names.take(kind)))
                entity_id, next_id = next_id, next_id + 1
            plan.slots[article][slot] = entity_id
    return plan


def tail_cap(mean: float) -> int:
    """The largest article count of a long-tail entity that gives this mean count."""
    cap, expected = 1, 1.0
    while expected < mean and cap < 10**6:
        cap += 1
        expected += cap ** (-TAIL_ALPHA)
    return cap


class TailNames:
    """Plausible names for long-tail entities of each type; a repeat gets a number."""

    GIVEN = [
        "Anna", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas",
        "Kofi", "Lena", "Marco", "Nadia", "Omar", "Priya", "Rosa", "Samuel", "Tariq", "Ursula",
        "Victor", "Wei", "Yusuf", "Zara",
    ]  # fmt: skip
    FAMILY = [
        "Adeyemi", "Becker", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad",
        "Ivanova", "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov",
        "Quinn", "Rossi", "Schmidt", "Tanaka", "Umar", "Varga", "Wagner", "Xu", "Yilmaz", "Zhang",
    ]  # fmt: skip
    PLACES = [
        "North", "South", "East", "West", "New", "Upper", "Lower", "Port", "Saint", "Fort",
        "Lake", "Mount",
    ]  # fmt: skip
    ORGS = [
        "Council", "Institute", "Foundation", "Group", "Agency", "Association", "Union", "Party",
        "Bank", "Trust",
    ]  # fmt: skip

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: Counter[tuple[str, str]] = Counter()

    def take(self, kind: str) -> str:
        pick = self.rng.choice
        if kind == "PERSON":
            name = f"{pick(self.GIVEN)} {pick(self.FAMILY)}-{pick(self.FAMILY)}"
        elif kind == "ORG":
            name = f"{pick(self.FAMILY)} {pick(self.ORGS)}"
        else:
            name = f"{pick(self.PLACES)} {pick(self.FAMILY)}"
        self.used[kind, name] += 1
        count = self.used[kind, name]
        return name if count == 1 else f"{name} {count}"


def write_library(plan: Plan, rng: random.Random) -> dict[str, int]:
    """Write the planned articles, mentions, aggregates and entities; return row counts."""
    from django.db import connection, transaction
    from django.utils.text import slugify

    from articles.models import Article
    from articles.nlp.resolve import alias_initials
    from articles.nlp.text import blocking_key, normalise_key

    columns = article_columns()
    postgres = connection.vendor == "postgresql"
    if postgres:
        columns.append("search_vector")
    first_id = (Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    counts = Counter()

    def articles():
        for offset, index in enumerate(plan.choice):
            template = plan.templates[index]
            published = random_date(rng)
            created = published + datetime.timedelta(hours=48 * rng.random())
            row = dict(template.row)
            article_id = first_id + offset
            row.update(
                id=article_id,
                url=f"https://bench.example/{article_id}",
                original_url=f"https://bench.example/{article_id}",
                published_at=None if rng.random() < UNDATED_SHARE else published,
                created_at=created,
                updated_at=created,
                fetched_at=created,
            )
            yield [row[c] for c in columns]

    def mentions():
        for offset, index in enumerate(plan.choice):
            template = plan.templates[index]
            mapping = {
                e[0]: new for e, new in zip(template.entities, plan.slots[offset], strict=False)
            }
            for entity_id, start, end, surface in template.mentions:
                yield (first_id + offset, mapping[entity_id], start, end, surface)

    def entities():
        for entity_id, kind, name in plan.new_entities:
            key = normalise_key(name)
            slug = f"{slugify(name)}-{entity_id}"
            yield (entity_id, kind, name, slug, key, "", 0, False)

    def aliases():
        for entity_id, kind, name in plan.new_entities:
            key = normalise_key(name)
            yield (entity_id, kind, key, name, blocking_key(key), alias_initials(key), "learned")

    with transaction.atomic():
        if postgres:
            # The rows are consistent by construction: skip the deferred foreign-key checks
            # (millions of queued trigger events at COMMIT) for this transaction.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        counts["entities"] = copy_rows(
            "articles_entity",
            ["id", "type", "name", "slug", "key", "wikidata_id", "article_count", "ignored"],
            entities(),
        )
        copy_rows(
            "articles_entityalias",
            ["entity_id", "type", "key", "name", "block", "initials", "source"],
            aliases(),
        )
        counts["articles"] = copy_rows("articles_article", columns, articles())
        dates = dict(Article.objects.filter(pk__gte=first_id).values_list("pk", "sort_date"))
        counts["mentions"] = copy_rows(
            "articles_mention", ["article_id", "entity_id", "start", '"end"', "surface"], mentions()
        )

        def article_entities():
            for offset, index in enumerate(plan.choice):
                article_id = first_id + offset
                template = plan.templates[index]
                for (_, mentions, weight), entity_id in zip(
                    template.entities, plan.slots[offset], strict=True
                ):
                    yield (article_id, entity_id, mentions, weight, dates[article_id])

        counts["article_entities"] = copy_rows(
            "articles_articleentity",
            ["article_id", "entity_id", "mentions", "weight", "article_date"],
            article_entities(),
        )
        recount(postgres)
    return counts


def copy_rows(table: str, columns: list[str], rows) -> int:
    """COPY on PostgreSQL, batched inserts on SQLite; the number of rows."""
    from django.db import connection

    count = 0
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.connection.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == 5000:
                cursor.executemany(insert, batch)
                count += len(batch)
                batch = []
        cursor.executemany(insert, batch)
        return count + len(batch)


def write_stories() -> int:
    """Group the library as the analysis would: articles of one demo text (one title)
    dated within STORY_DAYS of the story's first are copies of one story. Each story's
    lead is its first article by date; the number of stories."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from articles.models import Article, Story

    stories: list[list[tuple[datetime.datetime, int]]] = []
    current: dict[str, list[tuple[datetime.datetime, int]]] = {}
    rows = Article.objects.values_list("title", "sort_date", "pk").order_by("sort_date", "pk")
    for title, date, pk in rows.iterator(chunk_size=10_000):
        story = current.get(title)
        if story is None or date - story[0][0] > datetime.timedelta(days=STORY_DAYS):
            story = current[title] = []
            stories.append(story)
        story.append((date, pk))
    stories = [story for story in stories if len(story) > 1]
    first_id = (Story.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    with transaction.atomic():
        copy_rows(
            "articles_story",
            ["id", "lead_id", "article_count", "first_date", "last_date"],
            (
                (first_id + n, story[0][1], len(story), story[0][0], story[-1][0])
                for n, story in enumerate(stories)
            ),
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE articles_article SET story_id = %s WHERE id = %s",
                [(first_id + n, pk) for n, story in enumerate(stories) for _, pk in story],
            )
            for statement in connection.ops.sequence_reset_sql(no_style(), [Story]):
                cursor.execute(statement)
    return len(stories)


def write_reader(rng: random.Random) -> dict[str, int]:
    """The reader of the logged-in pages: FEEDS feeds that brought FEED_SHARE of the
    articles, FEEDS_SUBSCRIBED of them subscribed to in FOLDERS folders (and some in
    none), READ_SHARE of the articles older than two days read (some saved or hidden), and
    FOLLOWS names followed. Row counts."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from articles.models import Article, Entity, Follow
    from feeds.models import Feed, Folder, Subscription

    with transaction.atomic():
        reader = User.objects.create_user(READER, password=READER_PASSWORD)
        feeds = Feed.objects.bulk_create(
            Feed(
                url=f"https://feeds.bench.example/{n}.xml",
                title=f"Bench feed {n}",
                next_poll_at=END + SPAN,  # never due: nothing polls them
            )
            for n in range(FEEDS)
        )
        folders = Folder.objects.bulk_create(
            Folder(user=reader, name=f"Folder {n}") for n in range(FOLDERS)
        )
        Subscription.objects.bulk_create(
            Subscription(user=reader, feed=feed, folder=rng.choice([*folders, None]))
            for feed in feeds[:FEEDS_SUBSCRIBED]
        )
        items, readings, counts = [], [], Counter()
        recent = END - datetime.timedelta(days=2)
        articles = Article.objects.values_list("pk", "title", "published_at", "created_at")
        for pk, title, published, created in articles.iterator(chunk_size=10_000):
            if rng.random() < FEED_SHARE:
                feed = rng.choice(feeds)
                counts[feed.pk] += 1
                url = f"https://bench.example/{pk}"
                items.append((feed.pk, url, url, pk, title, published, "", False, created))
            if created < recent and rng.random() < READ_SHARE:
                read_at = created + datetime.timedelta(hours=24 * rng.random())
                saved = read_at if rng.random() < SAVED_SHARE / READ_SHARE else None
                hidden = read_at if rng.random() < HIDDEN_SHARE / READ_SHARE else None
                readings.append((reader.pk, pk, read_at, saved, hidden))
        copy_rows(
            "feeds_feeditem",
            ["feed_id", "guid", "url", "article_id", "title", "published_at", "content",
             "content_used", "created_at"],
            items,
        )  # fmt: skip
        for feed in feeds:
            feed.item_count = counts[feed.pk]
        Feed.objects.bulk_update(feeds, ["item_count"])
        copy_rows(
            "articles_reading",
            ["user_id", "article_id", "read_at", "saved_at", "hidden_at"],
            readings,
        )
        followed = Entity.objects.filter(article_count__gt=0).order_by("-article_count")[10:100]
        follows = Follow.objects.bulk_create(
            Follow(user=reader, entity=entity) for entity in rng.sample(list(followed), FOLLOWS)
        )
        Follow.objects.filter(pk__in=[f.pk for f in follows]).update(
            created_at=END - datetime.timedelta(days=60)
        )
    return {"feed_items": len(items), "readings": len(readings), "follows": len(follows)}


def reader_exists() -> bool:
    from django.contrib.auth.models import User

    return User.objects.filter(username=READER).exists()


def recount(postgres: bool) -> None:
    """Every entity's counts, and the per-month counts, from the stored rows in one pass."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    month = (
        "date_trunc('month', ae.article_date)::date"
        if postgres
        else "strftime('%Y-%m-01', ae.article_date)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_entity SET article_count = s.n, first_seen = s.first, "
            "last_seen = s.last FROM (SELECT entity_id, count(*) AS n, "
            "min(article_date) AS first, max(article_date) AS last "
            "FROM articles_articleentity GROUP BY entity_id) AS s "
            "WHERE s.entity_id = articles_entity.id"
        )
        if "articles_entitymonth" in connection.introspection.table_names():
            cursor.execute("DELETE FROM articles_entitymonth")
            cursor.execute(
                "INSERT INTO articles_entitymonth (entity_id, month, articles) "
                f"SELECT ae.entity_id, {month}, count(*) FROM articles_articleentity ae "
                "JOIN articles_article a ON a.id = ae.article_id "
                "WHERE a.published_at IS NOT NULL GROUP BY 1, 2"
            )
        models = list(apps.get_app_config("articles").get_models())
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def vacuum(database_url: str) -> None:
    """Fresh statistics (and, on PostgreSQL, a visibility map for index-only scans)."""
    if database_url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            db.execute("ANALYZE")
        return
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def build(database_url: str, n: int, seed: int) -> dict:
    from django.core.management import call_command

    rng = random.Random(seed)
    timings = {}
    started = time.perf_counter()
    reset_database(database_url)
    call_command("migrate", verbosity=0)
    timings["migrate_s"] = time.perf_counter() - started
    mark = time.perf_counter()
    ids = store_templates(rng)
    timings["demo_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    templates = read_templates(ids)
    plan = plan_library(templates, max(0, n - len(ids)), rng)
    timings["plan_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    counts = write_library(plan, rng)
    counts["stories"] = write_stories()
    counts.update(write_reader(rng))
    timings["write_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    vacuum(database_url)
    timings["vacuum_s"] = time.perf_counter() - mark
    timings["total_s"] = time.perf_counter() - started
    return {"rows": dict(counts), "timings": timings}


def describe(database_url: str) -> dict:
    """What the library holds: the figures issue 10 describes it by."""
    from articles.models import Article, ArticleEntity, Entity, Mention

    articles = Article.objects.count()
    entities = Entity.objects.filter(article_count__gt=0)
    top = entities.order_by("-article_count").first()
    return {
        "articles": articles,
        "entities": entities.count(),
        "mentions": Mention.objects.count(),
        "article_entities": ArticleEntity.objects.count(),
        "top_entity": f"{top.name} in {100 * top.article_count / articles:.0f}% of articles",
        "entities_in_at_most_3": round(
            entities.filter(article_count__lte=3).count() / max(entities.count(), 1), 2
        ),
    }


# Measuring ---------------------------------------------------------------------------------


def ingest_ms_per_article(count: int = 40) -> tuple[float, float]:
    """Database work of storing one analysed article in this library: ingest, entity
    resolution against the catalog, mentions, aggregates and counters (the analysis itself
    is the cached one); wall time and CPU time (this process and its PostgreSQL backend).
    Rolled back afterwards, so the library stays as built; the commit is left out."""
    from django.db import connection, transaction

    from articles import services

    sample = analysed_demo()[:count]
    backend = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = [cursor.fetchone()[0]]
    with transaction.atomic():
        started, cpu, ticks = time.perf_counter(), time.process_time(), process_ticks(backend)
        for number, (row, found) in enumerate(sample):
            article, _ = services.article_ingest_document(
                url=f"https://bench.example/ingest/{number}",
                text=row["text"],
                title=row["title"],
                published_at=END,
            )
            services.article_store_mentions(article=article, found=found)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu
        cpu += (process_ticks(backend) - ticks) / os.sysconf("SC_CLK_TCK")
        transaction.set_rollback(True)
    return elapsed * 1000 / len(sample), cpu * 1000 / len(sample)


def process_ticks(pids: list[int]) -> int:
    """User and system CPU ticks of these processes (/proc)."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks


@dataclass
class Page:
    name: str
    path: str
    reader: bool = False  # requested as the logged-in READER


def pages(rows_per_page: int = 20) -> list[Page]:
    """The pages of issue 10, on this library."""
    from django.contrib.auth.models import User
    from django.db.models import Count

    from articles.models import Article, ArticleEntity, Entity
    from articles.pagination import Cursor
    from feeds.models import Folder, Subscription

    done = Article.objects.filter(status="done", duplicate_of=None)
    top = Entity.objects.order_by("-article_count").first()
    near_300 = min(
        Entity.objects.filter(article_count__gte=150, article_count__lte=600)
        .exclude(pk=top.pk)
        .only("article_count", "type", "slug"),
        key=lambda e: abs(e.article_count - 300),
        default=top,
    )
    article = (
        done.filter(pk__in=ArticleEntity.objects.filter(entity=top).values("article_id"))
        .annotate(names=Count("article_entities"))
        .filter(names__gte=10, names__lte=16)
        .order_by("-id")
        .first()
    )
    person = Entity.objects.filter(type="PERSON").order_by("-article_count").first()
    common, uncommon = search_words(done)
    letters = name_start(Entity.objects.filter(type="PERSON", article_count__gt=0))
    # Deep pages as a reader reaches them: following "older" links, whose cursor carries
    # the sort key of the last article seen (here read straight from the database).
    deep_home = min(2000, done.count() // rows_per_page // 2)
    home_cursor = Cursor(
        *done.order_by("-sort_date", "-id").values_list("sort_date", "id")[
            deep_home * rows_per_page - 1
        ]
    )
    deep_entity = min(200, top.article_count // rows_per_page // 2)
    entity_cursor = Cursor(
        *ArticleEntity.objects.filter(entity=top)
        .order_by("-article_date", "-article_id")
        .values_list("article_date", "article_id")[deep_entity * rows_per_page - 1]
    )
    reader = User.objects.get(username=READER)
    feed = Subscription.objects.filter(user=reader).order_by("-feed__item_count").first()
    folder = Folder.objects.filter(user=reader).first()
    return [
        Page("home, page 1", "/"),
        Page(f"home, page {deep_home + 1}", f"/?after={home_cursor}"),
        Page("article + related coverage", article.get_absolute_url()),
        Page(
            f"entity in {100 * top.article_count / done.count():.0f}% of articles",
            top.get_absolute_url(),
        ),
        Page(
            f"same entity, page {deep_entity + 1}",
            f"{top.get_absolute_url()}?after={entity_cursor}",
        ),
        Page(f"entity in {near_300.article_count} articles", near_300.get_absolute_url()),
        Page("names list", "/entities/"),
        Page(f"search, a word in {common[1]:.0%} of articles", f"/search/?q={common[0]}"),
        Page("search, an uncommon word", f"/search/?q={uncommon}"),
        Page("search, a person's name", "/search/?q=" + urllib.parse.quote(person.name)),
        Page(f'name suggestions, "{letters}"', f"/search/?q={letters}"),
        Page("reader: home (Unread)", "/", reader=True),
        Page("reader: All", "/?view=all", reader=True),
        Page("reader: Saved", "/?view=saved", reader=True),
        Page("reader: Following", "/?view=following", reader=True),
        Page(
            f"reader: a feed of {feed.feed.item_count} articles", f"/?feed={feed.pk}", reader=True
        ),
        Page("reader: a folder", f"/?folder={folder.pk}", reader=True),
        Page("reader: feeds page", "/feeds/", reader=True),
        Page("reader: feeds sidebar", "/feeds/sidebar/", reader=True),
        Page("reader: article (marked read)", article.get_absolute_url(), reader=True),
    ]


def name_start(people) -> str:
    """The four letters that most people's family names start with (in a sample): the
    name suggestions' hardest case, many aliases to rank (and a search for no word)."""
    names = people.order_by("-article_count").values_list("name", flat=True)[:5000]
    starts = Counter(name.split()[-1][:4].lower() for name in names if len(name.split()) > 1)
    return next((start for start, _ in starts.most_common() if start.isalpha()), "john")


def search_words(articles) -> tuple[tuple[str, float], str]:
    """A word in about 77% of the articles, and one in very few (from a sample of texts)."""
    sample = list(articles.order_by("?").values_list("text", flat=True)[:400])
    frequency: Counter[str] = Counter()
    for text in sample:
        frequency.update(set(re.findall(r"[a-z]{5,}", text.lower())))
    share = {w: c / len(sample) for w, c in frequency.items()}
    common = min(share.items(), key=lambda item: abs(item[1] - 0.77))
    uncommon = min((w for w, c in frequency.items() if c == 1 and len(w) >= 8), default="zeppelin")
    return common, uncommon


def start_web(scratch: Scratch, workers: int, threads: int) -> str:
    port = free_port()
    scratch.start(
        "web",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "newsreader.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--timeout=120",
        ],
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/login/", timeout=5).read()
            return base
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not start:\n{scratch.log('web')[-3000:]}")


def reader_cookie(base: str) -> str:
    """The READER's session cookie, from logging in through the login form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/login/", timeout=30).read()
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = {"username": READER, "password": READER_PASSWORD, "csrfmiddlewaretoken": csrf}
    opener.open(f"{base}/login/", urllib.parse.urlencode(form).encode(), timeout=30).read()
    session = next((cookie.value for cookie in jar if cookie.name == "sessionid"), None)
    if session is None:
        raise RuntimeError("the bench reader could not log in")
    return f"sessionid={session}"


def timed_get(url: str, cookie: str = "") -> float:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
    return (time.perf_counter() - started) * 1000


class ServerCPU:
    """CPU time of the processes serving the pages: gunicorn's workers and, on PostgreSQL,
    the backends of the bench's database. Unlike latency, it does not grow with the load
    other programs put on the machine."""

    def __init__(self, master_pid: int, database_url: str) -> None:
        self.master_pid = master_pid
        self.database_url = database_url

    def pids(self) -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.master_pid:
                pids.append(int(stat.parent.name))
        if self.database_url.startswith("postgres"):
            import psycopg

            name = urllib.parse.urlsplit(self.database_url).path.lstrip("/")
            with psycopg.connect(self.database_url) as db:
                pids += [
                    pid
                    for (pid,) in db.execute(
                        # Parallel workers come and go: their time is not counted.
                        "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                        "AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                        [name],
                    )
                ]
        return pids

    def per_request_ms(self, url: str, requests: int, cookie: str = "") -> float:
        pids = self.pids()
        before = {pid: process_ticks([pid]) for pid in pids}
        for _ in range(requests):
            timed_get(url, cookie)
        alive = [pid for pid in pids if Path(f"/proc/{pid}").exists()]
        spent = sum(process_ticks([pid]) - before[pid] for pid in alive)
        return spent / os.sysconf("SC_CLK_TCK") * 1000 / requests


def measure(base: str, page: Page, clients: int, requests: int, cookie: str) -> dict:
    """Each client requests the page (with ``cookie``) then /login/, ``requests`` times;
    the percentiles."""
    for _ in range(3):  # warm the worker processes and the database's caches
        timed_get(base + page.path, cookie)
    times: list[float] = []
    baseline: list[float] = []
    lock = threading.Lock()

    def client() -> None:
        for _ in range(requests):
            page_ms = timed_get(base + page.path, cookie)
            login_ms = timed_get(base + "/login/")
            with lock:
                times.append(page_ms)
                baseline.append(login_ms)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "page": page.name,
        "clients": clients,
        "p50_ms": round(percentile(times, 0.5), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "p99_ms": round(percentile(times, 0.99), 1),
        "baseline_p50_ms": round(percentile(baseline, 0.5), 1),
    }


def serve_and_measure(args: argparse.Namespace, targets: list[Page]) -> list[dict]:
    directory = Path(tempfile.mkdtemp(prefix="newsreader-scale-"))
    scratch = Scratch(directory, args.database_url, None, None)
    scratch.env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG"}},
        "DATABASE_URL": args.database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-scale-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "CONN_MAX_AGE": "60",
        "NEWSREADER_VAR_DIR": str(directory / "var"),
        "LOG_LEVEL": "WARNING",
    }
    results = []
    try:
        base = start_web(scratch, args.web_workers, args.web_threads)
        cpu = ServerCPU(scratch.processes[0][1].pid, args.database_url)
        session = reader_cookie(base)
        for clients in args.clients:
            for page in targets:
                cookie = session if page.reader else ""
                result = measure(base, page, clients, max(1, args.requests // clients), cookie)
                if clients == 1:
                    result["server_cpu_ms"] = round(
                        cpu.per_request_ms(base + page.path, 30, cookie), 1
                    )
                    result["baseline_cpu_ms"] = round(cpu.per_request_ms(base + "/login/", 30), 1)
                results.append(result)
                log(
                    f"  {clients} client(s)  {page.name:<36} p50 {result['p50_ms']:7.1f}  "
                    f"p95 {result['p95_ms']:7.1f}  (login {result['baseline_p50_ms']:.1f})"
                )
    finally:
        scratch.stop_all()
    return results


def print_table(summary: dict, results: list[dict]) -> None:
    print(
        f"\n{summary['articles']:,} articles, {summary['entities']:,} entities, "
        f"{summary['mentions']:,} mentions on {summary['database']}; "
        f"{summary['top_entity']}; {summary['entities_in_at_most_3']:.0%} of entities in at "
        f"most 3 articles"
    )
    if "build" in summary:
        timings = summary["build"]["timings"]
        print("built in " + ", ".join(f"{k[:-2]} {v:.1f} s" for k, v in timings.items()))
    print(f"load average before/after: {summary['load_before']} / {summary['load_after']}")
    for size, ms in summary["ingest_ms_per_article"].items():
        cpu = summary["ingest_cpu_ms_per_article"][size]
        print(
            f"database work per article stored, at {int(size):,} articles: {ms:.1f} ms "
            f"({cpu:.1f} ms CPU, app and database)"
        )
    for clients in sorted({r["clients"] for r in results}):
        print(
            f"\n{clients} client(s)                              p50 ms  p95 ms  p99 ms  "
            "/login/ p50" + ("  server CPU ms (/login/)" if clients == 1 else "")
        )
        for r in results:
            if r["clients"] == clients:
                cpu = (
                    f"  {r['server_cpu_ms']:7.1f} ({r['baseline_cpu_ms']:.1f})"
                    if "server_cpu_ms" in r
                    else ""
                )
                print(
                    f"{r['page']:<38} {r['p50_ms']:7.1f} {r['p95_ms']:7.1f} {r['p99_ms']:7.1f} "
                    f"{r['baseline_p50_ms']:10.1f}{cpu}"
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        required=True,
        help="postgres://.../<a database of its own: it is emptied> or sqlite:///<file>",
    )
    parser.add_argument("--articles", type=int, help="default 100,000 (10,000 on SQLite)")
    parser.add_argument("--reuse", action="store_true", help="measure the library already built")
    parser.add_argument("--requests", type=int, default=100, help="requests per page and run")
    parser.add_argument("--clients", type=lambda s: [int(c) for c in s.split(",")], default=[1, 4])
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--web-threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    sqlite = args.database_url.startswith("sqlite:///")
    n = args.articles or (10_000 if sqlite else 100_000)

    setup_django(args.database_url)
    summary: dict = {"load_before": [round(x, 1) for x in os.getloadavg()]}
    if not args.reuse:
        summary["build"] = build(args.database_url, n, args.seed)
        log(f"built: {summary['build']}")
    elif not reader_exists():  # a library built before the reader was part of it
        log(f"added the reader: {write_reader(random.Random(args.seed))}")
        vacuum(args.database_url)
    summary.update(describe(args.database_url), database="sqlite" if sqlite else "postgresql")
    wall, cpu = ingest_ms_per_article()
    summary["ingest_ms_per_article"] = {str(summary["articles"]): round(wall, 1)}
    summary["ingest_cpu_ms_per_article"] = {str(summary["articles"]): round(cpu, 1)}
    results = [] if args.build_only else serve_and_measure(args, pages())
    summary["load_after"] = [round(x, 1) for x in os.getloadavg()]
    if args.json:
        # Issue 10's object; keys of figures this bench does not measure are left out.
        library = {k: summary[k] for k in ("entities", "mentions", "article_entities")}
        print(
            json.dumps(
                {
                    "articles": summary["articles"],
                    "database": summary["database"],
                    "pages": results,
                    "ingest_ms_per_article": summary["ingest_ms_per_article"],
                    "ingest_cpu_ms_per_article": summary["ingest_cpu_ms_per_article"],
                    "library": library,
                    "load_average": [summary["load_before"], summary["load_after"]],
                    **({"build_s": summary["build"]["timings"]} if "build" in summary else {}),
                }
            )
        )
    else:
        print_table(summary, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
