"""Values that are costly to work out and may be a little old, kept in the cache for a
while (the reader's counts, display preferences and whether they have subscriptions; the
library's size). Without a cache (Redis down), they are worked out each time: a slower
page, never a failed one."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError


def kept(
    key: str,
    *,
    seconds: int,
    compute: Callable[[], Any],
    usable: Callable[[Any], bool] = lambda value: True,
) -> Any:
    """The value under ``key`` in the cache while ``usable``, else ``compute()``, kept for
    ``seconds``."""
    value = None
    with contextlib.suppress(RedisError, OSError):
        value = cache.get(key)
    if value is not None and usable(value):
        return value
    value = compute()
    with contextlib.suppress(RedisError, OSError):
        cache.set(key, value, seconds)
    return value


def reader_key(name: str, *, user_id: int) -> str:
    """The key of one reader's own kept value ``name``."""
    return f"{name}:{user_id}"


def forget(keys: list[str]) -> None:
    """Drop these kept values once the change that made them old is committed (before,
    a page could work out the old state again and keep it)."""

    def drop() -> None:
        with contextlib.suppress(RedisError, OSError):  # no cache: nothing kept
            cache.delete_many(keys)

    transaction.on_commit(drop)
