"""``manage.py ingest``: files and URLs, queued or analysed in-process."""

from __future__ import annotations

import datetime
import json
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles import services
from articles.models import Article, Mention
from tests.management.conftest import TEXT
from tests.support import SHARED, require

pytestmark = [pytest.mark.django_db, pytest.mark.nlp]

SEED = SHARED / "examples" / "seed-article.txt"


def test_ingest_summarises_what_was_added_and_what_failed_and_why(jsonl):
    with jsonl.open("a") as handle:
        handle.write(json.dumps({"url": "https://eval.invalid/2", "title": "No text"}) + "\n")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 could not be imported"):
        call_command("ingest", "--sync", "--file", str(jsonl), stdout=out, stderr=err)
    assert "1 added and analysed, 0 already in the library, 1 failed." in out.getvalue()
    assert 'articles.jsonl:2: Each line needs "text" or "html".' in err.getvalue()
    with pytest.raises(CommandError):
        call_command("ingest", "--sync", "--file", str(jsonl), stdout=out, stderr=err)
    assert "0 added and analysed, 1 already in the library" in out.getvalue()


def test_every_good_line_is_imported_and_every_bad_one_reported_with_its_number(tmp_path):
    """Nothing a file can hold stops the import: each bad line is named with the reason,
    the lines after it are imported and analysed, and the run ends with a failure."""
    good = [{"url": f"https://eval.invalid/{n}", "text": f"{TEXT} Story {n}."} for n in range(3)]
    lines = [
        json.dumps(good[0]).encode(),
        b'{"url": "https://eval.invalid/latin1", "text": "Caf\xe9 in Paris."}',
        json.dumps({"url": "https://eval.invalid/nul", "text": "Paris\u0000 is big."}).encode(),
        b'{"url": "https://eval.invalid/half", "text": "Half a pair: \\ud800."}',
        b'{"url": "https://eval.invalid/\\udfff", "text": "Rome is in Italy."}',
        json.dumps(good[1]).encode(),
        json.dumps(
            {"url": "https://eval.invalid/d", "text": "Oslo.", "published": "soon"}
        ).encode(),
        json.dumps(good[2]).encode(),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="5 could not be imported"):
        call_command("ingest", "--sync", "--file", str(path), stdout=out, stderr=err)

    assert sorted(Article.objects.values_list("url", "status")) == [
        (line["url"], Article.Status.DONE) for line in good
    ]
    assert "3 added and analysed, 0 already in the library, 5 failed." in out.getvalue()
    reported = err.getvalue()
    assert "mixed.jsonl:2: Not UTF-8 (byte 0xe9 at 51)." in reported
    assert "mixed.jsonl:3: The text contains a NUL character (\\u0000) at position 5." in reported
    assert "mixed.jsonl:4: The text contains an unpaired surrogate (\\ud800)" in reported
    assert "mixed.jsonl:5: That is not a web address" in reported
    assert "mixed.jsonl:7: \"published\" is not a date: 'soon'" in reported


def test_a_txt_file_with_a_nul_is_reported_not_raised(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_text(f"A headline\n\n{TEXT}\x00{TEXT}")
    err = StringIO()
    with pytest.raises(CommandError, match="1 could not be imported"):
        call_command("ingest", "--sync", "--file", str(path), stdout=StringIO(), stderr=err)
    assert "binary.txt: The text contains a NUL character" in err.getvalue()
    assert not Article.objects.exists()


def test_a_line_longer_than_a_page_may_be_is_skipped_and_the_next_read(tmp_path, monkeypatch):
    monkeypatch.setattr("articles.management.commands.ingest.MAX_PAGE_BYTES", 400)
    path = tmp_path / "long.jsonl"
    lines = [
        {"url": "https://eval.invalid/long", "text": "Paris. " * 100},
        {"url": "https://eval.invalid/short", "text": TEXT},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", "--sync", "--file", str(path), stdout=StringIO(), stderr=err)
    assert "long.jsonl:1: The line is longer than" in err.getvalue()
    assert Article.objects.get().url == "https://eval.invalid/short"


def test_a_text_over_the_length_limit_is_refused_with_the_reason(tmp_path, settings):
    settings.NEWSREADER_MAX_TEXT_CHARS = 200
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"url": "https://eval.invalid/long", "text": TEXT * 2}))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", "--sync", "--file", str(path), stdout=StringIO(), stderr=err)
    assert (
        f"The text is {len(TEXT * 2)} characters long; newsreader keeps articles of up to "
        "200 characters." in err.getvalue()
    )
    assert not Article.objects.exists()


def test_bidi_controls_are_stripped_from_an_imported_text_and_title(tmp_path):
    path = tmp_path / "bidi.jsonl"
    line = {
        "url": "https://eval.invalid/bidi",
        "title": "Paris \u202eweivrevo\u202c talks",
        "text": f"\u2067{TEXT}\u2069",
    }
    path.write_text(json.dumps(line))
    call_command("ingest", "--sync", "--file", str(path), stdout=StringIO(), stderr=StringIO())
    article = Article.objects.get()
    assert article.title == "Paris weivrevo talks"
    assert article.text == TEXT


def test_ingest_without_sync_queues_the_article(jsonl):
    call_command("ingest", "--file", str(jsonl), stdout=StringIO(), stderr=StringIO())
    assert Article.objects.get().status == Article.Status.QUEUED


def test_ingest_needs_something_to_read():
    with pytest.raises(CommandError, match="at least one URL"):
        call_command("ingest")


def test_a_line_with_an_impossible_date_is_reported_and_the_rest_imported(tmp_path):
    path = tmp_path / "articles.jsonl"
    lines = [
        {"url": "https://eval.invalid/7", "text": "Paris is in France.", "published": "2024-02-30"},
        {"url": "https://eval.invalid/8", "text": "Rome is in Italy.", "published": "2024-02-28"},
        {"url": 42, "text": "Oslo."},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", "--sync", "--file", str(path), stdout=StringIO(), stderr=err)
    assert Article.objects.get().url == "https://eval.invalid/8"
    assert "\"published\" is not a real date: '2024-02-30'" in err.getvalue()
    assert '"url" must be a string.' in err.getvalue()


def test_seed_article_imports_with_its_title_and_without_clutter(capsys):
    require(SEED.exists(), f"the seed article is not at {SEED} (shared/ sits beside the repo)")
    call_command("ingest", "--sync", "--file", str(SEED))
    article = Article.objects.get()
    assert article.title == "World Powers Back ISIL Fight In Iraq, But Not In Syria"
    for clutter in ("Make CT Your Homepage", "Like Us on Facebook", "Real Time Analytics"):
        assert clutter not in article.text
    names = {(m.entity.type, m.entity.name) for m in Mention.objects.select_related("entity")}
    assert ("PERSON", "John Kerry") in names
    assert ("COUNTRY", "Iraq") in names and ("COUNTRY", "Syria") in names
    assert not any(name == "Us" for _, name in names)


def test_jsonl_text_is_stored_verbatim_so_offsets_line_up(tmp_path):
    text = "Apple said on Monday that Steve Jobs will return.\n\nJobs founded Apple in 1976."
    path = tmp_path / "articles.jsonl"
    path.write_text(
        '{"url": "https://eval.invalid/1", "title": "Jobs returns", "published": "2009-06-01",'
        f' "text": {json.dumps(text)}}}\n'
        "not json\n"
    )
    with pytest.raises(CommandError, match="1 could not be imported"):
        call_command("ingest", "--sync", "--file", str(path), stderr=StringIO())
    article = Article.objects.get()
    assert article.text == text
    assert article.published_at.date().isoformat() == "2009-06-01"
    jobs = {m.surface: m.entity.name for m in article.mentions.select_related("entity")}
    assert jobs["Steve Jobs"] == jobs["Jobs"] == "Steve Jobs"
    for mention in article.mentions.all():
        assert text[mention.start : mention.end] == mention.surface


@pytest.mark.worker
@pytest.mark.redis
def test_sync_run_and_a_worker_never_process_one_article_twice(
    celery_worker, tmp_path, monkeypatch
):
    """While ``ingest --sync`` analyses a batch, the sweeper runs with every article stale
    and a task for one of the batch reaches a real worker: neither takes the run's articles."""
    from articles.services import ingest as ingest_services
    from articles.tasks import article_process_task

    path = tmp_path / "many.jsonl"
    lines = [{"url": f"https://eval.invalid/{n}", "text": f"{TEXT} Story {n}."} for n in range(40)]
    path.write_text("\n".join(json.dumps(line) for line in lines))
    analyse = ingest_services.articles_analyse
    swept: list[int] = []
    redelivered: list[int] = []

    def analyse_under_pressure(*, articles):
        swept.append(services.articles_requeue_stale(older_than=datetime.timedelta(0)))
        task = article_process_task.apply_async(args=[articles[0].pk])
        deadline = time.monotonic() + 30
        while f"[{task.id}] succeeded" not in celery_worker.log():
            assert time.monotonic() < deadline, celery_worker.log()[-2000:]
            time.sleep(0.1)
        redelivered.append(articles[0].pk)
        analyse(articles=articles)

    monkeypatch.setattr(ingest_services, "articles_analyse", analyse_under_pressure)
    call_command("ingest", "--sync", "--file", str(path), stdout=StringIO(), stderr=StringIO())

    assert swept == [0, 0]  # two batches, nothing stale: every article was claimed
    assert len(redelivered) == 2
    articles = list(Article.objects.all())
    assert len(articles) == 40
    assert {a.status for a in articles} == {Article.Status.DONE}
    # The worker never claimed one: every article is still held by the sync run's token.
    assert len({a.claimed_by for a in articles}) == 1
    assert articles[0].claimed_by.startswith("ingest-sync-")
