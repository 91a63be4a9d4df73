"""Request context and response hardening."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from wildlife.core.context import RequestFacts, reset_facts, set_facts
from wildlife.core.net import client_ip

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    """Gives every request an id (echoed in X-Request-ID) and records the client address for audit events."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = str(request.META.get("HTTP_X_REQUEST_ID", ""))
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_facts(
            RequestFacts(
                request_id=request_id,
                ip=client_ip(request),
                user_agent=str(request.META.get("HTTP_USER_AGENT", ""))[:300],
            )
        )
        try:
            response = self.get_response(request)
        finally:
            reset_facts(token)
        response["X-Request-ID"] = request_id
        return response


class ContentSecurityPolicyMiddleware:
    """A strict CSP: scripts only from this site (no inline script), images from this site and the tile server."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        tile_hosts = " https://*.tianditu.gov.cn" if getattr(settings, "WILDLIFE_TIANDITU_KEY", "") else ""
        self.policy = (
            "default-src 'self'; "
            "script-src 'self'; "
            "style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: blob:{tile_hosts}; "
            "font-src 'self' data:; "
            "connect-src 'self'; "
            "frame-ancestors 'none'; "
            "base-uri 'self'; "
            "form-action 'self'; "
            "object-src 'none'"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        response.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
        return response
