from django.urls import path

from wildlife.geo import views

app_name = "geo"
urlpatterns = [
    path("areas.geojson", views.areas_geojson, name="areas_geojson"),
]
