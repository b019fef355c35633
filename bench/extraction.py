"""Benchmark article extraction on the shared dev set, per fixed half, beside trafilatura.

    .venv/bin/python bench/extraction.py [--eval-dir DIR] [--worst N]

For each page of `extraction-dev/html/`, runs our path (`decode_html` on the raw bytes,
then `extract_html(..., url=None)`) and, as baselines, trafilatura alone:
`trafilatura.extract(html)` with its defaults and with comments left out. Pages are
scored with the benchmark's own scorer (`score_extraction.py`: per-page precision and
recall of 4-word shingles, averaged over pages, F1 of the two means), on the whole set
and on each of its two fixed halves (`bench.halves`): tune on one half, report both.

Then lists every page where ours is more than LOSS below trafilatura alone (either
configuration) in precision or recall, the regressions to explain by a cause; with
--worst, also the N pages where we do worst.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import trafilatura  # noqa: E402

from articles.ingest.encoding import decode_html  # noqa: E402
from articles.ingest.extract import ExtractionError, extract_html  # noqa: E402
from bench.halves import HALVES, half_of  # noqa: E402

# In a clone, shared/ sits beside the repository.
DEFAULT_EVAL_DIR = REPO_ROOT.parent / "shared" / "eval"
# A page where ours is this much below trafilatura alone (precision or recall) is listed.
LOSS = 0.05
BASELINES = ("trafilatura defaults", "trafilatura no comments")


def ours(body: bytes) -> str:
    try:
        return extract_html(decode_html(body), url=None).text
    except ExtractionError:
        return ""


def trafilatura_defaults(body: bytes) -> str:
    return trafilatura.extract(body.decode("utf-8", errors="replace")) or ""


def trafilatura_without_comments(body: bytes) -> str:
    return trafilatura.extract(body.decode("utf-8", errors="replace"), include_comments=False) or ""


SYSTEMS: dict[str, Callable[[bytes], str]] = {
    "newsreader": ours,
    BASELINES[0]: trafilatura_defaults,
    BASELINES[1]: trafilatura_without_comments,
}


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def summary(page_figures: list[tuple[float, float]]) -> tuple[float, float, float]:
    """The scorer's own aggregate: mean precision, mean recall, F1 of the two means."""
    precision = sum(p for p, _ in page_figures) / len(page_figures)
    recall = sum(r for _, r in page_figures) / len(page_figures)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--worst", type=int, default=0, help="also list the N worst pages")
    args = parser.parse_args(argv)

    dev = args.eval_dir / "extraction-dev"
    truth_path = dev / "truth.json"
    if not truth_path.exists():
        print(f"no dev set at {dev}", file=sys.stderr)
        return 1
    scorer = load_scorer(args.eval_dir / "score_extraction.py")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = {key: (dev / "html" / f"{key}.html").read_bytes() for key in truth}
    halves = {key: half_of(key) for key in truth}

    # system -> page -> (precision, recall); system -> seconds
    figures: dict[str, dict[str, tuple[float, float]]] = {}
    seconds: dict[str, float] = {}
    for name, system in SYSTEMS.items():
        started = time.perf_counter()
        predictions = {key: system(body) for key, body in pages.items()}
        seconds[name] = time.perf_counter() - started
        figures[name] = {
            key: scorer.page_scores(truth[key]["articleBody"], predictions[key]) for key in truth
        }

    groups = {"all": list(truth), **{h: [k for k in truth if halves[k] == h] for h in HALVES}}
    print(f"{len(pages)} pages from {dev}; halves: by sha1(page id), see bench/halves.py")
    print(f"{'system':<26}{'half':>6}{'pages':>6}{'P':>8}{'R':>8}{'F1':>8}{'seconds':>9}")
    for name in SYSTEMS:
        for group, keys in groups.items():
            p, r, f1 = summary([figures[name][key] for key in keys])
            timing = f"{seconds[name]:>9.1f}" if group == "all" else ""
            print(f"{name:<26}{group:>6}{len(keys):>6}{p:>8.4f}{r:>8.4f}{f1:>8.4f}{timing}")
    print(f"time ours / trafilatura defaults: {seconds['newsreader'] / seconds[BASELINES[0]]:.2f}")

    def row(key: str) -> str:
        (p, r), *bases = (figures[name][key] for name in SYSTEMS)
        base = " ".join(f"{bp:.2f}/{br:.2f}" for bp, br in bases)
        return f"  {halves[key]} {p:.2f}/{r:.2f} | {base}  {key[:12]}  {truth[key]['url']}"

    losses = [
        key
        for key in truth
        if any(
            figures[base][key][i] - figures["newsreader"][key][i] > LOSS
            for base in BASELINES
            for i in (0, 1)
        )
    ]
    print(f"\n{len(losses)} pages where ours is > {LOSS} below trafilatura alone in P or R")
    print("  half ours P/R | defaults P/R  no-comments P/R")
    for key in sorted(losses, key=lambda k: halves[k]):
        print(row(key))

    if args.worst:
        worst = sorted(truth, key=lambda k: summary([figures["newsreader"][k]])[2])
        print(f"\nworst {args.worst} pages, ours P/R | defaults P/R  no-comments P/R")
        for key in worst[: args.worst]:
            print(row(key))
    return 0


if __name__ == "__main__":
    sys.exit(main())
