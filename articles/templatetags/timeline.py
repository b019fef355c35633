"""The entity page's timeline bars, built in Python: three years of months are 36 bars of
eight values each, and as template nodes they were most of the page's rendering. Every
value is escaped, as the template would."""

from __future__ import annotations

import datetime
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def timeline_bars(rows: list[dict], month: datetime.date | None) -> SafeString:
    """One <li> per period (``selectors.entity_timeline``): its count above a bar whose
    height is its share of the busiest period (SVG attributes: the CSP allows no inline
    style), its label below; a month's bar links to that month's coverage."""
    chosen = f"{month:%Y-%m}" if month else ""
    items = []
    for row in rows:
        articles = int(row["articles"])
        percent = int(row["percent"])
        hidden = "" if row["show_label"] else " visually-hidden"
        # Spaced like the words they are read as: "2 articles in Jan 14".
        bar = (
            f'<span class="timeline-count">{articles}</span>\n'
            f'<span class="visually-hidden">article{"" if articles == 1 else "s"} in</span>\n'
            '<svg class="timeline-bar" viewBox="0 -100 34 100" preserveAspectRatio="none" '
            f'aria-hidden="true"><rect x="0" y="-{percent}" width="34" height="{percent}" />'
            f'</svg>\n<span class="timeline-label{hidden}">{escape(row["label"])}</span>'
        )
        if row.get("month"):
            current = ' aria-current="true"' if row["month"] == chosen else ""
            bar = f'<a href="?month={escape(row["month"])}"{current}>{bar}</a>'
        items.append(f"<li>{bar}</li>")
    return mark_safe("\n".join(items))  # every value escaped or a number above
