"""The count badge: the number, "99+" past the selectors' cap."""

from __future__ import annotations

from articles.selectors import COUNT_CAP
from articles.templatetags.counts import count_badge


def test_a_count_shows_until_the_cap_then_the_cap_plus():
    assert count_badge(0) == '<span class="count">0</span>'
    assert count_badge(COUNT_CAP) == f'<span class="count">{COUNT_CAP}</span>'
    assert count_badge(COUNT_CAP + 1) == f'<span class="count">{COUNT_CAP}+</span>'
