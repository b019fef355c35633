"""Support for the tests: what a test needs beyond its own module.

``require`` (here) skips a test on a laptop without a service it needs and fails it under
``CI=true``. The fixtures live in modules registered as plugins by ``tests/conftest.py``:
``pages`` (a local web server of news pages) and ``worker`` (real Celery workers);
``waiting`` has the helpers that poll an article while a worker processes it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# In CI the repository is a fresh clone with shared/ (eval sets, examples) beside it.
SHARED = REPO_ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip on a laptop, fail in CI, when a real service the test needs is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)
