"""Memory and time of analysing one text, up to the longest text newsreader stores.

    .venv/bin/python bench/analysis_memory.py

Each size runs in a fresh process: the pipeline is loaded, then one text of that many
characters (demo articles joined until long enough) goes through ``analyse()`` and
``resolve()`` as a worker's would. Prints the peak resident memory (ru_maxrss) beside
the memory with the pipeline loaded and nothing analysed, which is the baseline.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
DEMO = REPO_ROOT / "demo" / "wikinews-120.jsonl"


def measure(size: int) -> dict:
    """In this process: load, analyse one text of ``size`` characters, report memory."""
    from articles.nlp.analyse import analyse
    from articles.nlp.pipeline import DEFAULT_MODEL, load_pipeline
    from articles.nlp.resolve import InMemoryCatalog, resolve

    texts = [json.loads(line)["text"] for line in DEMO.read_text().splitlines()]
    text = ""
    while len(text) < size:
        text += "\n\n".join(texts)
    text = text[:size]
    nlp = load_pipeline(DEFAULT_MODEL)
    next(analyse(["Warm-up: Paris is in France."], nlp=nlp))
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    found = next(analyse([text], nlp=nlp))
    resolve(found, InMemoryCatalog())
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"size": size, "mentions": len(found), "loaded": loaded, "peak": peak, "s": seconds}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings

    limit = settings.NEWSREADER_MAX_TEXT_CHARS
    print(f"longest stored text: {limit:,} characters")
    print(f"{'characters':>12} {'mentions':>9} {'seconds':>8} {'loaded MB':>10} {'peak MB':>8}")
    for size in (10_000, limit // 4, limit // 2, limit):
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ},
        ).stdout
        row = json.loads(output.strip().splitlines()[-1])
        print(
            f"{row['size']:>12,} {row['mentions']:>9,} {row['s']:>8.1f} "
            f"{row['loaded'] / 1024:>10.0f} {row['peak'] / 1024:>8.0f}"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main()
