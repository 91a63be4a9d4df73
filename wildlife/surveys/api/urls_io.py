"""Surveys import/export API endpoints (POST surveys/imports/, GET surveys/exports/dwca/ ...)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
