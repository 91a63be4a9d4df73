"""Public pages (no login): report a sighting, an injured animal or illegal activity, and follow it.

The query code is shown once, on the receipt page (not cached, not in a URL); the status lookup posts the code so it
never lands in a URL or an access log.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from wildlife.core.views import apply_validation_error
from wildlife.enforcement.selectors import tipoff_public_status
from wildlife.enforcement.services import tipoff_submit_public
from wildlife.portal import ratelimit
from wildlife.portal.forms import PublicReportForm, StatusQueryForm, new_form_token


def _querydict(values: dict[str, Any]) -> QueryDict:
    result = QueryDict(mutable=True)
    for key, value in values.items():
        result.setlist(key, value if isinstance(value, list) else [value])
    return result


def portal_home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters("name", "phone"), name="dispatch")
class ReportView(View):
    def render_form(self, request: HttpRequest, form: PublicReportForm, *, status: int = 200, limited: str = "") -> HttpResponse:
        if not form.is_bound or limited:
            token = new_form_token()
        else:
            token = form.data.get("form_token", "") or new_form_token()
        if form.is_bound:
            # the identity is never echoed back in a page (error pages included): the reporter types it again
            data = dict(form.data.lists()) if hasattr(form.data, "lists") else dict(form.data)
            for key in ("name", "phone"):
                data.pop(key, None)
            form.data = _querydict(data)
        response = render(request, "portal/report.html", {"form": form, "form_token": token, "limited": limited}, status=status)
        ratelimit.ensure_device_cookie(request, response)
        return response

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, PublicReportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        verdict = ratelimit.check(request, "report")
        form = PublicReportForm(request.POST, request.FILES)
        if not verdict.allowed:
            response = self.render_form(request, form, status=429, limited=ratelimit.message(verdict))
            response["Retry-After"] = str(verdict.retry_after)
            return response
        if not form.is_valid():
            return self.render_form(request, form, status=400)
        data = form.cleaned_data
        try:
            tipoff, code = tipoff_submit_public(
                kind=data["kind"], content=data["content"], location=data.get("location"), address=data.get("address", ""),
                occurred_at=data.get("occurred_at"), informant=data["informant"], photos=data.get("photos") or [],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(request, form, status=400)
        response = render(request, "portal/receipt.html", {"receipt_no": tipoff.receipt_no, "code": code, "tipoff": tipoff})
        response["Cache-Control"] = "no-store"
        return response


@method_decorator(never_cache, name="dispatch")
class StatusView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = StatusQueryForm(initial={"receipt_no": request.GET.get("receipt", "")[:30]})
        return render(request, "portal/status.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StatusQueryForm(request.POST)
        verdict = ratelimit.check(request, "status")
        blocked = ratelimit.lookups_blocked(request)
        if not verdict.allowed or not blocked.allowed:
            form.is_valid()
            context = {"form": form, "limited": ratelimit.message(verdict if not verdict.allowed else blocked)}
            return render(request, "portal/status.html", context, status=429)
        if not form.is_valid():
            return render(request, "portal/status.html", {"form": form}, status=400)
        status = tipoff_public_status(receipt_no=form.cleaned_data["receipt_no"], code=form.cleaned_data["code"])
        if status is None:
            ratelimit.failed_lookup(request)
            form.add_error(None, _("受理编号或查询码不正确。"))
            return render(request, "portal/status.html", {"form": form}, status=404)
        return render(request, "portal/status.html", {"form": StatusQueryForm(), "result": status})


def public_areas(request: HttpRequest) -> JsonResponse:
    """Outlines of the towns of the district for the public map (schematic in the demo; public information)."""
    from wildlife.geo.choices import AreaLevel
    from wildlife.geo.models import AdminArea
    from wildlife.geo.selectors import area_feature_collection

    towns = AdminArea.objects.active().filter(level__in=[AreaLevel.TOWN])
    response = JsonResponse(area_feature_collection(towns), json_dumps_params={"ensure_ascii": False}, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response
