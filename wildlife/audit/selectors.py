"""Reads of the audit log."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from wildlife.audit.models import AuditEvent


def object_history(obj: Any, *, limit: int = 50) -> list[AuditEvent]:
    """The audit events about one record, newest first, for its detail page timeline."""
    object_type = f"{obj._meta.app_label}.{obj._meta.model_name}"
    return list(
        AuditEvent.objects.filter(object_type=object_type, object_id=str(obj.pk))
        .only("seq", "occurred_at", "username", "action", "outcome", "detail")
        .order_by("-seq")[:limit]
    )


def audit_event_list(*, user: Any) -> QuerySet[AuditEvent]:
    """The whole log, for the audit administrator only."""
    if getattr(user, "admin_role", "") != "audit":
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()
