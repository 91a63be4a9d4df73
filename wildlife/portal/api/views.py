"""Public API (no login, rate-limited): POST public/reports/ and GET public/reports/{receipt_no}/?code=."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wildlife.core.api.errors import problem_response
from wildlife.enforcement.selectors import tipoff_public_status
from wildlife.enforcement.services import tipoff_submit_public
from wildlife.portal import ratelimit
from wildlife.portal.api.serializers import (
    PublicReportReceiptSerializer,
    PublicReportSerializer,
    PublicReportStatusSerializer,
)


def _limited(verdict: ratelimit.Verdict) -> Response:
    response = problem_response(status_code=429, code="throttled", title=ratelimit.message(verdict))
    response["Retry-After"] = str(verdict.retry_after)
    return response


class PublicReportCreateView(APIView):
    """File a report; answers the receipt number and the query code (shown once)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(request=PublicReportSerializer, responses={201: PublicReportReceiptSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        verdict = ratelimit.check(request._request, "report")
        if not verdict.allowed:
            return _limited(verdict)
        serializer = PublicReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            tipoff, code = tipoff_submit_public(
                kind=data["kind"], content=data["content"], location=data.get("location"), address=data.get("address", ""),
                occurred_at=data.get("occurred_at"), informant=data["informant"],
            )
        except ValidationError as exc:
            messages = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": list(exc.messages)}
            return problem_response(status_code=400, errors={k.replace("informant.", "contact."): [str(m) for m in v] for k, v in messages.items()})
        response = Response({"receipt_no": tipoff.receipt_no, "query_code": code}, status=201)
        response["Cache-Control"] = "no-store"
        return response


class PublicReportStatusView(APIView):
    """The status and reply of a report, with its query code."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("code", str, required=True, description="查询码")], responses={200: PublicReportStatusSerializer}, auth=[])
    def get(self, request: Request, receipt_no: str) -> Response:
        verdict = ratelimit.check(request._request, "status")
        blocked = ratelimit.lookups_blocked(request._request)
        if not verdict.allowed:
            return _limited(verdict)
        if not blocked.allowed:
            return _limited(blocked)
        status = tipoff_public_status(receipt_no=receipt_no, code=str(request.query_params.get("code", "")))
        if status is None:
            ratelimit.failed_lookup(request._request)
            return problem_response(status_code=404, title="受理编号或查询码不正确")
        body = PublicReportStatusSerializer(status).data
        response = Response(body)
        response["Cache-Control"] = "no-store"
        return response
