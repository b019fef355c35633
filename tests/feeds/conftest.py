"""Fixtures of the feeds tests: the local server of sites, feeds and articles."""

from __future__ import annotations

from tests.feeds.server import feed_server

__all__ = ["feed_server"]
