"""Search by words (articles) and by names (entities).

One selector for both databases: SQLite's FTS5 index (migration 0007) on the embedded
default, PostgreSQL's search_vector column on deployments. Each search ranks at most
SEARCH_RANK_WINDOW matches (the newest added) and counts at most SEARCH_COUNT_MAX; where
PostgreSQL's planner expects far more (a common word: counting would detoast a tsvector
per match), its estimate is shown instead, and where it expects well over the bound,
"more than" the bound without counting. The cost is bounded, never grows with how many
articles hold a word."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import (
    Greatest,
    Substr,
)
from django.db.models.lookups import Lookup

from articles.models import (
    Article,
    ArticleEntity,
    Entity,
    EntityAlias,
)
from articles.nlp.text import normalise_key
from articles.search_query import (
    MARK_END,
    MARK_START,
    ParsedQuery,
    SnippetPart,
    parse_query,
    split_marked,
)
from articles.selectors.reading import ARTICLES_PER_PAGE, attach_top_entities

SEARCH_RANK_WINDOW = 100
SEARCH_COUNT_MAX = 1000
SEARCH_ESTIMATE_ABOVE = 10 * SEARCH_COUNT_MAX
# Past this estimate there are more matches than SEARCH_COUNT_MAX, uncounted (8 ms for a
# name in 20% of 100,000 articles): the planner's estimate is close for one word, and low,
# not high, for words that go together, like a name's.
SEARCH_MORE_ABOVE = 2 * SEARCH_COUNT_MAX
# PostgreSQL's snippet: ts_headline parses all it is given (0.5 ms for 4,000 characters),
# so it gets SEARCH_SNIPPET_SOURCE_CHARS of the text from a little before the first word
# starting as a query word's stem, looked for in the first SEARCH_SNIPPET_SCAN_CHARS;
# the lead when there is none there.
SEARCH_SNIPPET_SCAN_CHARS = 20_000
SEARCH_SNIPPET_BEFORE_CHARS = 150
SEARCH_SNIPPET_SOURCE_CHARS = 600
SEARCH_SNIPPET_WORDS = 3  # the query words whose first place is looked for
# bm25 weight of the title against the text's 1.0 (PostgreSQL: weight A against B).
SEARCH_TITLE_WEIGHT = 4.0
SEARCH_SORTS = ("relevance", "date")
_FTS_MATCH = "SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s"


@dataclass(frozen=True)
class SearchFilters:
    """Narrow a search: a date range (inclusive), a source's site name, entities by id."""

    since: datetime.date | None = None
    until: datetime.date | None = None
    source: str = ""
    entity_ids: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        """True when anything narrows the search."""
        return self != SearchFilters()


@dataclass(frozen=True)
class SearchHit:
    article: Article
    title: list[SnippetPart]
    snippet: list[SnippetPart]


@dataclass(frozen=True)
class SearchResults:
    page: Page  # of SearchHit
    count: int  # matching articles
    # "exact"; "about" (PostgreSQL's estimate, rounded); "more" (more than count match).
    count_kind: str = "exact"


def article_search(
    *,
    query: str,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int | str = 1,
) -> SearchResults:
    """Finished articles holding the query's words (stemmed), phrases, and none of its
    -exclusions; best first (or newest first with ``sort="date"``), with a count and
    snippets whose matched words are marked (``search_query.split_marked``).
    """
    parsed = parse_query(query)
    if parsed.is_empty:
        return SearchResults(Paginator([], ARTICLES_PER_PAGE).get_page(1), 0, False)
    matches = _search_matches(parsed, filters if filters is not None else SearchFilters())
    window = matches.order_by("-created_at", "-pk")[:SEARCH_RANK_WINDOW]
    if sort == "date":
        rows = window.values_list("pk", "published_at", "created_at")
        ordered = [pk for pk, published, created in sorted(rows, key=_newest_first)]
    else:
        ordered = _search_rank(parsed, window)
    paginated = Paginator(ordered, ARTICLES_PER_PAGE).get_page(page)
    paginated.object_list = _search_hits(parsed, list(paginated.object_list))
    if len(ordered) < SEARCH_RANK_WINDOW:
        return SearchResults(paginated, len(ordered))
    if settings.IS_POSTGRES:
        estimate = _estimated_count(matches)
        if estimate > SEARCH_ESTIMATE_ABOVE:
            return SearchResults(paginated, estimate, "about")
        if estimate > SEARCH_MORE_ABOVE:
            return SearchResults(paginated, SEARCH_COUNT_MAX, "more")
    count = matches.order_by().values("pk")[: SEARCH_COUNT_MAX + 1].count()
    if count > SEARCH_COUNT_MAX:
        return SearchResults(paginated, SEARCH_COUNT_MAX, "more")
    return SearchResults(paginated, count)


def _estimated_count(matches: QuerySet[Article]) -> int:
    """The planner's estimate of the matches, to two significant figures. Good for one
    common word (from the column's statistics), low for words that go together."""
    sql, params = matches.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        estimate = int(cursor.fetchone()[0][0]["Plan"]["Plan Rows"])
    return round(estimate, 2 - len(str(estimate)))


def _newest_first(row: tuple) -> tuple:
    pk, published, created = row
    return (-(published or created).timestamp(), -pk)


def _search_matches(parsed: ParsedQuery, filters: SearchFilters) -> QuerySet[Article]:
    articles = Article.objects.filter(status=Article.Status.DONE, duplicate_of=None)
    if settings.IS_POSTGRES:
        articles = articles.filter(search_vector=_tsquery(parsed))
    else:
        articles = articles.filter(pk__in=RawSQL(_FTS_MATCH, [parsed.fts5()]))
    if filters.since:
        since = datetime.datetime.combine(filters.since, datetime.time(), tzinfo=datetime.UTC)
        articles = articles.filter(
            Q(published_at__gte=since) | Q(published_at=None, created_at__gte=since)
        )
    if filters.until:
        until = datetime.datetime.combine(
            filters.until + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC
        )
        articles = articles.filter(
            Q(published_at__lt=until) | Q(published_at=None, created_at__lt=until)
        )
    if filters.source:
        articles = articles.filter(site_name=filters.source)
    for entity_id in filters.entity_ids:
        articles = articles.filter(
            Exists(ArticleEntity.objects.filter(article=OuterRef("pk"), entity_id=entity_id))
        )
    return articles


def _tsquery(parsed: ParsedQuery) -> SearchQuery:
    return SearchQuery(parsed.websearch(), search_type="websearch", config="english")


def _search_rank(parsed: ParsedQuery, window: QuerySet[Article]) -> list[int]:
    """The ids of the window's articles, most relevant first."""
    if settings.IS_POSTGRES:
        scores = Article.objects.filter(pk__in=window.values("pk")).annotate(
            # Normalisation 1: divide by 1 + log(length), so long texts do not win by size.
            score=SearchRank(F("search_vector"), _tsquery(parsed), normalization=Value(1))
        )
        rows = list(scores.values_list("pk", "score"))
    else:
        # bm25 is lower for better matches.
        score = f"-bm25(articles_article_fts, {SEARCH_TITLE_WEIGHT}, 1.0)"
        rows = _fts_rows(score, [], parsed, list(window.values_list("pk", flat=True)))
    return [pk for pk, score in sorted(rows, key=lambda row: (-row[1], -row[0]))]


def _search_hits(parsed: ParsedQuery, ids: list[int]) -> list[SearchHit]:
    """The page's articles with their marked title and snippet, in the order given."""
    if not ids:
        return []
    articles = Article.objects.filter(pk__in=ids).only(
        "pk", "url", "title", "site_name", "published_at", "created_at"
    )
    if settings.IS_POSTGRES:
        search = _tsquery(parsed)
        marks = {"start_sel": MARK_START, "stop_sel": MARK_END, "config": "english"}
        articles = articles.annotate(
            title_marked=SearchHeadline("title", search, highlight_all=True, **marks),
            snippet_marked=SearchHeadline(
                Substr("text", _snippet_start(parsed), SEARCH_SNIPPET_SOURCE_CHARS),
                search,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
                **marks,
            ),
        )
        found = {article.pk: article for article in articles}
        marked = {pk: (a.title_marked, a.snippet_marked) for pk, a in found.items()}
    else:
        found = {article.pk: article for article in articles}
        columns = (
            "highlight(articles_article_fts, 0, %s, %s), "
            "snippet(articles_article_fts, 1, %s, %s, '…', 32)"
        )
        rows = _fts_rows(columns, [MARK_START, MARK_END] * 2, parsed, ids)
        marked = {pk: (title, snippet) for pk, title, snippet in rows}
    attach_top_entities(list(found.values()))
    hits = []
    for pk in ids:
        title, snippet = marked.get(pk, ("", ""))
        hits.append(SearchHit(found[pk], split_marked(title or ""), split_marked(snippet or "")))
    return hits


def _fts_rows(columns: str, params: list, parsed: ParsedQuery, ids: list[int]) -> list[tuple]:
    """(rowid, *columns) of the FTS5 rows of these articles that match the query (SQLite).

    FTS5 runs its query again for each rowid of an IN list (100 of them: 143 ms for a
    name in 23% of 10,000 articles), so it is given the ids' range, one pass over the
    matches, and the list is checked outside it (``+rowid``): the columns are computed
    only for the rows asked for (3 ms).
    """
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, {columns} FROM articles_article_fts "
            "WHERE articles_article_fts MATCH %s AND rowid BETWEEN %s AND %s "
            f"AND +rowid IN ({', '.join(['%s'] * len(ids))})",
            [*params, parsed.fts5(), min(ids), max(ids), *ids],
        )
        return cursor.fetchall()


def _snippet_start(parsed: ParsedQuery) -> Func:
    """Where the snippet's window starts (PostgreSQL): a little before the first word, in
    the text's first SEARCH_SNIPPET_SCAN_CHARS, that starts as the stem of one of the
    query's first words ("job" in "Jobs", not in "blowjob"), else at the start."""
    words = [word for term in parsed.included for word in term.words][:SEARCH_SNIPPET_WORDS]
    # One pattern, \m(stem|stem...): the words are letters and digits only (parse_query),
    # no pattern syntax; a stop word has no stem and drops out.
    stems = ", ".join(["(ts_lexize('english_stem'::regdictionary, %s))[1]"] * len(words))
    first_word = RawSQL(
        "regexp_instr(left(articles_article.text, %s), '\\m(' || array_to_string(ARRAY["
        + stems
        + "], '|') || ')', 1, 1, 0, 'i')",
        [SEARCH_SNIPPET_SCAN_CHARS, *words],
        output_field=IntegerField(),
    )
    return Greatest(first_word - Value(SEARCH_SNIPPET_BEFORE_CHARS), Value(1))


@dataclass(frozen=True)
class NameMatch:
    entity: Entity
    # The other spelling the query matched ("UK" for United Kingdom); empty for the name.
    spelling: str = ""


def entity_search(*, query: str, limit: int = 10) -> list[NameMatch]:
    """Entities with a spelling that has a word starting with the query: "xi" finds
    Xi Jinping, not Maximo; "UK" finds United Kingdom through its alias. Most covered
    first, each once, with the spelling that matched when it is not the name."""
    key = normalise_key(
        " ".join(word for term in parse_query(query).included for word in term.words)
    )
    if len(key) < 2:
        return []
    spelled = Q(key__startswith=key) | Q(key__contains=f" {key}")
    if not settings.IS_POSTGRES:
        # SQLite's planner, told that few aliases match, reads the aliases first rather
        # than every entity by coverage (14,000 index probes at 10,000 articles for a
        # full name). PostgreSQL finds them by a trigram index.
        spelled = _Rarely(ExpressionWrapper(spelled, output_field=BooleanField()), 0.001)
    aliases = (
        EntityAlias.objects.filter(entity__ignored=False, entity__article_count__gt=0)
        .filter(spelled)
        .select_related("entity")
        # What ranking and a chip read: no dates to convert for 50 rows.
        .only(
            "entity_id",
            "key",
            "name",
            "entity__type",
            "entity__name",
            "entity__slug",
            "entity__key",
        )
        .order_by("-entity__article_count", "entity__name", "key")[: limit * 5]
    )
    best: dict[int, EntityAlias] = {}
    for alias in aliases:
        held = best.get(alias.entity_id)
        if held is None or _spelling_rank(alias, key) < _spelling_rank(held, key):
            best[alias.entity_id] = alias
    matches = []
    for alias in list(best.values())[:limit]:
        entity = alias.entity
        if alias.key == normalise_key(entity.name):
            spelling = ""
        elif alias.name == alias.key == key:
            # Known only from the knowledge base, never seen written: as the reader wrote it.
            spelling = " ".join(query.split())
        else:
            spelling = alias.name
        matches.append(NameMatch(entity, spelling))
    return matches


class _Rarely(Lookup):
    """A condition with its likelihood for SQLite's planner: ``likelihood(X, p)``, p a
    constant of the code (SQLite takes no parameter there)."""

    prepare_rhs = False

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        sql, params = compiler.compile(self.lhs)
        return f"likelihood({sql}, {float(self.rhs)})", params


def _spelling_rank(alias: EntityAlias, key: str) -> tuple[int, int]:
    """Which of an entity's matching spellings to show: the whole key, then its start,
    then the entity's own name."""
    return (
        0 if alias.key == key else 1 if alias.key.startswith(key) else 2,
        0 if alias.key == alias.entity.key else 1,
    )
