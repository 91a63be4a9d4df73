from django.urls import path

from wildlife.geo import views

app_name = "geo"
urlpatterns = [
    path("areas.geojson", views.areas_geojson, name="areas_geojson"),
    path("areas/", views.AreaListView.as_view(), name="area_list"),
    path("areas/new/", views.AreaCreateView.as_view(), name="area_create"),
    path("areas/<int:pk>/", views.AreaDetailView.as_view(), name="area_detail"),
    path("areas/<int:pk>/edit/", views.AreaUpdateView.as_view(), name="area_update"),
    path("areas/<int:pk>/boundary.geojson", views.area_boundary_geojson, name="area_boundary_geojson"),
    path("boundaries/import/", views.BoundaryImportView.as_view(), name="boundary_import"),
    path("boundaries/import/<int:pk>/", views.BoundaryImportPreviewView.as_view(), name="boundary_import_preview"),
    path("boundaries/import/<int:pk>/features.geojson", views.boundary_import_geojson, name="boundary_import_geojson"),
    path("boundaries/import/<int:pk>/confirm/", views.BoundaryImportConfirmView.as_view(), name="boundary_import_confirm"),
    path("boundaries/import/<int:pk>/discard/", views.BoundaryImportDiscardView.as_view(), name="boundary_import_discard"),
]
