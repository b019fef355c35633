"""Stories across sources, grouped at analysis against the real database: copies, other
outlets' reports of the same event, never different events naming the same companies;
and how the home list, the article page and entity pages show them."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from articles import selectors, services
from articles.models import Article, Story
from tests.factories import ArticleFactory, store_names

pytestmark = pytest.mark.django_db

RYANAIR = (
    "Irish low cost airline Ryanair announced today that it is exercising its options with "
    "Boeing to purchase five new 737 aircraft. This brings Ryanair's total number of "
    "outstanding orders with the US manufacturer to 230. The new planes, which come from the "
    "737-800 range, will be fitted with blended winglets to boost fuel efficiency by as much "
    "as 3%. Ryanair CEO Michael O'Leary said the Boeing 737-800 has the best technical "
    "reliability and the lowest unit operating cost, and that the five aircraft will let the "
    "airline open more new routes across Europe with low fares. Ryanair reported record "
    "profits of $269m earlier this year and plans to carry 70m passengers."
)
RYANAIR_REWRITE = (
    "Ryanair will take five more Boeing 737-800 jets after taking up options it held with "
    "the American plane maker, the budget carrier said on Monday. The extra aircraft lift "
    "its outstanding Boeing order book to 230 planes. The jets will carry blended winglets, "
    "which cut fuel burn by up to three percent. Chief executive Michael O'Leary praised the "
    "737-800's reliability and low unit operating cost, saying it lets Ryanair open more "
    "routes with low fares. The carrier, which reported record profits of $269 million, "
    "plans to grow to 70 million passengers a year."
)
QATAR = (
    "European aircraft manufacturer Airbus has won an order from Qatar Airways for up to 60 "
    "of its new mid-sized A350 jets, worth an estimated $15 billion, a boost to a Paris Air "
    "Show dominated by a state aid dispute between Airbus and Boeing. Qatar Airways chose "
    "the A350 over the 787 but will also buy 20 larger Boeing 777 planes for $4.6 billion. "
    "In 2004 Airbus sold more planes than Boeing for the first time ever."
)
RYANAIR_NAMES = [("Ryanair", "ORG"), ("Boeing", "ORG"), ("Michael O'Leary", "PERSON")]
QATAR_NAMES = [("Airbus", "ORG"), ("Qatar Airways", "ORG"), ("Boeing", "ORG")]
DAY = datetime.datetime(2005, 6, 13, 12, tzinfo=datetime.UTC)


def _stored(text: str, names, *, published=DAY, **fields) -> Article:
    article = ArticleFactory(text=text, published_at=published, **fields)
    store_names(article, names)
    article.refresh_from_db()
    return article


def _library(size: int = 6) -> None:
    """Other articles, so that the names above are not common in the library."""
    for n in range(size):
        ArticleFactory(text=f"Markets rose {n} points.", published_at=DAY)


def test_copies_from_two_sources_are_one_story_led_by_the_first():
    _library()
    first = _stored(RYANAIR, RYANAIR_NAMES, site_name="Herald")
    copy = _stored(
        f"DUBLIN (Wire) - {RYANAIR} Copyright Wire News.",
        RYANAIR_NAMES,
        site_name="Wire",
        published=DAY + datetime.timedelta(hours=2),
    )
    assert first.story_id is None  # alone when it was analysed
    first.refresh_from_db()
    assert first.story_id == copy.story_id is not None
    story = Story.objects.get(pk=copy.story_id)
    assert (story.lead, story.article_count) == (first, 2)
    assert (story.first_date, story.last_date) == (first.sort_date, copy.sort_date)


def test_another_outlets_report_of_the_same_event_joins_the_story():
    _library()
    first = _stored(RYANAIR, RYANAIR_NAMES, site_name="Herald")
    rewrite = _stored(
        RYANAIR_REWRITE,
        RYANAIR_NAMES,
        site_name="Dublin Post",
        published=DAY + datetime.timedelta(days=1),
    )
    first.refresh_from_db()
    assert rewrite.copy_of is None  # not a copy: its own words
    assert first.story_id == rewrite.story_id is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_versions_analysed_at_once_find_each_other():
    """Versions share a name, so the second analysis waits for the first one's lock on
    that entity's row (its counters) until it commits, then finds it: side by side, each
    would miss the other's rows, not yet committed."""
    _library()
    first = ArticleFactory(text=RYANAIR, published_at=DAY, site_name="Herald")
    rewrite = ArticleFactory(text=RYANAIR_REWRITE, published_at=DAY, site_name="Dublin Post")
    stored, commit = threading.Event(), threading.Event()

    def analyse_first() -> None:
        try:
            with transaction.atomic():  # its worker's transaction, held open
                store_names(first, RYANAIR_NAMES)
                stored.set()
                commit.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=analyse_first)
    worker.start()
    assert stored.wait(10)
    threading.Timer(0.5, commit.set).start()
    began = time.monotonic()
    store_names(rewrite, RYANAIR_NAMES)
    assert time.monotonic() - began >= 0.4  # it waited for the first to commit
    worker.join()
    first.refresh_from_db()
    rewrite.refresh_from_db()
    assert first.story_id == rewrite.story_id is not None


def test_different_events_naming_the_same_companies_the_same_day_stay_apart():
    _library()
    ryanair = _stored(RYANAIR, RYANAIR_NAMES)
    qatar = _stored(QATAR, QATAR_NAMES)
    ryanair.refresh_from_db()
    assert (ryanair.story_id, qatar.story_id) == (None, None)


def test_the_same_event_weeks_apart_is_not_grouped():
    _library()
    _stored(RYANAIR, RYANAIR_NAMES)
    later = _stored(RYANAIR_REWRITE, RYANAIR_NAMES, published=DAY + datetime.timedelta(days=20))
    assert later.story_id is None


def test_reanalysis_keeps_the_story():
    _library()
    first = _stored(RYANAIR, RYANAIR_NAMES)
    rewrite = _stored(RYANAIR_REWRITE, RYANAIR_NAMES)
    story_id = rewrite.story_id
    for article in (first, rewrite, first):
        store_names(article, RYANAIR_NAMES)
    assert set(Article.objects.filter(story_id=story_id)) == {first, rewrite}
    assert Story.objects.count() == 1 and Story.objects.get().article_count == 2


def test_an_article_that_bridges_two_stories_merges_them():
    _library()
    ryanair = _stored(RYANAIR, RYANAIR_NAMES)
    _stored(f"{RYANAIR} Share this story.", RYANAIR_NAMES)
    qatar = _stored(QATAR, QATAR_NAMES)
    _stored(f"{QATAR} Sign up for our newsletter.", QATAR_NAMES)
    assert Story.objects.count() == 2
    roundup = _stored(f"{RYANAIR}\n\n{QATAR}", RYANAIR_NAMES + QATAR_NAMES[:2])
    ryanair.refresh_from_db()
    qatar.refresh_from_db()
    assert ryanair.story_id == qatar.story_id == roundup.story_id
    assert Story.objects.get().article_count == 5


def test_a_story_left_by_its_other_version_is_no_story():
    _library()
    first = _stored(RYANAIR, RYANAIR_NAMES)
    rewrite = _stored(RYANAIR_REWRITE, RYANAIR_NAMES)
    rewrite.text = QATAR
    rewrite.save()
    store_names(rewrite, QATAR_NAMES)
    first.refresh_from_db()
    rewrite.refresh_from_db()
    assert (first.story_id, rewrite.story_id, Story.objects.count()) == (None, None, 0)


def test_deleting_versions_counts_their_story_again():
    _library()
    first = _stored(RYANAIR, RYANAIR_NAMES, site_name="Herald")
    copy = _stored(f"DUBLIN (Wire) - {RYANAIR}", RYANAIR_NAMES, site_name="Wire")
    later = DAY + datetime.timedelta(hours=5)
    rewrite = _stored(RYANAIR_REWRITE, RYANAIR_NAMES, site_name="Post", published=later)
    story = Story.objects.get(pk=rewrite.story_id)
    assert (story.lead, story.article_count) == (first, 3)

    services.articles_delete(articles=[first])
    story.refresh_from_db()
    assert (story.lead, story.article_count, story.last_date) == (copy, 2, rewrite.sort_date)
    services.articles_delete(articles=[copy])
    rewrite.refresh_from_db()
    assert (rewrite.story_id, Story.objects.count()) == (None, 0)  # one left: no story


def test_home_shows_one_card_per_story_naming_the_other_sources(client):
    _library()
    first = _stored(RYANAIR, RYANAIR_NAMES, site_name="Herald")
    rewrite = _stored(
        RYANAIR_REWRITE,
        RYANAIR_NAMES,
        site_name="Dublin Post",
        published=DAY + datetime.timedelta(days=1),
    )
    content = client.get("/?view=all").content.decode()
    assert first.get_absolute_url() in content
    assert f'href="{rewrite.get_absolute_url()}"' not in content
    assert "Also in 1 other source</a>: Dublin Post" in " ".join(content.split())
    assert f"{first.get_absolute_url()}#versions" in content
    # The article page lists the other version, as another outlet's report.
    page = client.get(first.get_absolute_url()).content.decode()
    assert "The same story elsewhere" in page and rewrite.get_absolute_url() in page
    assert "their own report" in page


def test_a_source_list_shows_its_own_version_of_a_story(client):
    _library()
    _stored(RYANAIR, RYANAIR_NAMES, site_name="Herald")
    rewrite = _stored(RYANAIR_REWRITE, RYANAIR_NAMES, site_name="Dublin Post")
    content = client.get("/?source=Dublin+Post").content.decode()
    assert rewrite.get_absolute_url() in content and "Herald" in content


def test_reading_one_version_reads_the_story_in_unread(django_user_model):
    _library(0)
    user = django_user_model.objects.create_user("reader", password="pw")
    first = _stored(RYANAIR, RYANAIR_NAMES)
    rewrite = _stored(RYANAIR_REWRITE, RYANAIR_NAMES)
    unread = selectors.articles_for_reader(user=user, view=selectors.ReadingView.UNREAD)
    assert list(unread) == [first]
    services.article_set_read(user=user, article=rewrite, read=True)
    assert list(unread.all()) == []
    everything = selectors.articles_for_reader(user=user, view=selectors.ReadingView.ALL)
    assert list(everything) == [first]


def test_an_entity_page_counts_articles_and_stories(client):
    _library()
    _stored(RYANAIR, RYANAIR_NAMES)
    _stored(RYANAIR_REWRITE, RYANAIR_NAMES)
    qatar = _stored(QATAR, QATAR_NAMES, published=timezone.now())
    boeing = qatar.article_entities.get(entity__name="Boeing").entity
    assert selectors.entity_story_count(entity=boeing) == selectors.StoryCount(2, False)
    content = " ".join(client.get(boeing.get_absolute_url()).content.decode().split())
    assert "3 articles in 2 stories" in content
