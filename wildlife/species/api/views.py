"""GET /api/v1/species/ (search, filter, ordering, pagination) and GET /api/v1/species/{id}/status/?on=YYYY-MM-DD."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from wildlife.core.api.permissions import ScopedModelPermission
from wildlife.species.api.serializers import SpeciesSerializer, StatusOnDateSerializer, StatusQuerySerializer
from wildlife.species.choices import Protection
from wildlife.species.models import Species
from wildlife.species.selectors import species_search, species_status_on


@extend_schema(
    parameters=[
        OpenApiParameter("search", str, description="中文名、别名、拼音首字母（hxw）、全拼或学名；按精确 > 前缀 > 包含排序"),
        OpenApiParameter("protection", str, enum=Protection.values, description="现行保护级别"),
        OpenApiParameter("aquatic", bool),
        OpenApiParameter("wild_only", bool),
        OpenApiParameter("taxon_class", str),
    ]
)
class SpeciesViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """The species catalogue (read-only; shared by every module)."""

    model = Species
    serializer_class = SpeciesSerializer
    permission_classes = [ScopedModelPermission]
    filter_backends = [OrderingFilter]
    ordering_fields = ["name_zh", "scientific_name", "pinyin", "protection", "taxon_class", "taxon_order", "taxon_family", "id"]

    def get_queryset(self) -> QuerySet[Species]:
        queryset = Species.objects.restrict(self.request.user, "view").select_related("protection_list").prefetch_related("aliases")
        params = self.request.query_params
        protection = params.get("protection")
        if protection:
            queryset = queryset.filter(protection=protection) if protection in Protection.values else queryset.none()
        for flag in ("aquatic", "wild_only", "is_livestock"):
            value = params.get(flag, "").lower()
            if value in ("true", "1", "false", "0"):
                queryset = queryset.filter(**{flag: value in ("true", "1")})
        if params.get("taxon_class"):
            queryset = queryset.filter(taxon_class=params["taxon_class"])
        term = params.get("search", "").strip()
        if term and self.action == "list":
            return species_search(term, queryset)
        return queryset.order_by("taxon_class", "pinyin", "pk")

    def filter_queryset(self, queryset: Any) -> Any:
        if self.request.query_params.get("ordering"):
            return super().filter_queryset(queryset)
        return queryset  # keep the search ranking (or the default order)

    @extend_schema(
        parameters=[OpenApiParameter("on", str, description="日期 YYYY-MM-DD，缺省为今天")],
        responses=StatusOnDateSerializer,
    )
    @action(detail=True, methods=["get"])
    def status(self, request: Request, pk: Any = None) -> Response:
        """The protection in force on a date (highest of the lists in force, group rules included) and its list."""
        species = self.get_object()
        query = StatusQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        on = query.validated_data.get("on") or timezone.localdate()
        result = species_status_on(species=species, on=on)
        data = {
            "species": species.pk,
            "on": on,
            "protection": result.protection,
            "protection_label": result.protection_label,
            "list_version": result.list_version,
            "origin": result.origin,
            "group_rule": str(result.group_rule) if result.group_rule else None,
            "wild_only": result.wild_only,
            "landlocked_only": result.landlocked_only,
            "notes": result.notes,
            "entries": result.entries,
        }
        return Response(StatusOnDateSerializer(data).data)
