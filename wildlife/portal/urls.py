from django.urls import path

from wildlife.portal import views

url_prefix = "public"
app_name = "portal"
urlpatterns = [
    path("", views.portal_home, name="home"),
    path("report/", views.ReportView.as_view(), name="report"),
    path("report/status/", views.StatusView.as_view(), name="report_status"),
    path("areas.geojson", views.public_areas, name="areas"),
]
