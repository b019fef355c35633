"""Optional login-to-read: a private library sends anonymous readers to the login page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse


class LoginToReadMiddleware:
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
