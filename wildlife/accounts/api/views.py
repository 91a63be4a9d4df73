"""Token authentication endpoints and `auth/me/`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from wildlife.accounts import lockout, mfa
from wildlife.accounts.api.serializers import (
    MeSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    TokenRevokeResponseSerializer,
    TokenRevokeSerializer,
)
from wildlife.accounts.backends import AccountLockedError, second_factor_expected
from wildlife.accounts.models import ApiToken, AreaAssignment, User
from wildlife.accounts.services import api_token_issue, api_token_revoke
from wildlife.audit.models import Outcome
from wildlife.audit.services import audit_record
from wildlife.core.api.errors import problem_response


def _locked(username: str) -> Response:
    until = lockout.locked_until(username)
    detail = _("登录失败次数过多，账号已锁定，请稍后再试或联系系统管理员。")
    return problem_response(
        status_code=403,
        code="account_locked",
        title=_("账号已锁定"),
        detail=detail,
        extra={"locked_until": until.isoformat() if until else None},
    )


class TokenObtainView(APIView):
    """Exchange username + password (+ TOTP code for administrators) for an expiring token."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses={201: TokenResponseSerializer}, tags=["auth"], summary="获取 API 令牌")
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        username = data["username"]
        try:
            user = authenticate(request._request, username=username, password=data["password"])
        except AccountLockedError:
            return _locked(username)
        if user is None:
            if lockout.locked_until(username) is not None:
                return _locked(username)
            return problem_response(status_code=401, code="invalid_credentials", title=_("用户名或密码错误"))
        assert isinstance(user, User)
        via_mfa = False
        if second_factor_expected(user):
            code = (data.get("otp") or "").strip()
            if not code:
                audit_record(action="api_token_refused", actor=user, outcome=Outcome.DENIED, detail={"reason": "otp_required"})
                return problem_response(
                    status_code=401, code="otp_required", title=_("该账号需要双因素认证，请同时提交 otp（6 位动态验证码）"), errors={"otp": [_("请填写动态验证码。")]}
                )
            if mfa.match_code(user, code) is None:
                if lockout.record_login_failure(user.username, reason="bad_otp"):
                    return _locked(user.username)
                return problem_response(status_code=401, code="otp_invalid", title=_("动态验证码不正确或已使用"), errors={"otp": [_("动态验证码不正确。")]})
            lockout.record_login_success(user.username)
            via_mfa = True
        raw, token = api_token_issue(user=user, name=data.get("name") or "", via_mfa=via_mfa)
        return Response({"token": raw, "expires_at": token.expires_at}, status=201)


class TokenRevokeView(APIView):
    """Revoke the token this request is made with, or (`all: true`) every token of the caller."""

    @extend_schema(request=TokenRevokeSerializer, responses={200: TokenRevokeResponseSerializer}, tags=["auth"], summary="吊销 API 令牌")
    def post(self, request: Request) -> Response:
        serializer = TokenRevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = request.auth if isinstance(request.auth, ApiToken) else None
        user = request.user
        assert isinstance(user, User)
        count = api_token_revoke(actor=user, token=token, revoke_all=serializer.validated_data["all"])
        return Response({"revoked": count})


class MeView(APIView):
    """Who the caller is: roles, areas and departments."""

    @extend_schema(responses={200: MeSerializer}, tags=["auth"], summary="当前用户")
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        assignments = list(AreaAssignment.objects.filter(user=user).select_related("area").order_by("area__path"))
        departments = list(user.departments())
        roles = sorted({a.role for a in assignments} | ({user.admin_role} if user.admin_role else set()))
        body = {
            "username": user.username,
            "display_name": user.display_name or user.username,
            "roles": roles,
            "areas": [a.area_id for a in assignments],
            "departments": [d.code for d in departments],
            "department_names": [d.name for d in departments],
            "admin_role": user.admin_role,
            "area_roles": [{"area": a.area_id, "code": a.area.code, "name": a.area.name, "role": a.role} for a in assignments],
        }
        return Response(MeSerializer(body).data)
