from __future__ import annotations

from django.apps import AppConfig
from django.conf import settings


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and entities"

    def ready(self) -> None:
        # The embedded defaults (SQLite, the filesystem broker, static files) need their
        # folders before the first request, task or migration; importing settings alone
        # creates nothing.
        for folder in settings.LOCAL_DIRS:
            folder.mkdir(parents=True, exist_ok=True)
