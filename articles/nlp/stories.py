"""Same-event reports: two articles about one event that are not copies of each other
(another outlet's own report, a rewrite). No database is needed here.

Two reports are of the same event when they are dated within SAME_EVENT_DAYS of each
other, share a name that is salient in one of them (central to the article) and not
common in the library, and their content words overlap: the cosine similarity of the
sets of words left after dropping stop words is at least SAME_EVENT_SIMILARITY.
Different events on the same company share its name and the vocabulary of its trade, but
few of the numbers, places and people that make an event; bench/stories.py measures the
threshold on a labelled set (rewrites of demo articles against the demo's other articles
on the same companies).
"""

from __future__ import annotations

import datetime
import math
import re
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

SAME_EVENT_DAYS = 3
SAME_EVENT_SIMILARITY = 0.3
# A name is salient in an article when its weight (its mentions' share of the article's
# most mentioned name's, plus TITLE_WEIGHT_BONUS when the title names it) reaches this.
SALIENT_WEIGHT = 0.5
TITLE_WEIGHT_BONUS = 0.5
# A name in more than this share of the library (and more than the floor's articles, so a
# small library still groups) is common: it finds no candidate. At 0.1 (related
# coverage's share) the demo's General Motors was common and its reports went unfound
# (bench/stories.py, half A); the United States, in a third of a news library, still is.
COMMON_SHARE = 0.2
COMMON_FLOOR = 5
# Fewer distinct content words than this is too short to tell one event from another:
# two briefs naming the same company share a large part of very little.
MIN_CONTENT_WORDS = 20

_WORD = re.compile(r"[^\W_]+")
_STOP_WORDS = frozenset(STOP_WORDS)


def name_weights(
    counts: Mapping[Hashable, int], in_title: Collection[Hashable]
) -> dict[Hashable, float]:
    """Each name's salience in one article: its mentions over the most mentioned name's,
    plus TITLE_WEIGHT_BONUS when the title names it (``ArticleEntity.weight``)."""
    top = max(counts.values(), default=1)
    return {
        name: count / top + (TITLE_WEIGHT_BONUS if name in in_title else 0.0)
        for name, count in counts.items()
    }


def common_above(library_size: int) -> float:
    """Names in more articles than this are common in a library of that size."""
    return max(COMMON_FLOOR, COMMON_SHARE * library_size)


def uncommon_names(
    weights: Mapping[Hashable, float], article_counts: Mapping[Hashable, int], library_size: int
) -> set[Hashable]:
    """The article's names that may find candidates: those not common in the library."""
    limit = common_above(library_size)
    return {name for name in weights if article_counts.get(name, 0) <= limit}


def content_words(text: str) -> frozenset[str]:
    """The text's words, casefolded, without stop words: what a report says, not how.
    Empty for a text of fewer than MIN_CONTENT_WORDS: it is of no event's story."""
    words = frozenset(word for word in _WORD.findall(text.casefold()) if word not in _STOP_WORDS)
    return words if len(words) >= MIN_CONTENT_WORDS else frozenset()


def similarity(words: frozenset[str], other: frozenset[str]) -> float:
    """Cosine similarity of two texts' content words (as sets): shared words over the
    geometric mean of the two sets' sizes, so a short report of a long one's event is not
    penalised by the words it left out as Jaccard would."""
    if not words or not other:
        return 0.0
    return len(words & other) / math.sqrt(len(words) * len(other))


def within_days(date: datetime.datetime, other: datetime.datetime) -> bool:
    return abs(date - other) <= datetime.timedelta(days=SAME_EVENT_DAYS)


@dataclass(frozen=True)
class Report:
    """One article as the grouping sees it."""

    key: int
    date: datetime.datetime
    weights: Mapping[Hashable, float]  # name -> salience in this article
    words: frozenset[str]


def story_groups(
    reports: Iterable[Report],
    copies: Iterable[set[int]],
    *,
    threshold: float = SAME_EVENT_SIMILARITY,
) -> list[set[int]]:
    """Groups of two or more report keys of one story: copies, and same-event reports
    (transitively). The same steps as ``services.stories`` over the database: two reports
    within SAME_EVENT_DAYS that share an uncommon name salient in either are candidates,
    their content words decide. Names are common by their share of these reports."""
    reports = {report.key: report for report in reports}
    parent = {key: key for key in reports}

    def root(key: int) -> int:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for group in copies:
        first, *rest = sorted(group)
        for key in rest:
            parent[root(key)] = root(first)
    naming: dict[Hashable, list[Report]] = defaultdict(list)
    for report in reports.values():
        for name in report.weights:
            naming[name].append(report)
    article_counts = {name: len(named) for name, named in naming.items()}
    for report in reports.values():
        for name in uncommon_names(report.weights, article_counts, len(reports)):
            for other in naming[name]:
                if (
                    other.key != report.key
                    and max(report.weights[name], other.weights[name]) >= SALIENT_WEIGHT
                    and within_days(report.date, other.date)
                    and similarity(report.words, other.words) >= threshold
                ):
                    parent[root(other.key)] = root(report.key)
    groups: dict[int, set[int]] = {}
    for key in reports:
        groups.setdefault(root(key), set()).add(key)
    return [group for group in groups.values() if len(group) > 1]
