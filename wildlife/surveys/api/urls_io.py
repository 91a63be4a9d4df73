"""Surveys import/export API endpoints under /api/v1/: POST surveys/imports/, GET surveys/exports/<format>/."""

from django.urls import URLPattern, URLResolver, path

from wildlife.surveys import views_io

urlpatterns: list[URLPattern | URLResolver] = [
    path("surveys/imports/", views_io.ImportCreateAPIView.as_view(), name="surveys-import"),
    path("surveys/exports/dwca/", views_io.ExportAPIView.as_view(fmt="dwca"), name="surveys-export-dwca"),
    path("surveys/exports/camtrap-dp/", views_io.ExportAPIView.as_view(fmt="camtrap_dp"), name="surveys-export-camtrap-dp"),
    path("surveys/exports/xlsx/", views_io.ExportAPIView.as_view(fmt="xlsx"), name="surveys-export-xlsx"),
    path("surveys/exports/geojson/", views_io.ExportAPIView.as_view(fmt="geojson"), name="surveys-export-geojson"),
    path("surveys/exports/gpkg/", views_io.ExportAPIView.as_view(fmt="gpkg"), name="surveys-export-gpkg"),
]
