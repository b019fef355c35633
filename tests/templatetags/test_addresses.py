"""The kept ``url`` tag answers as ``reverse()`` does."""

from __future__ import annotations

from django.template import engines
from django.urls import reverse


def test_address_is_the_url_tag_kept():
    template = engines["django"].from_string(
        "{% load addresses %}{% address 'feeds:rename' 7 %} "
        "{% address 'articles:reading' 9 as url %}{{ url }}"
    )
    assert template.render({}) == (
        f"{reverse('feeds:rename', args=[7])} {reverse('articles:reading', args=[9])}"
    )
