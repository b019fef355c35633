"""Tests of the entry point, articles/nlp/analyse.py: texts in, mentions out, in order."""

from __future__ import annotations

import pytest

from articles.nlp.analyse import analyse, split_text
from articles.nlp.pipeline import load_pipeline
from tests.nlp.support import mentions_in

pytestmark = pytest.mark.nlp


def test_split_text_cuts_at_paragraphs_and_keeps_offsets():
    text = "First paragraph here.\n\nSecond paragraph follows.\n\nThird one."
    pieces = split_text(text, 30)
    assert len(pieces) == 3
    assert all(len(chunk) <= 30 for _, chunk in pieces)
    assert "".join(chunk for _, chunk in pieces) == text
    assert all(text[offset : offset + len(chunk)] == chunk for offset, chunk in pieces)
    assert pieces[1][1] == "Second paragraph follows.\n\n"


def test_long_text_is_chunked_and_offsets_stay_right(monkeypatch):
    monkeypatch.setattr("articles.nlp.analyse.CHUNK_CHARS", 200)
    paragraph = "Angela Merkel visited Washington with officials from the European Union."
    text = "\n\n".join([paragraph] * 12)
    mentions = mentions_in(text)
    assert len([m for m in mentions if m.surface == "Angela Merkel"]) == 12
    assert len({m.entity for m in mentions if m.surface == "Angela Merkel"}) == 1
    starts = [m.start for m in mentions]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))


def test_results_come_back_one_list_per_text_in_order():
    texts = ["Angela Merkel spoke.", "", "Reuters reported from Japan."]
    results = list(analyse(texts, nlp=load_pipeline(), batch_size=2))
    assert len(results) == 3
    assert [m.surface for m in results[0]] == ["Angela Merkel"]
    assert results[1] == []
    assert {m.entity.name for m in results[2]} == {"Reuters", "Japan"}


def test_a_batch_gives_each_text_what_it_gives_alone(monkeypatch):
    # Chunks of several texts are parsed together, and the parts of entities of several
    # names ("Reuters/Christian Hartmann") asked about once per batch.
    monkeypatch.setattr("articles.nlp.analyse.CHUNK_CHARS", 200)
    credit = "Photo: Reuters/Christian Hartmann. Angela Merkel visited Washington."
    texts = [
        "\n\n".join([credit, "Officials from the European Union met in Paris."] * 3),
        "Reuters reported from Japan. The AP/Jane Smith photo ran in Tokyo.",
        "",
        credit,
    ]
    nlp = load_pipeline()
    together = list(analyse(texts, nlp=nlp, batch_size=4))
    assert together == [next(analyse([text], nlp=nlp)) for text in texts]
    assert {"Reuters", "Christian Hartmann"} <= {m.entity.name for m in together[3]}
