"""Surveys API: projects/, sites/, observations/ (filters ?species= ?project= ?area= ?date_from= ?date_to= ?bbox=,
?format=geojson) and density/. Every queryset goes through restrict(); writes go through the services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wildlife.core.api.permissions import ScopedModelPermission
from wildlife.core.api.viewsets import ScopedModelViewSet
from wildlife.species.models import Species
from wildlife.surveys import analysis, services
from wildlife.surveys.access import access_project_by_id
from wildlife.surveys.api.serializers import (
    DensityQuerySerializer,
    DensitySerializer,
    ObservationSerializer,
    SurveyProjectSerializer,
    SurveySiteSerializer,
)
from wildlife.surveys.filtersets import ObservationFilterSet, SiteFilterSet
from wildlife.surveys.models import Observation, SurveyProject, SurveySite


class SurveyProjectViewSet(ScopedModelViewSet):
    """Survey projects the caller sees (town users see the district's projects)."""

    model = SurveyProject
    serializer_class = SurveyProjectSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_fields = ["kind", "status"]
    search_fields = ["name", "code", "description"]
    ordering_fields = ["start_date", "name", "code", "id"]

    def optimise(self, queryset: Any) -> Any:
        return queryset.select_related("lead_department")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.survey_project_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.survey_project_update(actor=self.request.user, obj=serializer.instance, version=self.request.data.get("version"), **data)


class SurveySiteViewSet(ScopedModelViewSet):
    """Transects, plots, point-count stations, camera deployments and water sampling points."""

    model = SurveySite
    serializer_class = SurveySiteSerializer
    filterset_class = SiteFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    search_fields = ["code", "name", "habitat", "water_body"]
    ordering_fields = ["code", "name", "id"]
    geojson_geometry_field = "geometry"

    def optimise(self, queryset: Any) -> Any:
        return queryset.select_related("project")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.survey_site_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("project", None)
        serializer.instance = services.survey_site_update(actor=self.request.user, obj=serializer.instance, version=self.request.data.get("version"), **data)


@extend_schema(
    parameters=[
        OpenApiParameter("species", str, description="物种 id，或中文名、别名、拼音首字母、学名"),
        OpenApiParameter("project", int),
        OpenApiParameter("area", int, description="镇街（含下级）"),
        OpenApiParameter("date_from", str, description="YYYY-MM-DD（含）"),
        OpenApiParameter("date_to", str, description="YYYY-MM-DD（含）"),
        OpenApiParameter("bbox", str, description="西,南,东,北（经纬度）"),
        OpenApiParameter("format", str, enum=["json", "geojson"]),
    ]
)
class ObservationViewSet(ScopedModelViewSet):
    """Observations in the caller's scope; class-I locations generalised without surveys.view_precise_location."""

    model = Observation
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilterSet
    search_fields = ["occurrence_id", "observer", "verbatim_name"]
    ordering_fields = ["observed_at", "count", "id"]
    geojson_geometry_field = "location"

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        if not self.request.query_params.get("ordering"):
            queryset = queryset.order_by("-observed_at", "-pk")
        return queryset

    def optimise(self, queryset: Any) -> Any:
        return queryset.select_related("species")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        observation = services.observation_create(actor=request.user, **data)
        return Response(self.get_serializer(observation).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("project", None)
        version = data.pop("version", None)
        if "location" in data and data["location"] is None:
            data.pop("location")
        serializer.instance = services.observation_update(actor=self.request.user, obj=serializer.instance, version=version, **data)

    def perform_destroy(self, instance: Observation) -> None:
        services.observation_delete(actor=self.request.user, obj=instance)


class DensityView(APIView):
    """GET density/?project=&species= → line-transect density (individuals/km²) with a bootstrap 95 % CI."""

    permission_classes = [ScopedModelPermission]
    model = Observation

    @extend_schema(parameters=[DensityQuerySerializer], responses=DensitySerializer)
    def get(self, request: Request) -> Response:
        query = DensityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        project = access_project_by_id(request.user, params["project"])
        species = Species.objects.filter(pk=params["species"]).first()
        if species is None:
            raise ValidationError({"species": ["物种不存在"]})
        estimate = analysis.density_for(
            user=request.user, project=project, species=species, date_from=params.get("date_from"), date_to=params.get("date_to"), method=params["method"]
        )
        return Response(DensitySerializer(estimate.as_api()).data)
