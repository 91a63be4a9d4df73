"""Reads of the audit log. The whole log is for the audit administrator only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from wildlife.audit.models import AuditEvent

AUDIT_ROLE = "audit"


def object_history(obj: Any, *, limit: int = 50) -> list[AuditEvent]:
    """The audit events about one record, newest first, for its detail page timeline."""
    object_type = f"{obj._meta.app_label}.{obj._meta.model_name}"
    return list(
        AuditEvent.objects.filter(object_type=object_type, object_id=str(obj.pk))
        .only("seq", "occurred_at", "username", "action", "outcome", "detail")
        .order_by("-seq")[:limit]
    )


def can_read_audit_log(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and getattr(user, "admin_role", "") == AUDIT_ROLE)


def require_audit_reader(user: Any) -> None:
    if not can_read_audit_log(user):
        raise PermissionDenied("审计日志仅对审计管理员开放")


def audit_event_list(
    *,
    user: Any,
    username: str = "",
    action: str = "",
    object_type: str = "",
    outcome: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    q: str = "",
) -> QuerySet[AuditEvent]:
    """The log filtered, newest first; nothing for anyone but the audit administrator."""
    if not can_read_audit_log(user):
        return AuditEvent.objects.none()
    queryset = AuditEvent.objects.all().order_by("-seq")
    if username:
        queryset = queryset.filter(username__icontains=username)
    if action:
        queryset = queryset.filter(action=action)
    if object_type:
        queryset = queryset.filter(object_type=object_type)
    if outcome:
        queryset = queryset.filter(outcome=outcome)
    tz = timezone.get_current_timezone()
    if date_from:
        queryset = queryset.filter(occurred_at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        queryset = queryset.filter(occurred_at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    if q:
        queryset = queryset.filter(object_repr__icontains=q) | queryset.filter(request_id=q) | queryset.filter(ip=q)
    return queryset


def audit_event_get(*, user: Any, seq: int) -> AuditEvent:
    require_audit_reader(user)
    event = AuditEvent.objects.filter(seq=seq).first()
    if event is None:
        raise Http404("审计事件不存在")
    return event


def distinct_values(field: str, *, user: Any, limit: int = 200) -> list[str]:
    """Values seen in a column (for filter drop-downs)."""
    if not can_read_audit_log(user):
        return []
    return [v for v in AuditEvent.objects.order_by(field).values_list(field, flat=True).distinct()[:limit] if v]
