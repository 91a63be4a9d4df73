"""/api/v1/disease/…: stations, daily-reports, compliance, events (samples and lab results nested), alerts,
notifications. Every queryset goes through restrict(); writes go through the services; workflow steps are
POST /<resource>/<id>/<action>/ and accept Idempotency-Key."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wildlife.core.api.permissions import ScopedModelPermission
from wildlife.core.api.viewsets import IdempotentMixin, ScopedModelViewSet
from wildlife.core.exceptions import ConflictError
from wildlife.disease import selectors, services
from wildlife.disease.access import (
    access_notification_by_id,
    access_sample_by_id,
    access_station_by_id,
    access_step_by_id,
)
from wildlife.disease.api import serializers as s
from wildlife.disease.choices import EventStatus
from wildlife.disease.models import Alert, DailyReport, MortalityEvent, Notification, Station


class StationViewSet(ScopedModelViewSet):
    """Monitoring stations with their routes (GeoJSON MultiLineString), points and covered towns (`areas`)."""

    model = Station
    serializer_class = s.StationSerializer
    search_fields = ["name", "code", "address"]
    ordering_fields = ["name", "level", "established_on", "id"]
    filterset_fields = ["level", "is_active"]
    geojson_geometry_field = "location"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def optimise(self, queryset: Any) -> Any:
        return queryset.select_related("area").prefetch_related("routes", "points", "covered_areas")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["covered_areas"] = data.pop("covered_areas", [])
        station = services.station_create(actor=request.user, **data)
        return Response(self.get_serializer(station).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        station = self.get_object()
        serializer = self.get_serializer(station, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        covered = data.pop("covered_areas", None)
        station = services.station_update(actor=request.user, obj=station, version=request.data.get("version"), covered_areas=covered, **data)
        return Response(self.get_serializer(station).data)


@extend_schema(
    parameters=[
        OpenApiParameter("station", int),
        OpenApiParameter("date_from", str, description="YYYY-MM-DD"),
        OpenApiParameter("date_to", str, description="YYYY-MM-DD"),
        OpenApiParameter("late", bool),
    ]
)
class DailyReportViewSet(ScopedModelViewSet):
    """Daily (key periods) and weekly reports, zero reports included. One per station and period: a second POST is
    409 `report_exists`; correct with PUT/PATCH carrying the current `version` (409 `version_conflict` if stale)."""

    model = DailyReport
    serializer_class = s.DailyReportSerializer
    search_fields = ["station__name", "notes"]
    ordering_fields = ["date", "submitted_at", "id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def optimise(self, queryset: Any) -> Any:
        params = self.request.query_params
        if params.get("station"):
            queryset = queryset.filter(station_id=params["station"]) if params["station"].isdigit() else queryset.none()
        for key, lookup in (("date_from", "date__gte"), ("date_to", "date__lte")):
            if params.get(key):
                from django.utils.dateparse import parse_date

                day = parse_date(params[key])
                queryset = queryset.filter(**{lookup: day}) if day else queryset.none()
        if params.get("late", "").lower() in ("true", "1", "false", "0"):
            queryset = queryset.filter(late=params["late"].lower() in ("true", "1"))
        return queryset.select_related("station").prefetch_related("findings__species")

    def _submit(self, request: Request, report: DailyReport | None) -> Response:
        serializer = self.get_serializer(report, data=request.data, partial=self.action == "partial_update")
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        chosen = data.pop("station", None)
        if report is not None and chosen is not None and chosen.pk != report.station_id:
            from django.core.exceptions import ValidationError

            raise ValidationError({"station": ["不能把报告改到另一个监测站。"]})
        station_id = chosen.pk if chosen is not None else (report.station_id if report is not None else None)
        station = access_station_by_id(request.user, station_id)
        findings = [services.FindingInput(**f) for f in data.pop("findings", [])] if "findings" in data or report is None else None
        if findings is None and report is not None:
            findings = [
                services.FindingInput(group=f.group, species=f.species, species_text=f.species_text, count=f.count, sick=f.sick, dead=f.dead, notes=f.notes)
                for f in report.findings.all()
            ]
        if report is not None:
            data.setdefault("date", report.date)
            if "version" not in data or data["version"] is None:
                raise ConflictError("修改报告须提供当前版本号 version", code="version_required")
            for key in ("is_zero_report", "route", "route_km", "patrol_started_at", "patrol_ended_at", "observers", "weather", "notes"):
                data.setdefault(key, getattr(report, key))
        else:
            data["version"] = None
        saved = services.daily_report_submit(actor=request.user, station=station, findings=findings or [], **data)
        return Response(self.get_serializer(saved).data, status=status.HTTP_201_CREATED if report is None else status.HTTP_200_OK)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.idempotent_replay(request) or self._submit(request, None)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.idempotent_replay(request) or self._submit(request, self.get_object())

    @extend_schema(request=s.ZeroReportSerializer, responses=s.DailyReportSerializer)
    @action(detail=False, methods=["post"])
    def zero(self, request: Request) -> Response:
        """One click "nothing abnormal" (零报告) for the station's period containing `date` (default today)."""
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        query = s.ZeroReportSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        station = access_station_by_id(request.user, query.validated_data["station"])
        report = services.daily_report_zero(actor=request.user, station=station, date=query.validated_data.get("date"))
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)


class ComplianceView(APIView):
    """GET compliance/?date=YYYY-MM-DD → the stations expected to report for the period containing the date, those
    received (on time or late), missing (deadline passed) and pending."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("date", str, description="YYYY-MM-DD，缺省为昨天（今天上午应交的报告）")],
        responses=inline_serializer(
            "Compliance",
            {
                "date": drf_serializers.DateField(),
                "period_start": drf_serializers.DateField(),
                "period_end": drf_serializers.DateField(),
                "period_kind": drf_serializers.CharField(),
                "deadline": drf_serializers.DateTimeField(),
                "expected": drf_serializers.IntegerField(),
                "received": drf_serializers.IntegerField(),
                "late": drf_serializers.IntegerField(),
                "missing": drf_serializers.ListField(child=drf_serializers.DictField()),
                "pending": drf_serializers.ListField(child=drf_serializers.DictField()),
                "stations": drf_serializers.ListField(child=drf_serializers.DictField()),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        user = request.user
        if getattr(user, "is_admin_role", False) or not user.has_perm("disease.view_dailyreport"):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied()
        query = s.ComplianceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("date") or selectors.status_day()
        board = selectors.compliance_for_date(user=user, day=day)

        def station(row: Any) -> dict[str, Any]:
            return {
                "id": row.station.pk,
                "name": row.station.name,
                "area": row.station.area_id,
                "area_name": row.station.area.name,
                "status": row.status,
                "report": row.report.pk if row.report else None,
                "submitted_at": row.report.first_submitted_at if row.report else None,
            }

        period = selectors.period_for_day(day)
        return Response(
            {
                "date": day,
                "period_start": period.start,
                "period_end": period.end,
                "period_kind": period.kind,
                "deadline": period.deadline,
                "expected": len(board.expected),
                "received": len(board.received),
                "late": len(board.late),
                "missing": [station(r) for r in board.missing],
                "pending": [station(r) for r in board.pending],
                "stations": [station(r) for r in board.rows],
            }
        )


@extend_schema(parameters=[OpenApiParameter("status", str), OpenApiParameter("grade", str), OpenApiParameter("station", int)])
class EventViewSet(ScopedModelViewSet):
    """Mortality/morbidity events (快报) with species, grade, reporting steps (server deadlines), samples with chain
    of custody and lab results nested, documents. Workflow: measures, suspect, close, steps/{id}/complete, samples,
    samples/{id}/custody, lab-results, supplies, dispatches."""

    model = MortalityEvent
    serializer_class = s.EventSerializer
    search_fields = ["event_no", "place_name", "signs"]
    ordering_fields = ["detected_at", "grade", "id"]
    geojson_geometry_field = "location"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def optimise(self, queryset: Any) -> Any:
        params = self.request.query_params
        for key in ("status", "grade"):
            if params.get(key):
                queryset = queryset.filter(**{key: params[key]})
        if params.get("station", "").isdigit():
            queryset = queryset.filter(station_id=params["station"])
        return queryset.select_related("area", "station").prefetch_related(
            "species_lines__species", "samples__custody", "samples__results", "lab_results", "steps", "documents"
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["now"] = timezone.now()
        return context

    def event_for(self, action_name: str = "change") -> MortalityEvent:
        event: MortalityEvent = self.get_object()
        if not MortalityEvent.objects.restrict(self.request.user, action_name).filter(pk=event.pk).exists():
            raise Http404
        return event

    def done(self, event: MortalityEvent, code: int = status.HTTP_200_OK) -> Response:
        event = self.get_queryset().get(pk=event.pk) if self.action != "create" else event
        return Response(s.EventSerializer(event, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lines = [services.SpeciesCount(x["species"], x.get("sick", 0), x.get("dead", 0), x.get("local_population")) for x in data.pop("species_lines", [])]
        if data.get("station") is not None:
            access_station_by_id(request.user, data["station"].pk)
        if data.get("report") is not None:
            from wildlife.disease.access import access_report_by_id

            access_report_by_id(request.user, data["report"].pk)
        for flag in ("isolation", "no_touching", "disinfection", "carcass_collected"):
            data.setdefault(flag, False)
        event = services.event_report(actor=request.user, species=lines, **data)
        return Response(s.EventSerializer(MortalityEvent.objects.get(pk=event.pk), context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.EventUpdateSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        event = self.event_for()
        body = s.EventUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        lines = data.pop("species", None)
        species = [services.SpeciesCount(x["species"], x.get("sick", 0), x.get("dead", 0), x.get("local_population")) for x in lines] if lines is not None else None
        services.event_update(actor=request.user, event=event, species=species, **data)
        return self.done(event)

    def _action(self, request: Request, body_class: Any, call: Any, code: int = status.HTTP_200_OK) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        event = self.event_for()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        result = call(event, dict(body.validated_data))
        if isinstance(result, Response):
            return result
        return self.done(event, code)

    @extend_schema(request=s.MeasuresSerializer, responses=s.EventSerializer)
    @action(detail=True, methods=["post"])
    def measures(self, request: Request, pk: Any = None) -> Response:
        return self._action(request, s.MeasuresSerializer, lambda e, d: services.event_measures_update(actor=request.user, event=e, **d))

    @extend_schema(request=s.ReasonSerializer, responses=s.EventSerializer)
    @action(detail=True, methods=["post"])
    def suspect(self, request: Request, pk: Any = None) -> Response:
        """Infection suspected: reporting chain started, notification letter (PDF) to 区农业农村局 generated."""
        return self._action(request, s.ReasonSerializer, lambda e, d: services.event_mark_suspected(actor=request.user, event=e, **d))

    @extend_schema(request=s.CloseSerializer, responses=s.EventSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        return self._action(request, s.CloseSerializer, lambda e, d: services.event_close(actor=request.user, event=e, **d))

    @extend_schema(request=s.StepCompleteSerializer, responses=s.EventSerializer)
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<step_id>\d+)/complete")
    def step_complete(self, request: Request, pk: Any = None, step_id: Any = None) -> Response:
        def call(event: MortalityEvent, data: dict[str, Any]) -> Any:
            step = access_step_by_id(request.user, step_id, event=event)
            return services.event_step_complete(actor=request.user, step=step, **data)

        return self._action(request, s.StepCompleteSerializer, call)

    @extend_schema(request=s.SampleSerializer, responses=s.EventSerializer)
    @action(detail=True, methods=["post"])
    def samples(self, request: Request, pk: Any = None) -> Response:
        if not request.user.has_perm("disease.add_sample"):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied()
        return self._action(request, s.SampleSerializer, lambda e, d: services.sample_add(actor=request.user, event=e, **d), status.HTTP_201_CREATED)

    @extend_schema(request=s.CustodySerializer, responses=s.EventSerializer)
    @action(detail=True, methods=["post"], url_path=r"samples/(?P<sample_id>\d+)/custody")
    def custody(self, request: Request, pk: Any = None, sample_id: Any = None) -> Response:
        def call(event: MortalityEvent, data: dict[str, Any]) -> Any:
            sample = access_sample_by_id(request.user, sample_id, event=event, action="change")
            return services.sample_custody_add(actor=request.user, sample=sample, **data)

        return self._action(request, s.CustodySerializer, call, status.HTTP_201_CREATED)

    @extend_schema(request=s.LabResultSerializer, responses=s.EventSerializer)
    @action(detail=True, methods=["post"], url_path="lab-results")
    def lab_results(self, request: Request, pk: Any = None) -> Response:
        """A lab result; suspect/confirmed positives make the event suspected (letter) and then confirmed."""
        if not request.user.has_perm("disease.add_labresult"):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied()

        def call(event: MortalityEvent, data: dict[str, Any]) -> Any:
            sample = access_sample_by_id(request.user, data.pop("sample_id"), event=event, action="view")
            return services.lab_result_add(actor=request.user, sample=sample, **data)

        return self._action(request, s.LabResultSerializer, call, status.HTTP_201_CREATED)

    @extend_schema(request=s.SupplySerializer, responses=s.EventSerializer)
    @action(detail=True, methods=["post"])
    def supplies(self, request: Request, pk: Any = None) -> Response:
        return self._action(request, s.SupplySerializer, lambda e, d: services.event_supply_add(actor=request.user, event=e, **d), status.HTTP_201_CREATED)

    @extend_schema(request=s.DispatchSerializer, responses=s.EventSerializer)
    @action(detail=True, methods=["post"])
    def dispatches(self, request: Request, pk: Any = None) -> Response:
        return self._action(request, s.DispatchSerializer, lambda e, d: services.event_dispatch_add(actor=request.user, event=e, **d), status.HTTP_201_CREATED)

    def get_permissions(self) -> Any:
        # workflow actions change an event: they need change_mortalityevent, not add
        if self.action in ("measures", "suspect", "close", "step_complete", "samples", "custody", "lab_results", "supplies", "dispatches"):
            self.required_action = "change"
        return super().get_permissions()


class AlertViewSet(IdempotentMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Alerts: clusters of deaths, graded events, overdue reporting steps. POST {id}/acknowledge/, {id}/follow-up/."""

    model = Alert
    serializer_class = s.AlertSerializer
    permission_classes = [ScopedModelPermission]
    search_fields = ["title", "detail"]
    ordering_fields = ["raised_at", "level", "id"]
    filterset_fields = ["kind", "level", "status"]

    def get_queryset(self) -> Any:
        action_name = "change" if self.request.method == "POST" else "view"
        return Alert.objects.restrict(self.request.user, action_name).select_related("event").prefetch_related("events", "follow_ups").order_by("-raised_at")

    def get_permissions(self) -> Any:
        if self.request.method == "POST":
            self.required_action = "change"
        return super().get_permissions()

    @extend_schema(request=None, responses=s.AlertSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: Any = None) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        alert = services.alert_acknowledge(actor=request.user, alert=self.get_object())
        return Response(self.get_serializer(alert).data)

    @extend_schema(request=s.FollowUpSerializer, responses=s.AlertSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk: Any = None) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        alert = self.get_object()
        body = s.FollowUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.alert_follow_up(actor=request.user, alert=alert, note=body.validated_data["note"], close=body.validated_data.get("close", False))
        alert.refresh_from_db()
        return Response(self.get_serializer(alert).data, status=status.HTTP_201_CREATED)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """The caller's own in-app notifications; POST {id}/read/ marks one read."""

    serializer_class = s.NotificationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        queryset = selectors.notification_list(user=self.request.user)
        if self.request.query_params.get("unread", "").lower() in ("1", "true"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    @extend_schema(request=None, responses=s.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: Any = None) -> Response:
        notification = access_notification_by_id(request.user, pk)
        services.notification_mark_read(actor=request.user, notification=notification)
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)


__all__ = ["AlertViewSet", "ComplianceView", "DailyReportViewSet", "EventStatus", "EventViewSet", "Notification", "NotificationViewSet", "StationViewSet"]
