"""API representations of survey projects, sites and observations (api.md "Surveys").

Observation locations are generalised (0.01° grid) for national class-I species when the caller lacks
surveys.view_precise_location — in lists, details and ?format=geojson alike.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, Point
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from wildlife.accounts.models import Department
from wildlife.species.models import Species
from wildlife.surveys.choices import ObservationMethod, ObservationType, ProjectKind, SiteKind
from wildlife.surveys.models import Observation, SamplingEvent, SurveyProject, SurveySite
from wildlife.surveys.sensitive import may_see_precise, shown_xy


class SurveyProjectSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=ProjectKind.choices)
    lead_department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all(), help_text="牵头单位代码，如 natural_resources、agriculture")
    code = serializers.SlugField(required=False, allow_blank=True, max_length=60)

    class Meta:
        model = SurveyProject
        fields = ["id", "code", "name", "kind", "status", "start_date", "end_date", "area", "lead_department", "description", "methodology", "version"]
        read_only_fields = ["id", "area", "status", "version"]


class SurveySiteSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    geometry = GeometryField(help_text="GeoJSON：样线为 LineString，样方为 Polygon，其余为 Point（WGS-84）")
    kind = serializers.ChoiceField(choices=SiteKind.choices)
    project = serializers.PrimaryKeyRelatedField(queryset=SurveyProject.objects.all())
    code = serializers.CharField(required=False, allow_blank=True, max_length=80)

    class Meta:
        model = SurveySite
        fields = [
            "id", "project", "kind", "code", "name", "geometry", "length_m", "area_m2", "strip_half_width_m", "habitat",
            "elevation_m", "water_body", "external_id", "area", "remarks", "version",
        ]  # fmt: skip
        read_only_fields = ["id", "length_m", "area_m2", "area", "version"]
        validators: list[Any] = []  # the code is unique per project: the service checks it and names the field


class ObservationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An observation. `location` is a GeoJSON Point; for a sensitive species seen by a caller without the
    permission it is the centre of its 0.01° cell and `location_generalised` is true."""

    location = GeometryField(required=False, allow_null=True, help_text="GeoJSON Point [经度, 纬度]；不填时使用位点位置")
    project = serializers.PrimaryKeyRelatedField(queryset=SurveyProject.objects.all())
    site = serializers.PrimaryKeyRelatedField(queryset=SurveySite.objects.all(), required=False, allow_null=True)
    event = serializers.PrimaryKeyRelatedField(queryset=SamplingEvent.objects.all(), required=False, allow_null=True)
    species = serializers.PrimaryKeyRelatedField(queryset=Species.objects.all(), required=False, allow_null=True)
    species_name = serializers.SerializerMethodField()
    method = serializers.ChoiceField(choices=ObservationMethod.choices, required=False, allow_blank=True)
    observation_type = serializers.ChoiceField(choices=ObservationType.choices, required=False)
    count = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False, default=1)
    location_generalised = serializers.SerializerMethodField()
    occurrence_id = serializers.CharField(required=False, allow_blank=True, max_length=120)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Observation
        fields = [
            "id", "project", "site", "event", "species", "species_name", "count", "observed_at", "location", "location_generalised",
            "method", "observer", "distance_m", "remarks", "occurrence_id", "observation_type", "sex", "life_stage", "behaviour",
            "uncertainty_m", "area", "version",
        ]  # fmt: skip
        read_only_fields = ["id", "area"]
        validators: list[Any] = []  # occurrence_id is optional (generated) and checked per project by the service

    def _precise(self) -> bool:
        cache = self.context.setdefault("_precise", {})
        if "value" not in cache:
            request = self.context.get("request")
            cache["value"] = may_see_precise(getattr(request, "user", None))
        return bool(cache["value"])

    def get_species_name(self, obj: Observation) -> str:
        return obj.species.name_zh if obj.species is not None else obj.verbatim_name

    def get_location_generalised(self, obj: Observation) -> bool:
        return bool(obj.is_sensitive and not self._precise())

    def to_representation(self, instance: Observation) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if instance.location is not None:
            x, y = shown_xy(lon=instance.location.x, lat=instance.location.y, is_sensitive=instance.is_sensitive, precise=self._precise())
            data["location"] = {"type": "Point", "coordinates": [x, y]}
        return data

    def validate_location(self, value: Any) -> Point | None:
        if value is None:
            return None
        geometry = value if isinstance(value, GEOSGeometry) else GEOSGeometry(json.dumps(value))
        if not isinstance(geometry, Point):
            raise serializers.ValidationError("位置应为 GeoJSON Point")
        if geometry.srid is None:
            geometry.srid = 4326
        return geometry


class DensityQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    project = serializers.IntegerField(help_text="调查项目 id")
    species = serializers.IntegerField(help_text="物种 id")
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    method = serializers.ChoiceField(choices=["auto", "half_normal", "strip"], required=False, default="auto")


class DensitySerializer(serializers.Serializer):  # type: ignore[type-arg]
    estimate_per_km2 = serializers.FloatField(allow_null=True, help_text="个体密度（只/平方公里）")
    ci_low = serializers.FloatField(allow_null=True, help_text="95% 置信区间下限（自助法，按样线重抽样）")
    ci_high = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField(help_text="检测数（半正态法）或样带内个体数（样带法）")
    effort_km = serializers.FloatField(help_text="样线调查努力量（公里）")
    method = serializers.ChoiceField(choices=["half_normal", "strip"])
    individuals = serializers.IntegerField()
    transects = serializers.IntegerField()
    visits = serializers.IntegerField()
    truncation_m = serializers.FloatField(allow_null=True)
    sigma_m = serializers.FloatField(allow_null=True)
    f0_per_m = serializers.FloatField(allow_null=True)
    mean_cluster_size = serializers.FloatField(allow_null=True)
    strip_estimate_per_km2 = serializers.FloatField(allow_null=True)
    strip_ci_low = serializers.FloatField(allow_null=True)
    strip_ci_high = serializers.FloatField(allow_null=True)
    bootstrap = serializers.IntegerField()
    seed = serializers.IntegerField()
    notes = serializers.ListField(child=serializers.CharField())
