"""The audit administrator's viewer: filtered list, event detail, Excel export (itself audited), chain verification."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wildlife.audit.forms import AuditFilterForm
from wildlife.audit.models import AuditEvent, Outcome
from wildlife.audit.selectors import audit_event_get, audit_event_list, distinct_values, require_audit_reader
from wildlife.audit.services import audit_record
from wildlife.audit.verify import KIND_LABELS, verify_chain
from wildlife.core.excel import XLSX_CONTENT_TYPE, build_workbook

EXPORT_ROW_LIMIT = 200_000
EXPORT_HEADERS = ("序号", "时间", "用户名", "角色", "IP 地址", "操作", "对象类型", "对象编号", "对象", "结果", "请求编号", "详情", "校验值")


def _filtered(request: HttpRequest) -> tuple[Any, AuditFilterForm]:
    form = AuditFilterForm(
        request.GET or None,
        actions=distinct_values("action", user=request.user),
        object_types=distinct_values("object_type", user=request.user),
    )
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    return audit_event_list(user=request.user, **filters), form


@never_cache
@login_required
def event_list_view(request: HttpRequest) -> HttpResponse:
    require_audit_reader(request.user)
    queryset, form = _filtered(request)
    if request.GET.get("export") == "xlsx":
        return _export(request, queryset)
    paginator = Paginator(queryset, 50)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    context = {"form": form, "page": page, "paginator": paginator, "querystring": params.urlencode(), "events": page.object_list}
    return render(request, "audit/event_list.html", context)


def _export(request: HttpRequest, queryset: Any) -> HttpResponse:
    total = queryset.count()
    if total > EXPORT_ROW_LIMIT:
        audit_record(action="export", actor=request.user, object_type="audit.auditevent", outcome=Outcome.DENIED, detail={"rows": total, "reason": "too_many_rows"})
        return render(request, "audit/export_too_large.html", {"total": total, "limit": EXPORT_ROW_LIMIT}, status=400)

    def rows() -> Any:
        for e in queryset.iterator(chunk_size=2000):
            yield [
                e.seq,
                e.occurred_at,
                e.username,
                e.role,
                e.ip,
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                e.get_outcome_display(),
                e.request_id,
                _json(e.detail),
                e.entry_hmac,
            ]

    note = _("审计日志 · 导出时间 %(time)s · 导出人 %(user)s · 共 %(n)d 条 · 筛选 %(query)s") % {
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "user": request.user.get_username(),
        "n": total,
        "query": request.GET.urlencode().replace("export=xlsx", "").strip("&") or "—",
    }
    content = build_workbook(title="审计日志", headers=list(EXPORT_HEADERS), rows=rows(), note=note)
    # the export is itself an audited event, written after the rows were read so it does not export itself
    audit_record(action="export", actor=request.user, object_type="audit.auditevent", detail={"format": "xlsx", "rows": total, "query": request.GET.urlencode()[:500]})
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localtime().strftime("%Y%m%d-%H%M")}.xlsx"'
    return response


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


@never_cache
@login_required
def event_detail_view(request: HttpRequest, seq: int) -> HttpResponse:
    event = audit_event_get(user=request.user, seq=seq)
    detail_rows = sorted((event.detail or {}).items()) if isinstance(event.detail, dict) else []
    neighbours = {
        "previous": AuditEvent.objects.filter(seq=seq - 1).values_list("seq", flat=True).first(),
        "next": AuditEvent.objects.filter(seq=seq + 1).values_list("seq", flat=True).first(),
    }
    return render(request, "audit/event_detail.html", {"event": event, "detail_rows": detail_rows, **neighbours})


@require_POST
@login_required
def verify_view(request: HttpRequest) -> HttpResponse:
    require_audit_reader(request.user)
    report = verify_chain()
    audit_record(
        action="audit_verify",
        actor=request.user,
        object_type="audit.auditevent",
        outcome=Outcome.SUCCESS if report.ok else Outcome.FAILURE,
        detail=report.as_dict(),
    )
    return render(request, "audit/verify_result.html", {"report": report, "kind_label": KIND_LABELS.get(report.kind, "")})
