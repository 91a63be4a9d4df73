"""/api/v1/enforcement/patrols/, inspections/, trainings/ (+ read-only inspection-targets/, officers/, equipment/).

Writes go through the services; workflow steps are POST …/{id}/<step>/ with the record's `version` (a repeated
submission gets 409) and accept an Idempotency-Key.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.request import Request
from rest_framework.response import Response

from wildlife.core.api.viewsets import ScopedModelViewSet
from wildlife.patrols import selectors, services
from wildlife.patrols.api import serializers as s
from wildlife.patrols.models import (
    EnforcementOfficer,
    Equipment,
    Inspection,
    InspectionTarget,
    Patrol,
    TrainingSession,
)


class _PatrolsViewSet(ScopedModelViewSet):
    """Workflow steps and nested additions need the change permission on the record (not add)."""

    change_actions: tuple[str, ...] = ()
    filter_backends = [SearchFilter, OrderingFilter]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if self.action in self.change_actions:
            self.required_action = "change"
        super().initial(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        if self.action in self.change_actions:
            queryset = self.model._default_manager.all().restrict(self.request.user, "change").order_by("-pk")
            return self.optimise(queryset)
        return super().get_queryset()

    def created(self, obj: Any) -> Response:
        return Response(self.get_serializer(obj).data, status=201)

    def current_version(self, data: dict[str, Any], obj: Any) -> int:
        return int(data.get("version") or obj.version)


class PatrolViewSet(_PatrolsViewSet):
    """Patrols with their track (LineString), distance (km) and team; `?format=geojson` gives the tracks."""

    model = Patrol
    serializer_class = s.PatrolSerializer
    delete_service = staticmethod(services.patrol_delete)
    geojson_geometry_field = "track"
    search_fields = ["patrol_no", "title", "member_names"]
    ordering_fields = ["started_at", "distance_m", "patrol_no"]
    change_actions = ("incidents",)

    def optimise(self, queryset: Any) -> Any:
        return queryset.select_related("area").prefetch_related("members", "incidents")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        patrol = services.patrol_record(actor=request.user, **serializer.validated_data)
        return self.created(patrol)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        patrol = self.get_object()
        serializer = self.get_serializer(patrol, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        values = {
            "title": data.get("title", patrol.title),
            "kind": data.get("kind", patrol.kind),
            "started_at": data.get("started_at") or patrol.started_at,
            "ended_at": data.get("ended_at") or patrol.ended_at,
            "members": data.get("members", list(patrol.members.all())),
            "member_names": data.get("member_names", patrol.member_names),
            "weather": data.get("weather", patrol.weather),
            "operation": data.get("operation", patrol.operation),
            "summary": data.get("summary", patrol.summary),
            "track": data.get("track"),
            "track_source": data.get("track_source", ""),
            "track_file_name": data.get("track_file_name", ""),
        }
        patrol = services.patrol_update(actor=request.user, obj=patrol, version=self.current_version(request.data, patrol), **values)
        return Response(self.get_serializer(patrol).data)

    @extend_schema(request=s.IncidentSerializer, responses=s.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def incidents(self, request: Request, pk: Any = None) -> Response:
        """Add a sighting or an incident (point, kind, description) to the patrol."""
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        patrol = self.get_object()
        serializer = s.IncidentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident = services.patrol_incident_add(actor=request.user, patrol=patrol, **serializer.validated_data)
        return Response(s.IncidentSerializer(incident).data, status=201)

    @extend_schema(
        parameters=[OpenApiParameter("year", int), OpenApiParameter("month", int)],
        responses={200: dict},
    )
    @action(detail=False, methods=["get"])
    def coverage(self, request: Request) -> Response:
        """Patrol km and count per town per month (`?year=`, optional `?month=`)."""
        try:
            year = int(request.query_params.get("year") or timezone.localdate().year)
            month = int(request.query_params["month"]) if request.query_params.get("month") else None
        except ValueError:
            from wildlife.core.api.errors import problem_response

            return problem_response(status_code=400, errors={"year": ["年份或月份应为整数"]})
        coverage = selectors.patrol_coverage(user=request.user, year=year, month=month)
        return Response(
            {
                "year": year,
                "months": coverage.months,
                "towns": [
                    {
                        "id": row["town"].pk,
                        "name": row["town"].name,
                        "months": [{"month": m, "patrols": c.patrols, "km": c.km} for m, c in zip(coverage.months, row["cells"], strict=True)],
                        "patrols": row["total"].patrols,
                        "km": round(row["total"].km, 2),
                    }
                    for row in coverage.rows()
                ],
            }
        )


class InspectionViewSet(_PatrolsViewSet):
    """Inspections with their checklist answers and rectification follow-up; `?format=geojson` gives the places."""

    model = Inspection
    serializer_class = s.InspectionSerializer
    geojson_geometry_field = "location"
    search_fields = ["inspection_no", "target__name", "findings"]
    ordering_fields = ["inspected_on", "rectify_by", "status"]
    change_actions = ("rectify", "follow_up", "close")
    http_method_names = ["get", "post", "put", "patch", "head", "options"]  # inspections are closed, never deleted

    def optimise(self, queryset: Any) -> Any:
        params = self.request.query_params
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        if params.get("overdue") in ("1", "true"):
            queryset = queryset.filter(selectors.overdue_q())
        return queryset.select_related("target").prefetch_related("answers", "follow_ups", "inspectors")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        target = data.pop("target")
        template = services.checklist_for_kind(target.kind)
        items = {i.order: i for i in template.items.all()} if template else {}
        answers = []
        for row in data.pop("answers", []):
            item = items.get(row["order"])
            if item is None:
                from django.core.exceptions import ValidationError

                raise ValidationError({"answers": [f"第 {row['order']} 项不在该类对象的检查表中"]})
            answers.append(services.AnswerInput(order=item.order, item_text=item.text, answer=row["answer"], note=row.get("note", ""), legal_basis=item.legal_basis))
        inspection = services.inspection_record(
            actor=request.user,
            target=target,
            template=template,
            answers=answers,
            inspected_on=data["inspected_on"],
            inspectors=data.get("inspectors", []),
            inspector_names=data.get("inspector_names", ""),
            findings=data.get("findings", ""),
            rectification_requirement=data.get("rectification_requirement", ""),
            rectify_by=data.get("rectify_by"),
            operation=data.get("operation"),
        )
        return self.created(inspection)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        inspection = self.get_object()
        serializer = self.get_serializer(inspection, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inspection = services.inspection_update(
            actor=request.user,
            obj=inspection,
            version=self.current_version(request.data, inspection),
            findings=data.get("findings", inspection.findings),
            inspectors=data.get("inspectors", list(inspection.inspectors.all())),
            inspector_names=data.get("inspector_names", inspection.inspector_names),
            operation=data.get("operation", inspection.operation),
        )
        return Response(self.get_serializer(inspection).data)

    def _step(self, request: Request, serializer_class: Any, call: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        inspection = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        inspection = call(inspection, dict(serializer.validated_data))
        return Response(self.get_serializer(inspection).data)

    @extend_schema(request=s.RectifySerializer, responses=s.InspectionSerializer)
    @action(detail=True, methods=["post"])
    def rectify(self, request: Request, pk: Any = None) -> Response:
        """open → rectifying: order a rectification by a deadline."""
        return self._step(request, s.RectifySerializer, lambda i, d: services.inspection_order_rectification(actor=request.user, inspection=i, **d))

    @extend_schema(request=s.FollowUpInputSerializer, responses=s.InspectionSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk: Any = None) -> Response:
        """A follow-up check: passed → verified; failed → a new deadline."""
        return self._step(request, s.FollowUpInputSerializer, lambda i, d: services.inspection_follow_up(actor=request.user, inspection=i, **d))

    @extend_schema(request=s.CloseSerializer, responses=s.InspectionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        """Close the inspection with a note."""
        return self._step(request, s.CloseSerializer, lambda i, d: services.inspection_close(actor=request.user, inspection=i, **d))


class TrainingViewSet(_PatrolsViewSet):
    """Training sessions with their trainees; `GET trainings/hours/` sums hours per person."""

    model = TrainingSession
    serializer_class = s.TrainingSerializer
    delete_service = staticmethod(services.training_session_delete)
    search_fields = ["title", "trainer", "place"]
    ordering_fields = ["held_on", "hours"]
    change_actions = ("trainees",)

    def optimise(self, queryset: Any) -> Any:
        return queryset.prefetch_related("attendances")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.created(services.training_session_create(actor=request.user, **serializer.validated_data))

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        session = self.get_object()
        serializer = self.get_serializer(session, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        session = services.training_session_update(
            actor=request.user, obj=session, version=self.current_version(request.data, session), **serializer.validated_data
        )
        return Response(self.get_serializer(session).data)

    @extend_schema(request=s.TraineeSerializer, responses=s.TraineeSerializer)
    @action(detail=True, methods=["post"])
    def trainees(self, request: Request, pk: Any = None) -> Response:
        """Add a trainee (a platform user, or a name and department)."""
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        session = self.get_object()
        serializer = s.TraineeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.training_attendance_add(actor=request.user, session=session, **serializer.validated_data)
        return Response(s.TraineeSerializer(row).data, status=201)

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses={200: dict})
    @action(detail=False, methods=["get"])
    def hours(self, request: Request) -> Response:
        """Attended sessions and hours per person (`?year=`)."""
        raw = request.query_params.get("year", "")
        year = int(raw) if raw.isdigit() else None
        people = selectors.training_hours_summary(user=request.user, year=year)
        return Response(
            {"year": year, "results": [{"name": p.name, "department": p.department, "user": p.user_id, "sessions": p.sessions, "hours": str(p.hours)} for p in people]}
        )


class _ReadOnly(_PatrolsViewSet):
    http_method_names = ["get", "head", "options"]


class TargetViewSet(_ReadOnly):
    """Inspection targets (read-only here; maintained on the pages)."""

    model = InspectionTarget
    serializer_class = s.TargetSerializer
    geojson_geometry_field = "location"
    search_fields = ["name", "address"]
    ordering_fields = ["name", "kind"]


class OfficerViewSet(_ReadOnly):
    """Enforcement personnel (certificate numbers masked)."""

    model = EnforcementOfficer
    serializer_class = s.OfficerSerializer
    search_fields = ["name"]
    ordering_fields = ["name", "certificate_valid_until"]

    def optimise(self, queryset: Any) -> Any:
        return queryset.defer("certificate_no")


class EquipmentViewSet(_ReadOnly):
    """Enforcement equipment."""

    model = Equipment
    serializer_class = s.EquipmentSerializer
    search_fields = ["model_name", "serial_no"]
    ordering_fields = ["kind", "next_check_on"]
