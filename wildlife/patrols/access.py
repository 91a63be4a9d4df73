"""One access function per aggregate: the record if the user may act on it, 404 otherwise (missing or out of scope)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from wildlife.core.access import get_in_scope_or_404
from wildlife.patrols.models import (
    Attachment,
    ChecklistTemplate,
    EnforcementOfficer,
    Equipment,
    Inspection,
    InspectionTarget,
    Patrol,
    PatrolIncident,
    TrainingAttendance,
    TrainingSession,
)


def access_patrol_by_id(user: Any, patrol_id: Any, *, action: str = "view") -> Patrol:
    """A patrol the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(Patrol, user, patrol_id, action=action)


def access_incident_by_id(user: Any, incident_id: Any, *, action: str = "view") -> PatrolIncident:
    """A patrol incident, through its patrol's scope (404 otherwise)."""
    try:
        incident = PatrolIncident.objects.select_related("patrol").get(pk=incident_id)
    except (PatrolIncident.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("对象不存在或不在您的权限范围内") from exc
    access_patrol_by_id(user, incident.patrol_id, action=action)
    return incident


def access_target_by_id(user: Any, target_id: Any, *, action: str = "view") -> InspectionTarget:
    """An inspection target the user may `action` (404 otherwise; breeding sites need their permission)."""
    return get_in_scope_or_404(InspectionTarget, user, target_id, action=action)


def access_template_by_id(user: Any, template_id: Any, *, action: str = "view") -> ChecklistTemplate:
    """A checklist template the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(ChecklistTemplate, user, template_id, action=action)


def access_inspection_by_id(user: Any, inspection_id: Any, *, action: str = "view") -> Inspection:
    """An inspection the user may `action` (404 otherwise; breeding-site inspections need their permission)."""
    return get_in_scope_or_404(Inspection, user, inspection_id, action=action)


def access_training_by_id(user: Any, session_id: Any, *, action: str = "view") -> TrainingSession:
    """A training session the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(TrainingSession, user, session_id, action=action)


def access_attendance_by_id(user: Any, attendance_id: Any, *, action: str = "change") -> TrainingAttendance:
    """A trainee row, through its session's scope (404 otherwise)."""
    try:
        row = TrainingAttendance.objects.get(pk=attendance_id)
    except (TrainingAttendance.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("对象不存在或不在您的权限范围内") from exc
    access_training_by_id(user, row.session_id, action=action)
    return row


def access_officer_by_id(user: Any, officer_id: Any, *, action: str = "view") -> EnforcementOfficer:
    """An enforcement officer record the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(EnforcementOfficer, user, officer_id, action=action)


def access_equipment_by_id(user: Any, equipment_id: Any, *, action: str = "view") -> Equipment:
    """An equipment record the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(Equipment, user, equipment_id, action=action)


_PARENT_ACCESS = {
    ("patrols", "patrolincident"): access_incident_by_id,
    ("patrols", "inspection"): access_inspection_by_id,
    ("patrols", "trainingsession"): access_training_by_id,
}


def access_attachment_by_id(user: Any, attachment_id: Any, *, action: str = "view") -> Attachment:
    """A file, if the user may `action` the record it belongs to (404 otherwise)."""
    try:
        attachment = Attachment.objects.select_related("content_type").get(pk=attachment_id)
    except (Attachment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("对象不存在或不在您的权限范围内") from exc
    check = _PARENT_ACCESS.get((attachment.content_type.app_label, attachment.content_type.model))
    if check is None:
        raise Http404("对象不存在或不在您的权限范围内")
    check(user, attachment.object_id, action=action)
    return attachment
