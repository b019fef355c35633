from __future__ import annotations

from django.contrib import admin

from feeds.models import Feed, Subscription


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["url", "title", "last_polled_at", "next_poll_at", "consecutive_errors"]
    search_fields = ["url", "title"]
    readonly_fields = ["etag", "last_modified", "claimed_by", "claimed_at", "item_count"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "feed", "folder", "created_at"]
    raw_id_fields = ["feed"]
