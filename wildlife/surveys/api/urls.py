"""Surveys API under /api/v1/surveys/. Import/export endpoints are in api/urls_io.py, included here."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from wildlife.surveys.api import views

router = SimpleRouter()
router.register("surveys/projects", views.SurveyProjectViewSet, basename="survey-project")
router.register("surveys/sites", views.SurveySiteViewSet, basename="survey-site")
router.register("surveys/observations", views.ObservationViewSet, basename="survey-observation")

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("wildlife.surveys.api.urls_io")),
    path("surveys/density/", views.DensityView.as_view(), name="survey-density"),
    *router.urls,
]
