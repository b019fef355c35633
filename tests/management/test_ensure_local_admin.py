"""``manage.py ensure_local_admin``: the first run's staff user, its password shown once."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def test_first_run_prints_the_password_once_in_a_box_with_how_to_reset_it():
    out = StringIO()
    call_command("ensure_local_admin", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[0].startswith("+--") and lines[-1] == lines[0]
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines[1:-1])
    assert len({len(line) for line in lines}) == 1
    assert "manage.py changepassword admin" in out.getvalue()
    password = re.search(r"password +(\S+)", out.getvalue()).group(1)
    request = RequestFactory().post("/login/")
    assert authenticate(request, username="admin", password=password).is_staff

    again = StringIO()
    call_command("ensure_local_admin", stdout=again)
    assert again.getvalue() == ""


def test_run_script_prints_the_first_run_password_after_everything_else():
    from django.conf import settings

    script = (settings.BASE_DIR / "scripts" / "run.sh").read_text()
    shown = script.index('echo "$FIRST_RUN_ADMIN"')
    assert script.index("migrate") < script.index("ensure_local_admin")
    assert script.index("celery") < script.index("newsreader is starting") < shown
    assert shown < script.index("runserver") and shown < script.index("gunicorn newsreader")
