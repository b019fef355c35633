"""Entity extraction and linking figures: stock spaCy against ours, side by side.

    .venv/bin/python bench/linking.py

For MEANTIME and GUM (../shared/eval/), runs (a) stock spaCy NER with one entity per
exact lower-cased name and (b) ``analyse()`` + ``resolve()`` against an
``InMemoryCatalog``, documents in order (so linking is cross-document), writes both in
the export format to temporary files, scores them with ``score_entities.py`` and prints
one table. Then prints the seed article's entities.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
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

EVAL_SETS = ("meantime", "gum")


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
    for article, doc in zip(articles, nlp.pipe(a["text"] for a in articles), strict=True):
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
    for article, mentions in zip(articles, analyse(texts, nlp=nlp), strict=True):
        ids = catalog.save(mentions, resolve(mentions, catalog))
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
                    for m, entity_id in zip(mentions, ids, strict=True)
                ],
            }
        )
    return exported, time.perf_counter() - began


def score(scorer: ModuleType, gold_path: Path, exported: list[dict]) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as handle:
        for article in exported:
            handle.write(json.dumps(article) + "\n")
        handle.flush()
        return scorer.score(scorer.load_jsonl(gold_path), scorer.load_jsonl(handle.name))


def seed_text() -> str:
    raw = (SHARED / "examples" / "seed-article.txt").read_text(encoding="utf-8")
    try:
        from articles.ingest.plain_text import extract_text

        return extract_text(raw).text
    except Exception:  # the extractor is another helper's work; the raw text will do
        return raw


def print_seed() -> None:
    text = seed_text()
    (mentions,) = analyse([text], nlp=load_pipeline())
    surfaces = defaultdict(list)
    for mention in mentions:
        surfaces[mention.entity].append(mention.surface)
    print("\nseed article entities")
    for ref, found in sorted(surfaces.items(), key=lambda item: (item[0].type, item[0].name)):
        wikidata = f" [{ref.wikidata_id}]" if ref.wikidata_id else ""
        print(f"  {ref.type:<8} {ref.name}{wikidata}: {', '.join(dict.fromkeys(found))}")


def main() -> None:
    scorer = load_scorer()
    header = (
        f"{'set':<9} {'system':<6} {'typed P':>8} {'R':>6} {'F1':>6} {'lenient F1':>11} "
        f"{'B3 P':>6} {'R':>6} {'F1':>6} {'ent/real':>9} {'docs/s':>7}"
    )
    print(header)
    print("-" * len(header))
    for name in EVAL_SETS:
        directory = SHARED / "eval" / name
        articles = read_jsonl(directory / "import.jsonl")
        speeds = {}
        for system, run in (("stock", run_stock), ("ours", run_ours)):
            exported, seconds = run(articles)
            speeds[system] = len(articles) / seconds
            result = score(scorer, directory / "gold.jsonl", exported)
            typed, lenient, b3 = (
                result["mentions_typed"],
                result["mentions_lenient"],
                result["linking_b3"],
            )
            print(
                f"{name:<9} {system:<6} {typed['p']:>8.3f} {typed['r']:>6.3f} {typed['f1']:>6.3f} "
                f"{lenient['f1']:>11.3f} {b3['p']:>6.3f} {b3['r']:>6.3f} {b3['f1']:>6.3f} "
                f"{result['system_entities_per_gold_entity']:>9.3f} {speeds[system]:>7.1f}"
            )
        print(f"{name:<9} speed ours/stock {speeds['ours'] / speeds['stock']:.2f}")
    print_seed()


if __name__ == "__main__":
    main()
