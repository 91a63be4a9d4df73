"""Account lockout: 5 failures within 15 minutes lock the account for 30 minutes (values from SecurityPolicy).

Counted per account name, whatever the client address, so rotating IPs or forging X-Forwarded-For does not help.
Unknown usernames are counted and locked the same way, so the answer does not reveal which accounts exist.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from wildlife.accounts.models import AccountLock, LoginAttempt, SecurityPolicy
from wildlife.audit.models import Outcome
from wildlife.audit.services import audit_record
from wildlife.core.context import current_facts


def normalise_username(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def locked_until(username: str) -> datetime | None:
    """When the lock on this account ends, or None if it is not locked."""
    lock = AccountLock.objects.filter(username=normalise_username(username)).first()
    if lock is None or lock.locked_until <= timezone.now():
        return None
    return lock.locked_until


def record_login_failure(username: str, *, reason: str) -> bool:
    """Store a failed attempt, audit it, and lock the account when the threshold is reached. Returns True if locked."""
    name = normalise_username(username)
    policy = SecurityPolicy.current()
    now = timezone.now()
    ip = current_facts().ip or None
    with transaction.atomic():
        LoginAttempt.objects.create(username=name, ip=ip, succeeded=False)
        audit_record(action="login_failed", username=name, outcome=Outcome.FAILURE, detail={"reason": reason})
        window_start = now - timedelta(minutes=policy.lockout_window_minutes)
        last_success = (
            LoginAttempt.objects.filter(username=name, succeeded=True).order_by("-attempted_at").values_list("attempted_at", flat=True).first()
        )
        lock = AccountLock.objects.filter(username=name).first()
        since = max(filter(None, [window_start, last_success, lock.locked_until if lock else None]))
        failures = LoginAttempt.objects.filter(username=name, succeeded=False, attempted_at__gte=since).count()
        if failures >= policy.lockout_threshold:
            until = now + timedelta(minutes=policy.lockout_minutes)
            AccountLock.objects.update_or_create(username=name, defaults={"locked_at": now, "locked_until": until})
            audit_record(
                action="account_locked",
                username=name,
                object_type="accounts.user",
                object_repr=name,
                outcome=Outcome.FAILURE,
                detail={"failures": failures, "locked_until": until.isoformat()},
            )
            return True
    return False


def record_login_success(username: str) -> None:
    LoginAttempt.objects.create(username=normalise_username(username), ip=current_facts().ip or None, succeeded=True)


def unlock_account(*, actor: object, username: str) -> bool:
    """Administrator unlock; audited."""
    name = normalise_username(username)
    with transaction.atomic():
        deleted, _ = AccountLock.objects.filter(username=name).delete()
        audit_record(action="account_unlocked", actor=actor, object_type="accounts.user", object_repr=name)
    return deleted > 0
