"""``{% count n %}``: a count the selectors capped (COUNT_CAP) as its badge, "99+" past
the cap, built in Python: the feeds sidebar and the Feeds page show one per feed, and as
an included template each cost a template render (60 feeds: 3 ms)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from articles.selectors.reading import COUNT_CAP

register = template.Library()


@register.simple_tag(name="count")
def count_badge(count: int) -> SafeString:
    shown = f"{COUNT_CAP}+" if count > COUNT_CAP else str(int(count))
    return mark_safe(f'<span class="count">{shown}</span>')  # digits only
