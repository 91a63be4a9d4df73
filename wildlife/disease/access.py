"""One access function per aggregate: the object if the user may act on it, 404 otherwise (missing or out of scope)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from wildlife.core.access import get_in_scope_or_404
from wildlife.disease.models import (
    Alert,
    DailyReport,
    LabResult,
    MortalityEvent,
    Notification,
    ReportingStep,
    Sample,
    Station,
)


def access_station_by_id(user: Any, station_id: Any, *, action: str = "view") -> Station:
    """A station the user may `action` (their town's, or one covering their town; the district sees all)."""
    return get_in_scope_or_404(Station, user, station_id, action=action)


def access_report_by_id(user: Any, report_id: Any, *, action: str = "view") -> DailyReport:
    """A report of a station in the user's scope."""
    return get_in_scope_or_404(DailyReport, user, report_id, action=action)


def access_event_by_id(user: Any, event_id: Any, *, action: str = "view") -> MortalityEvent:
    """An event in the user's scope."""
    return get_in_scope_or_404(MortalityEvent, user, event_id, action=action)


def access_sample_by_id(user: Any, sample_id: Any, *, event: MortalityEvent, action: str = "view") -> Sample:
    """A sample of `event` the user may `action`."""
    sample = get_in_scope_or_404(Sample, user, sample_id, action=action)
    if sample.event_id != event.pk:
        raise Http404("样品不属于该事件")
    return sample


def access_lab_result_by_id(user: Any, result_id: Any, *, action: str = "view") -> LabResult:
    return get_in_scope_or_404(LabResult, user, result_id, action=action)


def access_step_by_id(user: Any, step_id: Any, *, event: MortalityEvent) -> ReportingStep:
    """A reporting step of `event` (the caller has already checked the event with action="change")."""
    step = ReportingStep.objects.filter(pk=step_id, event=event).first()
    if step is None:
        raise Http404("报告步骤不存在")
    return step


def access_alert_by_id(user: Any, alert_id: Any, *, action: str = "view") -> Alert:
    """An alert in the user's scope."""
    return get_in_scope_or_404(Alert, user, alert_id, action=action)


def access_notification_by_id(user: Any, notification_id: Any) -> Notification:
    """One of the user's own notifications; anybody else's is 404."""
    notification = Notification.objects.filter(pk=notification_id, recipient_id=getattr(user, "pk", None)).first()
    if notification is None:
        raise Http404("通知不存在")
    return notification
