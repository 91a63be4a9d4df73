"""HTMX helpers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect


def hx_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect that works for both htmx requests (HX-Redirect header) and plain form posts."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)
