"""The poll interval: the feed's own posting rate, the server's hints, backoff on errors."""

from __future__ import annotations

import datetime

import pytest

from feeds.schedule import (
    DEFAULT_INTERVAL,
    MAX_INTERVAL,
    MIN_INTERVAL,
    error_backoff,
    max_age_seconds,
    not_modified_interval,
    poll_interval,
)

NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def posted_every(gap: datetime.timedelta, count: int = 10) -> list[datetime.datetime]:
    return [NOW - gap * n for n in range(count)]


def test_a_feed_posting_every_four_hours_is_polled_every_two():
    assert poll_interval(published=posted_every(4 * HOUR), now=NOW) == pytest.approx(
        2 * HOUR * 9 / 10, abs=datetime.timedelta(minutes=1)
    )


def test_a_busy_feed_is_polled_no_more_than_every_15_minutes():
    assert poll_interval(published=posted_every(datetime.timedelta(minutes=2)), now=NOW) == (
        MIN_INTERVAL
    )


def test_a_weekly_feed_is_polled_at_least_daily():
    assert poll_interval(published=posted_every(7 * 24 * HOUR), now=NOW) == MAX_INTERVAL


def test_a_feed_that_fell_silent_is_polled_less_often():
    recent = poll_interval(published=posted_every(HOUR, 5), now=NOW)
    silent = poll_interval(published=[d - 48 * HOUR for d in posted_every(HOUR, 5)], now=NOW)
    assert silent > recent


def test_undated_feed_gets_the_default_and_future_dates_count_as_now():
    assert poll_interval(published=[], now=NOW) == DEFAULT_INTERVAL
    assert poll_interval(published=[NOW + 100 * HOUR], now=NOW) == MIN_INTERVAL


@pytest.mark.parametrize(
    ("hints", "expected"),
    [
        ({"ttl_minutes": 180}, 3 * HOUR),
        ({"max_age": 7200}, 2 * HOUR),
        ({"retry_after": 5 * 3600}, 5 * HOUR),
        ({"ttl_minutes": 60 * 24 * 30}, MAX_INTERVAL),
    ],
)
def test_server_hints_are_a_floor_within_the_bounds(hints, expected):
    busy = posted_every(datetime.timedelta(minutes=2))
    assert poll_interval(published=busy, now=NOW, **hints) == expected


def test_errors_back_off_exponentially_up_to_a_day():
    waits = [error_backoff(interval=HOUR, errors=n) for n in range(1, 7)]
    assert waits[:4] == [2 * HOUR, 4 * HOUR, 8 * HOUR, 16 * HOUR]
    assert waits[4:] == [MAX_INTERVAL, MAX_INTERVAL]


def test_backoff_honours_retry_after_and_the_minimum():
    short = datetime.timedelta(minutes=1)
    assert error_backoff(interval=short, errors=1) == MIN_INTERVAL
    assert error_backoff(interval=short, errors=1, retry_after=3 * 3600) == 3 * HOUR


def test_an_unchanged_feed_keeps_its_interval_unless_max_age_asks_more():
    assert not_modified_interval(interval=2 * HOUR) == 2 * HOUR
    assert not_modified_interval(interval=2 * HOUR, max_age=3 * 3600) == 3 * HOUR
    assert not_modified_interval(interval=2 * HOUR, max_age=365 * 86400) == MAX_INTERVAL


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("public, max-age=600", 600),
        ('s-maxage="120", no-transform', 120),
        ("no-cache", None),
        ("", None),
    ],
)
def test_max_age_is_read_from_cache_control(header, seconds):
    assert max_age_seconds(header) == seconds
