"""Enforcement API: tipoffs/ (never the informant), cases/ (+ graph), operations/, handovers/.

Workflow steps are POST .../<id>/<action>/ with Idempotency-Key support; a step in the wrong state is 409.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wildlife.audit.services import audit_record
from wildlife.core.api.viewsets import ScopedModelViewSet
from wildlife.enforcement import selectors, services
from wildlife.enforcement.access import access_item_by_id, access_party_by_id
from wildlife.enforcement.api import serializers as s
from wildlife.enforcement.models import Case, Operation, RescueHandover, Tipoff

TIPOFF_STEPS: dict[str, tuple[Any, Callable[..., Any]]] = {
    "triage": (s.TriageSerializer, services.tipoff_triage),
    "assign": (s.AssignSerializer, services.tipoff_assign),
    "handle": (s.HandleSerializer, services.tipoff_handle),
    "reply": (s.ReplySerializer, services.tipoff_reply),
    "close": (s.NoteSerializer, services.tipoff_close),
}
CASE_STEPS: dict[str, tuple[Any, Callable[..., Any]]] = {
    "investigate": (s.NoteSerializer, services.case_start_investigation),
    "transfer": (s.TransferSerializer, services.case_transfer),
    "transfer_back": (s.NoteSerializer, services.case_transfer_back),
    "close": (s.CloseCaseSerializer, services.case_close),
}
CHANGE_ACTIONS = {
    *TIPOFF_STEPS, *CASE_STEPS, "escalate", "decide", "assess", "parties", "items", "handover", "events", "flows", "pick_up",
    "partial_update", "update",
}


class _WorkflowMixin:
    """Workflow actions need the change permission and the change scope; the answer is the resource after the step."""

    @property
    def required_action(self) -> str | None:
        if getattr(self, "action", None) in CHANGE_ACTIONS:
            return "change"
        return None

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()  # type: ignore[misc]
        if getattr(self, "action", None) in CHANGE_ACTIONS:
            return self.model._default_manager.all().restrict(self.request.user, "change")  # type: ignore[attr-defined]
        return queryset

    def _step(self, request: Request, serializer_class: Any, call: Any, *, answer: Any = None, status_code: int = 200) -> Response:
        replay: Response | None = self.idempotent_replay(request)  # type: ignore[attr-defined]
        if replay is not None:
            return replay
        obj = self.get_object()  # type: ignore[attr-defined]
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = call(obj, dict(serializer.validated_data))
        payload = answer(result) if answer is not None else self.get_serializer(result).data  # type: ignore[attr-defined]
        response: Response = Response(payload, status=status_code)
        return response


class TipoffViewSet(_WorkflowMixin, ScopedModelViewSet):
    """Tip-offs in the caller's scope. The informant's identity is never part of this resource."""

    model = Tipoff
    serializer_class = s.TipoffSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["status", "channel", "kind", "category", "area"]
    search_fields = ["receipt_no", "content", "address"]
    ordering_fields = ["received_at", "due_at", "status", "receipt_no"]
    geojson_geometry_field = "location"

    def optimise(self, queryset: Any) -> Any:
        return queryset.select_related("species", "case")

    @extend_schema(request=s.TipoffCreateSerializer, responses={201: s.TipoffSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        serializer = s.TipoffCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        tipoff = services.tipoff_register(actor=request.user, **data)
        return Response(self.get_serializer(tipoff).data, status=status.HTTP_201_CREATED)

    def _tipoff_step(self, request: Request, name: str) -> Response:
        serializer_class, service = TIPOFF_STEPS[name]

        def call(tipoff: Tipoff, data: dict[str, Any]) -> Tipoff:
            if name == "assign":
                data["town"] = data.pop("town", None)
            result: Tipoff = service(actor=request.user, tipoff=tipoff, **data)
            return result

        return self._step(request, serializer_class, call)

    @extend_schema(request=s.TriageSerializer, responses={200: s.TipoffSerializer})
    @action(detail=True, methods=["post"])
    def triage(self, request: Request, pk: Any = None) -> Response:
        return self._tipoff_step(request, "triage")

    @extend_schema(request=s.AssignSerializer, responses={200: s.TipoffSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: Any = None) -> Response:
        return self._tipoff_step(request, "assign")

    @extend_schema(request=s.HandleSerializer, responses={200: s.TipoffSerializer})
    @action(detail=True, methods=["post"])
    def handle(self, request: Request, pk: Any = None) -> Response:
        return self._tipoff_step(request, "handle")

    @extend_schema(request=s.ReplySerializer, responses={200: s.TipoffSerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: Any = None) -> Response:
        return self._tipoff_step(request, "reply")

    @extend_schema(request=s.NoteSerializer, responses={200: s.TipoffSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        return self._tipoff_step(request, "close")

    @extend_schema(request=s.EscalateSerializer, responses={201: s.CaseSerializer})
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            request, s.EscalateSerializer, lambda tipoff, data: services.tipoff_escalate(actor=request.user, tipoff=tipoff, **data),
            answer=lambda case: s.CaseSerializer(case, context=self.get_serializer_context()).data, status_code=201,
        )


class CaseViewSet(_WorkflowMixin, ScopedModelViewSet):
    """Cases in the caller's scope; parties masked unless ?reveal=1 with enforcement.reveal_party (audited)."""

    model = Case
    serializer_class = s.CaseSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["status", "origin", "offence_type", "area", "transfer_recommended", "operation"]
    search_fields = ["case_no", "title", "origin_label"]
    ordering_fields = ["opened_at", "case_no", "assessed_value", "status"]
    geojson_geometry_field = "location"

    def optimise(self, queryset: Any) -> Any:
        return queryset.select_related("lead_department").prefetch_related("involved_departments", "parties", "items__species", "items__handover")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        request = self.request
        reveal = request.query_params.get("reveal") == "1" and request.user.has_perm("enforcement.reveal_party") and request.method == "GET"
        context["reveal"] = reveal
        if reveal and self.action == "retrieve":
            audit_record(action="party_reveal", actor=request.user, object_type="enforcement.case", object_id=self.kwargs.get("pk", ""), detail={"via": "api"})
        return context

    @extend_schema(request=s.CaseCreateSerializer, responses={201: s.CaseSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        serializer = s.CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.case_open(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(case).data, status=status.HTTP_201_CREATED)

    def _case_step(self, request: Request, name: str) -> Response:
        serializer_class, service = CASE_STEPS[name]
        return self._step(request, serializer_class, lambda case, data: service(actor=request.user, case=case, **data))

    @extend_schema(request=s.NoteSerializer, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"])
    def investigate(self, request: Request, pk: Any = None) -> Response:
        return self._case_step(request, "investigate")

    @extend_schema(request=s.TransferSerializer, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: Any = None) -> Response:
        return self._case_step(request, "transfer")

    @extend_schema(request=s.NoteSerializer, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="transfer_back")
    def transfer_back(self, request: Request, pk: Any = None) -> Response:
        return self._case_step(request, "transfer_back")

    @extend_schema(request=s.CloseCaseSerializer, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        return self._case_step(request, "close")

    @extend_schema(request=s.DecisionSerializer, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: Any = None) -> Response:
        def call(case: Case, data: dict[str, Any]) -> Case:
            services.case_decide(actor=request.user, case=case, **data)
            case.refresh_from_db()
            return case

        return self._step(request, s.DecisionSerializer, call)

    @extend_schema(request=None, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"])
    def assess(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, s.NoteSerializer, lambda case, data: services.case_assess(actor=request.user, case=case))

    @extend_schema(request=s.PartyInputSerializer, responses={201: s.PartySerializer})
    @action(detail=True, methods=["post"])
    def parties(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            request, s.PartyInputSerializer, lambda case, data: services.case_party_add(actor=request.user, case=case, **data),
            answer=lambda party: s.PartySerializer(party, context={"reveal": False}).data, status_code=201,
        )

    @extend_schema(request=s.SeizedItemInputSerializer, responses={201: s.SeizedItemSerializer})
    @action(detail=True, methods=["post"])
    def items(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            request, s.SeizedItemInputSerializer, lambda case, data: services.case_item_add(actor=request.user, case=case, **data),
            answer=lambda item: s.SeizedItemSerializer(item).data, status_code=201,
        )

    @extend_schema(request=s.NoteSerializer, responses={201: s.HandoverSerializer})
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_id>\d+)/handover")
    def handover(self, request: Request, pk: Any = None, item_id: Any = None) -> Response:
        def call(case: Case, data: dict[str, Any]) -> RescueHandover:
            item = access_item_by_id(request.user, case, item_id)
            return services.case_item_hand_over(actor=request.user, item=item, condition_note=data.get("note", ""))

        return self._step(request, s.NoteSerializer, call, answer=lambda h: s.HandoverSerializer(h).data, status_code=201)

    @extend_schema(request=s.EventSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def events(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            request, s.EventSerializer, lambda case, data: services.case_event_add(actor=request.user, case=case, **data),
            answer=lambda event: {"id": event.pk, "kind": event.kind, "title": event.title, "occurred_at": event.occurred_at.isoformat()}, status_code=201,
        )

    @extend_schema(request=s.FlowSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def flows(self, request: Request, pk: Any = None) -> Response:
        def call(case: Case, data: dict[str, Any]) -> Any:
            data["from_party"] = access_party_by_id(request.user, case, data["from_party"])
            data["to_party"] = access_party_by_id(request.user, case, data["to_party"])
            return services.case_flow_add(actor=request.user, case=case, **data)

        return self._step(request, s.FlowSerializer, call, answer=lambda flow: {"id": flow.pk, "kind": flow.kind}, status_code=201)

    @extend_schema(responses={200: None}, description="追流向：nodes[] (id, kind, label, url …)、edges[] (source, target, kind, label)、chains[]")
    @action(detail=True, methods=["get"])
    def graph(self, request: Request, pk: Any = None) -> Response:
        case = self.get_object()
        try:
            depth = int(request.query_params.get("depth", "2"))
        except ValueError:
            depth = 2
        return Response(selectors.case_graph(user=request.user, case=case, depth=depth))


class OperationViewSet(_WorkflowMixin, ScopedModelViewSet):
    """Special operations (专项行动)."""

    model = Operation
    serializer_class = s.OperationSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["status"]
    search_fields = ["name", "code"]
    ordering_fields = ["start_date", "name"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("status", None)
        data.pop("summary", None)
        data.pop("version", None)
        operation = services.operation_create(actor=request.user, **data)
        return Response(self.get_serializer(operation).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        operation = self.get_object()
        serializer = self.get_serializer(operation, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        current = {
            "name": operation.name, "start_date": operation.start_date, "end_date": operation.end_date, "lead_department": operation.lead_department,
            "status": operation.status, "departments": list(operation.departments.all()), "targets": operation.targets, "summary": operation.summary,
        }
        current.update({k: v for k, v in serializer.validated_data.items() if k in current})
        version = int(request.data.get("version") or operation.version)
        operation = services.operation_update(actor=request.user, obj=operation, version=version, **current)
        return Response(self.get_serializer(operation).data)


class HandoverViewSet(_WorkflowMixin, ScopedModelViewSet):
    """Rescue hand-over receipts; the rescue module marks them received with pick_up."""

    model = RescueHandover
    serializer_class = s.HandoverSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["status", "case"]
    ordering_fields = ["handed_at"]

    @extend_schema(request=s.PickUpSerializer, responses={200: s.HandoverSerializer})
    @action(detail=True, methods=["post"], url_path="pick_up")
    def pick_up(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, s.PickUpSerializer, lambda handover, data: services.rescue_handover_pick_up(actor=request.user, handover=handover, **data))
