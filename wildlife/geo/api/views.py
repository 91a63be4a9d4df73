"""GET /api/v1/areas/: the areas within the caller's scope; ?format=geojson gives their (simplified) boundaries."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from wildlife.geo.api.serializers import AdminAreaSerializer
from wildlife.geo.choices import AreaLevel
from wildlife.geo.models import AdminArea
from wildlife.geo.selectors import area_feature_collection, area_list

GEOJSON_PARAMETER = OpenApiParameter(
    "format", str, enum=["json", "geojson"], description="geojson：返回边界 FeatureCollection（已简化，不分页）"
)


@extend_schema_view(
    list=extend_schema(
        summary="行政区划列表（本人管辖范围）",
        parameters=[
            GEOJSON_PARAMETER,
            OpenApiParameter("level", str, enum=list(AreaLevel.values), description="按层级筛选"),
            OpenApiParameter("parent", int, description="上级区划 id"),
        ],
    ),
    retrieve=extend_schema(summary="行政区划详情"),
)
class AdminAreaViewSet(viewsets.ReadOnlyModelViewSet[AdminArea]):
    """Areas are the scope itself: every signed-in user reads the subtree of their assignments."""

    serializer_class = AdminAreaSerializer
    permission_classes = [IsAuthenticated]
    search_fields = ["name", "code", "short_name"]
    ordering_fields = ["path", "code", "name", "sort_order"]
    filterset_fields = ["level", "parent", "kind"]

    def get_queryset(self) -> QuerySet[AdminArea]:
        return area_list(user=self.request.user).order_by("path", "sort_order")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if getattr(request.accepted_renderer, "format", "") == "geojson" or request.query_params.get("format") == "geojson":
            data = area_feature_collection(self.filter_queryset(self.get_queryset()))
            response = Response(data)
            response.content_type = "application/geo+json"
            return response
        return super().list(request, *args, **kwargs)
