from __future__ import annotations

from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_paste, name="paste"),
    path("articles/<int:article_id>/", views.article_detail, name="detail"),
    path("articles/<int:article_id>/card/", views.article_card, name="card"),
    path("articles/<int:article_id>/retry/", views.article_retry, name="retry"),
    path("articles/<int:article_id>/cancel/", views.article_cancel, name="cancel"),
    path("articles/<int:article_id>/dismiss/", views.article_dismiss, name="dismiss"),
    path("articles/<int:article_id>/image/", views.article_image, name="image"),
    path("articles/<int:article_id>/reading/", views.article_reading, name="reading"),
    path("articles/mark-read/", views.articles_mark_read, name="mark-read"),
    path("articles/mark-read/undo/", views.articles_unmark_read, name="mark-read-undo"),
    path("entities/", views.entity_list, name="entities"),
    # Before the entity page's pattern, which would take "<id>/follow" as a type and slug.
    path("entities/<int:entity_id>/follow/", views.entity_follow, name="follow"),
    path("entities/<str:entity_type>/<str:slug>/", views.entity_detail, name="entity"),
    path(
        "curate/entities/<int:entity_id>/<str:action>/", views.entity_curate, name="entity-curate"
    ),
    path("search/", views.search, name="search"),
    path("preferences/", views.reader_preferences, name="preferences"),
]
