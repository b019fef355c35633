"""The newsreader Django project; the Celery app is exported so tasks bind to it."""

from __future__ import annotations

from newsreader.celery import app as celery_app

__all__ = ("celery_app",)
