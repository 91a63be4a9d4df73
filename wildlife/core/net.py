"""Client address resolution that a forged X-Forwarded-For cannot fool."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client as seen by the last trusted proxy.

    With WILDLIFE_TRUSTED_PROXY_COUNT = 0 (no proxy) the header is ignored entirely, so a client cannot pick its
    own address; with N trusted proxies we take the N-th address from the right of X-Forwarded-For.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = int(getattr(settings, "WILDLIFE_TRUSTED_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()]
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote
