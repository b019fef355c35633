"""The search page's per-hit markup, built in Python: a page of 20 hits has about 100
chips and 200 marked parts, and as template nodes they were most of its rendering time
(a variable lookup per attribute). The output is the same HTML, every value escaped:
by ``html.escape``, what Django's ``escape`` calls, without its lazy-string wrapper."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from articles.search_query import SnippetPart
from articles.selectors.reading import Chip

register = template.Library()

# Chips under a hit: fewer than the reading list's CHIPS_PER_ARTICLE, beside a snippet.
HIT_CHIPS = 5


@register.filter
def marked(parts: Sequence[SnippetPart]) -> SafeString:
    """A title or snippet's parts as HTML: each escaped, the matched words in <mark>."""
    return mark_safe(  # every part escaped here
        "".join(
            f"<mark>{escape(part.text)}</mark>" if part.marked else escape(part.text)
            for part in parts
        )
    )


@register.simple_tag
def narrow_chips(
    entities: Sequence[Chip], search_url: str, chosen_ids: Collection[int]
) -> SafeString:
    """A hit's first names as chips that add the name to the search (``search_url``,
    which has a query string), less the names already chosen."""
    search_url = conditional_escape(search_url)
    chips = []
    for entity in entities[:HIT_CHIPS]:
        if entity.pk not in chosen_ids:
            name = escape(entity.name)
            chips.append(
                f'<li><a class="chip type-{escape(entity.type.lower())}" '
                f'href="{search_url}&amp;entity={entity.pk}" '
                f'title="Only articles that name {name}">+ {name}</a></li>'
            )
    return mark_safe("\n".join(chips))  # every value escaped above
