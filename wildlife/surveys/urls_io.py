"""Import and export pages of the surveys module (included by urls.py, names in the "surveys" namespace)."""

from django.urls import URLPattern, URLResolver, path

from wildlife.surveys import views_io

urlpatterns: list[URLPattern | URLResolver] = [
    path("imports/", views_io.ImportView.as_view(), name="import_start"),
    path("imports/template/", views_io.ImportTemplateView.as_view(), name="import_template"),
    path("imports/<uuid:job_id>/", views_io.IoJobView.as_view(), name="import_status"),
    path("exports/", views_io.ExportIndexView.as_view(), name="export_index"),
    path("exports/jobs/<uuid:job_id>/", views_io.IoJobView.as_view(), name="export_status"),
    path("exports/dwca/", views_io.ExportDownloadView.as_view(fmt="dwca"), name="export_dwca"),
    path("exports/camtrap-dp/", views_io.ExportDownloadView.as_view(fmt="camtrap_dp"), name="export_camtrap_dp"),
    path("exports/xlsx/", views_io.ExportDownloadView.as_view(fmt="xlsx"), name="export_xlsx"),
    path("exports/geojson/", views_io.ExportDownloadView.as_view(fmt="geojson"), name="export_geojson"),
    path("exports/gpkg/", views_io.ExportDownloadView.as_view(fmt="gpkg"), name="export_gpkg"),
]
