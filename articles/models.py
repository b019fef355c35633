"""Articles, the entities found in them, and the aggregates related coverage runs on."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, get_urlconf, reverse

from articles.nlp.mentions import EntityType

# The entity types of articles.nlp as field choices: (value, label) pairs.
ENTITY_TYPE_CHOICES = [(t.value, t.label) for t in EntityType]
# The articles a reader sees: lists are indexed on exactly these.
LISTED = models.Q(status="done", duplicate_of=None)
# The names a reader sees on the names page.
NAMED = models.Q(ignored=False, article_count__gt=0)
# A reader's readings that take an article out of what they have yet to read.
READ_OR_HIDDEN = models.Q(read_at__isnull=False) | models.Q(hidden_at__isnull=False)


def cached_reverse(viewname: str, *args: str | int) -> str:
    """``reverse()``, kept for the addresses in view: it costs about 30 µs, and a list page
    links about 100 names and 20 articles."""
    return _reverse(viewname, args, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=20_000)
def _reverse(viewname: str, args: tuple, script_prefix: str, urlconf: str | None) -> str:
    # The script prefix starts every address and the URLconf maps it: both are in the key.
    return reverse(viewname, args=args, urlconf=urlconf)


class Article(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        FETCHING = "fetching", "Fetching"
        ANALYSING = "analysing", "Analysing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    url = models.URLField(max_length=2048, unique=True)
    original_url = models.URLField(max_length=2048, blank=True)
    # The page's own rel=canonical address: another spelling that names this article.
    canonical_url = models.URLField(max_length=2048, blank=True, db_index=True)
    # Set when the fetched page turned out to be an article the library already had.
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="duplicates"
    )
    # The first article of the story this one copies (wire copy, repost): its text is a
    # near-copy of that one's (nlp.copies). None for an original.
    copy_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    # The text's MinHash signature (nlp.copies), compared with later articles' texts.
    text_signature = models.BinaryField(null=True, editable=False)
    # The story this article is one version of (its copies and same-event reports from
    # other sources, services.stories); None while it is the only one. Indexed by
    # Meta.indexes (built without locking the table, migration 0011).
    story = models.ForeignKey(
        "Story",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        db_index=False,
    )
    title = models.CharField(max_length=500, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    image_url = models.URLField(max_length=2048, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    text = models.TextField(blank=True, help_text="Clean article text; mention offsets index it.")
    word_count = models.PositiveIntegerField(default=0)
    # The page showed only a teaser (the rest behind a paywall or a login): the text is
    # its first paragraphs, and the article page says so.
    teaser_only = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    # The id of the task working on the article (services.article_claim).
    claimed_by = models.CharField(max_length=64, blank=True)
    # Full-text search on PostgreSQL (GIN-indexed there); SQLite has an FTS5 table instead
    # (migration 0007).
    search_vector = SearchVectorField(null=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What lists sort by: the publication date, or when the article was added where it has
    # none (Article.date). Kept by the database, so no write path can forget it.
    sort_date = models.GeneratedField(
        expression=Coalesce("published_at", "created_at"),
        output_field=models.DateTimeField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="article_newest"),
            models.Index(fields=["status", "updated_at"], name="article_status_updated"),
            # Keyset pagination of the home page, both ways, and of one source's articles.
            models.Index(fields=["sort_date", "id"], name="article_listed", condition=LISTED),
            models.Index(
                fields=["site_name", "sort_date", "id"],
                name="article_site_listed",
                condition=LISTED,
            ),
            # Whether an article is listed, from its id alone (the feeds' unread counts).
            models.Index(fields=["id"], name="article_listed_id", condition=LISTED),
            # A story's versions, in date order (the lists' one card per story).
            models.Index(
                fields=["story", "sort_date", "id"],
                name="article_story",
                condition=models.Q(story__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url

    def get_absolute_url(self) -> str:
        return cached_reverse("articles:detail", self.pk)

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def date(self):
        return self.published_at or self.created_at

    @property
    def source(self) -> str:
        """Who published it: the site's name, else the address's host."""
        return self.site_name or urlsplit(self.url).hostname or self.url

    @property
    def has_proxied_image(self) -> bool:
        """Whether the lead image can go through the image proxy: http(s) only."""
        return self.image_url.lower().startswith(("http://", "https://"))


class Story(models.Model):
    """Articles about one event from several sources: copies of one text (a wire copy, a
    repost) and other outlets' reports of the same event. Kept by services.stories."""

    # The first version by date: the one a list's card shows, ahead of the others.
    lead = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    article_count = models.PositiveIntegerField(default=0)
    first_date = models.DateTimeField(null=True, blank=True)
    last_date = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return f"{self.lead or 'story'} ({self.article_count} articles)"


class Entity(models.Model):
    type = models.CharField(max_length=10, choices=ENTITY_TYPE_CHOICES)
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, allow_unicode=True)
    key = models.CharField(max_length=300, help_text="Normalised name, unique per type.")
    wikidata_id = models.CharField(max_length=20, blank=True)
    article_count = models.PositiveIntegerField(default=0)
    first_seen = models.DateTimeField(null=True, blank=True)
    last_seen = models.DateTimeField(null=True, blank=True)
    ignored = models.BooleanField(default=False, help_text="Curated out: never shown or linked.")

    class Meta:
        verbose_name_plural = "entities"
        constraints = [
            models.UniqueConstraint(fields=["type", "key"], name="entity_unique_type_key"),
            models.UniqueConstraint(fields=["type", "slug"], name="entity_unique_type_slug"),
        ]
        indexes = [
            # Keyset pagination of the names page: most covered first, of every type or one.
            models.Index(fields=["article_count", "id"], name="entity_named", condition=NAMED),
            models.Index(
                fields=["type", "article_count", "id"], name="entity_type_named", condition=NAMED
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_type_display()})"

    def get_absolute_url(self) -> str:
        return entity_url(self.type, self.slug)


def entity_url(entity_type: str, slug: str) -> str:
    """An entity's page, from its type and slug alone (chips read no more)."""
    return cached_reverse("articles:entity", entity_type.lower(), slug)


class EntityAlias(models.Model):
    """A normalised surface form that names an entity of one type."""

    class Source(models.TextChoices):
        LEARNED = "learned", "Learned"
        CURATED = "curated", "Curated"

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    type = models.CharField(max_length=10, choices=ENTITY_TYPE_CHOICES)
    key = models.CharField(max_length=300)
    name = models.CharField(max_length=300, help_text="The surface form as first seen.")
    # Spelling variants of one name share this token (nlp.text.blocking_key): the fuzzy
    # matcher's candidates are one indexed equality query.
    block = models.CharField(max_length=100, blank=True)
    # What an acronym of this name would be (nlp.resolve.alias_initials): "abc" for
    # "associated bottling company", found with one indexed equality query.
    initials = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.LEARNED)

    class Meta:
        verbose_name_plural = "entity aliases"
        constraints = [
            models.UniqueConstraint(fields=["type", "key"], name="alias_unique_type_key"),
        ]
        indexes = [
            models.Index(fields=["type", "block"], name="alias_type_block"),
            models.Index(
                fields=["type", "initials"],
                name="alias_type_initials",
                condition=~models.Q(initials=""),
            ),
            # A curator's aliases, looked up by key for every stored article: few rows.
            models.Index(
                fields=["key"], name="alias_curated_key", condition=models.Q(source="curated")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} -> {self.entity.name}"


class Mention(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    surface = models.CharField(max_length=300)

    class Meta:
        ordering = ["article", "start"]
        indexes = [models.Index(fields=["article", "start"], name="mention_article_start")]

    def __str__(self) -> str:
        return f"{self.surface} [{self.start}:{self.end}]"


class ArticleEntity(models.Model):
    """How often an entity is mentioned in an article: what related coverage runs on."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_entities")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="article_entities")
    mentions = models.PositiveIntegerField(default=0)
    # Salience in the article, 0..1: its share of the article's mentions, boosted when the
    # title names it. Orders an article's entity chips.
    weight = models.FloatField(default=0.0)
    # Copied from the article so "articles of entity X, newest first" is one index scan.
    article_date = models.DateTimeField()

    class Meta:
        verbose_name_plural = "article entities"
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="article_entity_unique"),
        ]
        indexes = [
            # An entity's articles newest first, a page at a time (keyset on date and id);
            # with the weight, related coverage reads its candidates from the index alone.
            models.Index(
                fields=["entity", "article_date", "article", "weight"],
                name="article_entity_dated_weight",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} / {self.entity_id} x{self.mentions}"


class EntityMonth(models.Model):
    """How many dated articles name an entity in a month: the entity page's timeline.

    Kept by ``services.articles_aggregate`` wherever ArticleEntity rows change, so the
    timeline reads at most a few dozen rows however much coverage the entity has.
    """

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(help_text="The first day of the month (UTC).")
    articles = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entity", "month"], name="entity_month_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.month:%Y-%m}: {self.articles}"


class ArticleBand(models.Model):
    """One LSH band of an article's text signature: articles that share a band are
    candidate copies, found with one indexed query."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key"], name="article_band_key")]

    def __str__(self) -> str:
        return f"{self.article_id} / {self.key}"


class Correction(models.Model):
    """A curator's change to the entities, kept as a record of who changed what."""

    class Action(models.TextChoices):
        MERGE = "merge", "Merge"
        SPLIT = "split", "Split alias"
        RENAME = "rename", "Rename"
        SET_TYPE = "type", "Set type"
        IGNORE = "ignore", "Ignore"
        RESTORE = "restore", "Restore"

    action = models.CharField(max_length=10, choices=Action.choices)
    entity = models.ForeignKey(
        Entity, null=True, on_delete=models.SET_NULL, related_name="corrections"
    )
    detail = models.CharField(max_length=500)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.detail}"


class Reading(models.Model):
    """One user's state of one article: read, saved (starred), hidden.

    A row exists once the user has done something to the article; no row means unread,
    not saved, not hidden.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="readings")
    read_at = models.DateTimeField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    # Set by "mark all as read" on the rows it marked, so that its undo unmarks those only.
    marked_in = models.UUIDField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="reading_unique_user_article"),
        ]
        indexes = [
            # A user's saved articles: a small index of their own, however large the library.
            models.Index(
                fields=["user", "article"],
                name="reading_saved",
                condition=models.Q(saved_at__isnull=False),
            ),
            models.Index(
                fields=["user", "marked_in"],
                name="reading_marked_in",
                condition=models.Q(marked_in__isnull=False),
            ),
            # Whether the user has read or hidden an article, from the index alone (the
            # feeds' unread counts).
            models.Index(
                fields=["user", "article"],
                name="reading_read_or_hidden",
                condition=READ_OR_HIDDEN,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} / {self.article_id}"


class Follow(models.Model):
    """A user follows an entity: its articles added since show in the Following view."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entity__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "entity"], name="follow_unique_user_entity"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.entity_id}"


class ReaderPreference(models.Model):
    """How one reader likes articles shown: kept on the server, so it follows them from
    browser to browser (anonymous readers keep theirs in the browser only)."""

    class Theme(models.TextChoices):
        SYSTEM = "", "As the system"
        LIGHT = "light", "Light"
        DARK = "dark", "Dark"

    class Highlight(models.TextChoices):
        ALL = "all", "All mentions"
        FIRST = "first", "First mention only"
        NONE = "none", "No highlights"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_preference"
    )
    theme = models.CharField(max_length=5, choices=Theme.choices, blank=True)
    highlight = models.CharField(max_length=5, choices=Highlight.choices, default=Highlight.ALL)
    # The entity types whose names are not highlighted, space-separated ("place org").
    hidden_types = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.theme or 'system'} theme, {self.highlight} highlights"
