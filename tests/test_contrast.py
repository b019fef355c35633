"""The stylesheet's colours meet WCAG contrast in both themes, computed from the file itself.

Every colour in newsreader.css is a `--name: light-dark(#light, #dark)` pair; each pair
below is checked in the light theme and in the dark one.
"""

from __future__ import annotations

import re

import pytest

from tests.support import REPO_ROOT

STYLESHEET = (REPO_ROOT / "static" / "css" / "newsreader.css").read_text()
COLOURS = {
    name: (light, dark)
    for name, light, dark in re.findall(
        r"--([a-z-]+): light-dark\((#[0-9a-f]{6}), (#[0-9a-f]{6})\);", STYLESHEET
    )
}
TYPES = ["person", "country", "org", "place"]
THEMES = {"light": 0, "dark": 1}

# Text and what it is drawn on: 4.5:1 (WCAG 1.4.3).
TEXT = [
    *[("mention-ink", entity_type) for entity_type in TYPES],
    ("mention-ink", "match"),
    ("ink", "bg"),
    ("ink", "surface"),
    ("muted", "bg"),
    ("muted", "surface"),
    ("accent", "bg"),
    ("accent", "surface"),
    ("on-accent", "accent"),
    ("error", "bg"),
    ("error", "error-bg"),
    ("ink", "error-bg"),
    ("muted", "error-bg"),
    ("ink", "success-bg"),
    ("ink", "notice-bg"),
    ("snippet-ink", "bg"),
]
# Shapes that carry meaning, against what is around them: 3:1 (WCAG 1.4.11). A highlight
# against the page, a field's border, a timeline bar.
SHAPES = [
    *[(entity_type, "bg") for entity_type in TYPES],
    ("match", "bg"),
    ("field-line", "surface"),
    ("accent", "bg"),
]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    darker, lighter = sorted([_luminance(first), _luminance(second)])
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_the_wcag_ratio():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_every_colour_the_checks_name_is_in_the_stylesheet():
    named = {name for pair in TEXT + SHAPES for name in pair}
    assert named <= set(COLOURS), named - set(COLOURS)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("foreground", "background"), TEXT)
def test_text_contrast_is_at_least_4_5(theme, foreground, background):
    index = THEMES[theme]
    ratio = contrast(COLOURS[foreground][index], COLOURS[background][index])
    assert ratio >= 4.5, f"{foreground} on {background}, {theme}: {ratio:.2f}"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("shape", "background"), SHAPES)
def test_highlights_and_shapes_contrast_at_least_3_with_the_page(theme, shape, background):
    index = THEMES[theme]
    ratio = contrast(COLOURS[shape][index], COLOURS[background][index])
    assert ratio >= 3, f"{shape} against {background}, {theme}: {ratio:.2f}"


def test_the_stylesheet_table_of_highlight_contrasts_is_up_to_date():
    rows = re.findall(
        r"^  (\w+) +(#\w{6}) +([\d.]+) +([\d.]+) +(#\w{6}) +([\d.]+) +([\d.]+)$",
        STYLESHEET,
        re.MULTILINE,
    )
    computed = []
    for entity_type in TYPES:
        row = [entity_type]
        for index in THEMES.values():
            highlight = COLOURS[entity_type][index]
            page = COLOURS["bg"][index]
            ink = COLOURS["mention-ink"][index]
            row += [
                highlight,
                f"{contrast(highlight, page):.2f}",
                f"{contrast(ink, highlight):.2f}",
            ]
        computed.append(tuple(row))
    assert rows == computed
