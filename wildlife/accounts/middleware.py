"""Session policy: idle timeout, absolute lifetime, and the second factor for those who need it."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import logout
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from wildlife.accounts.models import SecurityPolicy
from wildlife.audit.services import audit_record

SESSION_LOGIN_AT = "_wl_login_at"
SESSION_LAST_SEEN = "_wl_last_seen"
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
    return bool(getattr(user, "needs_mfa", False) or cached_policy().mfa_required_for_all)


class SessionPolicyMiddleware:
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
                    response: HttpResponse = JsonResponse({"detail": "会话已超时，请重新登录"}, status=401)
                    if request.headers.get("HX-Request"):
                        response["HX-Redirect"] = reverse("accounts:login") + "?timeout=1"
                    return response
                return HttpResponseRedirect(reverse("accounts:login") + "?timeout=1")
            if (
                mfa_required_for(user)
                and not user.is_verified()
                and not request.path.startswith(_EXEMPT_PREFIXES)
            ):
                return HttpResponseRedirect(reverse("accounts:mfa"))
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
