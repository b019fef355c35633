"""Entity extraction and linking figures: stock spaCy against ours, per fixed half.

    .venv/bin/python bench/linking.py [--sets meantime gum gum-genres]

For each set of ../shared/eval/, runs (a) stock spaCy NER (the same model, NER only) with
one entity per exact lower-cased name and (b) ``analyse()`` + ``resolve()`` against an
``InMemoryCatalog``, documents in order (so linking is cross-document), and scores both
with ``score_entities.py`` on the whole set and on each of its two fixed halves
(``bench.halves``, by document id): tune on one half, report both. Prints the analysis
speed in words per second against raw spaCy NER at the same batch size, best of three
runs each (the target is >= 0.8x), then the seed article's entities.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
sys.path.insert(0, str(REPO_ROOT))

import spacy  # noqa: E402

from articles.nlp.analyse import analyse  # noqa: E402
from articles.nlp.pipeline import DEFAULT_MODEL, load_pipeline  # noqa: E402
from articles.nlp.resolve import InMemoryCatalog, resolve  # noqa: E402
from bench.halves import HALVES, half_of  # noqa: E402

EVAL_SETS = ("meantime", "gum", "gum-genres")
# analyse()'s default batch size, used for both systems so the speed ratio is fair.
BATCH_SIZE = 16
SPEED_RUNS = 3


def load_scorer() -> ModuleType:
    path = SHARED / "eval" / "score_entities.py"
    spec = importlib.util.spec_from_file_location("score_entities", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def run_stock(articles: list[dict]) -> tuple[list[dict], float]:
    nlp = spacy.load(
        DEFAULT_MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
    )
    began = time.perf_counter()
    exported = []
    texts = (a["text"] for a in articles)
    for article, doc in zip(articles, nlp.pipe(texts, batch_size=BATCH_SIZE), strict=True):
        mentions = [
            {
                "start": ent.start_char,
                "end": ent.end_char,
                "type": ent.label_,
                "entity": {"id": ent.text.lower(), "name": ent.text},
            }
            for ent in doc.ents
        ]
        exported.append({"url": article["url"], "text": article["text"], "mentions": mentions})
    return exported, time.perf_counter() - began


def run_ours(articles: list[dict]) -> tuple[list[dict], float]:
    nlp = load_pipeline()
    catalog = InMemoryCatalog()
    began = time.perf_counter()
    exported = []
    texts = [article["text"] for article in articles]
    for article, mentions in zip(
        articles, analyse(texts, nlp=nlp, batch_size=BATCH_SIZE), strict=True
    ):
        resolution = resolve(mentions, catalog)
        ids = catalog.save(resolution)
        exported.append(
            {
                "url": article["url"],
                "text": article["text"],
                "mentions": [
                    {
                        "start": m.start,
                        "end": m.end,
                        "type": m.entity.type,
                        "entity": {"id": entity_id, "name": m.entity.name},
                    }
                    for m, entity_id in zip(resolution.mentions, ids, strict=True)
                ],
            }
        )
    return exported, time.perf_counter() - began


def seed_text() -> str:
    from articles.ingest.plain_text import extract_text

    raw = (SHARED / "examples" / "seed-article.txt").read_text(encoding="utf-8")
    return extract_text(raw).text


def print_seed() -> None:
    text = seed_text()
    (mentions,) = analyse([text], nlp=load_pipeline())
    surfaces = defaultdict(list)
    for mention in mentions:
        surfaces[mention.entity].append(mention.surface)
    print(f"\nseed article: {len(surfaces)} entities")
    for ref, found in sorted(surfaces.items(), key=lambda item: (item[0].type, item[0].name)):
        wikidata = f" [{ref.wikidata_id}]" if ref.wikidata_id else ""
        print(f"  {ref.type:<8} {ref.name}{wikidata}: {', '.join(dict.fromkeys(found))}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", default=EVAL_SETS, choices=EVAL_SETS)
    args = parser.parse_args(argv)
    scorer = load_scorer()
    header = (
        f"{'set':<11}{'half':<5}{'docs':>5} {'system':<6} {'typed P':>8} {'R':>6} {'F1':>6} "
        f"{'lenient F1':>11} {'B3 P':>6} {'R':>6} {'F1':>6} {'ent/real':>9}"
    )
    print(header)
    print("-" * len(header))
    speeds = []
    for name in args.sets:
        directory = SHARED / "eval" / name
        articles = read_jsonl(directory / "import.jsonl")
        gold = scorer.load_jsonl(directory / "gold.jsonl")
        words = sum(len(article["text"].split()) for article in articles)
        runs = {system: run(articles) for system, run in (("stock", run_stock), ("ours", run_ours))}
        groups = {"all": None, **{half: half for half in HALVES}}
        for group, half in groups.items():
            gold_docs = [doc for doc in gold if half in (None, half_of(doc["id"]))]
            for system, (exported, _) in runs.items():
                docs = [doc for doc in exported if half in (None, half_of(scorer.doc_key(doc)))]
                result = scorer.score(gold_docs, docs)
                typed, lenient = result["mentions_typed"], result["mentions_lenient"]
                b3 = result["linking_b3"]
                print(
                    f"{name:<11}{group:<5}{len(gold_docs):>5} {system:<6} {typed['p']:>8.3f} "
                    f"{typed['r']:>6.3f} {typed['f1']:>6.3f} {lenient['f1']:>11.3f} "
                    f"{b3['p']:>6.3f} {b3['r']:>6.3f} {b3['f1']:>6.3f} "
                    f"{result['system_entities_per_gold_entity']:>9.3f}"
                )
        # Speed is the best of SPEED_RUNS runs of each, taken in turn: on a shared
        # machine one run's figure says as much about the neighbours as about the code.
        seconds = {system: [runs[system][1]] for system in runs}
        for _ in range(SPEED_RUNS - 1):
            seconds["stock"].append(run_stock(articles)[1])
            seconds["ours"].append(run_ours(articles)[1])
        stock_wps, ours_wps = (words / min(seconds[system]) for system in ("stock", "ours"))
        speeds.append((name, stock_wps, ours_wps))
    print(
        f"\nspeed, words/s at batch size {BATCH_SIZE}, best of {SPEED_RUNS} runs "
        "(raw spaCy NER vs analyse + resolve):"
    )
    for name, stock_wps, ours_wps in speeds:
        print(
            f"  {name:<11} raw NER {stock_wps:>8.0f}  ours {ours_wps:>8.0f}  ratio "
            f"{ours_wps / stock_wps:.2f}"
        )
    print_seed()


if __name__ == "__main__":
    main()
