"""Serializers of /api/v1/disease/… (field names per api.md are a contract)."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import MultiLineString
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from wildlife.disease.choices import (
    AnimalGroup,
    BiosafetyLevel,
    EventSource,
    LabOutcome,
    SampleKind,
    StationLevel,
    SupplyKind,
)
from wildlife.disease.models import (
    Alert,
    AlertFollowUp,
    CustodyEntry,
    DailyReport,
    EventSpecies,
    LabResult,
    MortalityEvent,
    Notification,
    ReportFinding,
    ReportingStep,
    Sample,
    Station,
)
from wildlife.geo.models import AdminArea
from wildlife.species.models import Species


class StationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    location = GeometryField()
    routes = serializers.SerializerMethodField()
    areas = serializers.PrimaryKeyRelatedField(source="covered_areas", many=True, queryset=AdminArea.objects.all(), required=False)
    area: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(read_only=True)
    level = serializers.ChoiceField(choices=StationLevel.choices)
    points = serializers.SerializerMethodField()

    class Meta:
        model = Station
        fields = [
            "id", "name", "code", "level", "location", "routes", "points", "areas", "area", "address", "habitat", "responsible",
            "duty_phone", "duty_email", "established_on", "is_active", "notes", "version",
        ]
        read_only_fields = ["version"]
        extra_kwargs = {"responsible": {"required": False, "allow_null": True}}

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_routes(self, obj: Station) -> dict[str, Any] | None:
        """The station's patrol routes as one GeoJSON MultiLineString (null when none)."""
        lines = [r.geometry for r in obj.routes.all()]
        if not lines:
            return None
        import json

        return dict(json.loads(MultiLineString(*lines, srid=4326).json))

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_points(self, obj: Station) -> list[dict[str, Any]]:
        return [{"id": p.pk, "name": p.name, "location": {"type": "Point", "coordinates": [p.location.x, p.location.y]}} for p in obj.points.all()]

    def to_representation(self, instance: Station) -> dict[str, Any]:
        data = super().to_representation(instance)
        from wildlife.core.masking import mask_phone

        data["duty_phone"] = mask_phone(instance.duty_phone) if instance.duty_phone else ""
        return data


class FindingSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    species = serializers.PrimaryKeyRelatedField(queryset=Species.objects.all(), required=False, allow_null=True)
    species_name = serializers.CharField(read_only=True)
    group = serializers.ChoiceField(choices=AnimalGroup.choices, default=AnimalGroup.BIRD)

    class Meta:
        model = ReportFinding
        fields = ["group", "species", "species_text", "species_name", "count", "sick", "dead", "notes"]


class DailyReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    findings = FindingSerializer(many=True, required=False)
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    date = serializers.DateField(help_text=_("报告期内任一日期；保存为报告期起始日"))
    event_location = GeometryField(required=False, allow_null=True, write_only=True)
    event_detected_at = serializers.DateTimeField(required=False, allow_null=True, write_only=True)
    version = serializers.IntegerField(required=False, allow_null=True)

    class Meta:
        model = DailyReport
        fields = [
            "id", "station", "date", "period_end", "period_kind", "deadline_at", "is_zero_report", "route", "route_km",
            "patrol_started_at", "patrol_ended_at", "observers", "weather", "notes", "findings", "first_submitted_at",
            "submitted_at", "late", "area", "version", "event_location", "event_detected_at",
        ]
        read_only_fields = ["period_end", "period_kind", "deadline_at", "first_submitted_at", "submitted_at", "late", "area"]
        validators: list[Any] = []  # one report per station and period is the service's 409, not a 400
        extra_kwargs = {"route": {"required": False, "allow_null": True}, "route_km": {"required": False}}


class ZeroReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    station = serializers.IntegerField()
    date = serializers.DateField(required=False)


class ComplianceQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    date = serializers.DateField(required=False)


class EventSpeciesSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    species = serializers.PrimaryKeyRelatedField(queryset=Species.objects.all())
    name_zh = serializers.CharField(source="species.name_zh", read_only=True)
    taxon_order = serializers.CharField(source="species.taxon_order", read_only=True)
    taxon_family = serializers.CharField(source="species.taxon_family", read_only=True)

    class Meta:
        model = EventSpecies
        fields = ["species", "name_zh", "taxon_order", "taxon_family", "sick", "dead", "local_population"]


class CustodySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = CustodyEntry
        fields = ["id", "at", "from_person", "to_person", "place", "condition"]


class LabResultSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    sample = serializers.IntegerField(source="sample_id")
    outcome: Any = serializers.ChoiceField(choices=LabOutcome.choices)

    class Meta:
        model = LabResult
        fields = [
            "id", "sample", "pathogen", "test_method", "outcome", "tested_count", "positive_count", "pooled", "pool_size",
            "lab_name", "report_no", "reported_at", "notes",
        ]


class SampleSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    custody = CustodySerializer(many=True, read_only=True)
    results = LabResultSerializer(many=True, read_only=True)
    kind = serializers.ChoiceField(choices=SampleKind.choices)
    biosafety_level = serializers.ChoiceField(choices=BiosafetyLevel.choices)
    species = serializers.PrimaryKeyRelatedField(queryset=Species.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Sample
        fields = [
            "id", "sample_no", "kind", "species", "quantity", "taken_by", "taken_at", "biosafety_level", "preservation",
            "lab_name", "sent_at", "custody", "results",
        ]


class StepSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    overdue = serializers.SerializerMethodField()
    seconds_left = serializers.SerializerMethodField()

    class Meta:
        model = ReportingStep
        fields = ["id", "sequence", "from_body", "to_body", "triggered_at", "due_at", "done_at", "note", "overdue", "seconds_left"]

    def get_overdue(self, obj: ReportingStep) -> bool:
        return obj.is_overdue(self.context.get("now"))

    def get_seconds_left(self, obj: ReportingStep) -> int | None:
        """Seconds until the deadline as computed by the server (negative when overdue; null when done)."""
        if obj.done_at is not None:
            return None
        from django.utils import timezone

        now = self.context.get("now") or timezone.now()
        return int((obj.due_at - now).total_seconds())


class EventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    location = GeometryField()
    species = EventSpeciesSerializer(source="species_lines", many=True)
    sick = serializers.SerializerMethodField()
    dead = serializers.SerializerMethodField()
    samples = SampleSerializer(many=True, read_only=True)
    lab_results = LabResultSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    documents = serializers.SerializerMethodField()
    source: Any = serializers.ChoiceField(choices=EventSource.choices)
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all(), required=False, allow_null=True)
    report = serializers.PrimaryKeyRelatedField(queryset=DailyReport.objects.all(), required=False, allow_null=True)

    class Meta:
        model = MortalityEvent
        fields = [
            "id", "event_no", "station", "report", "source", "source_ref", "detected_at", "reported_at", "location", "place_name",
            "species", "sick", "dead", "signs", "isolation", "no_touching", "disinfection", "carcass_collected", "measures_note",
            "grade", "grade_basis", "status", "suspected_at", "confirmed_at", "final_diagnosis", "closed_at", "area",
            "samples", "lab_results", "steps", "documents", "version",
        ]
        read_only_fields = [
            "event_no", "reported_at", "grade", "grade_basis", "status", "suspected_at", "confirmed_at", "final_diagnosis", "closed_at",
            "area", "version",
        ]

    def get_sick(self, obj: MortalityEvent) -> int:
        return obj.sick_total

    def get_dead(self, obj: MortalityEvent) -> int:
        return obj.dead_total

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_documents(self, obj: MortalityEvent) -> list[dict[str, Any]]:
        return [
            {"id": d.pk, "kind": d.kind, "number": d.number, "title": d.title, "url": reverse("disease:event_file", args=[obj.pk, "document", d.pk])}
            for d in obj.documents.all()
        ]


class EventUpdateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = serializers.IntegerField()
    place_name = serializers.CharField(required=False, allow_blank=True)
    detected_at = serializers.DateTimeField(required=False)
    signs = serializers.CharField(required=False, allow_blank=True)
    source_ref = serializers.CharField(required=False, allow_blank=True)
    location = GeometryField(required=False)
    species = EventSpeciesSerializer(many=True, required=False)


class MeasuresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = serializers.IntegerField()
    isolation = serializers.BooleanField()
    no_touching = serializers.BooleanField()
    disinfection = serializers.BooleanField()
    carcass_collected = serializers.BooleanField()
    measures_note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField()


class CloseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    final_diagnosis = serializers.CharField(max_length=200)
    closure_note = serializers.CharField(required=False, allow_blank=True, default="")


class StepCompleteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class SupplySerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=SupplyKind.choices)
    item = serializers.CharField(max_length=100)
    quantity = serializers.DecimalField(max_digits=10, decimal_places=2)
    unit = serializers.CharField(max_length=20)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class DispatchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    team_name = serializers.CharField(max_length=100)
    members = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    dispatched_at = serializers.DateTimeField()
    arrived_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class AlertSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    events: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    follow_ups = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = [
            "id", "kind", "raised_at", "level", "event", "events", "title", "detail", "group_name", "dead_total", "status",
            "acknowledged_by", "acknowledged_at", "closed_at", "area", "follow_ups",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_follow_ups(self, obj: Alert) -> list[dict[str, Any]]:
        return [{"at": f.at, "by": f.by_id, "note": f.note} for f in obj.follow_ups.all()]


class FollowUpSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    close = serializers.BooleanField(required=False, default=False, write_only=True)

    class Meta:
        model = AlertFollowUp
        fields = ["id", "at", "by", "note", "close"]
        read_only_fields = ["id", "at", "by"]


class NotificationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields
