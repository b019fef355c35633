"""The admin (articles/admin.py): curators' corrections are on record there, read-only;
the analysis' mentions are read-only; deleting articles there keeps the entity counters
right."""

from __future__ import annotations

import datetime

import pytest

from articles import services
from articles.models import Article, ArticleEntity, Correction, Entity, Mention
from tests.factories import ArticleFactory, store_names
from tests.support.counters import assert_counters_are_right

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


@pytest.mark.parametrize(
    ("model", "path"), [(Mention, "mention"), (ArticleEntity, "articleentity")]
)
def test_mentions_are_shown_in_the_admin_but_not_edited(client, staff_user, model, path):
    article = ArticleFactory(text="General Motors said so.")
    store_names(article, [("General Motors", "ORG")])
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)
    row = model.objects.get()

    assert "General Motors" in client.get(f"/admin/articles/{path}/").text
    assert client.get(f"/admin/articles/{path}/{row.pk}/change/").status_code == 200  # view
    assert client.get(f"/admin/articles/{path}/add/").status_code == 403
    assert client.post(f"/admin/articles/{path}/{row.pk}/change/", {}).status_code == 403
    assert (
        client.post(f"/admin/articles/{path}/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    delete_selected = {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    client.post(f"/admin/articles/{path}/", delete_selected)
    assert model.objects.filter(pk=row.pk).exists()


def test_deleting_articles_in_the_admin_keeps_the_entity_counters_right(client, staff_user):
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)
    articles = []
    for day in (1, 2, 3, 4):
        article = ArticleFactory(
            text="John Kerry met Francois Hollande.",
            published_at=datetime.datetime(2024, day, 1, tzinfo=datetime.UTC),
        )
        store_names(article, [("John Kerry", "PERSON"), ("Francois Hollande", "PERSON")])
        articles.append(article)

    page = f"/admin/articles/article/{articles[0].pk}/delete/"
    assert client.post(page, {"post": "yes"}).status_code == 302
    assert_counters_are_right()
    assert Entity.objects.get(name="John Kerry").article_count == 3

    selected = [articles[1].pk, articles[3].pk]
    action = {"action": "delete_selected", "_selected_action": selected, "post": "yes"}
    assert client.post("/admin/articles/article/", action).status_code == 302
    assert_counters_are_right()
    kerry = Entity.objects.get(name="John Kerry")
    assert (kerry.article_count, kerry.first_seen, kerry.last_seen) == (
        1,
        articles[2].published_at,
        articles[2].published_at,
    )
    assert list(Article.objects.values_list("pk", flat=True)) == [articles[2].pk]
