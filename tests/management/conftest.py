"""Fixtures of the command tests: a small JSON Lines import."""

from __future__ import annotations

import json

import pytest

TEXT = (
    "General Motors (GM) said on Tuesday that Rick Wagoner would step down. "
    "Wagoner led GM for eight years.\n\nThe United States Treasury approved the plan."
)


@pytest.fixture
def jsonl(tmp_path):
    path = tmp_path / "articles.jsonl"
    line = {"url": "https://eval.invalid/1", "title": "GM chief", "text": TEXT,
            "published": "2009-03-30"}  # fmt: skip
    path.write_text(json.dumps(line) + "\n")
    return path
