"""API representations (api.md: enforcement/patrols/, enforcement/inspections/, enforcement/trainings/)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from wildlife.accounts.models import User
from wildlife.geo.choices import SourceCRS
from wildlife.patrols.choices import Answer, FollowUpResult, IncidentKind, PatrolKind
from wildlife.patrols.models import (
    EnforcementOfficer,
    Equipment,
    Inspection,
    InspectionAnswer,
    InspectionFollowUp,
    InspectionTarget,
    Patrol,
    PatrolIncident,
    TrainingAttendance,
    TrainingSession,
)
from wildlife.patrols.tracks import ParsedTrack, convert_track, parse_geojson_track, read_track_upload


class TrackField(serializers.Field):  # type: ignore[type-arg]
    """The route as a GeoJSON LineString (WGS-84); input may also be a MultiLineString, Feature or
    FeatureCollection. Bad coordinates are reported with their position."""

    def to_representation(self, value: Any) -> dict[str, Any]:
        return json.loads(value.geojson)  # type: ignore[no-any-return]

    def to_internal_value(self, data: Any) -> ParsedTrack:
        text = data if isinstance(data, str) else json.dumps(data)
        try:
            return parse_geojson_track(text, field_name="track")
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict.get("track", exc.messages)) from exc


class IncidentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    location = GeometryField()
    kind = serializers.ChoiceField(choices=IncidentKind.choices)

    class Meta:
        model = PatrolIncident
        fields = ["id", "kind", "observed_at", "location", "species", "count", "description", "escalation_kind", "escalation_ref"]
        read_only_fields = ["id", "escalation_kind", "escalation_ref"]
        extra_kwargs = {"observed_at": {"required": False}}


class PatrolSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    track = TrackField(required=False, help_text="巡护轨迹 LineString（经度, 纬度；WGS-84）")
    track_file = serializers.FileField(write_only=True, required=False, help_text="或上传 GPX / GeoJSON 轨迹文件（multipart）")
    track_crs = serializers.ChoiceField(choices=SourceCRS.choices, write_only=True, required=False, default=SourceCRS.WGS84)
    team = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="全部队员姓名")
    members = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.all(), required=False)
    distance_km = serializers.FloatField(read_only=True)
    duration_hours = serializers.FloatField(read_only=True)
    kind = serializers.ChoiceField(choices=PatrolKind.choices, required=False, default=PatrolKind.MOUNTAIN)
    incidents = IncidentSerializer(many=True, read_only=True)
    started_at = serializers.DateTimeField(required=False, allow_null=True)
    ended_at = serializers.DateTimeField(required=False, allow_null=True)

    class Meta:
        model = Patrol
        fields = [
            "id", "patrol_no", "title", "kind", "started_at", "ended_at", "team", "members", "member_names", "track",
            "track_file", "track_crs", "track_source", "point_count", "distance_km", "duration_hours", "area", "weather",
            "operation", "summary", "incidents", "version",
        ]
        read_only_fields = ["id", "patrol_no", "track_source", "point_count", "area", "version"]
        extra_kwargs = {"title": {"required": False, "allow_blank": True}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and getattr(request.user, "is_authenticated", False):
            from wildlife.patrols.forms import colleagues, operations_for

            self.fields["members"].child_relation.queryset = colleagues(request.user)  # type: ignore[attr-defined]
            self.fields["operation"].queryset = operations_for(request.user)  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        upload = attrs.pop("track_file", None)
        crs = attrs.pop("track_crs", SourceCRS.WGS84)
        track = attrs.get("track")
        if upload is not None:
            try:
                track = read_track_upload(upload)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"track_file": exc.message_dict.get("track_file", exc.messages)}) from exc
            attrs["track_source"] = "gpx" if track.source_format == "gpx" else "geojson"
            attrs["track_file_name"] = (upload.name or "")[:200]
        elif track is not None:
            attrs["track_source"] = "geojson"
        if track is not None:
            attrs["track"] = convert_track(track, crs)
        elif self.instance is None:
            raise serializers.ValidationError({"track": ["请提供巡护轨迹（track 或 track_file）。"]})
        return attrs


class AnswerSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    answer = serializers.ChoiceField(choices=Answer.choices)

    class Meta:
        model = InspectionAnswer
        fields = ["order", "item_text", "answer", "note"]
        read_only_fields = ["item_text"]


class FollowUpSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = InspectionFollowUp
        fields = ["checked_on", "result", "note", "new_deadline", "created_at"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    target_name = serializers.CharField(source="target.name", read_only=True)
    inspectors = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.all(), required=False)
    answers = AnswerSerializer(many=True, required=False)
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    location = GeometryField(source="target.location", read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id", "inspection_no", "target", "target_name", "target_kind", "inspected_on", "inspectors", "inspector_names",
            "operation", "findings", "answers", "failed_items", "rectification_requirement", "rectify_by", "status",
            "overdue", "follow_ups", "area", "location", "version",
        ]
        read_only_fields = ["id", "inspection_no", "target_kind", "failed_items", "status", "area", "version"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and getattr(request.user, "is_authenticated", False):
            from wildlife.patrols.forms import colleagues, operations_for

            self.fields["inspectors"].child_relation.queryset = colleagues(request.user)  # type: ignore[attr-defined]
            self.fields["operation"].queryset = operations_for(request.user)  # type: ignore[attr-defined]
            self.fields["target"].queryset = InspectionTarget.objects.restrict(request.user, "view")  # type: ignore[attr-defined]


class RectifySerializer(serializers.Serializer):  # type: ignore[type-arg]
    rectify_by = serializers.DateField()
    requirement = serializers.CharField()
    version = serializers.IntegerField(help_text="记录当前版本号（防止重复提交与并发覆盖）")


class FollowUpInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    checked_on = serializers.DateField()
    result = serializers.ChoiceField(choices=FollowUpResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    new_deadline = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField()


class CloseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    note = serializers.CharField()
    version = serializers.IntegerField()


class TraineeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True)

    class Meta:
        model = TrainingAttendance
        fields = ["id", "user", "name", "department", "attended", "hours", "note"]
        read_only_fields = ["id"]
        extra_kwargs = {"name": {"required": False, "allow_blank": True}, "user": {"queryset": User.objects.all()}}


class TrainingSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    trainees = TraineeSerializer(source="attendances", many=True, read_only=True)

    class Meta:
        model = TrainingSession
        fields = ["id", "title", "held_on", "hours", "trainer", "place", "organiser", "content", "area", "trainees", "version"]
        read_only_fields = ["id", "area", "version"]


class TargetSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    location = GeometryField(required=False, allow_null=True)
    contact_phone = serializers.SerializerMethodField(help_text="联系电话（脱敏）")

    class Meta:
        model = InspectionTarget
        fields = ["id", "name", "kind", "address", "location", "operator_name", "contact_phone", "uscc", "is_active", "area", "version"]
        read_only_fields = fields

    def get_contact_phone(self, obj: InspectionTarget) -> str:
        from wildlife.core.masking import mask_phone

        return mask_phone(obj.contact_phone)


class OfficerSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    certificate_no = serializers.CharField(source="certificate_masked", read_only=True, help_text="执法证号（脱敏）")
    certificate_warning = serializers.CharField(read_only=True)

    class Meta:
        model = EnforcementOfficer
        fields = ["id", "name", "department", "position", "certificate_no", "certificate_valid_until", "certificate_warning", "is_active", "area"]
        read_only_fields = fields


class EquipmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    check_due = serializers.BooleanField(read_only=True)

    class Meta:
        model = Equipment
        fields = ["id", "kind", "model_name", "serial_no", "holder", "status", "purchased_on", "last_checked_on", "next_check_on", "check_due", "area"]
        read_only_fields = fields
