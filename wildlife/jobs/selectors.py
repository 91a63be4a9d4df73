"""Reads of jobs: always the user's own (Job.objects.restrict)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wildlife.jobs.models import Job, JobStatus
from wildlife.jobs.registry import kind_label, registered_kinds

RECENT_FAILURE_DAYS = 7


def job_list(*, user: Any, status: str = "", kind: str = "") -> QuerySet[Job]:
    """The user's jobs, newest first, optionally of one status and one kind."""
    queryset = Job.objects.restrict(user, "view")
    if status in JobStatus.values:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-created_at", "-pk")


def job_kind_choices(*, user: Any) -> list[tuple[str, str]]:
    """Kinds for the list filter: every registered kind plus any the user's older jobs used."""
    choices = dict(registered_kinds())
    for kind in Job.objects.restrict(user, "view").values_list("kind", flat=True).distinct():
        choices.setdefault(kind, kind_label(kind))
    return sorted(choices.items(), key=lambda item: item[1])


def job_counts(*, user: Any) -> dict[str, int]:
    """Unfinished (queued + running) jobs and jobs failed in the last RECENT_FAILURE_DAYS days."""
    since = timezone.now() - timedelta(days=RECENT_FAILURE_DAYS)
    counts = Job.objects.restrict(user, "view").aggregate(
        active=Count("pk", filter=Q(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))),
        failed=Count("pk", filter=Q(status=JobStatus.FAILED, created_at__gte=since)),
    )
    return {"active": int(counts["active"] or 0), "failed": int(counts["failed"] or 0)}
