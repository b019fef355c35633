"""Analysis speed against raw spaCy NER, and the memory of a long-running analysis loop.

    .venv/bin/python bench/analysis_speed.py [--rounds 5] [--rss-texts 2000] [--json]

Texts: every article of ../shared/eval/{meantime,gum,gum-genres} and demo/wikinews-120.

First, with only the analysis pipeline loaded, as in a worker, it analyses
``--rss-texts`` texts (the same texts over and over), one ``analyse()`` call per batch,
and prints the process's resident memory after the first batch, after the last and at
its highest: flat means no leak per article.

Then, in the same process, at ``analyse()``'s own batch size, it times (a) raw spaCy
NER, the stock pipeline with every component but ``ner`` excluded, and (b)
``analyse()``, interleaved (a b a b ...) after one warm-up pass of each, so that load on
a shared machine falls on both alike; it prints words per CPU second of each and their
ratio per round, and the medians.
"""

from __future__ import annotations

import argparse
import inspect
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
sys.path.insert(0, str(REPO_ROOT))

import spacy  # noqa: E402
from spacy.language import Language  # noqa: E402

from articles.nlp.analyse import analyse  # noqa: E402
from articles.nlp.pipeline import DEFAULT_MODEL, load_pipeline  # noqa: E402

TEXT_FILES = (
    *(SHARED / "eval" / name / "import.jsonl" for name in ("meantime", "gum", "gum-genres")),
    REPO_ROOT / "demo" / "wikinews-120.jsonl",
)
# analyse()'s default batch size, which the ingest service uses.
BATCH_SIZE = inspect.signature(analyse).parameters["batch_size"].default


def read_texts() -> list[str]:
    texts = []
    for path in TEXT_FILES:
        with path.open(encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle if line.strip())
    return texts


def load_raw_ner() -> Language:
    """The stock pipeline with everything but ``ner`` excluded, as spaCy ships it."""
    names = spacy.util.get_model_meta(spacy.util.get_package_path(DEFAULT_MODEL))["pipeline"]
    return spacy.load(DEFAULT_MODEL, exclude=[name for name in names if name != "ner"])


def time_raw(nlp: Language, texts: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of raw NER over ``texts``."""
    began, began_cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE):
        pass
    return time.perf_counter() - began, time.process_time() - began_cpu


def time_analyse(nlp: Language, texts: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of ``analyse()`` over ``texts``."""
    began, began_cpu = time.perf_counter(), time.process_time()
    for _ in analyse(texts, nlp=nlp, batch_size=BATCH_SIZE):
        pass
    return time.perf_counter() - began, time.process_time() - began_cpu


def measure_ratio(texts: list[str], rounds: int) -> float:
    """The median over ``rounds`` of analyse()'s words per second over raw NER's.

    Speeds are words per CPU second of this process: on a machine other work shares,
    wall time also counts the time spent waiting for a core. Wall-time ratios are
    printed alongside.
    """
    words = sum(len(text.split()) for text in texts)
    raw, ours = load_raw_ner(), load_pipeline()
    time_raw(raw, texts[:BATCH_SIZE])  # warm-up: first-call allocations
    time_analyse(ours, texts[:BATCH_SIZE])
    print(f"{len(texts)} texts, {words:,} words, batch size {BATCH_SIZE}; words per CPU second")
    print(f"{'round':<6} {'raw NER':>9} {'analyse':>9} {'ratio':>6} {'wall ratio':>11}")
    raw_speeds, our_speeds, ratios, wall_ratios = [], [], [], []
    for round_number in range(1, rounds + 1):
        raw_wall, raw_cpu = time_raw(raw, texts)
        our_wall, our_cpu = time_analyse(ours, texts)
        raw_speeds.append(words / raw_cpu)
        our_speeds.append(words / our_cpu)
        ratios.append(raw_cpu / our_cpu)
        wall_ratios.append(raw_wall / our_wall)
        print(
            f"{round_number:<6} {raw_speeds[-1]:>9,.0f} {our_speeds[-1]:>9,.0f} "
            f"{ratios[-1]:>6.2f} {wall_ratios[-1]:>11.2f}"
        )
    ratio = statistics.median(ratios)
    print(
        f"{'median':<6} {statistics.median(raw_speeds):>9,.0f} "
        f"{statistics.median(our_speeds):>9,.0f} {ratio:>6.2f} "
        f"{statistics.median(wall_ratios):>11.2f}"
    )
    print(f"analysis ratio (analyse / raw spaCy NER words per second, median): {ratio:.2f}")
    return ratio


def rss_mb() -> float:
    """This process's resident set size now, from /proc (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure_rss(texts: list[str], count: int) -> list[float]:
    """[after the first batch, after the last, highest] RSS in MB over ``count`` texts."""
    nlp = load_pipeline()
    stream = itertools.islice(itertools.cycle(texts), count)
    samples = []
    for batch in itertools.batched(stream, BATCH_SIZE):
        for _ in analyse(batch, nlp=nlp):
            pass
        samples.append(rss_mb())
    first, last, highest = samples[0], samples[-1], max(samples)
    print(
        f"worker RSS over {count:,} texts ({len(samples)} analyse() calls): "
        f"first {first:.0f} MB, last {last:.0f} MB, max {highest:.0f} MB"
    )
    return [round(first, 1), round(last, 1), round(highest, 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (median)")
    parser.add_argument("--rss-texts", type=int, default=2000, help="texts for the RSS line")
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end")
    args = parser.parse_args()
    texts = read_texts()
    # Memory first, while the process holds only what a worker holds.
    rss = measure_rss(texts, args.rss_texts) if args.rss_texts else None
    ratio = measure_ratio(texts, args.rounds)
    if args.json:
        result = {"analysis_ratio": round(ratio, 3)}
        if rss is not None:
            result["worker_rss_mb"] = rss
        print(json.dumps(result))


if __name__ == "__main__":
    main()
