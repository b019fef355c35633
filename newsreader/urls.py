"""Top-level URLs: the articles and feeds apps, authentication and the admin."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from articles import views as article_views

urlpatterns = [
    path("", include("articles.urls")),
    path("feeds/", include("feeds.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", article_views.logout, name="logout"),
    path("admin/", admin.site.urls),
]
