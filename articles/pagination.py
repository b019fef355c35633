"""Keyset pagination: a page is the rows after (or before) the last one seen, in index order.

No page number, no OFFSET and no COUNT(*): each page is one index range scan of its own
size, however deep it is and however large the table. A cursor is the sort key of a row
("<first key>.<id>", a date as microseconds since 1970), so links stay valid as rows
are added: a new article shifts nothing, where it would shift every numbered page.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

_CURSOR = re.compile(r"(-?\d{1,19})\.(\d{1,19})")
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)


@dataclass(frozen=True)
class Cursor:
    key: Any  # the first sort key: a datetime or an int
    id: int

    def __str__(self) -> str:
        key = self.key
        if isinstance(key, datetime.datetime):
            key = (key - _EPOCH) // _MICROSECOND
        return f"{key}.{self.id}"

    @classmethod
    def parse(cls, value: str | None, *, dated: bool) -> Cursor | None:
        """The cursor in a request value, or None for anything else."""
        match = _CURSOR.fullmatch(value or "")
        if not match:
            return None
        key, row_id = int(match[1]), int(match[2])
        if dated:
            try:
                return cls(_EPOCH + key * _MICROSECOND, row_id)
            except OverflowError:
                return None
        return cls(key, row_id)


@dataclass
class KeysetPage:
    """One page of rows; ``next``/``previous`` are the cursors of the neighbouring pages."""

    items: list
    next: Cursor | None = None
    previous: Cursor | None = None
    extra: dict = field(default_factory=dict)

    def __iter__(self) -> Iterator:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def keyset_page(
    rows: QuerySet,
    *,
    key: str,
    id_field: str = "id",
    descending: bool = True,
    after: Cursor | None = None,
    before: Cursor | None = None,
    size: int,
) -> KeysetPage:
    """The ``size`` rows that follow ``after`` (or precede ``before``) in (key, id) order.

    The queryset must be indexed on (key, id) under its filters; PostgreSQL and SQLite
    both walk such an index either way, so one index serves both orders.
    """
    pair = Tuple(F(key), F(id_field))
    forward = before is None
    if after is not None:
        rows = rows.filter(
            (TupleLessThan if descending else TupleGreaterThan)(pair, astuple(after))
        )
    if before is not None:
        rows = rows.filter(
            (TupleGreaterThan if descending else TupleLessThan)(pair, astuple(before))
        )
    walk_down = descending == forward
    prefix = "-" if walk_down else ""
    found = list(rows.order_by(f"{prefix}{key}", f"{prefix}{id_field}")[: size + 1])
    more = len(found) > size
    items = found[:size]
    if not forward:
        items.reverse()
    page = KeysetPage(items)
    if items:
        has_next = more if forward else True
        has_previous = (after is not None) if forward else more
        if has_next:
            page.next = _cursor_of(items[-1], key, id_field)
        if has_previous:
            page.previous = _cursor_of(items[0], key, id_field)
    return page


def astuple(cursor: Cursor) -> tuple:
    return (cursor.key, cursor.id)


def _cursor_of(row, key: str, id_field: str) -> Cursor:
    if isinstance(row, dict):
        return Cursor(row[key], row[id_field])
    return Cursor(getattr(row, key), getattr(row, id_field))
