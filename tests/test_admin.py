"""The admin (articles/admin.py): curators' corrections are on record there, read-only."""

from __future__ import annotations

import pytest

from articles import services
from articles.models import Correction, Entity
from tests.factories import ArticleFactory, store_names

pytestmark = pytest.mark.django_db


def test_corrections_are_listed_in_the_admin_and_cannot_be_edited(client, staff_user):
    article = ArticleFactory(text="GM and General Motors said so.")
    store_names(article, [("GM", "ORG"), ("General Motors", "ORG")])

    source, target = Entity.objects.get(name="GM"), Entity.objects.get(name="General Motors")
    services.entities_merge(source=source, target=target, user=staff_user)
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)

    listing = client.get("/admin/articles/correction/").content.decode()
    assert "GM merged into General Motors" in listing
    correction = Correction.objects.get()
    assert client.get("/admin/articles/correction/add/").status_code == 403
    change = client.post(
        f"/admin/articles/correction/{correction.pk}/change/", {"detail": "rewritten"}
    )
    assert change.status_code == 403
    correction.refresh_from_db()
    assert correction.detail == "GM merged into General Motors"
