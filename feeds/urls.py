from __future__ import annotations

from django.urls import path

from feeds import views

app_name = "feeds"

urlpatterns = [
    path("", views.feed_list, name="list"),
    path("sidebar/", views.sidebar, name="sidebar"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("import/", views.opml_import, name="import"),
    path("export.opml", views.opml_export, name="export"),
    path("<int:subscription_id>/rename/", views.subscription_rename, name="rename"),
    path("<int:subscription_id>/move/", views.subscription_move, name="move"),
    path("<int:subscription_id>/unsubscribe/", views.unsubscribe, name="unsubscribe"),
]
