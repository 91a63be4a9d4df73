"""Listings API under /api/v1/enforcement/: list/retrieve/capture, the review actions, scans, terms and letters."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wildlife.audit.services import audit_record
from wildlife.core.api.permissions import ScopedModelPermission
from wildlife.core.api.viewsets import IdempotentMixin, ScopedModelViewSet
from wildlife.trade import services
from wildlife.trade.api.serializers import (
    ListingCaptureSerializer,
    ListingEscalateSerializer,
    ListingNoteSerializer,
    ListingSerializer,
    ListingTakedownSerializer,
    ScanJobSerializer,
    ScanRequestSerializer,
    TakedownLetterSerializer,
    TradeTermSerializer,
)
from wildlife.trade.choices import ListingStatus
from wildlife.trade.models import Listing, TakedownLetter, TradeTerm
from wildlife.trade.selectors import term_version_current


class ListingApiFilter(django_filters.FilterSet):  # type: ignore[misc]
    platform = django_filters.CharFilter(field_name="platform__code")
    status = django_filters.ChoiceFilter(choices=ListingStatus.choices)
    flagged = django_filters.BooleanFilter()
    risk_min = django_filters.NumberFilter(field_name="risk_score", lookup_expr="gte")
    term = django_filters.CharFilter(method="filter_term")
    captured_from = django_filters.IsoDateTimeFilter(field_name="captured_at", lookup_expr="gte")
    captured_to = django_filters.IsoDateTimeFilter(field_name="captured_at", lookup_expr="lt")

    class Meta:
        model = Listing
        fields = ["platform", "status", "flagged", "risk_min", "term", "source", "scan_batch", "operation"]

    def filter_term(self, queryset: Any, name: str, value: str) -> Any:
        value = value.strip().replace("|", "")
        return queryset.filter(matched_index__contains=f"|{value}|") if value else queryset


class ListingViewSet(ScopedModelViewSet):
    """Listings (商品信息). Writes: POST creates a manual capture; workflow steps are POST actions; `scan/` takes a
    batch or a file and answers with a job."""

    model = Listing
    serializer_class = ListingSerializer
    filterset_class = ListingApiFilter
    search_fields = ["title", "text", "seller_account", "seller_name", "url"]
    ordering_fields = ["risk_score", "captured_at", "price", "id"]
    http_method_names = ["get", "post", "head", "options"]

    @property
    def required_action(self) -> str | None:
        # workflow steps need only sight of the listing here: the services check review / takedown permissions
        if self.action in ("start_review", "false_positive", "reopen", "takedown", "escalate"):
            return "view"
        return None

    def optimise(self, queryset: Any) -> Any:
        return queryset.select_related("platform", "area", "term_version")

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()
        context["reveal"] = getattr(self, "_reveal", False)
        return context

    def _check_reveal(self, request: Request, obj: Listing | None = None) -> None:
        if request.query_params.get("reveal") == "1" and request.user.has_perm("trade.review_listing"):
            self._reveal = True
            audit_record(action="reveal", actor=request.user, obj=obj, object_type="trade.listing", detail={"field": "seller_phone", "via": "api"})

    @extend_schema(parameters=[OpenApiParameter("reveal", str, description="1：返回卖家电话原值（需审核权限，记入审计）")])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        self._check_reveal(request, instance)
        return Response(self.get_serializer(instance).data)

    @extend_schema(request=ListingCaptureSerializer, responses={201: ListingSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        payload = ListingCaptureSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        listing = services.listing_capture(actor=request.user, **payload.validated_data)
        return Response(self.get_serializer(listing).data, status=status.HTTP_201_CREATED)

    def _step(self, request: Request, serializer_class: Any, run: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        listing = self.get_object()
        data: dict[str, Any] = {}
        if serializer_class is not None:
            payload = serializer_class(data=request.data)
            payload.is_valid(raise_exception=True)
            data = dict(payload.validated_data)
        run(listing, data)
        listing.refresh_from_db()
        return Response(self.get_serializer(listing).data)

    def get_queryset(self) -> Any:
        # workflow steps read the listing with "view": the services check the review / takedown permissions
        return Listing.objects.restrict(self.request.user, "view").order_by("-captured_at", "-pk").select_related("platform", "area", "term_version")

    @extend_schema(request=None, responses={200: ListingSerializer})
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, None, lambda listing, data: services.listing_review_start(actor=request.user, listing=listing))

    @extend_schema(request=ListingNoteSerializer, responses={200: ListingSerializer})
    @action(detail=True, methods=["post"], url_path="false-positive")
    def false_positive(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, ListingNoteSerializer, lambda listing, data: services.listing_mark_false_positive(actor=request.user, listing=listing, **data))

    @extend_schema(request=ListingNoteSerializer, responses={200: ListingSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, ListingNoteSerializer, lambda listing, data: services.listing_reopen(actor=request.user, listing=listing, **data))

    @extend_schema(request=ListingTakedownSerializer, responses={200: ListingSerializer})
    @action(detail=True, methods=["post"])
    def takedown(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, ListingTakedownSerializer, lambda listing, data: services.listing_request_takedown(actor=request.user, listing=listing, **data))

    @extend_schema(request=ListingEscalateSerializer, responses={200: ListingSerializer})
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, ListingEscalateSerializer, lambda listing, data: services.listing_escalate(actor=request.user, listing=listing, **data))

    @extend_schema(request=ScanRequestSerializer, responses={202: ScanJobSerializer})
    @action(detail=False, methods=["post"])
    def scan(self, request: Request) -> Response:
        """A batch of listings or a platform export → stored, scanned, hits queued; answers with the job."""
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        payload = ScanRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        platform = data["platform"]
        if data.get("listings"):
            batch = services.scan_api_submit(actor=request.user, platform=platform, items=data["listings"], mode=data["mode"])
        else:
            batch = services.scan_upload_create(actor=request.user, platform=platform, upload=data["file"], mode=data["mode"])
            mapping = data.get("mapping") or batch.mapping
            batch = services.scan_mapping_submit(actor=request.user, batch=batch, mapping=mapping, mode=data["mode"])
        assert batch.job is not None
        body = {"job": str(batch.job.pk), "job_url": f"/api/v1/jobs/{batch.job.pk}/", "scan_batch": batch.pk, "status": batch.job.status}
        return Response(body, status=status.HTTP_202_ACCEPTED)


class TradeTermViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Keywords of a version of the table (`?version=`; default the current one)."""

    model = TradeTerm
    serializer_class = TradeTermSerializer
    permission_classes = [ScopedModelPermission]
    filterset_fields = ["category", "enabled"]
    search_fields = ["term"]

    queryset = TradeTerm.objects.none()  # for the schema; requests go through get_queryset()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return TradeTerm.objects.none()
        raw = self.request.query_params.get("version", "")
        current = term_version_current()
        number = int(raw) if raw.isdigit() else (current.number if current else 0)
        return (
            TradeTerm.objects.restrict(self.request.user, "view")
            .filter(since_version__lte=number)
            .filter(Q(until_version__isnull=True) | Q(until_version__gt=number))
            .select_related("species")
            .order_by("category", "term", "pk")
        )


class TakedownLetterViewSet(IdempotentMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    model = TakedownLetter
    serializer_class = TakedownLetterSerializer
    permission_classes = [ScopedModelPermission]
    search_fields = ["number"]

    def get_queryset(self) -> Any:
        return TakedownLetter.objects.restrict(self.request.user, "view").select_related("platform").order_by("-issued_at")
