from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from articles import services
from articles.models import Article, ArticleEntity, Correction, Entity, EntityAlias, Mention


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "site_name", "status", "published_at", "created_at"]
    list_filter = ["status", "language"]
    search_fields = ["title", "url"]
    readonly_fields = ["created_at", "updated_at", "fetched_at"]
    raw_id_fields = ["added_by"]

    # Deleting one article or a selection goes through the service that keeps the
    # entities' counters right (a plain delete would leave them counting the article).
    def delete_model(self, request, obj: Article) -> None:
        services.articles_delete(articles=[obj])

    def delete_queryset(self, request, queryset) -> None:
        services.articles_delete(articles=list(queryset))


class EntityAliasInline(admin.TabularInline):
    model = EntityAlias
    extra = 0


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "article_count", "wikidata_id", "ignored", "last_seen"]
    list_filter = ["type", "ignored"]
    search_fields = ["name", "key", "aliases__key"]
    inlines = [EntityAliasInline]


class DerivedAdmin(admin.ModelAdmin):
    """Rows the analysis writes, shown read-only: an edit here would bypass the entities'
    counters (article counts, first and last seen). Names are corrected on the entity's
    page (merge, split off a name, rename, retype, ignore), through the services that
    keep them right. The rows go with their article (its deletion may delete them),
    never on their own."""

    actions = None  # no "delete selected"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied


@admin.register(Mention)
class MentionAdmin(DerivedAdmin):
    list_display = ["surface", "entity", "article", "start", "end"]
    list_select_related = ["entity", "article"]
    raw_id_fields = ["article", "entity"]
    search_fields = ["surface"]


@admin.register(ArticleEntity)
class ArticleEntityAdmin(DerivedAdmin):
    list_display = ["article", "entity", "mentions", "weight"]
    list_select_related = ["entity", "article"]
    raw_id_fields = ["article", "entity"]


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """What curators changed, read-only: the record is the point."""

    list_display = ["created_at", "action", "detail", "entity", "user"]
    list_filter = ["action"]
    list_select_related = ["entity", "user"]
    search_fields = ["detail"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
