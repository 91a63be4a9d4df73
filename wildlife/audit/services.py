"""Writing audit events. Services call `audit_record()` explicitly inside their transaction (no signals)."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from wildlife.audit.models import AuditEvent, Outcome
from wildlife.core.context import current_facts

GENESIS = "0" * 64
_PG_LOCK_KEY = 7_370_306_001  # advisory lock that serialises appends to the chain on PostgreSQL


def _key() -> bytes:
    return str(settings.WILDLIFE_AUDIT_KEY).encode("utf-8")


def canonical(event: AuditEvent) -> bytes:
    """The fields covered by the HMAC, in a fixed order and encoding."""
    payload = [
        event.seq,
        event.occurred_at.isoformat(timespec="microseconds"),
        event.user_id,
        event.username,
        event.role,
        event.ip,
        event.action,
        event.object_type,
        event.object_id,
        event.object_repr,
        event.outcome,
        event.request_id,
        event.before_digest,
        event.after_digest,
        event.detail,
    ]
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


def compute_hmac(prev_hmac: str, event: AuditEvent) -> str:
    return hmac.new(_key(), prev_hmac.encode("ascii") + b"|" + canonical(event), hashlib.sha256).hexdigest()


def digest(data: Any) -> str:
    """SHA-256 of a JSON-able snapshot (before/after digests of a change; the values themselves stay out of the log)."""
    if data is None:
        return ""
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def role_label(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    admin_role = getattr(user, "admin_role", "")
    if admin_role:
        return f"admin:{admin_role}"
    names = sorted(user.groups.values_list("name", flat=True)) if getattr(user, "pk", None) else []
    return ",".join(names)[:60]


def audit_record(
    *,
    action: str,
    actor: Any = None,
    username: str = "",
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    outcome: str = Outcome.SUCCESS,
    before: Any = None,
    after: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Joins the caller's transaction, so a rolled-back write leaves no event."""
    facts = current_facts()
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "entry_hmac").first()
        prev_seq, prev_hmac = last if last else (0, GENESIS)
        event = AuditEvent(
            seq=prev_seq + 1,
            occurred_at=timezone.now(),
            user=user,
            username=(getattr(user, "username", "") if user else username)[:150],
            role=role_label(user),
            ip=facts.ip[:64],
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:64],
            object_repr=object_repr[:200],
            outcome=outcome,
            request_id=facts.request_id if facts.request_id != "-" else "",
            before_digest=digest(before),
            after_digest=digest(after),
            detail=detail or {},
            prev_hmac=prev_hmac,
        )
        # microsecond precision is what the canonical form covers; the database stores exactly that
        event.entry_hmac = compute_hmac(prev_hmac, event)
        event.save(force_insert=True)
    return event
