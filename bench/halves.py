"""The two fixed halves every dev set is split into, so a rule is tuned on one and checked
on the other (a rule that helps one half and hurts the other is fitted to documents).

A document's half depends only on its id (page id, document id), never on the set's order
or size: sha1 of the id, its last hex digit even (half "A") or odd (half "B").
"""

from __future__ import annotations

import hashlib

__all__ = ["HALVES", "half_of"]

HALVES = ("A", "B")


def half_of(document_id: str) -> str:
    """The half of a document id, "A" or "B": the same on every run and machine."""
    last_digit = int(hashlib.sha1(document_id.encode("utf-8")).hexdigest()[-1], 16)
    return HALVES[last_digit % 2]
