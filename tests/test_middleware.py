"""Request boundaries (articles/middleware.py): a NUL anywhere in the address is a 400."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/?source=a%00b",
        "/?page=1&source%00=x",
        "/entities/person/%00/",
        "/entities/?type=%00",
    ],
)
def test_a_nul_in_the_path_or_a_query_value_is_a_400_not_a_500(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "contains characters no page or search here can have" in response.text


def test_the_admin_filters_are_covered_too(client, django_user_model):
    root = django_user_model.objects.create_superuser(username="root", password="x" * 20)
    client.force_login(root)
    assert client.get("/admin/articles/article/?status__exact=%00").status_code == 400
    assert client.get("/admin/articles/article/?status__exact=done").status_code == 200


def test_ordinary_addresses_pass(client):
    assert client.get("/search/?q=Kerry+%C3%A9").status_code == 200
