"""A name's chip: every value escaped, as the template would, and its page's address."""

from __future__ import annotations

from django.urls import reverse, set_script_prefix

from articles.models import Entity
from articles.templatetags.chips import chip


def test_chip_escapes_the_name_and_links_to_the_entity_page():
    entity = Entity(pk=1, type="ORG", name='A "<b>" & Co', slug="a-b-co")
    assert chip(entity) == (
        f'<a class="chip type-org" href="{reverse("articles:entity", args=["org", "a-b-co"])}">'
        "A &quot;&lt;b&gt;&quot; &amp; Co</a>"
    )


def test_entity_address_follows_a_new_slug_and_the_script_prefix():
    entity = Entity(pk=1, type="PERSON", name="Ann", slug="ann")
    assert entity.get_absolute_url() == "/entities/person/ann/"
    entity.slug = "ann-lee"
    assert entity.get_absolute_url() == "/entities/person/ann-lee/"
    set_script_prefix("/news/")
    try:
        assert entity.get_absolute_url() == "/news/entities/person/ann-lee/"
    finally:
        set_script_prefix("/")
