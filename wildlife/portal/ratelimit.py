"""Rate limits of the public pages and API, kept in the cache (fixed windows per IP, per device and overall).

A flood from one address or one browser is cut off with a clear message while everyone else still gets through; the
overall cap only protects the database from a distributed flood and is set far above real traffic.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from wildlife.core.net import client_ip

DEVICE_COOKIE = "wl_device"
DEVICE_HEADER = "HTTP_X_DEVICE_ID"
DEVICE_SALT = "wildlife.portal.device"

# (limit, window seconds) per scope; overridable with settings.WILDLIFE_PUBLIC_LIMITS
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "report:ip": (10, 3600),
    "report:device": (5, 3600),
    "report:all": (600, 60),
    "status:ip": (60, 600),
    "status:fail:ip": (15, 600),
}


def limits() -> dict[str, tuple[int, int]]:
    configured: dict[str, tuple[int, int]] = dict(getattr(settings, "WILDLIFE_PUBLIC_LIMITS", {}) or {})
    return {**DEFAULT_LIMITS, **configured}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    scope: str = ""
    retry_after: int = 0


def _bucket(scope: str, ident: str, window: int, now: float) -> tuple[str, int]:
    start = int(now // window) * window
    return f"ratelimit:{scope}:{ident}:{start}", int(start + window - now) + 1


def _count(scope: str, ident: str, *, increment: bool, now: float) -> tuple[int, int, int]:
    limit, window = limits()[scope]
    key, retry = _bucket(scope, ident, window, now)
    if increment:
        cache.add(key, 0, timeout=window + 5)
        try:
            value = int(cache.incr(key))
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=window + 5)
            value = 1
    else:
        value = int(cache.get(key, 0) or 0)
    return value, limit, retry


def check(request: HttpRequest, action: str, *, increment: bool = True) -> Verdict:
    """Count one `action` ("report" or "status") for this IP and device; refuse when any window is full."""
    now = time.time()
    ip = client_ip(request) or "unknown"
    idents = [(f"{action}:ip", ip)]
    device = device_id(request)
    if device and f"{action}:device" in limits():
        idents.append((f"{action}:device", device))
    if f"{action}:all" in limits():
        idents.append((f"{action}:all", "all"))
    verdict = Verdict(allowed=True)
    for scope, ident in idents:
        value, limit, retry = _count(scope, ident, increment=increment, now=now)
        if value > limit and verdict.allowed:
            verdict = Verdict(allowed=False, scope=scope, retry_after=retry)
    return verdict


def failed_lookup(request: HttpRequest) -> None:
    """Count a wrong receipt number/code for this IP (guessing is cut off long before a code could be found)."""
    _count("status:fail:ip", client_ip(request) or "unknown", increment=True, now=time.time())


def lookups_blocked(request: HttpRequest) -> Verdict:
    value, limit, retry = _count("status:fail:ip", client_ip(request) or "unknown", increment=False, now=time.time())
    return Verdict(allowed=value < limit, scope="status:fail:ip", retry_after=retry)


def device_id(request: HttpRequest) -> str:
    """The browser's device id (signed cookie set by the form page) or an app's X-Device-Id header."""
    try:
        value = request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT)
    except (signing.BadSignature, KeyError):
        value = ""
    if not value:
        header = str(request.META.get(DEVICE_HEADER, ""))[:64]
        value = "h:" + header if header else ""
    return str(value)


def ensure_device_cookie(request: HttpRequest, response: Any) -> None:
    if device_id(request).startswith("h:") or not request.COOKIES.get(DEVICE_COOKIE):
        response.set_signed_cookie(
            DEVICE_COOKIE, secrets.token_urlsafe(16), salt=DEVICE_SALT, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
            secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
        )


def message(verdict: Verdict) -> str:
    from django.utils.translation import gettext as _

    minutes = max(1, (verdict.retry_after + 59) // 60)
    return _("提交过于频繁，请 %(minutes)d 分钟后再试。如情况紧急，请拨打 12345 热线或 110。") % {"minutes": minutes}
