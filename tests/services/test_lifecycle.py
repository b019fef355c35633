"""An article's way through the pipeline (articles/services/lifecycle.py): claims, sweeps."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from articles import services
from articles.models import Article
from articles.services import lifecycle

pytestmark = pytest.mark.django_db


def test_an_article_left_mid_way_by_a_lost_task_is_released_and_claimed_again(settings):
    from unittest import mock

    article = Article.objects.create(url="https://example.org/lost", text="Some text.")
    assert services.article_claim(article_id=article.pk, token="lost-task") is not None
    assert services.article_claim(article_id=article.pk, token="another") is None
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    Article.objects.filter(pk=article.pk).update(updated_at=long_ago)
    with mock.patch.object(lifecycle, "_send_process_task", return_value=True) as send:
        assert services.articles_requeue_stale() == 1
    send.assert_called_once_with(article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED and article.claimed_by == ""
    assert services.article_claim(article_id=article.pk, token="new-task") is not None
