"""When to poll a feed next: from its own posting rate, its server's hints and its errors.

Pure functions of plain values, so the rules can be tested without a clock or a database.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from itertools import pairwise

__all__ = [
    "MAX_INTERVAL",
    "MIN_INTERVAL",
    "error_backoff",
    "max_age_seconds",
    "not_modified_interval",
    "poll_interval",
]

MIN_INTERVAL = datetime.timedelta(minutes=15)
MAX_INTERVAL = datetime.timedelta(hours=24)
# With nothing to go on (no dated items), poll hourly until the feed says more.
DEFAULT_INTERVAL = datetime.timedelta(hours=1)
# The posting rate is taken from this many of the newest items.
RATE_SAMPLE = 10

_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*\"?(\d+)", re.IGNORECASE)


def poll_interval(
    *,
    published: Iterable[datetime.datetime],
    now: datetime.datetime,
    ttl_minutes: int | None = None,
    max_age: int | None = None,
    retry_after: int | None = None,
) -> datetime.timedelta:
    """The time until the next poll of a feed that was read successfully.

    Half the mean gap between the newest items, the time since the newest counting as
    one more gap (so a feed that falls silent is polled less and less), then never sooner
    than the feed's ``ttl``, ``Cache-Control: max-age`` or ``Retry-After`` allow, and
    always between 15 minutes and 24 hours.
    """
    dates = sorted((min(date, now) for date in published), reverse=True)[:RATE_SAMPLE]
    if dates:
        gaps = [now - dates[0]] + [newer - older for newer, older in pairwise(dates)]
        interval = sum(gaps, datetime.timedelta()) / len(gaps) / 2
    else:
        interval = DEFAULT_INTERVAL
    for floor in (
        datetime.timedelta(minutes=ttl_minutes or 0),
        datetime.timedelta(seconds=max_age or 0),
        datetime.timedelta(seconds=retry_after or 0),
    ):
        interval = max(interval, floor)
    return _clamped(interval)


def not_modified_interval(
    *, interval: datetime.timedelta, max_age: int | None = None
) -> datetime.timedelta:
    """After a 304: the feed's usual interval, no sooner than ``max-age``, within bounds."""
    return _clamped(max(interval, datetime.timedelta(seconds=max_age or 0)))


def error_backoff(
    *, interval: datetime.timedelta, errors: int, retry_after: int | None = None
) -> datetime.timedelta:
    """The wait after ``errors`` failed polls in a row: the usual interval doubled each
    time, at least what ``Retry-After`` asked, between 15 minutes and 24 hours."""
    backoff = interval * 2 ** min(max(errors, 1), 16)
    return _clamped(max(backoff, datetime.timedelta(seconds=retry_after or 0)))


def max_age_seconds(cache_control: str) -> int | None:
    """``max-age`` (or ``s-maxage``) of a ``Cache-Control`` header, if it has one."""
    match = _MAX_AGE.search(cache_control or "")
    return int(match.group(1)) if match else None


def _clamped(interval: datetime.timedelta) -> datetime.timedelta:
    return min(max(interval, MIN_INTERVAL), MAX_INTERVAL)
