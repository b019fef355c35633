"""``manage.py reprocess``: stored articles analysed again."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Entity, Mention

pytestmark = [pytest.mark.django_db, pytest.mark.nlp]


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
