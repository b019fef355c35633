"""The command line: ingest (files and URLs), export, reprocess."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Entity, Mention

pytestmark = [pytest.mark.django_db, pytest.mark.nlp]

TEXT = (
    "General Motors (GM) said on Tuesday that Rick Wagoner would step down. "
    "Wagoner led GM for eight years.\n\nThe United States Treasury approved the plan."
)


@pytest.fixture
def jsonl(tmp_path):
    path = tmp_path / "articles.jsonl"
    lines = [
        {"url": "https://eval.invalid/1", "title": "GM chief", "text": TEXT,
         "published": "2009-03-30"},
        {"url": "https://eval.invalid/2", "title": "No text"},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    return path


def test_ingest_summarises_what_was_added_and_what_failed_and_why(jsonl):
    out, err = StringIO(), StringIO()
    call_command("ingest", "--sync", "--file", str(jsonl), stdout=out, stderr=err)
    assert "1 added and analysed, 0 already in the library, 1 failed." in out.getvalue()
    assert 'articles.jsonl:2: Each line needs "text" or "html".' in err.getvalue()
    call_command("ingest", "--sync", "--file", str(jsonl), stdout=out, stderr=err)
    assert "0 added and analysed, 1 already in the library" in out.getvalue()


def test_ingest_without_sync_queues_the_article(jsonl):
    call_command("ingest", "--file", str(jsonl), stdout=StringIO(), stderr=StringIO())
    assert Article.objects.get().status == Article.Status.QUEUED


def test_ingest_needs_something_to_read():
    with pytest.raises(CommandError, match="at least one URL"):
        call_command("ingest")


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


def test_reprocess_restores_mentions_after_the_knowledge_changes(jsonl):
    call_command("ingest", "--sync", "--file", str(jsonl), stdout=StringIO(), stderr=StringIO())
    before = list(Mention.objects.values_list("start", "end", "entity__name").order_by("start"))
    Mention.objects.all().delete()
    gm = Entity.objects.get(name="General Motors")
    out = StringIO()
    call_command("reprocess", "--all", stdout=out, stderr=StringIO())
    assert "Reprocessed 1 articles." in out.getvalue()
    after = list(Mention.objects.values_list("start", "end", "entity__name").order_by("start"))
    assert after == before
    call_command("reprocess", "--entity", str(gm.pk), stdout=out, stderr=StringIO())
    call_command("reprocess", "--since", "2000-01-01", stdout=out, stderr=StringIO())
    assert list(Mention.objects.values_list("start", "end", "entity__name").order_by("start")) == (
        before
    )


def test_reprocess_refuses_a_bad_date():
    with pytest.raises(CommandError, match="--since wants a date"):
        call_command("reprocess", "--since", "last tuesday")


def test_a_line_with_an_impossible_date_is_reported_and_the_rest_imported(tmp_path):
    path = tmp_path / "articles.jsonl"
    lines = [
        {"url": "https://eval.invalid/7", "text": "Paris is in France.", "published": "2024-02-30"},
        {"url": "https://eval.invalid/8", "text": "Rome is in Italy.", "published": "2024-02-28"},
        {"url": 42, "text": "Oslo."},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines))
    err = StringIO()
    call_command("ingest", "--sync", "--file", str(path), stdout=StringIO(), stderr=err)
    assert Article.objects.get().url == "https://eval.invalid/8"
    assert "\"published\" is not a real date: '2024-02-30'" in err.getvalue()
    assert '"url" must be a string.' in err.getvalue()
