"""Shared fixtures: a private cache per test, users; the plugins below add the rest.

Tests that need a real service say so with a marker or with ``tests.support.require``. On
a laptop without the service they skip with the reason; with ``CI=true`` a missing
service fails the run instead.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.support import IN_CI

pytest_plugins = ["tests.support.pages", "tests.support.worker"]


def pytest_collection_modifyitems(config, items) -> None:
    uses_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    for item in items:
        if item.get_closest_marker("postgres") and not uses_postgres:
            item.add_marker(
                pytest.mark.skipif(not IN_CI, reason="needs PostgreSQL: set DATABASE_URL")
            )


@pytest.fixture(autouse=True)
def _private_cache(settings) -> None:
    """A cache of each test's own, so the per-user paste limit counts one test's pastes."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="reader", password="correct horse")


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="curator", password="correct horse", is_staff=True
    )
