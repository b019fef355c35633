"""The search page's per-hit markup: every value escaped, as the template would."""

from __future__ import annotations

from articles.search_query import SnippetPart
from articles.selectors.reading import Chip
from articles.templatetags.search_hits import HIT_CHIPS, marked, narrow_chips


def test_marked_escapes_every_part_and_marks_the_matches():
    parts = [SnippetPart('The "<b>'), SnippetPart("bank & co", marked=True), SnippetPart(" ok")]
    assert marked(parts) == "The &quot;&lt;b&gt;<mark>bank &amp; co</mark> ok"


def _chip(pk: int, name: str) -> Chip:
    return Chip(pk=pk, type="ORG", name=name, slug="s")


def test_narrow_chips_escape_names_and_leave_out_the_chosen_names():
    chips = [_chip(1, 'A "<b>" & Co'), _chip(2, "Chosen"), *(_chip(i, "X") for i in range(3, 9))]
    html = narrow_chips(chips, "?q=a&b=<c>", chosen_ids=(2,))
    assert html.startswith(
        '<li><a class="chip type-org" href="?q=a&amp;b=&lt;c&gt;&amp;entity=1" '
        'title="Only articles that name A &quot;&lt;b&gt;&quot; &amp; Co">'
        "+ A &quot;&lt;b&gt;&quot; &amp; Co</a></li>\n"
    )
    assert "Chosen" not in html
    assert html.count("<li>") == HIT_CHIPS - 1  # the first HIT_CHIPS, less the chosen one
