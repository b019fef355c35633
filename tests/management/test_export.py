"""``manage.py export``: articles with their mentions, as the scorers read them."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.django_db, pytest.mark.nlp]


def test_export_writes_offsets_that_index_the_text(jsonl, tmp_path):
    call_command("ingest", "--sync", "--file", str(jsonl), stdout=StringIO(), stderr=StringIO())
    output = tmp_path / "export.jsonl"
    call_command("export", "--output", str(output), stderr=StringIO())
    [record] = [json.loads(line) for line in output.read_text().splitlines()]
    assert set(record) >= {"id", "url", "title", "published", "site_name", "byline", "status",
                           "error", "text", "mentions"}  # fmt: skip
    assert record["published"].startswith("2009-03-30")
    by_text = {m["text"]: m for m in record["mentions"]}
    assert by_text["GM"]["entity"]["name"] == "General Motors"
    assert by_text["Wagoner"]["entity"]["id"] == by_text["Rick Wagoner"]["entity"]["id"]
    for mention in record["mentions"]:
        assert record["text"][mention["start"] : mention["end"]] == mention["text"]
        assert set(mention["entity"]) == {"id", "name", "type", "slug"}
