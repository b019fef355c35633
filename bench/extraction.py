"""Benchmark article extraction on the shared dev set and print the figures.

    .venv/bin/python bench/extraction.py [--eval-dir DIR] [--worst N]

For each page of `extraction-dev/html/`, runs our path (`decode_html` on the raw bytes,
then `extract_html(..., url=None)`) and, as baselines, plain `trafilatura.extract(html)`
with its defaults and with comments left out. Each set of predictions goes to a
temporary JSON file scored by the benchmark's own scorer (`score_extraction.py`, run as a
subprocess so its figures are exactly the ones the README quotes). Prints precision,
recall and F1 side by side, the time taken and its ratio to the baseline, and with
--worst the pages where we do worst, to look at causes rather than single pages.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import trafilatura  # noqa: E402

from articles.ingest.encoding import decode_html  # noqa: E402
from articles.ingest.extract import ExtractionError, extract_html  # noqa: E402

# In a clone, shared/ sits beside the repository.
DEFAULT_EVAL_DIR = REPO_ROOT.parent / "shared" / "eval"


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
    "trafilatura defaults": trafilatura_defaults,
    "trafilatura no comments": trafilatura_without_comments,
}


def run(system: Callable[[bytes], str], pages: dict[str, bytes]) -> tuple[dict[str, str], float]:
    started = time.perf_counter()
    predictions = {key: system(body) for key, body in pages.items()}
    return predictions, time.perf_counter() - started


def score(scorer: Path, truth: Path, predictions: dict[str, str]) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as handle:
        json.dump(predictions, handle, ensure_ascii=False)
        path = Path(handle.name)
    try:
        output = subprocess.run(
            [sys.executable, str(scorer), str(truth), str(path), "--json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        path.unlink(missing_ok=True)
    return json.loads(output)


def page_f1(scorer_module: object, truth: str, predicted: str) -> tuple[float, float, float]:
    precision, recall = scorer_module.page_scores(truth, predicted)  # type: ignore[attr-defined]
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages")
    args = parser.parse_args(argv)

    dev = args.eval_dir / "extraction-dev"
    scorer, truth_path = args.eval_dir / "score_extraction.py", dev / "truth.json"
    if not truth_path.exists():
        print(f"no dev set at {dev}", file=sys.stderr)
        return 1
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = {key: (dev / "html" / f"{key}.html").read_bytes() for key in truth}

    results: dict[str, tuple[dict[str, float], float, dict[str, str]]] = {}
    for name, system in SYSTEMS.items():
        predictions, seconds = run(system, pages)
        results[name] = (score(scorer, truth_path, predictions), seconds, predictions)

    baseline_seconds = results["trafilatura defaults"][1]
    print(f"{len(pages)} pages from {dev}")
    print(f"{'system':<26}{'P':>8}{'R':>8}{'F1':>8}{'exact':>8}{'seconds':>9}{'x time':>8}")
    for name, (figures, seconds, _) in results.items():
        print(
            f"{name:<26}{figures['precision']:>8.4f}{figures['recall']:>8.4f}"
            f"{figures['f1']:>8.4f}{figures['accuracy']:>8.3f}{seconds:>9.1f}"
            f"{seconds / baseline_seconds:>8.2f}"
        )

    if args.worst:
        import importlib.util

        spec = importlib.util.spec_from_file_location("score_extraction", scorer)
        assert spec and spec.loader
        scorer_module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(scorer_module)
        predictions = results["newsreader"][2]
        baseline = results["trafilatura defaults"][2]
        rows = []
        for key, item in truth.items():
            ours_scores = page_f1(scorer_module, item["articleBody"], predictions[key])
            base_scores = page_f1(scorer_module, item["articleBody"], baseline[key])
            rows.append((ours_scores, base_scores, key, item["url"]))
        rows.sort()
        print(f"\nworst {args.worst} pages (ours P/R/F1 | trafilatura defaults P/R/F1):")
        for (p, r, f), (bp, br, bf), key, url in rows[: args.worst]:
            print(f"  {p:.2f}/{r:.2f}/{f:.2f} | {bp:.2f}/{br:.2f}/{bf:.2f}  {key[:12]}  {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
