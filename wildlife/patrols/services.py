"""Writes: patrols and their incidents, inspection targets, checklist templates, inspections and their follow-up,
trainings and attendance, the personnel and equipment registers, and files.

Every public service is keyword-only, atomic and audited, re-checks the actor's scope after writing, and moves a
workflow with a compare-and-swap update (status and version), so a double submission has one effect.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wildlife.audit.services import audit_record
from wildlife.core.access import ensure_in_scope
from wildlife.core.crypto import blind_index
from wildlife.core.exceptions import ConflictError
from wildlife.core.services import resolve_area
from wildlife.geo.models import AdminArea
from wildlife.patrols.choices import (
    Answer,
    AttachmentRole,
    FollowUpResult,
    InspectionStatus,
    TrackSource,
)
from wildlife.patrols.files import CheckedFile, check_uploads
from wildlife.patrols.models import (
    Attachment,
    ChecklistItem,
    ChecklistTemplate,
    EnforcementOfficer,
    Equipment,
    Inspection,
    InspectionAnswer,
    InspectionFollowUp,
    InspectionTarget,
    Patrol,
    PatrolIncident,
    PatrolTownShare,
    TrainingAttendance,
    TrainingSession,
)
from wildlife.patrols.tracks import ParsedTrack, town_lengths

VERSION_CONFLICT = gettext_noop("记录已被他人修改，请刷新后重试")


def _conflict(obj: models.Model, *, code: str = "version_conflict", message: str = VERSION_CONFLICT) -> ConflictError:
    current = type(obj)._default_manager.filter(pk=obj.pk).values("version", *(["status"] if hasattr(obj, "status") else [])).first()
    return ConflictError(_(message), code=code, current=dict(current or {}))


def _next_number(model: type[models.Model], field: str, prefix: str, on: dt.date) -> str:
    base = f"{prefix}{on:%Y%m%d}-"
    last = (
        model._default_manager.filter(**{f"{field}__startswith": base})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    number = int(str(last).rsplit("-", 1)[1]) + 1 if last else 1
    return f"{base}{number:03d}"


def _create_numbered(model: type[models.Model], field: str, prefix: str, on: dt.date, **values: Any) -> Any:
    """Create a record with the next free number of the day; a concurrent writer taking it first makes us retry."""
    for _attempt in range(5):
        values[field] = _next_number(model, field, prefix, on)
        try:
            with transaction.atomic():
                return model._default_manager.create(**values)
        except IntegrityError:
            if not model._default_manager.filter(**{field: values[field]}).exists():
                raise
    raise ConflictError(_("编号生成冲突，请重试"), code="number_conflict")


# --- files -----------------------------------------------------------------------------------------------------------


def _attach(*, actor: Any, parent: models.Model, files: Sequence[CheckedFile], role: str) -> list[Attachment]:
    content_type = ContentType.objects.get_for_model(parent)
    created = []
    for checked in files:
        attachment = Attachment(
            content_type=content_type,
            object_id=parent.pk,
            role=role,
            original_name=checked.name,
            mime_type=checked.mime_type,
            size=checked.size,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        # the stored name is generated: nothing the uploader typed reaches the file system
        attachment.file.save(uuid.uuid4().hex + PurePath(checked.name).suffix.lower(), File(checked.upload), save=False)
        attachment.save()
        created.append(attachment)
    return created


def attachment_add(*, actor: Any, parent: models.Model, uploads: Sequence[Any], role: str = AttachmentRole.PHOTO) -> list[Attachment]:
    """Attach checked photos or materials to a record the actor may change."""
    checked = check_uploads(list(uploads), kind="photo" if role == AttachmentRole.PHOTO else "material")
    with transaction.atomic():
        created = _attach(actor=actor, parent=parent, files=checked, role=role)
        audit_record(action="attachment_add", actor=actor, obj=parent, detail={"files": [a.original_name for a in created]})
    return created


def attachment_delete(*, actor: Any, attachment: Attachment) -> None:
    """Remove a file (the record keeps an audit event naming it)."""
    with transaction.atomic():
        parent = attachment.parent
        audit_record(action="attachment_delete", actor=actor, obj=parent or attachment, detail={"file": attachment.original_name})
        attachment.file.delete(save=False)
        attachment.delete()


def attachments_of(obj: models.Model) -> list[Attachment]:
    """The files of one record, oldest first."""
    return list(Attachment.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk))


# --- patrols ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackPlacement:
    town: AdminArea
    district: AdminArea
    shares: dict[int, float]


def _place_track(track: ParsedTrack) -> TrackPlacement:
    """The town holding most of the track (ties go to the town of the start point) and the metres in each town."""
    shares, _outside = town_lengths(track.segments)
    if not shares:
        raise ValidationError({"track": [_("轨迹不在本区任何镇街范围内，请检查坐标（经度在前，纬度在后）或坐标系。")]})
    start_town = None
    from wildlife.geo.selectors import area_for_point

    first = track.segments[0][0]
    start = area_for_point(Point(first[0], first[1], srid=4326))
    start_town = start.pk if start is not None else None
    best = max(shares.items(), key=lambda item: (round(item[1], 3), item[0] == start_town))[0]
    town = AdminArea.objects.get(pk=best)
    return TrackPlacement(town=town, district=town.district_ancestor(), shares=shares)


def _patrol_times(
    started_at: dt.datetime | None, ended_at: dt.datetime | None, track: ParsedTrack | None
) -> tuple[dt.datetime, dt.datetime]:
    started_at = started_at or (track.started_at if track else None)
    ended_at = ended_at or (track.ended_at if track else None)
    errors: dict[str, list[str]] = {}
    if started_at is None:
        errors["started_at"] = [_("请填写开始时间（轨迹文件中没有时间）。")]
    if ended_at is None:
        errors["ended_at"] = [_("请填写结束时间（轨迹文件中没有时间）。")]
    if errors:
        raise ValidationError(errors)
    assert started_at is not None and ended_at is not None
    if ended_at <= started_at:
        raise ValidationError({"ended_at": [_("结束时间应晚于开始时间。")]})
    if ended_at - started_at > dt.timedelta(days=7):
        raise ValidationError({"ended_at": [_("一次巡护不应超过 7 天，请检查日期。")]})
    if started_at > timezone.now() + dt.timedelta(hours=1):
        raise ValidationError({"started_at": [_("开始时间不能晚于现在。")]})
    return started_at, ended_at


def _save_shares(patrol: Patrol, shares: dict[int, float]) -> None:
    PatrolTownShare.objects.filter(patrol=patrol).delete()
    PatrolTownShare.objects.bulk_create(
        [PatrolTownShare(patrol=patrol, town_id=town_id, metres=metres) for town_id, metres in sorted(shares.items())], batch_size=100
    )


def patrol_record(
    *,
    actor: Any,
    track: ParsedTrack,
    track_source: str,
    title: str = "",
    started_at: dt.datetime | None = None,
    ended_at: dt.datetime | None = None,
    kind: str = "mountain",
    track_file_name: str = "",
    members: Iterable[Any] = (),
    member_names: str = "",
    weather: str = "",
    operation: Any = None,
    summary: str = "",
) -> Patrol:
    """Record a patrol from its track: distance from the track, town from the majority of the track."""
    if track_source not in TrackSource.values:
        raise ValidationError({"track_source": [_("轨迹来源无效。")]})
    title = (title or "").strip() or track.name.strip()
    if not title:
        raise ValidationError({"title": [_("请填写巡护名称。")]})
    started, ended = _patrol_times(started_at, ended_at, track)
    placement = _place_track(track)
    with transaction.atomic():
        patrol: Patrol = _create_numbered(
            Patrol,
            "patrol_no",
            "XH",
            timezone.localtime(started).date(),
            title=title[:200],
            kind=kind,
            started_at=started,
            ended_at=ended,
            member_names=member_names.strip(),
            track=track.linestring(),
            track_source=track_source,
            track_file_name=track_file_name[:200],
            point_count=track.point_count,
            distance_m=round(track.length_m(), 1),
            weather=weather.strip(),
            operation=operation,
            summary=summary.strip(),
            area=placement.town,
            district=placement.district,
            created_by=actor,
        )
        _save_shares(patrol, placement.shares)
        patrol.members.set(list(members))
        ensure_in_scope(patrol, actor, action="add")
        audit_record(
            action="patrol_record",
            actor=actor,
            obj=patrol,
            detail={"distance_m": patrol.distance_m, "points": patrol.point_count, "source": track_source},
        )
    return patrol


def patrol_update(
    *,
    actor: Any,
    obj: Patrol,
    version: int,
    title: str,
    kind: str,
    started_at: dt.datetime | None,
    ended_at: dt.datetime | None,
    members: Iterable[Any] = (),
    member_names: str = "",
    weather: str = "",
    operation: Any = None,
    summary: str = "",
    track: ParsedTrack | None = None,
    track_source: str = "",
    track_file_name: str = "",
    **_ignored: Any,
) -> Patrol:
    """Edit a patrol (optimistic lock on `version`); a new track recomputes distance, town and coverage."""
    if not (title or "").strip():
        raise ValidationError({"title": [_("请填写巡护名称。")]})
    started, ended = _patrol_times(started_at or obj.started_at, ended_at or obj.ended_at, track)
    values: dict[str, Any] = {
        "title": title.strip()[:200],
        "kind": kind,
        "started_at": started,
        "ended_at": ended,
        "member_names": member_names.strip(),
        "weather": weather.strip(),
        "operation": operation,
        "summary": summary.strip(),
        "version": version + 1,
    }
    placement = None
    if track is not None:
        placement = _place_track(track)
        values.update(
            track=track.linestring(),
            track_source=track_source or TrackSource.DRAWN,
            track_file_name=track_file_name[:200],
            point_count=track.point_count,
            distance_m=round(track.length_m(), 1),
            area=placement.town,
            district=placement.district,
        )
    with transaction.atomic():
        if not Patrol.objects.filter(pk=obj.pk, version=version).update(**values):
            raise _conflict(obj)
        obj.refresh_from_db()
        if placement is not None:
            _save_shares(obj, placement.shares)
        obj.members.set(list(members))
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="patrol_update", actor=actor, obj=obj, detail={"track_replaced": track is not None})
    return obj


def patrol_delete(*, actor: Any, obj: Patrol) -> None:
    """Delete a patrol with its incidents and their photos (audited)."""
    with transaction.atomic():
        if PatrolIncident.objects.filter(patrol=obj).exclude(escalation_kind="").exists():
            raise ValidationError(_("该巡护的发现已移交为举报线索或案件，不能删除。"))
        audit_record(action="patrol_delete", actor=actor, obj=obj, detail={"patrol_no": obj.patrol_no})
        for incident in obj.incidents.all():
            for attachment in attachments_of(incident):
                attachment.file.delete(save=False)
                attachment.delete()
        obj.delete()


def patrol_incident_add(
    *,
    actor: Any,
    patrol: Patrol,
    kind: str,
    location: Point,
    description: str,
    observed_at: dt.datetime | None = None,
    species: Any = None,
    count: int | None = None,
    photos: Sequence[Any] = (),
) -> PatrolIncident:
    """Note a sighting or an incident on a patrol, with photos."""
    checked = check_uploads(list(photos), kind="photo", field_name="photos")
    observed_at = observed_at or patrol.started_at
    if not patrol.started_at - dt.timedelta(hours=1) <= observed_at <= patrol.ended_at + dt.timedelta(hours=1):
        raise ValidationError({"observed_at": [_("发现时间应在巡护时段内（%(start)s 至 %(end)s）。") % {
            "start": timezone.localtime(patrol.started_at).strftime("%Y-%m-%d %H:%M"),
            "end": timezone.localtime(patrol.ended_at).strftime("%Y-%m-%d %H:%M"),
        }]})
    if not (description or "").strip():
        raise ValidationError({"description": [_("请填写情况描述。")]})
    if count is not None and count <= 0:
        raise ValidationError({"count": [_("数量应大于 0。")]})
    with transaction.atomic():
        incident = PatrolIncident.objects.create(
            patrol=patrol,
            kind=kind,
            observed_at=observed_at,
            location=location,
            species=species,
            count=count,
            description=description.strip(),
            created_by=actor,
        )
        _attach(actor=actor, parent=incident, files=checked, role=AttachmentRole.PHOTO)
        ensure_in_scope(patrol, actor, action="change")
        audit_record(action="patrol_incident_add", actor=actor, obj=patrol, detail={"incident": incident.pk, "kind": kind})
    return incident


def patrol_incident_delete(*, actor: Any, incident: PatrolIncident) -> None:
    """Remove a sighting/incident that has not been escalated."""
    if incident.escalation_kind:
        raise ConflictError(_("该发现已移交，不能删除。"), code="already_escalated")
    with transaction.atomic():
        audit_record(action="patrol_incident_delete", actor=actor, obj=incident.patrol, detail={"incident": incident.pk})
        for attachment in attachments_of(incident):
            attachment.file.delete(save=False)
            attachment.delete()
        incident.delete()


# --- inspection targets and checklist templates -----------------------------------------------------------------------


def _trace_target(target: InspectionTarget, *, actor: Any) -> None:
    """Register the target's phone and credit code for the tracing graph (追流向): the same phone in a case, a listing
    or a tip-off links them to this place. Only a keyed blind index is stored there, never the number."""
    from wildlife.enforcement.services import trace_link, trace_unlink

    trace_unlink(source_type="patrols.inspectiontarget", source_id=target.pk, actor=actor)
    label = _("检查对象 %(name)s") % {"name": target.name}
    if target.contact_phone:
        trace_link(kind="phone", value=target.contact_phone, source_type="patrols.inspectiontarget", source_id=target.pk, label=label, role="operator", actor=actor)
    if target.uscc:
        trace_link(kind="company", value=target.uscc, source_type="patrols.inspectiontarget", source_id=target.pk, label=label, role="operator", actor=actor)


def inspection_target_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    address: str,
    location: Point | None = None,
    area: AdminArea | None = None,
    operator_name: str = "",
    contact_phone: str = "",
    uscc: str = "",
    is_active: bool = True,
    notes: str = "",
    **_ignored: Any,
) -> InspectionTarget:
    """Register a place to inspect; its town comes from its location (else the given area / the actor's town)."""
    town, district = resolve_area(actor=actor, area=area, point=location)
    with transaction.atomic():
        if InspectionTarget.objects.filter(area=town, kind=kind, name=name.strip()).exists():
            raise ValidationError({"name": [_("本镇街已登记同名同类检查对象。")]})
        target = InspectionTarget.objects.create(
            name=name.strip(),
            kind=kind,
            address=address.strip(),
            location=location,
            operator_name=operator_name.strip(),
            contact_phone=contact_phone.strip(),
            uscc=uscc.strip().upper(),
            is_active=is_active,
            notes=notes,
            area=town,
            district=district,
            created_by=actor,
        )
        ensure_in_scope(target, actor, action="add")
        _trace_target(target, actor=actor)
        audit_record(action="inspection_target_create", actor=actor, obj=target)
    return target


def inspection_target_update(
    *, actor: Any, obj: InspectionTarget, version: int, area: AdminArea | None = None, **fields: Any
) -> InspectionTarget:
    """Edit a target (optimistic lock); a new location may move it to another town within the actor's scope."""
    allowed = ("name", "kind", "address", "location", "operator_name", "contact_phone", "uscc", "is_active", "notes")
    values: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items() if k in allowed}
    if fields.get("location") is not None or area is not None:
        town, district = resolve_area(actor=actor, area=area or obj.area, point=fields.get("location"))
        values.update(area=town, district=district)
    with transaction.atomic():
        if not InspectionTarget.objects.filter(pk=obj.pk, version=version).update(**values, version=version + 1):
            raise _conflict(obj)
        obj.refresh_from_db()
        if "kind" in values:
            Inspection.objects.filter(target=obj).update(target_kind=obj.kind)
        ensure_in_scope(obj, actor, action="change")
        _trace_target(obj, actor=actor)
        audit_record(action="inspection_target_update", actor=actor, obj=obj)
    return obj


def inspection_target_delete(*, actor: Any, obj: InspectionTarget) -> None:
    """Delete a target that has never been inspected (one with history is marked closed instead)."""
    if obj.inspections.exists():
        raise ValidationError(_("该对象已有检查记录，不能删除；如已停业请将“在营”取消勾选。"))
    from wildlife.enforcement.services import trace_unlink

    with transaction.atomic():
        audit_record(action="inspection_target_delete", actor=actor, obj=obj)
        trace_unlink(source_type="patrols.inspectiontarget", source_id=obj.pk, actor=actor)
        obj.delete()


def parse_checklist_lines(text: str) -> list[tuple[str, str]]:
    """Checklist items typed one per line as "内容" or "内容｜依据"."""
    items = []
    for line in (text or "").splitlines():
        line = line.strip().lstrip("0123456789.、) ").strip()
        if not line:
            continue
        content, _sep, basis = line.replace("|", "｜").partition("｜")
        if len(content.strip()) > 300:
            raise ValidationError({"items": [_("检查内容「%(t)s…」过长（最多 300 字）。") % {"t": content[:20]}]})
        items.append((content.strip(), basis.strip()[:200]))
    if not items:
        raise ValidationError({"items": [_("请至少填写一个检查项（每行一项）。")]})
    return items


def checklist_template_save(
    *,
    actor: Any,
    name: str,
    target_kind: str,
    items: str,
    is_active: bool = True,
    notes: str = "",
    obj: ChecklistTemplate | None = None,
    version: int | None = None,
    area: AdminArea | None = None,
) -> ChecklistTemplate:
    """Create or edit a checklist template; activating one deactivates the other template of the same kind.
    Inspections keep their own copy of the items, so editing a template never rewrites past inspections."""
    parsed = parse_checklist_lines(items)
    with transaction.atomic():
        if is_active:
            others = ChecklistTemplate.objects.filter(target_kind=target_kind, is_active=True)
            if obj is not None:
                others = others.exclude(pk=obj.pk)
            others.update(is_active=False)
        if obj is None:
            town, district = resolve_area(actor=actor, area=area)
            obj = ChecklistTemplate.objects.create(
                name=name.strip(), target_kind=target_kind, is_active=is_active, notes=notes, area=town, district=district, created_by=actor
            )
            action = "checklist_template_create"
        else:
            current = obj.version if version is None else version
            if not ChecklistTemplate.objects.filter(pk=obj.pk, version=current).update(
                name=name.strip(), target_kind=target_kind, is_active=is_active, notes=notes, version=current + 1
            ):
                raise _conflict(obj)
            obj.refresh_from_db()
            obj.items.all().delete()
            action = "checklist_template_update"
        ChecklistItem.objects.bulk_create(
            [ChecklistItem(template=obj, order=i, text=text, legal_basis=basis) for i, (text, basis) in enumerate(parsed, start=1)]
        )
        ensure_in_scope(obj, actor, action="change")
        audit_record(action=action, actor=actor, obj=obj, detail={"items": len(parsed)})
    return obj


def checklist_for_kind(target_kind: str) -> ChecklistTemplate | None:
    """The active template for a kind of target (None when there is none)."""
    return ChecklistTemplate.objects.filter(target_kind=target_kind, is_active=True).prefetch_related("items").first()


# --- inspections ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerInput:
    order: int
    item_text: str
    answer: str
    note: str = ""
    legal_basis: str = ""


def _check_deadline(inspected_on: dt.date, rectify_by: dt.date | None, field: str = "rectify_by") -> None:
    if rectify_by is not None and rectify_by < inspected_on:
        raise ValidationError({field: [_("整改期限不能早于检查日期。")]})


def inspection_record(
    *,
    actor: Any,
    target: InspectionTarget,
    inspected_on: dt.date,
    answers: Sequence[AnswerInput] = (),
    template: ChecklistTemplate | None = None,
    inspectors: Iterable[Any] = (),
    inspector_names: str = "",
    findings: str = "",
    rectification_requirement: str = "",
    rectify_by: dt.date | None = None,
    operation: Any = None,
    photos: Sequence[Any] = (),
) -> Inspection:
    """Record an inspection with its checklist answers and photos. With a rectification deadline it starts in
    "rectifying"; otherwise "open"."""
    checked = check_uploads(list(photos), kind="photo", field_name="photos")
    errors: dict[str, list[str]] = {}
    if inspected_on > timezone.localdate():
        errors["inspected_on"] = [_("检查日期不能晚于今天。")]
    for answer in answers:
        if answer.answer not in Answer.values:
            errors.setdefault("answers", []).append(_("第 %(n)d 项：请选择符合、不符合或不适用。") % {"n": answer.order})
        elif answer.answer == Answer.FAIL and not answer.note.strip():
            errors.setdefault("answers", []).append(_("第 %(n)d 项不符合：请写明具体问题。") % {"n": answer.order})
    failed = sum(1 for a in answers if a.answer == Answer.FAIL)
    if rectify_by is not None and not rectification_requirement.strip():
        errors["rectification_requirement"] = [_("下达整改期限时请写明整改要求。")]
    if rectify_by is not None:
        try:
            _check_deadline(inspected_on, rectify_by)
        except ValidationError as exc:
            errors.update({k: list(v) for k, v in exc.message_dict.items()})
    if not inspector_names.strip() and not list(inspectors := list(inspectors)):
        errors["inspectors"] = [_("请至少填写一名检查人员。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inspection: Inspection = _create_numbered(
            Inspection,
            "inspection_no",
            "JC",
            inspected_on,
            target=target,
            target_kind=target.kind,
            inspected_on=inspected_on,
            inspector_names=inspector_names.strip(),
            operation=operation,
            template=template,
            findings=findings.strip(),
            failed_items=failed,
            rectification_requirement=rectification_requirement.strip(),
            rectify_by=rectify_by,
            status=InspectionStatus.RECTIFYING if rectify_by else InspectionStatus.OPEN,
            area=target.area,
            district=target.district,
            created_by=actor,
        )
        InspectionAnswer.objects.bulk_create(
            [
                InspectionAnswer(
                    inspection=inspection,
                    order=a.order,
                    item_text=a.item_text[:300],
                    legal_basis=a.legal_basis[:200],
                    answer=a.answer,
                    note=a.note.strip()[:500],
                )
                for a in answers
            ]
        )
        inspection.inspectors.set(inspectors)
        _attach(actor=actor, parent=inspection, files=checked, role=AttachmentRole.PHOTO)
        ensure_in_scope(inspection, actor, action="add")
        audit_record(
            action="inspection_record",
            actor=actor,
            obj=inspection,
            detail={"failed_items": failed, "status": inspection.status, "rectify_by": str(rectify_by or "")},
        )
    return inspection


def _transition(
    inspection: Inspection, *, version: int, from_states: Sequence[str], values: dict[str, Any], step: str
) -> Inspection:
    """Compare-and-swap on (status, version): the second of two identical submissions finds nothing to update."""
    updated = Inspection.objects.filter(pk=inspection.pk, version=version, status__in=list(from_states)).update(
        **values, version=version + 1
    )
    if not updated:
        current: dict[str, object] = dict(Inspection.objects.filter(pk=inspection.pk).values("status", "version").first() or {})
        if current.get("status") not in from_states:
            label = InspectionStatus(str(current["status"])).label if current.get("status") in InspectionStatus.values else "—"
            raise ConflictError(
                _("当前状态为“%(status)s”，不能%(step)s。") % {"status": label, "step": step}, code="invalid_state", current=current
            )
        raise ConflictError(_(VERSION_CONFLICT), code="version_conflict", current=current)
    inspection.refresh_from_db()
    return inspection


def inspection_order_rectification(
    *, actor: Any, inspection: Inspection, version: int, rectify_by: dt.date, requirement: str
) -> Inspection:
    """open → rectifying: order the rectification of the findings by a deadline."""
    _check_deadline(inspection.inspected_on, rectify_by)
    if not (requirement or "").strip():
        raise ValidationError({"requirement": [_("请写明整改要求。")]})
    with transaction.atomic():
        _transition(
            inspection,
            version=version,
            from_states=[InspectionStatus.OPEN],
            values={"status": InspectionStatus.RECTIFYING, "rectify_by": rectify_by, "rectification_requirement": requirement.strip()},
            step=_("下达整改"),
        )
        ensure_in_scope(inspection, actor, action="change")
        audit_record(action="inspection_order_rectification", actor=actor, obj=inspection, detail={"rectify_by": str(rectify_by)})
    return inspection


def inspection_follow_up(
    *,
    actor: Any,
    inspection: Inspection,
    version: int,
    checked_on: dt.date,
    result: str,
    note: str = "",
    new_deadline: dt.date | None = None,
) -> Inspection:
    """A follow-up check of a rectification: passed → verified; failed → still rectifying with a new deadline."""
    if result not in FollowUpResult.values:
        raise ValidationError({"result": [_("请选择复查结论。")]})
    if checked_on < inspection.inspected_on:
        raise ValidationError({"checked_on": [_("复查日期不能早于检查日期。")]})
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": [_("复查日期不能晚于今天。")]})
    if result == FollowUpResult.FAILED:
        if new_deadline is None:
            raise ValidationError({"new_deadline": [_("未整改到位时请给出新的整改期限。")]})
        if new_deadline < checked_on:
            raise ValidationError({"new_deadline": [_("新的整改期限不能早于复查日期。")]})
        values: dict[str, Any] = {"rectify_by": new_deadline}
    else:
        values = {"status": InspectionStatus.VERIFIED}
    with transaction.atomic():
        _transition(inspection, version=version, from_states=[InspectionStatus.RECTIFYING], values=values, step=_("登记复查"))
        InspectionFollowUp.objects.create(
            inspection=inspection,
            checked_on=checked_on,
            result=result,
            note=note.strip(),
            new_deadline=new_deadline if result == FollowUpResult.FAILED else None,
            created_by=actor,
        )
        ensure_in_scope(inspection, actor, action="change")
        audit_record(
            action="inspection_follow_up",
            actor=actor,
            obj=inspection,
            detail={"result": result, "new_deadline": str(new_deadline or "")},
        )
    return inspection


def inspection_close(*, actor: Any, inspection: Inspection, version: int, note: str) -> Inspection:
    """Close an inspection: without findings to rectify (open), after verification, or when the matter went to a
    case (rectifying)."""
    if not (note or "").strip():
        raise ValidationError({"note": [_("请填写办结说明。")]})
    with transaction.atomic():
        _transition(
            inspection,
            version=version,
            from_states=[InspectionStatus.OPEN, InspectionStatus.VERIFIED, InspectionStatus.RECTIFYING],
            values={"status": InspectionStatus.CLOSED, "closed_at": timezone.now(), "closing_note": note.strip()},
            step=_("办结"),
        )
        ensure_in_scope(inspection, actor, action="change")
        audit_record(action="inspection_close", actor=actor, obj=inspection)
    return inspection


def inspection_update(
    *,
    actor: Any,
    obj: Inspection,
    version: int,
    findings: str,
    inspectors: Iterable[Any] = (),
    inspector_names: str = "",
    operation: Any = None,
    **_ignored: Any,
) -> Inspection:
    """Edit the findings, inspectors and operation of an inspection that is not closed (optimistic lock)."""
    inspectors = list(inspectors)
    if not inspector_names.strip() and not inspectors:
        raise ValidationError({"inspectors": [_("请至少填写一名检查人员。")]})
    with transaction.atomic():
        _transition(
            obj,
            version=version,
            from_states=[InspectionStatus.OPEN, InspectionStatus.RECTIFYING, InspectionStatus.VERIFIED],
            values={"findings": findings.strip(), "inspector_names": inspector_names.strip(), "operation": operation},
            step=_("修改"),
        )
        obj.inspectors.set(inspectors)
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="inspection_update", actor=actor, obj=obj)
    return obj


# --- trainings -------------------------------------------------------------------------------------------------------


def _check_hours(hours: Decimal | None, field: str = "hours") -> None:
    if hours is None or hours <= 0 or hours > 200:
        raise ValidationError({field: [_("学时应大于 0 且不超过 200 小时。")]})


def training_session_create(
    *,
    actor: Any,
    title: str,
    held_on: dt.date,
    hours: Decimal,
    trainer: str,
    place: str,
    organiser: Any = None,
    content: str = "",
    area: AdminArea | None = None,
    materials: Sequence[Any] = (),
    **_ignored: Any,
) -> TrainingSession:
    """Record a training session (district-level when held by a district department) with its materials."""
    _check_hours(hours)
    checked = check_uploads(list(materials), kind="material", field_name="materials")
    town, district = resolve_area(actor=actor, area=area)
    with transaction.atomic():
        session = TrainingSession.objects.create(
            title=title.strip(),
            held_on=held_on,
            hours=hours,
            trainer=trainer.strip(),
            place=place.strip(),
            organiser=organiser,
            content=content,
            area=town,
            district=district,
            created_by=actor,
        )
        _attach(actor=actor, parent=session, files=checked, role=AttachmentRole.MATERIAL)
        ensure_in_scope(session, actor, action="add")
        audit_record(action="training_session_create", actor=actor, obj=session)
    return session


def training_session_update(*, actor: Any, obj: TrainingSession, version: int, **fields: Any) -> TrainingSession:
    """Edit a session (optimistic lock); attendance rows that carried the old session hours follow the new ones."""
    allowed = ("title", "held_on", "hours", "trainer", "place", "organiser", "content")
    values: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items() if k in allowed}
    if "hours" in values:
        _check_hours(values["hours"])
    old_hours = obj.hours
    with transaction.atomic():
        if not TrainingSession.objects.filter(pk=obj.pk, version=version).update(**values, version=version + 1):
            raise _conflict(obj)
        obj.refresh_from_db()
        if obj.hours != old_hours:
            obj.attendances.filter(attended=True, hours=old_hours).update(hours=obj.hours)
        materials = fields.get("materials") or ()
        if materials:
            _attach(actor=actor, parent=obj, files=check_uploads(list(materials), kind="material", field_name="materials"), role=AttachmentRole.MATERIAL)
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="training_session_update", actor=actor, obj=obj)
    return obj


def training_session_delete(*, actor: Any, obj: TrainingSession) -> None:
    """Delete a session, its attendance and its materials."""
    with transaction.atomic():
        audit_record(action="training_session_delete", actor=actor, obj=obj)
        for attachment in attachments_of(obj):
            attachment.file.delete(save=False)
            attachment.delete()
        obj.delete()


def training_attendance_add(
    *,
    actor: Any,
    session: TrainingSession,
    user: Any = None,
    name: str = "",
    department: str = "",
    attended: bool = True,
    hours: Decimal | None = None,
    note: str = "",
) -> TrainingAttendance:
    """Add a trainee (a platform user, or a name with a department); hours default to the session's when present."""
    if user is not None:
        name = name.strip() or str(user)
        if not department.strip():
            first = user.departments().first()
            department = first.name if first is not None else ""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("请选择平台用户或填写姓名。")]})
    if hours is None:
        hours = session.hours if attended else Decimal("0")
    if hours < 0 or hours > session.hours:
        raise ValidationError({"hours": [_("计入学时应在 0 到本次培训学时（%(h)s 小时）之间。") % {"h": session.hours}]})
    if not attended:
        hours = Decimal("0")
    duplicate = TrainingAttendance.objects.filter(session=session)
    duplicate = duplicate.filter(user=user) if user is not None else duplicate.filter(user__isnull=True, name=name, department=department.strip())
    if duplicate.exists():
        raise ValidationError({"name": [_("%(name)s 已在参训名单中。") % {"name": name}]})
    with transaction.atomic():
        row = TrainingAttendance.objects.create(
            session=session, user=user, name=name[:60], department=department.strip()[:100], attended=attended, hours=hours, note=note.strip()[:200]
        )
        ensure_in_scope(session, actor, action="change")
        audit_record(action="training_attendance_add", actor=actor, obj=session, detail={"attendance": row.pk, "hours": str(hours)})
    return row


def training_attendance_remove(*, actor: Any, attendance: TrainingAttendance) -> None:
    """Remove a trainee from a session."""
    with transaction.atomic():
        audit_record(action="training_attendance_remove", actor=actor, obj=attendance.session, detail={"attendance": attendance.pk})
        attendance.delete()


# --- personnel and equipment -----------------------------------------------------------------------------------------


def _mask_certificate(value: str) -> str:
    value = value.strip()
    if len(value) <= 4:
        return "*" * len(value)
    keep = min(4, len(value) // 3)
    return value[:keep] + "*" * (len(value) - keep - 4) + value[-4:]


def _certificate_fields(certificate_no: str, *, exclude_pk: int | None = None) -> dict[str, str]:
    certificate_no = "".join((certificate_no or "").split())
    if not certificate_no:
        return {"certificate_no": "", "certificate_masked": "", "certificate_digest": ""}
    if len(certificate_no) > 40:
        raise ValidationError({"certificate_no": [_("执法证号过长（最多 40 个字符）。")]})
    digest = blind_index(certificate_no, purpose="enforcement-certificate")
    clash = EnforcementOfficer.objects.filter(certificate_digest=digest)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"certificate_no": [_("该执法证号已登记给其他人员。")]})
    return {"certificate_no": certificate_no, "certificate_masked": _mask_certificate(certificate_no), "certificate_digest": digest}


def officer_create(
    *,
    actor: Any,
    name: str,
    department: Any,
    user: Any = None,
    position: str = "",
    certificate_no: str = "",
    certificate_valid_until: dt.date | None = None,
    is_active: bool = True,
    notes: str = "",
    **_ignored: Any,
) -> EnforcementOfficer:
    """Register an enforcement officer; the area follows the department (a town government → its town)."""
    town, district = resolve_area(actor=actor, area=department.area if department is not None else None)
    with transaction.atomic():
        officer = EnforcementOfficer.objects.create(
            name=name.strip(),
            user=user,
            department=department,
            position=position.strip(),
            certificate_valid_until=certificate_valid_until,
            is_active=is_active,
            notes=notes,
            area=town,
            district=district,
            created_by=actor,
            **_certificate_fields(certificate_no),
        )
        ensure_in_scope(officer, actor, action="add")
        audit_record(action="officer_create", actor=actor, obj=officer)
    return officer


def officer_update(*, actor: Any, obj: EnforcementOfficer, version: int, **fields: Any) -> EnforcementOfficer:
    """Edit an officer (optimistic lock). A blank certificate number keeps the stored one."""
    allowed = ("name", "user", "department", "position", "certificate_valid_until", "is_active", "notes")
    values: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items() if k in allowed}
    if (fields.get("certificate_no") or "").strip():
        values.update(_certificate_fields(fields["certificate_no"], exclude_pk=obj.pk))
    if values.get("department") is not None and values["department"].area_id != obj.department.area_id:
        town, district = resolve_area(actor=actor, area=values["department"].area)
        values.update(area=town, district=district)
    new_certificate = values.pop("certificate_no", None)
    with transaction.atomic():
        if not EnforcementOfficer.objects.filter(pk=obj.pk, version=version).update(**values, version=version + 1):
            raise _conflict(obj)
        obj.refresh_from_db()
        if new_certificate is not None:
            obj.certificate_no = new_certificate
            obj.save(update_fields=["certificate_no"])
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="officer_update", actor=actor, obj=obj)
    return obj


def officer_delete(*, actor: Any, obj: EnforcementOfficer) -> None:
    """Delete an officer record (equipment they held becomes unassigned)."""
    with transaction.atomic():
        audit_record(action="officer_delete", actor=actor, obj=obj)
        obj.delete()


def officer_certificate_reveal(*, actor: Any, officer: EnforcementOfficer, reason: str) -> str:
    """The full certificate number, for a user who may change the record, with a reason (audited)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请填写查看原因。")]})
    ensure_in_scope(officer, actor, action="change")
    audit_record(action="reveal", actor=actor, obj=officer, detail={"field": "certificate_no", "reason": reason.strip()[:200]})
    return officer.certificate_no or ""


def equipment_create(
    *,
    actor: Any,
    kind: str,
    model_name: str,
    serial_no: str = "",
    holder: EnforcementOfficer | None = None,
    status: str = "in_use",
    purchased_on: dt.date | None = None,
    last_checked_on: dt.date | None = None,
    next_check_on: dt.date | None = None,
    area: AdminArea | None = None,
    notes: str = "",
    **_ignored: Any,
) -> Equipment:
    """Register an item of equipment; it belongs to its holder's town (else the given area / the actor's)."""
    _check_equipment_dates(last_checked_on, next_check_on)
    town, district = resolve_area(actor=actor, area=holder.area if holder is not None else area)
    with transaction.atomic():
        if serial_no.strip() and Equipment.objects.filter(kind=kind, serial_no=serial_no.strip()).exists():
            raise ValidationError({"serial_no": [_("同类装备中已有此编号。")]})
        item = Equipment.objects.create(
            kind=kind,
            model_name=model_name.strip(),
            serial_no=serial_no.strip(),
            holder=holder,
            status=status,
            purchased_on=purchased_on,
            last_checked_on=last_checked_on,
            next_check_on=next_check_on,
            notes=notes,
            area=town,
            district=district,
            created_by=actor,
        )
        ensure_in_scope(item, actor, action="add")
        audit_record(action="equipment_create", actor=actor, obj=item)
    return item


def _check_equipment_dates(last_checked_on: dt.date | None, next_check_on: dt.date | None) -> None:
    if last_checked_on and next_check_on and next_check_on < last_checked_on:
        raise ValidationError({"next_check_on": [_("下次检查日期不能早于上次检查日期。")]})
    if last_checked_on and last_checked_on > timezone.localdate():
        raise ValidationError({"last_checked_on": [_("上次检查日期不能晚于今天。")]})


def equipment_update(*, actor: Any, obj: Equipment, version: int, **fields: Any) -> Equipment:
    """Edit an equipment record (optimistic lock)."""
    allowed = ("kind", "model_name", "serial_no", "holder", "status", "purchased_on", "last_checked_on", "next_check_on", "notes")
    values: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items() if k in allowed}
    _check_equipment_dates(values.get("last_checked_on", obj.last_checked_on), values.get("next_check_on", obj.next_check_on))
    serial = values.get("serial_no", obj.serial_no)
    if serial and Equipment.objects.filter(kind=values.get("kind", obj.kind), serial_no=serial).exclude(pk=obj.pk).exists():
        raise ValidationError({"serial_no": [_("同类装备中已有此编号。")]})
    holder = values.get("holder")
    if holder is not None and holder.area_id != obj.area_id:
        values.update(area=holder.area, district=holder.district)
    with transaction.atomic():
        if not Equipment.objects.filter(pk=obj.pk, version=version).update(**values, version=version + 1):
            raise _conflict(obj)
        obj.refresh_from_db()
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="equipment_update", actor=actor, obj=obj)
    return obj


def equipment_delete(*, actor: Any, obj: Equipment) -> None:
    """Delete an equipment record."""
    with transaction.atomic():
        audit_record(action="equipment_delete", actor=actor, obj=obj)
        obj.delete()
