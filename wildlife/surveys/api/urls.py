"""Surveys API under /api/v1/surveys/. Import/export endpoints are in api/urls_io.py, included here."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("wildlife.surveys.api.urls_io")),
]
