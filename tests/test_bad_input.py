"""Bad pages end in a failed article with a reason a reader understands; transient
failures are retried, permanent ones are not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article
from articles.tasks import article_process_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def fetch_locally(settings):
    settings.NEWSREADER_ALLOW_PRIVATE_URLS = True


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/gone.html", "404"),
        ("/report.pdf", "PDF"),
        ("/data.json", "not a web page"),
        ("/photo.png", "not a web page"),
        ("/login.html", "No article text was found"),
    ],
)
def test_permanent_failure_is_recorded_at_once_with_a_reason(
    page_server, fetch_locally, client, user, path, reason
):
    article, _ = services.article_ingest_url(url=f"{page_server}{path}", queue=False)
    article_process_task.apply(args=[article.pk])
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert reason.lower() in article.error.lower()
    client.force_login(user)
    card = client.get(reverse("articles:card", args=[article.pk])).content.decode()
    assert "Retry" in card


def test_server_error_is_retried_with_backoff(page_server, fetch_locally, monkeypatch):
    article, _ = services.article_ingest_url(url=f"{page_server}/broken.html", queue=False)
    delays = []

    def record_retry(self, exc=None, countdown=None, **kwargs):
        delays.append(countdown)
        raise exc

    monkeypatch.setattr(article_process_task.__class__, "retry", record_retry)
    article_process_task.apply(args=[article.pk])
    assert delays == [10]
    article.refresh_from_db()
    assert article.status != Article.Status.DONE


def test_private_address_is_refused_when_pasted(page_server, client, user):
    client.force_login(user)
    response = client.post(
        reverse("articles:paste"),
        {"url": f"{page_server}/kerry-visit.html"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "private network" in response.content.decode()
    assert not Article.objects.exists()
