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
    call_command("ingest", "--sync", "--file", str(path))
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
