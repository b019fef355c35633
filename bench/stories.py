"""Copies of one story: pairwise precision and recall of ``nlp.copies.copy_groups`` on a
labelled set built from the demo texts, beside exact-text matching as the baseline.

    .venv/bin/python bench/stories.py

The labelled set (built here, seeded, from demo/wikinews-120.jsonl): the 120 articles as
published, plus for some of them a wire copy (a dateline and a copyright footer around the
same text), a repost (other boilerplate, one sentence in eight dropped, a few words
changed) and a shortened version (the first half). Each version and its original are a
true pair; every other pair is false, including the demo's own articles on the same
companies and people (Boeing, EADS, Apple...), which are different stories. Grouping runs
the app's own steps (band keys, then the signatures' estimate); the bands stay those of
COPY_SIMILARITY at every threshold, only the final check moves.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from articles.nlp.copies import COPY_SIMILARITY, copy_groups  # noqa: E402

DEMO = REPO_ROOT / "demo" / "wikinews-120.jsonl"
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
SWAPS = {"said": "stated", "announced": "revealed", "company": "firm", "also": "as well"}


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


def labelled_set(seed: int = 7) -> tuple[dict[int, str], dict[int, int], dict[int, str]]:
    """Texts by id, each text's story (its original's id), and each text's kind."""
    rng = random.Random(seed)
    originals = [json.loads(line)["text"] for line in DEMO.read_text().splitlines() if line]
    texts = dict(enumerate(originals))
    story = {i: i for i in texts}
    kind = dict.fromkeys(texts, "original")
    for offset, (name, make) in enumerate(VERSIONS.items()):
        for i in range(offset * 30, offset * 30 + 30):
            new = len(texts)
            texts[new], story[new], kind[new] = make(originals[i], rng), i, name
    return texts, story, kind


def pairs_of(groups: list[set[int]]) -> set[tuple[int, int]]:
    return {pair for group in groups for pair in itertools.combinations(sorted(group), 2)}


def exact_groups(texts: dict[int, str]) -> list[set[int]]:
    """The baseline: the same words in the same order, case and spacing aside."""
    by_text: dict[str, set[int]] = {}
    for key, text in texts.items():
        by_text.setdefault(" ".join(text.casefold().split()), set()).add(key)
    return [group for group in by_text.values() if len(group) > 1]


def score(predicted: set, truth: set, kind: dict[int, str]) -> str:
    hits = predicted & truth
    precision = len(hits) / len(predicted) if predicted else 1.0
    recall = len(hits) / len(truth)
    per_kind = []
    for name in VERSIONS:
        wanted = {pair for pair in truth if kind[pair[1]] == name}
        per_kind.append(f"{name} {len(wanted & predicted) / len(wanted):.2f}")
    return f"precision {precision:.3f} recall {recall:.3f} ({', '.join(per_kind)})"


def main() -> int:
    texts, story, kind = labelled_set()
    truth = pairs_of([{k for k in texts if story[k] == s} for s in set(story.values())])
    total_pairs = len(texts) * (len(texts) - 1) // 2
    print(f"{len(texts)} texts, {total_pairs:,} pairs, {len(truth)} true (copies of one story)")
    print(f"{'exact text (baseline)':<24} {score(pairs_of(exact_groups(texts)), truth, kind)}")
    for threshold in THRESHOLDS:
        started = time.perf_counter()
        groups = copy_groups(texts, threshold=threshold)
        elapsed = (time.perf_counter() - started) * 1000
        mark = " <- COPY_SIMILARITY" if threshold == COPY_SIMILARITY else ""
        label = f"MinHash >= {threshold}"
        print(f"{label:<24} {score(pairs_of(groups), truth, kind)} {elapsed:.0f} ms{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
