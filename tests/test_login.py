"""Login throttling (django-axes, configured in settings): per account and per address,
on the site's login page and the admin's, with a lockout that says why and ends."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

pytestmark = pytest.mark.django_db

WRONG = "not the password"


def _log_in(client, username: str, password: str, *, address: str = "203.0.113.7", url=None):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_wrong_passwords_lock_the_account_with_a_clear_message_until_the_cool_off_ends(
    client, user, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _log_in(client, "reader", WRONG).status_code == 200  # the form again
    locked = _log_in(client, "reader", WRONG)
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.text
    # Locked as an account: the right password from another address is refused too.
    assert _log_in(client, "reader", "correct horse", address="198.51.100.1").status_code == 429
    assert "_auth_user_id" not in client.session

    # The cool-off passes (the failures are recorded as that much older).
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME)
    response = _log_in(client, "reader", "correct horse", address="198.51.100.1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_one_address_guessing_many_accounts_is_locked_out(client, django_user_model, settings):
    django_user_model.objects.create_user(username="victim", password="correct horse")
    for number in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, f"guess{number}", WRONG)
    assert _log_in(client, "victim", "correct horse").status_code == 429
    assert _log_in(client, "victim", "correct horse", address="198.51.100.1").status_code == 302


def test_the_admin_login_is_throttled_too(client, staff_user, settings):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "curator", WRONG, url=url)
    response = _log_in(client, "curator", "correct horse", url=url)
    assert response.status_code == 429
    assert "Too many failed logins" in response.text
