"""Helpers for tests that wait on a real worker."""

from __future__ import annotations

import time

import pytest

from articles.models import Article


def wait_for_status(
    article: Article, statuses: set[str], timeout: float = 60, interval: float = 0.1
) -> Article:
    """Poll the article until its status is one of ``statuses``; fail with the last one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        article.refresh_from_db()
        if article.status in statuses:
            return article
        time.sleep(interval)
    pytest.fail(f"Article {article.pk} stayed {article.status!r} for {timeout} s, not {statuses}")


def wait_until_finished(article: Article, timeout: float = 90) -> Article:
    return wait_for_status(article, {Article.Status.DONE, Article.Status.FAILED}, timeout)
