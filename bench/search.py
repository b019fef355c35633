"""Search at library scale: the search selectors against the previous way, in one process.

    DATABASE_URL=postgres://.../<a database of its own> DEBUG=1 .venv/bin/python bench/search.py
    ... bench/search.py --replicate 100000   # first copy the library's articles up to N
    ... bench/search.py --queries year wixom "Barack Obama"

Runs on the library the database holds. ``--replicate N`` (PostgreSQL) first copies its
finished articles, with their search vectors and entities, until it holds N, spread
over the three years before 2026-11 (``make demo`` then ``--replicate 100000`` gives
the figures in the README). For each query, times ``article_search`` (first page, count,
snippets) plus ``entity_search``, and the previous search: every match ranked on
PostgreSQL (``icontains`` per word on SQLite) with an exact count. Prints p50/p95 in ms
and the ratio previous / now. Default queries: a word in ~60% of the demo texts, one in
two of them, and the person named in the most articles.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.postgres.search import SearchQuery, SearchRank  # noqa: E402
from django.db.models import F, Q  # noqa: E402
from ingest_load import percentile  # noqa: E402

from articles import selectors  # noqa: E402
from articles.models import Article, Entity, EntityType  # noqa: E402


def previous_search(query: str) -> None:
    """The search before FTS: what the selector did until this change."""
    articles = Article.objects.filter(status=Article.Status.DONE, duplicate_of=None)
    if settings.IS_POSTGRES:
        search = SearchQuery(query, search_type="websearch", config="english")
        articles = (
            articles.filter(search_vector=search)
            .annotate(rank=SearchRank(F("search_vector"), search))
            .order_by("-rank", "-created_at")
        )
    else:
        for word in query.split():
            articles = articles.filter(Q(title__icontains=word) | Q(text__icontains=word))
    list(articles.only("pk", "title")[: selectors.ARTICLES_PER_PAGE])
    articles.count()


def current_search(query: str) -> selectors.SearchResults:
    results = selectors.article_search(query=query)
    selectors.entity_search(query=query)
    return results


def timed(function, query: str, runs: int) -> list[float]:
    function(query)  # warm the caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function(query)
        times.append((time.perf_counter() - started) * 1000)
    return times


REPLICATE_SQL = """
INSERT INTO articles_article (url, original_url, canonical_url, title, byline, site_name,
    image_url, published_at, fetched_at, language, text, word_count, status, error,
    search_vector, created_at, updated_at, claimed_by, teaser_only)
SELECT 'https://bench.example/' || copy || '/' || a.id, '', '', a.title, a.byline,
    a.site_name, a.image_url, timestamptz '2026-11-01' - random() * interval '1095 days',
    now(), a.language, a.text, a.word_count, a.status, '', a.search_vector,
    timestamptz '2024-01-01' + (copy * %(per_copy)s + a.id) * interval '10 minutes', now(), '',
    a.teaser_only
FROM generate_series(1, %(copies)s) copy
CROSS JOIN (SELECT * FROM articles_article WHERE status = 'done' AND duplicate_of_id IS NULL
            AND url NOT LIKE 'https://bench.example/%%') a
ORDER BY copy, a.id;
INSERT INTO articles_articleentity (article_id, entity_id, mentions, weight, article_date)
SELECT n.id, ae.entity_id, ae.mentions, ae.weight, coalesce(n.published_at, n.created_at)
FROM articles_article n JOIN articles_articleentity ae
    ON ae.article_id = split_part(n.url, '/', 5)::int
WHERE n.url LIKE 'https://bench.example/%%';
UPDATE articles_entity e SET article_count = c.n
FROM (SELECT entity_id, count(*) n FROM articles_articleentity GROUP BY entity_id) c
WHERE c.entity_id = e.id;
"""


def replicate(total: int) -> None:
    """Copy the finished articles (and their entities) until the library holds ``total``."""
    from django.db import connection, transaction

    originals = Article.objects.filter(status=Article.Status.DONE, duplicate_of=None).count()
    copies = max(total // max(originals, 1) - 1, 0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(REPLICATE_SQL, {"copies": copies, "per_copy": originals})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE articles_article")
        cursor.execute("VACUUM ANALYZE articles_articleentity")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", nargs="+")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--replicate", type=int, metavar="N", help="PostgreSQL only")
    args = parser.parse_args()
    if args.replicate:
        if not settings.IS_POSTGRES:
            parser.error("--replicate needs PostgreSQL")
        replicate(args.replicate)
    person = (
        Entity.objects.filter(type=EntityType.PERSON, ignored=False)
        .order_by("-article_count")
        .values_list("name", flat=True)
        .first()
    )
    queries = args.queries or ["year", "wixom", *([person] if person else [])]
    database = "PostgreSQL" if settings.IS_POSTGRES else "SQLite"
    print(f"{Article.objects.count():,} articles on {database}, {args.runs} runs per query")
    print(f"{'query':<22} {'count':>14} {'now p50/p95':>16} {'before p50/p95':>18} {'ratio':>6}")
    for query in queries:
        results = current_search(query)
        now = timed(current_search, query, args.runs)
        before = timed(previous_search, query, max(args.runs // 3, 3))
        count = f"{results.count_kind} {results.count:,}"
        print(
            f"{query[:22]:<22} {count:>14} "
            f"{percentile(now, 0.5):7.1f}/{percentile(now, 0.95):7.1f} "
            f"{percentile(before, 0.5):8.1f}/{percentile(before, 0.95):8.1f} "
            f"{percentile(before, 0.5) / percentile(now, 0.5):6.1f}"
        )
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
