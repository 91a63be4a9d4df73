from django.urls import path
from rest_framework.routers import SimpleRouter

from wildlife.disease.api import views

router = SimpleRouter()
router.register("disease/stations", views.StationViewSet, basename="disease-station")
router.register("disease/daily-reports", views.DailyReportViewSet, basename="disease-report")
router.register("disease/events", views.EventViewSet, basename="disease-event")
router.register("disease/alerts", views.AlertViewSet, basename="disease-alert")
router.register("disease/notifications", views.NotificationViewSet, basename="disease-notification")
urlpatterns = [
    path("disease/compliance/", views.ComplianceView.as_view(), name="disease-compliance"),
    *router.urls,
]
