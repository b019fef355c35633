"""Copies of one story found by MinHash, different stories on the same names kept apart."""

from __future__ import annotations

import os
import subprocess
import sys

from articles.nlp.copies import copy_groups, signature

STORY = (
    "Northrop Grumman and EADS have defeated Boeing for a contract to supply the United "
    "States Air Force with 179 new aerial refueling tankers at a rate of 15 a year. The "
    "Air Force said the decision followed a long review of the three bids and the cost "
    "of each aircraft over its working life."
)
OTHER_STORY = (
    "Boeing unveiled its new 787 Dreamliner at a ceremony in Washington, where the company "
    "said orders from airlines had passed 600 aircraft. EADS and Northrop Grumman were not "
    "at the event, which the United States Air Force watched closely."
)


def test_a_wire_copy_with_other_boilerplate_is_grouped_with_its_original():
    copy = f"WASHINGTON (Wire) - {STORY}\n\nCopyright 2024 Wire News. All rights reserved."
    assert copy_groups({1: STORY, 2: copy, 3: OTHER_STORY}) == [{1, 2}]


def test_different_stories_about_the_same_names_are_not_copies():
    assert copy_groups({1: STORY, 2: OTHER_STORY}) == []


def test_texts_too_short_to_judge_are_left_out():
    brief = "Markets closed higher on Friday after a quiet week."
    assert copy_groups({1: "", 2: "...", 3: brief, 4: brief, 5: STORY}) == []


def test_a_signature_is_the_same_in_every_process():
    """Stored signatures must match ones computed later: no per-process hash seed."""
    code = (
        "from articles.nlp.copies import signature; import sys; "
        "sys.stdout.write(signature(sys.argv[1]).hashvalues.tobytes().hex())"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code, STORY],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert outputs == {signature(STORY).hashvalues.tobytes().hex()}
