"""Survey pages. Import/export pages live in urls_io.py (kept separate so the two halves of the module can grow
independently) and are included here."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "surveys"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("wildlife.surveys.urls_io")),
]
