"""Curation: each correction changes past articles at once and holds for future ones."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.urls import reverse

from articles import services
from articles.models import Article, Correction, Entity, EntityAlias, Mention
from articles.services import curation
from tests.factories import ArticleFactory, store_names

pytestmark = pytest.mark.django_db


def test_merge_moves_mentions_and_future_articles_follow(staff_user):
    # Two names the machine cannot know are one company: a curator does.
    first = ArticleFactory(text="Alphabet cut jobs.")
    store_names(first, [("Alphabet", "ORG")])
    second = ArticleFactory(text="Google cut jobs again.")
    store_names(second, [("Google", "ORG")])
    google = Entity.objects.get(name="Google")
    alphabet = Entity.objects.get(name="Alphabet")

    services.entities_merge(source=google, target=alphabet, user=staff_user)

    assert not Entity.objects.filter(name="Google").exists()
    assert set(Mention.objects.values_list("entity__name", flat=True)) == {"Alphabet"}
    alphabet.refresh_from_db()
    assert alphabet.article_count == 2
    later = ArticleFactory(text="Google hired staff.")
    store_names(later, [("Google", "ORG")])
    assert later.mentions.get().entity == alphabet
    assert Correction.objects.get().action == Correction.Action.MERGE


def test_merge_across_types_is_refused_with_a_reason():
    article = ArticleFactory(text="Georgia and Georgia.")
    store_names(article, [("Georgia", "COUNTRY")])
    country = Entity.objects.get()
    person = Entity.objects.create(type="PERSON", name="Georgia May", key="georgia may", slug="g")
    with pytest.raises(services.CurationError, match="same type"):
        services.entities_merge(source=country, target=person)


def test_split_alias_moves_its_mentions_to_a_new_entity_and_stays_split():
    article = ArticleFactory(text="George Bush spoke. Bush left.")
    store_names(article, [("George Bush", "PERSON")])
    bush = Entity.objects.get()
    alias = EntityAlias.objects.create(entity=bush, type="PERSON", key="g w bush", name="G W Bush")
    other = ArticleFactory(text="G W Bush arrived.")
    store_names(other, [("G W Bush", "PERSON")])
    assert other.mentions.get().entity == bush

    new = services.entity_split_alias(entity=bush, alias=alias)

    assert other.mentions.get().entity == new
    assert new.name == "G W Bush" and new.article_count == 1
    bush.refresh_from_db()
    assert bush.article_count == 1
    later = ArticleFactory(text="G W Bush again.")
    store_names(later, [("G W Bush", "PERSON")])
    assert later.mentions.get().entity == new


def test_rename_keeps_the_old_name_as_an_alias():
    article = ArticleFactory(text="Fuad Masum spoke.")
    store_names(article, [("Fuad Masum", "PERSON")])
    entity = Entity.objects.get()
    services.entity_rename(entity=entity, name="Fuad Masum (president)")
    later = ArticleFactory(text="Fuad Masum spoke again.")
    store_names(later, [("Fuad Masum", "PERSON")])
    assert later.mentions.get().entity == entity
    entity.refresh_from_db()
    assert entity.name == "Fuad Masum (president)"


def test_set_type_moves_the_entity_and_its_aliases():
    article = ArticleFactory(text="Levant was named.")
    store_names(article, [("Levant", "PERSON")])
    entity = Entity.objects.get()
    services.entity_set_type(entity=entity, entity_type="PLACE")
    later = ArticleFactory(text="Levant again.")
    store_names(later, [("Levant", "PLACE")])
    assert later.mentions.get().entity == entity
    assert EntityAlias.objects.get(entity=entity).type == "PLACE"


def test_ignored_entity_is_hidden_from_pages_and_future_articles(client):
    article = ArticleFactory(text="Like Us on Facebook. Iraq.")
    store_names(article, [("Us", "COUNTRY"), ("Iraq", "COUNTRY")])
    us = Entity.objects.get(name="Us")
    services.entity_set_ignored(entity=us, ignored=True)
    content = client.get(article.get_absolute_url()).content.decode()
    assert ">Us</a>" not in content and ">Iraq</a>" in content
    later = ArticleFactory(text="Like Us again.")
    store_names(later, [("Us", "COUNTRY")])
    assert ">Us</a>" not in client.get(later.get_absolute_url()).content.decode()


def test_curation_needs_a_staff_login(client, user, staff_user):
    article = ArticleFactory(text="Iraq.")
    store_names(article, [("Iraq", "COUNTRY")])
    entity = Entity.objects.get()
    url = reverse("articles:entity-curate", args=[entity.pk, "ignore"])
    client.force_login(user)
    assert client.post(url).status_code == 403
    entity.refresh_from_db()
    assert not entity.ignored
    client.force_login(staff_user)
    response = client.post(url)
    assert response.status_code == 302
    entity.refresh_from_db()
    assert entity.ignored


def test_merge_form_on_the_entity_page(client, staff_user):
    article = ArticleFactory(text="Google and Alphabet.")
    store_names(article, [("Google", "ORG"), ("Alphabet", "ORG")])
    gm = Entity.objects.get(name="Google")
    client.force_login(staff_user)
    page = client.get(gm.get_absolute_url()).content.decode()
    assert reverse("articles:entity-curate", args=[gm.pk, "merge"]) in page
    response = client.post(
        reverse("articles:entity-curate", args=[gm.pk, "merge"]), {"target": "alphabet"}
    )
    assert response.status_code == 302
    assert Entity.objects.get().name == "Alphabet"
    assert Article.objects.get().mentions.count() == 2


def test_a_type_set_by_a_curator_holds_when_the_model_says_otherwise_later():
    article = ArticleFactory(text="Levant was named.")
    store_names(article, [("Levant", "PERSON")])
    entity = Entity.objects.get()
    services.entity_set_type(entity=entity, entity_type="PLACE")
    later = ArticleFactory(text="Levant again.")
    store_names(later, [("Levant", "ORG")])
    assert later.mentions.get().entity == entity
    assert Entity.objects.count() == 1


def test_ignoring_a_false_name_of_one_type_does_not_hide_the_same_name_of_another(client):
    article = ArticleFactory(text="Jordan signed.")
    store_names(article, [("Jordan", "ORG")])
    services.entity_set_ignored(entity=Entity.objects.get(), ignored=True)
    later = ArticleFactory(text="Jordan is a country.")
    store_names(later, [("Jordan", "COUNTRY")])
    assert ">Jordan</a>" in client.get(later.get_absolute_url()).content.decode()
    again = ArticleFactory(text="Jordan signed again.")
    store_names(again, [("Jordan", "ORG")])
    assert ">Jordan</a>" not in client.get(again.get_absolute_url()).content.decode()


def test_a_curated_alias_of_the_mention_type_wins_over_one_of_another_type():
    article = ArticleFactory(text="Michael Jordan and Jordan.")
    store_names(article, [("Michael Jordan", "PERSON"), ("Jordan", "COUNTRY")])
    person, country = Entity.objects.get(type="PERSON"), Entity.objects.get(type="COUNTRY")
    EntityAlias.objects.create(
        entity=person, type="PERSON", key="jordan", name="Jordan", source="curated"
    )
    EntityAlias.objects.filter(entity=country).update(source="curated")
    later = ArticleFactory(text="Jordan voted.")
    store_names(later, [("Jordan", "COUNTRY")])
    assert later.mentions.get().entity == country


def test_rename_to_a_name_another_entity_uses_is_refused():
    article = ArticleFactory(text="George W. Bush and Someone Else.")
    store_names(article, [("George W. Bush", "PERSON"), ("Someone Else", "PERSON")])
    bush = Entity.objects.get(name="George W. Bush")
    EntityAlias.objects.create(entity=bush, type="PERSON", key="dubya", name="Dubya")
    other = Entity.objects.get(name="Someone Else")
    with pytest.raises(services.CurationError, match="already names George W. Bush"):
        services.entity_rename(entity=other, name="Dubya")
    assert EntityAlias.objects.get(key="dubya").entity == bush


def test_renamed_or_merged_entity_keeps_its_old_address(client):
    article = ArticleFactory(text="Alphabet and Google.")
    store_names(article, [("Alphabet", "ORG"), ("Google", "ORG")])
    google, alphabet = Entity.objects.get(name="Google"), Entity.objects.get(name="Alphabet")
    old_google, old_alphabet = google.get_absolute_url(), alphabet.get_absolute_url()
    services.entities_merge(source=google, target=alphabet)
    services.entity_rename(entity=alphabet, name="Alphabet Inc.")
    alphabet.refresh_from_db()
    assert alphabet.slug == "alphabet-inc"
    for old in (old_google, old_alphabet):
        response = client.get(old)
        assert response.status_code == 302
        assert response["Location"] == alphabet.get_absolute_url()


def test_retyped_entity_keeps_its_old_address(client):
    article = ArticleFactory(text="Levant was named.")
    store_names(article, [("Levant", "PERSON")])
    entity = Entity.objects.get()
    old = entity.get_absolute_url()
    services.entity_set_type(entity=entity, entity_type="PLACE")
    entity.refresh_from_db()
    response = client.get(old)
    assert response.status_code == 302 and response["Location"] == entity.get_absolute_url()
    assert client.get("/entities/person/never-was-here/").status_code == 404


def test_a_merge_whose_source_is_gone_answers_already_merged():
    article = ArticleFactory(text="Google and Alphabet and Waymo.")
    store_names(article, [("Google", "ORG"), ("Alphabet", "ORG"), ("Waymo", "ORG")])
    google, alphabet, waymo = (Entity.objects.get(name=n) for n in ("Google", "Alphabet", "Waymo"))
    stale = Entity.objects.get(pk=google.pk)  # a second curator's page, loaded before
    services.entities_merge(source=google, target=alphabet)
    with pytest.raises(services.CurationError, match="Google has already been merged"):
        services.entities_merge(source=stale, target=waymo)
    assert set(Mention.objects.values_list("entity__name", flat=True)) == {"Alphabet", "Waymo"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_merging_a_into_b_while_b_merges_into_a_makes_one_merge_and_one_clear_refusal(
    monkeypatch,
):
    """Two curators, two connections, at the worst moment: each merge has read what it
    will move before either moves anything. One merge wins; the other is told why."""
    first = ArticleFactory(text="Google cut jobs.")
    store_names(first, [("Google", "ORG")])
    second = ArticleFactory(text="Alphabet cut jobs.")
    store_names(second, [("Alphabet", "ORG")])
    google, alphabet = Entity.objects.get(name="Google"), Entity.objects.get(name="Alphabet")
    both_read = threading.Barrier(2)
    read_affected = curation._affected_articles

    def read_then_wait(entity_ids):
        articles = read_affected(entity_ids)
        # With the rows locked first the other merge never gets here: go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait(timeout=3)
        return articles

    monkeypatch.setattr(curation, "_affected_articles", read_then_wait)

    def merge(source_id: int, target_id: int) -> str:
        # Each request loads its own copies of the two rows.
        source, target = Entity.objects.get(pk=source_id), Entity.objects.get(pk=target_id)
        try:
            services.entities_merge(source=source, target=target)
            return "merged"
        except services.CurationError as exc:
            return str(exc)
        finally:
            connection.close()  # each thread has its own database connection

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(merge, [google.pk, alphabet.pk], [alphabet.pk, google.pk]))

    assert sorted(outcomes)[-1] == "merged"
    assert "has just been merged into another entity" in sorted(outcomes)[0]
    survivor = Entity.objects.get()
    assert set(Mention.objects.values_list("entity", flat=True)) == {survivor.pk}
    assert survivor.article_count == 2
