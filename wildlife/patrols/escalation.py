"""Opening a tip-off or a case from a patrol incident or an inspection finding, through the enforcement module's
documented services (wildlife/enforcement/README.md: `tipoff_register`, `case_open`).

The link is stored on our side (escalation_kind, escalation_ref, escalated_type/id); the enforcement module keeps
only our record's reference as text. A repeated click finds the first tip-off or case and changes nothing else.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.audit.services import audit_record
from wildlife.core.exceptions import ConflictError
from wildlife.patrols.choices import EscalationKind
from wildlife.patrols.models import Inspection, PatrolIncident


def _services() -> Any:
    # imported when used: the enforcement app imports nothing from here, and keeping it that way avoids a cycle
    from wildlife.enforcement import services

    return services


def _store(record: Any, *, kind: str, target: Any, ref: str) -> None:
    type(record)._default_manager.filter(pk=record.pk).update(
        escalation_kind=kind,
        escalation_ref=ref[:60],
        escalated_type=ContentType.objects.get_for_model(target),
        escalated_id=target.pk,
        escalated_at=timezone.now(),
    )
    record.refresh_from_db()


def incident_escalate(*, actor: Any, incident: PatrolIncident, to: str) -> Any:
    """Open a tip-off (channel "patrol") or a case (origin "patrol") from a patrol incident."""
    if to not in EscalationKind.values:
        raise ValidationError({"to": [_("请选择转为举报线索或立案。")]})
    if not incident.is_incident:
        raise ValidationError({"to": [_("野生动物观察记录不需要移交。")]})
    if incident.escalation_kind:
        raise ConflictError(
            _("该发现已移交（%(ref)s）。") % {"ref": incident.escalation_ref}, code="already_escalated", current={"ref": incident.escalation_ref}
        )
    services = _services()
    patrol = incident.patrol
    label = _("巡护 %(no)s %(title)s · %(kind)s") % {"no": patrol.patrol_no, "title": patrol.title, "kind": incident.get_kind_display()}
    with transaction.atomic():
        if to == EscalationKind.TIPOFF:
            target = services.tipoff_register(
                actor=actor,
                channel="patrol",
                content=incident.description,
                kind="illegal",
                location=incident.location,
                occurred_at=incident.observed_at,
                source_ref=f"patrols.patrolincident:{incident.pk}",
                source_label=label[:200],
                operation=patrol.operation,
            )
            ref = str(target.receipt_no)
        else:
            target = services.case_open(
                actor=actor,
                origin="patrol",
                origin_ref=str(incident.pk),
                origin_label=label[:200],
                title=_("%(kind)s（%(no)s）") % {"kind": incident.get_kind_display(), "no": patrol.patrol_no},
                location=incident.location,
                summary=incident.description,
                offence_date=timezone.localtime(incident.observed_at).date(),
                operation=patrol.operation,
            )
            ref = str(target.case_no)
        _store(incident, kind=to, target=target, ref=ref)
        audit_record(action="patrol_incident_escalate", actor=actor, obj=patrol, detail={"incident": incident.pk, "to": to, "ref": ref})
    return target


def inspection_escalate(*, actor: Any, inspection: Inspection, to: str) -> Any:
    """Open a case (origin "inspection") or a tip-off from an inspection's findings."""
    if to not in EscalationKind.values:
        raise ValidationError({"to": [_("请选择转为举报线索或立案。")]})
    if inspection.escalation_kind:
        raise ConflictError(
            _("该检查已移交（%(ref)s）。") % {"ref": inspection.escalation_ref},
            code="already_escalated",
            current={"ref": inspection.escalation_ref},
        )
    services = _services()
    target_place = inspection.target
    label = _("检查 %(no)s %(target)s") % {"no": inspection.inspection_no, "target": target_place.name}
    content = inspection.findings or _("检查发现不符合项 %(n)d 项") % {"n": inspection.failed_items}
    with transaction.atomic():
        if to == EscalationKind.TIPOFF:
            target = services.tipoff_register(
                actor=actor,
                channel="agency",
                content=content,
                kind="illegal",
                location=target_place.location,
                area=None if target_place.location else inspection.area,
                address=target_place.address,
                source_ref=f"patrols.inspection:{inspection.pk}",
                source_label=label[:200],
                operation=inspection.operation,
            )
            ref = str(target.receipt_no)
        else:
            target = services.case_open(
                actor=actor,
                origin="inspection",
                origin_ref=str(inspection.pk),
                origin_label=label[:200],
                title=_("%(target)s检查发现问题（%(no)s）") % {"target": target_place.name, "no": inspection.inspection_no},
                area=None if target_place.location else inspection.area,
                location=target_place.location,
                summary=content,
                offence_date=inspection.inspected_on,
                operation=inspection.operation,
            )
            ref = str(target.case_no)
        _store(inspection, kind=to, target=target, ref=ref)
        audit_record(action="inspection_escalate", actor=actor, obj=inspection, detail={"to": to, "ref": ref})
    return target
