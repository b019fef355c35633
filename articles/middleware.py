"""Request boundaries: NUL characters refused outright; optional login-to-read."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.urls import reverse


class RejectNulMiddleware:
    """Answer 400 to a path or query parameter with a NUL character in it.

    No address or search term of this site contains one, and PostgreSQL refuses to
    compare a text with it (``DataError``): checked here, before any view, the admin
    included, or the session and user lookups, read a value.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in name or "\x00" in value
            for name, values in request.GET.lists()
            for value in values
        ):
            raise BadRequest("The address contains a NUL character.")
        return self.get_response(request)


class LoginToReadMiddleware:
    """A private library (NEWSREADER_LOGIN_TO_READ) sends anonymous readers to log in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.NEWSREADER_LOGIN_TO_READ
            and not request.user.is_authenticated
            and not request.path.startswith((reverse("login"), "/admin/", settings.STATIC_URL))
        ):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
