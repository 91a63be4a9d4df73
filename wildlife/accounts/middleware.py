"""Session policy: idle timeout, absolute lifetime, and the second factor for those who need it."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from wildlife.accounts.models import SecurityPolicy
from wildlife.audit.services import audit_record

SESSION_LOGIN_AT = "_wl_login_at"
SESSION_LAST_SEEN = "_wl_last_seen"
# set at login for a business user who switched on the optional second factor: they are asked for it too
SESSION_MFA_PENDING = "_wl_mfa_pending"
_POLICY_CACHE_KEY = "wildlife:security-policy"
_EXEMPT_PREFIXES = ("/static/", "/accounts/mfa/", "/accounts/logout/", "/i18n/", "/healthz")


def cached_policy() -> SecurityPolicy:
    policy = cache.get(_POLICY_CACHE_KEY)
    if policy is None:
        policy = SecurityPolicy.current()
        cache.set(_POLICY_CACHE_KEY, policy, 30)
    return policy  # type: ignore[no-any-return]


def forget_cached_policy() -> None:
    cache.delete(_POLICY_CACHE_KEY)


def mfa_required_for(user: object) -> bool:
    """Whether the policy requires this user to use a second factor (administrators always; others by policy)."""
    return bool(getattr(user, "needs_mfa", False) or cached_policy().mfa_required_for_all)


def _problem(status: int, code: str, title: str) -> JsonResponse:
    from wildlife.core.context import current_facts

    body = {"type": "about:blank", "title": title, "status": status, "code": code, "errors": {}, "request_id": current_facts().request_id}
    return JsonResponse(body, status=status, content_type="application/problem+json", json_dumps_params={"ensure_ascii": False})


class SessionPolicyMiddleware:
    """Idle and absolute session timeouts, and no page before the second factor for those who need it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request)
            if expired:
                audit_record(action="session_expired", actor=user, detail={"reason": expired})
                logout(request)
                if request.path.startswith("/api/") or request.headers.get("HX-Request"):
                    response: HttpResponse = _problem(401, "session_expired", "会话已超时，请重新登录")
                    if request.headers.get("HX-Request"):
                        response["HX-Redirect"] = reverse("accounts:login") + "?timeout=1"
                    return response
                return HttpResponseRedirect(reverse("accounts:login") + "?timeout=1")
            if (
                not user.is_verified()
                and (request.session.get(SESSION_MFA_PENDING) or mfa_required_for(user))
                and not request.path.startswith(_EXEMPT_PREFIXES)
            ):
                if request.path.startswith("/api/"):
                    return _problem(403, "mfa_required", "请先完成双因素认证")
                return HttpResponseRedirect(reverse("accounts:mfa") + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> str:
        policy = cached_policy()
        now = time.time()
        session = request.session
        login_at = session.get(SESSION_LOGIN_AT)
        if login_at is None:
            session[SESSION_LOGIN_AT] = now
            login_at = now
        last_seen = session.get(SESSION_LAST_SEEN, now)
        if now - float(login_at) > policy.absolute_timeout_hours * 3600:
            return "absolute"
        if now - float(last_seen) > policy.idle_timeout_minutes * 60:
            return "idle"
        # htmx polling (progress bars) must not keep an idle session alive
        if not request.headers.get("X-Background-Poll"):
            session[SESSION_LAST_SEEN] = now
        return ""
