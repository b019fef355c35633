"""Template context every page needs: the logged-in reader's display preferences."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from articles import selectors


def reader_preference(request: HttpRequest) -> dict[str, object]:
    """``reader_preference`` for a logged-in reader (read only when a template uses it).

    An error page answered before authentication (a NUL in the address) has no user.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"reader_preference": SimpleLazyObject(lambda: selectors.reader_preference(user=user))}
