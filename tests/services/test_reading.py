"""Reading state: read and unread, saved, hidden, mark all as read and its undo, follows."""

from __future__ import annotations

import uuid

import pytest

from articles import selectors, services
from articles.models import Article, Entity, Follow, Reading
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user(username="other", password="correct horse")


def test_marking_read_keeps_the_first_read_time_and_unread_clears_it(user):
    article = ArticleFactory()
    first = services.article_set_read(user=user, article=article, read=True).read_at
    again = services.article_set_read(user=user, article=article, read=True).read_at
    assert first is not None and again == first
    assert services.article_set_read(user=user, article=article, read=False).read_at is None
    assert Reading.objects.count() == 1


def test_saving_and_hiding_are_separate_from_reading(user):
    article = ArticleFactory()
    services.article_set_saved(user=user, article=article, saved=True)
    services.article_set_hidden(user=user, article=article, hidden=True)
    reading = Reading.objects.get(user=user, article=article)
    assert reading.saved_at and reading.hidden_at and reading.read_at is None
    services.article_set_saved(user=user, article=article, saved=False)
    reading.refresh_from_db()
    assert reading.saved_at is None and reading.hidden_at is not None


def test_mark_all_read_marks_only_the_articles_given_and_undo_restores_them(user, other_user):
    marked, kept = ArticleFactory.create_batch(3), ArticleFactory()
    already = ArticleFactory()
    services.article_set_read(user=user, article=already, read=True)
    services.article_set_saved(user=user, article=marked[0], saved=True)
    articles = Article.objects.exclude(pk=kept.pk)

    result = services.articles_mark_read(user=user, articles=articles)

    assert result.count == 3  # the one already read is not counted, nor marked again
    read = set(
        Reading.objects.filter(user=user, read_at__isnull=False).values_list("article", flat=True)
    )
    assert read == {article.pk for article in [*marked, already]}
    assert not Reading.objects.filter(user=other_user).exists()

    # Another user's undo with the same token changes nothing.
    assert services.articles_unmark_read(user=other_user, token=result.token) == 0
    services.articles_unmark_read(user=user, token=result.token)

    read = set(
        Reading.objects.filter(user=user, read_at__isnull=False).values_list("article", flat=True)
    )
    assert read == {already.pk}
    assert Reading.objects.get(user=user, article=marked[0]).saved_at is not None  # star kept
    assert not Reading.objects.filter(user=user, article=marked[1]).exists()


def test_an_article_read_by_hand_after_mark_all_stays_read_on_undo(user):
    article = ArticleFactory()
    result = services.articles_mark_read(user=user, articles=Article.objects.all())
    services.article_set_read(user=user, article=article, read=True)  # opened since
    services.articles_unmark_read(user=user, token=result.token)
    assert Reading.objects.get(user=user, article=article).read_at is not None


def test_undo_with_an_unknown_token_changes_nothing(user):
    services.articles_mark_read(user=user, articles=Article.objects.filter(pk=ArticleFactory().pk))
    assert services.articles_unmark_read(user=user, token=uuid.uuid4()) == 0
    assert Reading.objects.filter(read_at__isnull=False).count() == 1


def test_follow_is_idempotent_and_unfollow_removes_it(user):
    entity = Entity.objects.create(
        type="PERSON", name="Ada Lovelace", slug="ada-lovelace", key="ada lovelace"
    )
    assert services.entity_follow(user=user, entity=entity) == services.entity_follow(
        user=user, entity=entity
    )
    assert selectors.follow_exists(user=user, entity=entity)
    services.entity_unfollow(user=user, entity=entity)
    assert not Follow.objects.exists()
