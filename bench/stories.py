"""Stories across sources: pairwise precision and recall of copies (``nlp.copies``) and of
same-event reports (``nlp.stories``) on a labelled set built from the demo texts, on each
fixed half (``bench/halves.py``), beside a baseline for each.

    .venv/bin/python bench/stories.py

The labelled set (built here, seeded, from demo/wikinews-120.jsonl and
bench/data/stories-rewrites.jsonl):
- copies: for 90 demo articles a wire copy (a dateline and a copyright footer around the
  same text), a repost (other boilerplate, one sentence in eight dropped, a few words
  changed) or a shortened version (the first half). Each is a copy of its original.
- same event: 24 rewrites of demo articles, written by hand as another outlet would report
  the same event (their own wording, order and choice of facts, usually shorter; see
  bench/data/README.md), and three groups of demo articles that report one event:
  General Motors' bankruptcy filing (73, 74, 75), the suspension of Russia's markets (92,
  93), the failed auto bailout and the White House's answer (61, 62). A rewrite is of the
  same event as its original and the original's copies.
- every other pair is false: the demo holds many different events on the same companies
  and people (Boeing, Airbus, Apple, GM, Chrysler, the markets), several within a few days
  of each other (Chrysler's and GM's dealer cuts a day apart, two GM stories the same
  day). Two pairs a reader could put either way are left out of the scores: the world's
  markets falling and Russia's suspension the same day (91, 92), and the first A380's
  delivery and its arrival in Singapore two days later (25, 26).

A document's half is that of its event (its original's id), so a pair is never split.
"Same event" scores the story pairs that are not copy pairs. Grouping runs the app's own
steps: copies by band keys and the signatures' estimate; same-event candidates through
salient names (analysed by the app's pipeline, resolved across documents) within
SAME_EVENT_DAYS, decided by content-word similarity. The baseline for same-event is the
same candidates with no text check. "Same day" dates every text alike, so that every two
articles on one company are candidates: the text alone must tell their events apart.
"""

from __future__ import annotations

import datetime
import itertools
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from articles.nlp.analyse import analyse  # noqa: E402
from articles.nlp.copies import COPY_SIMILARITY, copy_groups  # noqa: E402
from articles.nlp.pipeline import load_pipeline  # noqa: E402
from articles.nlp.resolve import InMemoryCatalog, resolve  # noqa: E402
from articles.nlp.stories import (  # noqa: E402
    SAME_EVENT_SIMILARITY,
    Report,
    content_words,
    name_weights,
    story_groups,
)
from articles.nlp.text import normalise_key  # noqa: E402
from bench.halves import HALVES, half_of  # noqa: E402

DEMO = REPO_ROOT / "demo" / "wikinews-120.jsonl"
REWRITES = REPO_ROOT / "bench" / "data" / "stories-rewrites.jsonl"
COPY_THRESHOLDS = (0.3, 0.4, 0.5, 0.6)
EVENT_THRESHOLDS = (0.2, 0.25, 0.275, 0.3, 0.325, 0.35, 0.4)
SWAPS = {"said": "stated", "announced": "revealed", "company": "firm", "also": "as well"}
# Demo articles that report one event (see the module docstring).
DEMO_EVENTS = ({73, 74, 75}, {92, 93}, {61, 62})
AMBIGUOUS = ({91, 92}, {25, 26})
# The 120 demo articles and their 90 copies come first, then the rewrites.
FIRST_REWRITE = 210
SAME_DAY = datetime.datetime(2008, 1, 1, tzinfo=datetime.UTC)


def wire_copy(text: str, rng: random.Random) -> str:
    city = rng.choice(["LONDON", "NEW YORK", "PARIS", "TOKYO"])
    return (
        f"{city} (Wire) - {text}\n\nReporting by {rng.choice(['Ann Lee', 'Tom Ruiz'])}; "
        "editing by the desk. Copyright 2024 Wire News. All rights reserved. This material "
        "may not be published, broadcast, rewritten or redistributed."
    )


def repost(text: str, rng: random.Random) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", text)
    kept = [s for s in sentences if rng.random() > 1 / 8] or sentences[:1]
    body = " ".join(kept)
    for word, other in SWAPS.items():
        body = re.sub(rf"\b{word}\b", other, body, count=1)
    return f"Share this story. {body}\n\nSign up for our newsletter to get the news first."


def shortened(text: str, rng: random.Random) -> str:
    words = text.split()
    return " ".join(words[: len(words) // 2])


VERSIONS = {"wire copy": wire_copy, "repost": repost, "shortened": shortened}


class Doc:
    def __init__(self, key: int, title: str, text: str, date: str, copy_of: int, event: int):
        self.key, self.title, self.text = key, title, text
        self.date = datetime.datetime.fromisoformat(date[:10]).replace(tzinfo=datetime.UTC)
        self.copy_of = copy_of  # the original this text copies (itself for an original)
        self.event = event  # the smallest original id of its event


def labelled_set(seed: int = 7) -> list[Doc]:
    rng = random.Random(seed)
    demo = [json.loads(line) for line in DEMO.read_text().splitlines() if line]
    event = {i: i for i in range(len(demo))}
    for group in DEMO_EVENTS:
        for i in group:
            event[i] = min(group)
    docs = [Doc(i, d["title"], d["text"], d["published"], i, event[i]) for i, d in enumerate(demo)]
    for offset, make in enumerate(VERSIONS.values()):
        for i in range(offset * 30, offset * 30 + 30):
            d = demo[i]
            text = make(d["text"], rng)
            docs.append(Doc(len(docs), d["title"], text, d["published"], i, event[i]))
    for line in REWRITES.read_text().splitlines():
        row = json.loads(line)
        key = len(docs)
        docs.append(Doc(key, row["title"], row["text"], row["published"], key, event[row["of"]]))
    return docs


def pairs_of(groups) -> set[tuple[int, int]]:
    return {pair for group in groups for pair in itertools.combinations(sorted(group), 2)}


def exact_groups(docs: list[Doc]) -> list[set[int]]:
    """The copies baseline: the same words in the same order, case and spacing aside."""
    by_text: dict[str, set[int]] = defaultdict(set)
    for doc in docs:
        by_text[" ".join(doc.text.casefold().split())].add(doc.key)
    return list(by_text.values())


def analysed_weights(docs: list[Doc]) -> dict[int, dict[int, float]]:
    """Each text's names (library entity ids, resolved across the texts in order) and their
    salience, as ``services.articles_aggregate`` weighs them."""
    nlp = load_pipeline()
    catalog = InMemoryCatalog()
    weights = {}
    for doc, mentions in zip(docs, analyse((d.text for d in docs), nlp=nlp), strict=True):
        resolution = resolve(mentions, catalog)
        mentions = resolution.mentions  # typed as the library types them
        ids = catalog.save(resolution)
        counts: Counter[int] = Counter(ids)
        title = f" {normalise_key(doc.title)} "
        in_title = {
            entity_id
            for mention, entity_id in zip(mentions, ids, strict=True)
            if f" {normalise_key(mention.surface)} " in title
        }
        weights[doc.key] = name_weights(counts, in_title)
    return weights


def prf(predicted: set, truth: set) -> str:
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    return f"P {precision:.3f} R {recall:.3f} ({len(predicted)} found, {len(truth)} true)"


def score_half(half: str, docs: list[Doc], weights: dict[int, dict[int, float]]) -> None:
    part = [doc for doc in docs if half_of(f"demo-{doc.event}") == half]
    by_copy, by_event = defaultdict(set), defaultdict(set)
    for doc in part:
        by_copy[doc.copy_of].add(doc.key)
        by_event[doc.event].add(doc.key)
    # The pairs of texts from two events a reader could put either way are not scored.
    ambiguous = {tuple(sorted(pair)) for pair in AMBIGUOUS}
    original = {doc.key: doc.copy_of for doc in part}
    unscored = {
        (a, b)
        for a, b in itertools.combinations(sorted(original), 2)
        if tuple(sorted((original[a], original[b]))) in ambiguous
    }
    copy_truth = pairs_of(by_copy.values())
    event_truth = pairs_of(by_event.values()) - copy_truth - unscored
    rewrites = sum(1 for doc in part if doc.key >= FIRST_REWRITE)
    print(
        f"\nhalf {half}: {len(part)} texts ({rewrites} rewrites), {len(copy_truth)} copy "
        f"pairs, {len(event_truth)} same-event pairs"
    )
    exact = pairs_of(exact_groups(part))
    print(f"  copies {'exact text (baseline)':<34} {prf(exact, copy_truth)}")
    texts = {doc.key: doc.text for doc in part}
    for threshold in COPY_THRESHOLDS:
        found = pairs_of(copy_groups(texts, threshold=threshold))
        mark = " <- COPY_SIMILARITY" if threshold == COPY_SIMILARITY else ""
        print(f"  copies {f'MinHash >= {threshold}':<34} {prf(found, copy_truth)}{mark}")
    copies = copy_groups(texts)
    for dated in (True, False):
        reports = [
            Report(
                key=doc.key,
                date=doc.date if dated else SAME_DAY,
                weights=weights[doc.key],
                words=content_words(doc.text),
            )
            for doc in part
        ]
        where = "" if dated else ", same day"
        for threshold in (0.0, *EVENT_THRESHOLDS):
            started = time.perf_counter()
            groups = story_groups(reports, copies, threshold=threshold)
            elapsed = (time.perf_counter() - started) * 1000
            found = pairs_of(groups) - copy_truth - unscored
            if threshold == 0.0:
                label = f"names, no text (baseline){where}"
            else:
                label = f"similarity >= {threshold}{where}"
            mark = " <- SAME_EVENT_SIMILARITY" if threshold == SAME_EVENT_SIMILARITY else ""
            print(f"  event  {label:<34} {prf(found, event_truth)} {elapsed:.0f} ms{mark}")


def main() -> int:
    docs = labelled_set()
    print(f"{len(docs)} texts; analysing their names...", flush=True)
    started = time.perf_counter()
    weights = analysed_weights(docs)
    print(f"analysed in {time.perf_counter() - started:.0f} s")
    for half in HALVES:
        score_half(half, docs, weights)
    return 0


if __name__ == "__main__":
    sys.exit(main())
