"""Writes of the enforcement app: tip-offs, cases, the tracing graph, operations and rule rows.

Every service is keyword-only, atomic and audited. Workflow steps are compare-and-swap updates on the status, so a
double submission has exactly one effect (the second raises ConflictError → HTTP 409). Informant identity never
leaves `TipoffInformant` except through `tipoff_informant_reveal` (intake role, reason, audit event without the
identity).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import mimetypes
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.accounts.models import Department, User
from wildlife.audit.services import audit_record
from wildlife.core.access import ensure_in_scope
from wildlife.core.crypto import blind_index
from wildlife.core.exceptions import ConflictError
from wildlife.core.services import resolve_area
from wildlife.enforcement import tracing
from wildlife.enforcement.choices import (
    EDITABLE_CASE_STATUSES,
    STAGE_FOR_STATUS,
    CaseEventKind,
    CaseOrigin,
    CaseOutcome,
    CaseStatus,
    DecisionKind,
    EvidenceKind,
    FlowKind,
    HandoverStatus,
    ItemCondition,
    ItemForm,
    OffenceType,
    OperationStatus,
    PartyKind,
    PartyRole,
    TipoffCategory,
    TipoffChannel,
    TipoffKind,
    TipoffStatus,
    TraceKind,
)
from wildlife.enforcement.models import (
    Case,
    CaseDecision,
    CaseEvent,
    CaseFlow,
    CaseParty,
    Evidence,
    Operation,
    PenaltyRule,
    RescueHandover,
    SeizedItem,
    SerialCounter,
    Tipoff,
    TipoffInformant,
    TipoffPhoto,
    TipoffStep,
    TipoffTimeLimit,
    TraceLink,
    TraceNode,
)
from wildlife.enforcement.scoping import user_department_ids
from wildlife.geo.models import AdminArea

INTAKE_GROUP = "举报受理"
INTAKE_DEPARTMENTS = ("natural_resources", "market")
PUBLIC_ACTOR_LABEL = "公众（网上举报）"
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
QUERY_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed from a phone
QUERY_CODE_LENGTH = 16  # 31^16 ≈ 2^79
EVIDENCE_EXTENSIONS = {
    ".jpg", ".jpeg", ".png", ".webp", ".gif", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".txt",
    ".mp4", ".mov", ".mp3", ".m4a", ".wav", ".amr", ".zip",
}
_PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{5,19}$")
_ID_RE = re.compile(r"^(\d{15}|\d{17}[\dXx])$")


# --- numbering ---------------------------------------------------------------------------------------------------


def _next_serial(key: str) -> int:
    """The next value of a counter (atomic UPDATE; the row is created on first use)."""
    with transaction.atomic():
        if not SerialCounter.objects.filter(key=key).update(value=F("value") + 1):
            try:
                with transaction.atomic():
                    SerialCounter.objects.create(key=key, value=1)
                    return 1
            except IntegrityError:
                SerialCounter.objects.filter(key=key).update(value=F("value") + 1)
        return int(SerialCounter.objects.values_list("value", flat=True).get(key=key))


def _receipt_no(now: dt.datetime) -> str:
    day = timezone.localtime(now).strftime("%Y%m%d")
    return f"JB{day}-{_next_serial('tipoff:' + day):04d}"


def _case_no(now: dt.datetime) -> str:
    year = timezone.localtime(now).year
    return f"AJ{year}-{_next_serial(f'case:{year}'):04d}"


def _handover_no(now: dt.datetime) -> str:
    year = timezone.localtime(now).year
    return f"YJ{year}-{_next_serial(f'handover:{year}'):04d}"


def _letter_no(now: dt.datetime) -> str:
    year = timezone.localtime(now).year
    return f"周野移〔{year}〕{_next_serial(f'letter:{year}')}号"


# --- helpers -----------------------------------------------------------------------------------------------------


def _require_perm(actor: Any, perm: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or getattr(actor, "is_admin_role", False):
        raise PermissionDenied(_("您没有执行此操作的权限"))
    if not actor.has_perm(perm):
        raise PermissionDenied(_("您没有执行此操作的权限"))


def _actor_department(actor: Any) -> Department | None:
    ids = user_department_ids(actor)
    return Department.objects.filter(pk__in=ids).order_by("sort_order").first() if ids else None


def _choice(value: str, choices: type[models.TextChoices], field: str, *, blank: bool = False) -> str:
    if blank and not value:
        return ""
    if value not in choices.values:
        raise ValidationError({field: _("无效的选项：%(value)s") % {"value": value}})
    return value


def _clean_text(value: str | None, field: str, *, required: bool = False, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("此项为必填项。")})
    if max_length is not None and len(text) > max_length:
        raise ValidationError({field: _("最多 %(n)d 个字符。") % {"n": max_length}})
    return text


def _point(location: Any) -> Point | None:
    if location is None or location == "":
        return None
    if isinstance(location, Point):
        if location.srid is None:
            location.srid = 4326
        return location
    raise ValidationError({"location": _("位置格式无效。")})


# --- tip-offs: time limits ---------------------------------------------------------------------------------------


def tipoff_due_at(*, channel: str, status: str, received_at: dt.datetime) -> dt.datetime | None:
    """The deadline of the stage due in `status`, from the time limits in force on the day of receipt."""
    stage = STAGE_FOR_STATUS.get(TipoffStatus(status)) if status in TipoffStatus.values else None
    if stage is None:
        return None
    day = timezone.localtime(received_at).date()
    limits = TipoffTimeLimit.objects.filter(stage=stage, effective_from__lte=day).filter(
        models.Q(effective_to__isnull=True) | models.Q(effective_to__gt=day)
    )
    limit = limits.filter(channel=channel).order_by("-effective_from").first() or limits.filter(channel="").order_by("-effective_from").first()
    if limit is None:
        return None
    return received_at + dt.timedelta(days=limit.days)


# --- tip-offs: informant -----------------------------------------------------------------------------------------

INFORMANT_FIELDS = ("name", "phone", "id_number", "address", "other_contact")


def _clean_informant(informant: dict[str, Any] | None) -> dict[str, str]:
    """Validated informant fields ({} when nothing was given). Messages never repeat the value."""
    if not informant:
        return {}
    unknown = set(informant) - set(INFORMANT_FIELDS)
    if unknown:
        raise ValidationError({"informant": _("未知的举报人字段：%(f)s") % {"f": "、".join(sorted(unknown))}})
    data = {key: str(informant.get(key) or "").strip() for key in INFORMANT_FIELDS}
    if len(data["name"]) > 60:
        raise ValidationError({"informant.name": _("姓名最多 60 个字符。")})
    if data["phone"] and not _PHONE_RE.match(data["phone"]):
        raise ValidationError({"informant.phone": _("联系电话格式不正确（应为 7–20 位数字）。")})
    if data["id_number"] and not _ID_RE.match(data["id_number"]):
        raise ValidationError({"informant.id_number": _("身份证号格式不正确（应为 18 位，末位可为 X）。")})
    if len(data["address"]) > 200 or len(data["other_contact"]) > 200:
        raise ValidationError({"informant.address": _("地址或其他联系方式最多 200 个字符。")})
    return {key: value for key, value in data.items() if value}


def _store_informant(tipoff: Tipoff, data: dict[str, str]) -> None:
    if not data:
        return
    phone = data.get("phone", "")
    TipoffInformant.objects.create(
        tipoff=tipoff,
        name=data.get("name", ""),
        phone=phone,
        id_number=data.get("id_number", ""),
        address=data.get("address", ""),
        other_contact=data.get("other_contact", ""),
        phone_index=blind_index(tracing.normalise(TraceKind.PHONE, phone), purpose="informant:phone") if phone else "",
    )


# --- tip-offs: photos --------------------------------------------------------------------------------------------


def _clean_photos(photos: Sequence[UploadedFile]) -> list[tuple[bytes, str]]:
    """Re-encoded JPEG bytes of each photo (metadata such as GPS and camera dropped), after type and size checks."""
    from PIL import Image, UnidentifiedImageError

    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("最多上传 %(n)d 张照片。") % {"n": MAX_PHOTOS}})
    result: list[tuple[bytes, str]] = []
    for index, upload in enumerate(photos, start=1):
        if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
            raise ValidationError({"photos": _("第 %(n)d 张照片超过 10 MB。") % {"n": index}})
        raw = upload.read()
        if len(raw) > MAX_PHOTO_BYTES:
            raise ValidationError({"photos": _("第 %(n)d 张照片超过 10 MB。") % {"n": index}})
        try:
            with Image.open(io.BytesIO(raw)) as probe:
                if probe.format not in ("JPEG", "PNG", "WEBP", "GIF") or probe.width * probe.height > MAX_PHOTO_PIXELS:
                    raise ValidationError({"photos": _("第 %(n)d 个文件不是支持的照片（JPG、PNG、WebP、GIF）。") % {"n": index}})
                probe.verify()
            with Image.open(io.BytesIO(raw)) as opened:
                image = opened.convert("RGB")
                image.thumbnail((2560, 2560))
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=85)
        except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
            raise ValidationError({"photos": _("第 %(n)d 个文件不是有效的照片。") % {"n": index}}) from exc
        result.append((out.getvalue(), f"photo-{index}.jpg"))
    return result


def _store_photos(tipoff: Tipoff, cleaned: list[tuple[bytes, str]]) -> None:
    for data, name in cleaned:
        photo = TipoffPhoto(tipoff=tipoff, content_type="image/jpeg", size=len(data), sha256=hashlib.sha256(data).hexdigest())
        photo.file.save(name, ContentFile(data), save=False)
        photo.save()


# --- tip-offs: intake --------------------------------------------------------------------------------------------


def _tipoff_create(
    *,
    actor: Any,
    channel: str,
    content: str,
    kind: str,
    location: Any,
    area: AdminArea | None,
    address: str,
    occurred_at: dt.datetime | None,
    informant: dict[str, Any] | None,
    species: Any,
    source_ref: str,
    source_label: str,
    operation: Operation | None,
    photos: Sequence[UploadedFile],
    actor_label: str,
) -> Tipoff:
    content = _clean_text(content, "content", required=True, max_length=5000)
    kind = _choice(kind, TipoffKind, "kind")
    channel = _choice(channel, TipoffChannel, "channel")
    address = _clean_text(address, "address", max_length=200)
    point = _point(location)
    if occurred_at is not None and occurred_at > timezone.now() + dt.timedelta(minutes=10):
        raise ValidationError({"occurred_at": _("发生时间不能晚于现在。")})
    cleaned_informant = _clean_informant(informant)
    cleaned_photos = _clean_photos(photos)
    if point is not None:
        town, district = resolve_area(actor=actor, point=point)
    elif area is not None:
        town, district = resolve_area(actor=actor, area=area)
    elif actor is None:
        from wildlife.geo.selectors import district_area

        town = district = district_area()
    else:
        town, district = resolve_area(actor=actor)
    now = timezone.now()
    tipoff = Tipoff.objects.create(
        receipt_no=_receipt_no(now),
        channel=channel,
        kind=kind,
        content=content,
        location=point,
        address=address,
        occurred_at=occurred_at,
        received_at=now,
        species=species,
        anonymous=not bool(cleaned_informant),
        area=town,
        district=district,
        created_by=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        source_ref=source_ref,
        source_label=source_label,
        operation=operation,
        due_at=tipoff_due_at(channel=channel, status=TipoffStatus.REGISTERED, received_at=now),
    )
    _store_informant(tipoff, cleaned_informant)
    _store_photos(tipoff, cleaned_photos)
    TipoffStep.objects.create(
        tipoff=tipoff, action="register", to_status=TipoffStatus.REGISTERED,
        actor=tipoff.created_by, actor_label=actor_label, at=now,
        note=_("渠道：%(channel)s") % {"channel": tipoff.get_channel_display()},
    )
    return tipoff


def tipoff_register(
    *,
    actor: Any,
    channel: str,
    content: str,
    kind: str = TipoffKind.ILLEGAL,
    location: Point | None = None,
    area: AdminArea | None = None,
    address: str = "",
    occurred_at: dt.datetime | None = None,
    informant: dict[str, Any] | None = None,
    species: Any = None,
    source_ref: str = "",
    source_label: str = "",
    operation: Operation | None = None,
    photos: Sequence[UploadedFile] = (),
    **_ignored: Any,
) -> Tipoff:
    """Register a tip-off received by staff (12345, walk-in, letter, WeChat, agency) or found on patrol.

    A repeated call with the same non-empty `source_ref` returns the first tip-off."""
    _require_perm(actor, "enforcement.add_tipoff")
    if channel == TipoffChannel.WEB:
        raise ValidationError({"channel": _("网上举报只能由公众通过门户提交。")})
    source_ref = _clean_text(source_ref, "source_ref", max_length=80)
    if source_ref:
        existing = Tipoff.objects.filter(source_ref=source_ref).first()
        if existing is not None:
            return existing
    with transaction.atomic():
        tipoff = _tipoff_create(
            actor=actor, channel=channel, content=content, kind=kind, location=location, area=area, address=address,
            occurred_at=occurred_at, informant=informant, species=species, source_ref=source_ref,
            source_label=_clean_text(source_label, "source_label", max_length=200), operation=operation, photos=photos,
            actor_label=str(actor),
        )
        ensure_in_scope(tipoff, actor, action="add")
        audit_record(action="tipoff_register", actor=actor, obj=tipoff, detail={"channel": tipoff.channel, "anonymous": tipoff.anonymous})
    return tipoff


def _hash_query_code(receipt_no: str, code: str) -> str:
    normalised = re.sub(r"[\s-]+", "", code).upper()
    return hashlib.sha256(f"tipoff-query:{receipt_no}:{normalised}".encode()).hexdigest()


def query_code_matches(tipoff: Tipoff, code: str) -> bool:
    """Constant-time check of a public query code against the stored hash."""
    if not tipoff.query_code_hash or not code:
        return False
    return hmac.compare_digest(tipoff.query_code_hash, _hash_query_code(tipoff.receipt_no, code))


def _new_query_code() -> str:
    raw = "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, QUERY_CODE_LENGTH, 4))


def tipoff_submit_public(
    *,
    kind: str,
    content: str,
    location: Point | None = None,
    address: str = "",
    occurred_at: dt.datetime | None = None,
    informant: dict[str, Any] | None = None,
    photos: Sequence[UploadedFile] = (),
) -> tuple[Tipoff, str]:
    """A report from the public portal: returns the tip-off and its query code, which is stored only as a hash and
    shown to the reporter once. Anonymous unless contact details are given."""
    with transaction.atomic():
        tipoff = _tipoff_create(
            actor=None, channel=TipoffChannel.WEB, content=content, kind=kind, location=location, area=None, address=address,
            occurred_at=occurred_at, informant=informant, species=None, source_ref="", source_label="", operation=None,
            photos=photos, actor_label=PUBLIC_ACTOR_LABEL,
        )
        code = _new_query_code()
        Tipoff.objects.filter(pk=tipoff.pk).update(query_code_hash=_hash_query_code(tipoff.receipt_no, code))
        tipoff.query_code_hash = _hash_query_code(tipoff.receipt_no, code)
        audit_record(action="tipoff_submit_public", obj=tipoff, username="public", detail={"kind": tipoff.kind, "anonymous": tipoff.anonymous})
    return tipoff, code


# --- tip-offs: workflow ------------------------------------------------------------------------------------------

_ACTION_LABELS = {
    "triage": _("分类"),
    "assign": _("交办"),
    "handle": _("办理"),
    "reply": _("答复"),
    "close": _("办结"),
    "escalate": _("转立案件"),
}


def _tipoff_transition(
    *,
    actor: Any,
    tipoff: Tipoff,
    action: str,
    allowed_from: Iterable[str],
    to_status: str,
    fields: dict[str, Any],
    note: str = "",
) -> Tipoff:
    """Compare-and-swap the status from its current value (one of `allowed_from`) to `to_status`."""
    allowed = list(allowed_from)
    current = Tipoff.objects.filter(pk=tipoff.pk).values_list("status", flat=True).first()
    if current not in allowed:
        raise ConflictError(
            _("举报当前状态为“%(status)s”，不能执行“%(action)s”。") % {"status": TipoffStatus(current).label if current else "—", "action": _ACTION_LABELS.get(action, action)},
            code="tipoff_state_conflict",
            current={"status": current},
        )
    now = timezone.now()
    due_at = tipoff_due_at(channel=tipoff.channel, status=to_status, received_at=tipoff.received_at)
    updated = Tipoff.objects.filter(pk=tipoff.pk, status=current).update(
        status=to_status, version=F("version") + 1, updated_at=now, due_at=due_at, overdue_flagged_at=None, **fields
    )
    if not updated:
        raise ConflictError(_("举报已被他人处理，请刷新后查看。"), code="tipoff_state_conflict", current={"status": current})
    TipoffStep.objects.create(tipoff=tipoff, action=action, from_status=current, to_status=to_status, actor=actor, actor_label=str(actor), note=note, at=now)
    tipoff.refresh_from_db()
    ensure_in_scope(tipoff, actor, action="view")
    audit_record(action=f"tipoff_{action}", actor=actor, obj=tipoff, detail={"from": current, "to": to_status})
    return tipoff


def tipoff_triage(
    *,
    actor: Any,
    tipoff: Tipoff,
    category: str,
    species: Any = None,
    location: Point | None = None,
    area: AdminArea | None = None,
    note: str = "",
    **_ignored: Any,
) -> Tipoff:
    """registered → triaged: category, species, and the town from the location (or the chosen town)."""
    category = _choice(category, TipoffCategory, "category")
    point = _point(location) or tipoff.location
    fields: dict[str, Any] = {"category": category, "species": species}
    if point is not None:
        town, district = resolve_area(actor=actor, point=point)
        fields.update(location=point, area=town, district=district)
    elif area is not None:
        town, district = resolve_area(actor=actor, area=area)
        fields.update(area=town, district=district)
    with transaction.atomic():
        return _tipoff_transition(
            actor=actor, tipoff=tipoff, action="triage", allowed_from=[TipoffStatus.REGISTERED], to_status=TipoffStatus.TRIAGED,
            fields=fields, note=_clean_text(note, "note", max_length=2000),
        )


def tipoff_assign(
    *, actor: Any, tipoff: Tipoff, department: Department, town: AdminArea | None = None, note: str = "", **_ignored: Any
) -> Tipoff:
    """triaged (or assigned, to re-assign) → assigned to a department and a town; the tip-off moves to that town's
    scope so the town government sees it."""
    fields: dict[str, Any] = {"assigned_department": department, "assigned_town": town}
    if town is not None:
        area, district = resolve_area(actor=actor, area=town)
        fields.update(area=area, district=district)
    label = department.name + (f" / {town.name}" if town is not None else "")
    with transaction.atomic():
        return _tipoff_transition(
            actor=actor, tipoff=tipoff, action="assign", allowed_from=[TipoffStatus.TRIAGED, TipoffStatus.ASSIGNED],
            to_status=TipoffStatus.ASSIGNED, fields=fields,
            note=(_("交办至 %(to)s") % {"to": label}) + ("；" + note.strip() if note.strip() else ""),
        )


def tipoff_handle(*, actor: Any, tipoff: Tipoff, findings: str, actions_taken: str = "", **_ignored: Any) -> Tipoff:
    """assigned → handled: what was found on site and what was done."""
    findings = _clean_text(findings, "findings", required=True, max_length=5000)
    with transaction.atomic():
        return _tipoff_transition(
            actor=actor, tipoff=tipoff, action="handle", allowed_from=[TipoffStatus.ASSIGNED], to_status=TipoffStatus.HANDLED,
            fields={"findings": findings, "actions_taken": _clean_text(actions_taken, "actions_taken", max_length=5000)},
        )


def tipoff_reply(*, actor: Any, tipoff: Tipoff, reply: str, **_ignored: Any) -> Tipoff:
    """handled → replied: the reply the reporter reads with the receipt number and query code."""
    reply = _clean_text(reply, "reply", required=True, max_length=3000)
    with transaction.atomic():
        return _tipoff_transition(
            actor=actor, tipoff=tipoff, action="reply", allowed_from=[TipoffStatus.HANDLED], to_status=TipoffStatus.REPLIED,
            fields={"reply": reply, "replied_at": timezone.now()},
        )


def tipoff_close(*, actor: Any, tipoff: Tipoff, note: str = "", **_ignored: Any) -> Tipoff:
    """replied → closed."""
    with transaction.atomic():
        return _tipoff_transition(
            actor=actor, tipoff=tipoff, action="close", allowed_from=[TipoffStatus.REPLIED], to_status=TipoffStatus.CLOSED,
            fields={"close_note": _clean_text(note, "note", max_length=2000), "closed_at": timezone.now()},
        )


def tipoff_escalate(
    *,
    actor: Any,
    tipoff: Tipoff,
    title: str,
    offence_type: str = "",
    lead_department: Department | None = None,
    **_ignored: Any,
) -> Case:
    """Open a case from a triaged, assigned or handled tip-off (one case per tip-off). The case file gets the content
    and place of the tip-off, never its informant."""
    if tipoff.status not in (TipoffStatus.TRIAGED, TipoffStatus.ASSIGNED, TipoffStatus.HANDLED):
        raise ConflictError(
            _("举报当前状态为“%(status)s”，分类后才能转立案件。") % {"status": tipoff.get_status_display()},
            code="tipoff_state_conflict", current={"status": tipoff.status},
        )
    with transaction.atomic():
        locked = Tipoff.objects.filter(pk=tipoff.pk, case__isnull=True).update(updated_at=timezone.now())
        if not locked:
            raise ConflictError(_("该举报已转立案件。"), code="case_exists", current={"case_id": tipoff.case_id})
        area = tipoff.area if tipoff.area.level != "district" else None
        case = case_open(
            actor=actor, origin=CaseOrigin.TIPOFF, origin_ref=str(tipoff.pk), origin_label=_("举报 %(no)s") % {"no": tipoff.receipt_no},
            title=title, area=area, location=tipoff.location if area is None else None, summary=tipoff.content,
            offence_date=timezone.localtime(tipoff.occurred_at).date() if tipoff.occurred_at else None,
            offence_type=offence_type, lead_department=lead_department, operation=tipoff.operation, tipoff=tipoff,
        )
        Tipoff.objects.filter(pk=tipoff.pk).update(case=case, version=F("version") + 1)
        TipoffStep.objects.create(
            tipoff=tipoff, action="escalate", from_status=tipoff.status, to_status=tipoff.status, actor=actor, actor_label=str(actor),
            note=_("已转立案件 %(no)s") % {"no": case.case_no},
        )
        tipoff.refresh_from_db()
        audit_record(action="tipoff_escalate", actor=actor, obj=tipoff, detail={"case": case.case_no})
    return case


@dataclass(frozen=True)
class RevealedInformant:
    """The decrypted identity, returned to the intake role only (never stored elsewhere, never logged)."""

    name: str
    phone: str
    id_number: str
    address: str
    other_contact: str


def can_reveal_informant(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and not getattr(user, "is_admin_role", False) and user.has_perm("enforcement.reveal_informant")
    )


def tipoff_informant_reveal(*, actor: Any, tipoff: Tipoff, reason: str) -> RevealedInformant | None:
    """Decrypt the informant of a tip-off for the intake role, with a reason; the audit event records who, when and
    why — never the identity. A refused attempt is audited too."""
    reason = (reason or "").strip()
    if not can_reveal_informant(actor):
        audit_record(action="informant_reveal", actor=actor, obj=tipoff, outcome="denied", detail={})
        raise PermissionDenied(_("只有举报受理人员可以查看举报人身份"))
    if len(reason) < 4:
        raise ValidationError({"reason": _("请填写查看理由（至少 4 个字）。")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("查看理由最多 300 个字符。")})
    record = TipoffInformant.objects.filter(tipoff=tipoff).first()
    with transaction.atomic():
        audit_record(action="informant_reveal", actor=actor, obj=tipoff, detail={"reason": reason, "present": record is not None})
    if record is None:
        return None
    return RevealedInformant(
        name=record.name or "", phone=record.phone or "", id_number=record.id_number or "", address=record.address or "",
        other_contact=record.other_contact or "",
    )


def tipoff_flag_overdue(*, now: dt.datetime | None = None) -> int:
    """Periodic: mark open tip-offs whose stage deadline has passed (once per stage) and audit each as an alert."""
    now = now or timezone.now()
    from wildlife.enforcement.choices import OPEN_TIPOFF_STATUSES

    count = 0
    candidates = Tipoff.objects.filter(status__in=OPEN_TIPOFF_STATUSES, due_at__lt=now, overdue_flagged_at__isnull=True)
    for tipoff in candidates.iterator(chunk_size=500):
        with transaction.atomic():
            if Tipoff.objects.filter(pk=tipoff.pk, overdue_flagged_at__isnull=True).update(overdue_flagged_at=now):
                TipoffStep.objects.create(
                    tipoff=tipoff, action="overdue", from_status=tipoff.status, to_status=tipoff.status, actor_label=_("系统"),
                    note=_("“%(status)s”环节已超过期限") % {"status": tipoff.get_status_display()}, at=now,
                )
                audit_record(action="tipoff_overdue", obj=tipoff, username="system", detail={"status": tipoff.status})
                count += 1
    return count


# --- intake role (举报受理) --------------------------------------------------------------------------------------


def ensure_intake_group() -> Group:
    """The Group that holds enforcement.reveal_informant; its members are managed by the security administrator."""
    group, _created = Group.objects.get_or_create(name=INTAKE_GROUP)
    permission = Permission.objects.get(content_type__app_label="enforcement", codename="reveal_informant")
    group.permissions.add(permission)
    return group


def _require_security_admin(actor: Any) -> None:
    if getattr(actor, "admin_role", "") != "security" or not actor.is_active:
        raise PermissionDenied(_("举报受理人员由安全管理员管理"))


def intake_member_add(*, actor: Any, user: User) -> None:
    """Add a natural-resources or market-supervision officer to the intake role (security administrator only)."""
    _require_security_admin(actor)
    if user.is_admin_role or not user.is_active:
        raise ValidationError({"user": _("只能添加在职的业务用户。")})
    codes = set(Department.objects.filter(group__user=user).values_list("code", flat=True))
    if not codes & set(INTAKE_DEPARTMENTS):
        raise ValidationError({"user": _("举报受理人员须为区自然资源局或区市场监管局的工作人员。")})
    with transaction.atomic():
        group = ensure_intake_group()
        if group.user_set.filter(pk=user.pk).exists():
            raise ConflictError(_("该用户已是举报受理人员。"), code="already_member")
        group.user_set.add(user)
        audit_record(action="intake_member_add", actor=actor, obj=user, detail={"group": INTAKE_GROUP})


def intake_member_remove(*, actor: Any, user: User) -> None:
    """Remove a user from the intake role (security administrator only)."""
    _require_security_admin(actor)
    with transaction.atomic():
        group = ensure_intake_group()
        group.user_set.remove(user)
        audit_record(action="intake_member_remove", actor=actor, obj=user, detail={"group": INTAKE_GROUP})


# --- cases -------------------------------------------------------------------------------------------------------


def _case_event(case: Case, *, actor: Any, kind: str, title: str, note: str = "", from_status: str = "", to_status: str = "", occurred_at: dt.datetime | None = None) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, title=title, note=note, from_status=from_status, to_status=to_status,
        actor=actor if getattr(actor, "is_authenticated", False) else None, occurred_at=occurred_at or timezone.now(),
    )


def case_open(
    *,
    actor: Any,
    origin: str,
    origin_ref: str,
    origin_label: str,
    title: str,
    area: AdminArea | None = None,
    location: Point | None = None,
    summary: str = "",
    offence_date: dt.date | None = None,
    offence_type: str = "",
    lead_department: Department | None = None,
    involved_departments: Sequence[Department] = (),
    operation: Operation | None = None,
    tipoff: Tipoff | None = None,
    address: str = "",
    **_ignored: Any,
) -> Case:
    """Open a case from a tip-off, listing, inspection, patrol or another agency (see README.md). One case per origin
    record: a second call for the same origin + origin_ref raises ConflictError(code="case_exists")."""
    _require_perm(actor, "enforcement.add_case")
    origin = _choice(origin, CaseOrigin, "origin")
    origin_ref = _clean_text(origin_ref, "origin_ref", max_length=60)
    if origin != CaseOrigin.AGENCY and not origin_ref:
        raise ValidationError({"origin_ref": _("请提供来源记录编号。")})
    title = _clean_text(title, "title", required=True, max_length=200)
    offence_type = _choice(offence_type, OffenceType, "offence_type", blank=True)
    if offence_date is not None and offence_date > timezone.localdate():
        raise ValidationError({"offence_date": _("违法行为发生日期不能晚于今天。")})
    if origin == CaseOrigin.TIPOFF and tipoff is None:
        tipoff = Tipoff.objects.filter(pk=origin_ref).first() if origin_ref.isdigit() else None
    point = _point(location)
    existing = Case.objects.filter(origin=origin, origin_ref=origin_ref).exclude(origin_ref="").first()
    if existing is not None:
        raise ConflictError(
            _("该来源记录已立案：%(no)s") % {"no": existing.case_no}, code="case_exists", current={"case_id": existing.pk, "case_no": existing.case_no}
        )
    own = _actor_department(actor)
    lead = lead_department or own or Department.objects.get(code="natural_resources")
    with transaction.atomic():
        town, district = resolve_area(actor=actor, area=area, point=point)
        now = timezone.now()
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    case_no=_case_no(now), title=title, origin=origin, origin_ref=origin_ref,
                    origin_label=_clean_text(origin_label, "origin_label", max_length=200), tipoff=tipoff,
                    offence_type=offence_type, offence_date=offence_date, summary=_clean_text(summary, "summary", max_length=10000),
                    location=point, address=_clean_text(address, "address", max_length=200), lead_department=lead,
                    operation=operation, area=town, district=district, created_by=actor, opened_at=now,
                )
        except IntegrityError as exc:
            raise ConflictError(_("该来源记录已立案。"), code="case_exists") from exc
        involved = {d.pk for d in involved_departments}
        if own is not None:
            involved.add(own.pk)
        involved.discard(lead.pk)
        if involved:
            case.involved_departments.set(involved)
        _case_event(case, actor=actor, kind=CaseEventKind.STATUS, title=_("立案"), note=case.origin_label, to_status=CaseStatus.OPENED, occurred_at=now)
        ensure_in_scope(case, actor, action="add")
        audit_record(action="case_open", actor=actor, obj=case, detail={"origin": origin, "origin_ref": origin_ref})
    return case


def case_update(
    *,
    actor: Any,
    obj: Case,
    version: int,
    title: str,
    summary: str = "",
    offence_type: str = "",
    offence_date: dt.date | None = None,
    for_food: bool = False,
    banned_tools_in_closure: bool = False,
    illegal_gains: Decimal | None = None,
    address: str = "",
    involved_departments: Sequence[Department] | None = None,
    operation: Operation | None = None,
    **_ignored: Any,
) -> Case:
    """Edit the facts of an open case (optimistic lock on `version`)."""
    _require_editable(obj)
    title = _clean_text(title, "title", required=True, max_length=200)
    offence_type = _choice(offence_type, OffenceType, "offence_type", blank=True)
    if offence_date is not None and offence_date > timezone.localdate():
        raise ValidationError({"offence_date": _("违法行为发生日期不能晚于今天。")})
    if illegal_gains is not None and illegal_gains < 0:
        raise ValidationError({"illegal_gains": _("违法所得不能为负数。")})
    with transaction.atomic():
        updated = Case.objects.filter(pk=obj.pk, version=version).update(
            title=title, summary=_clean_text(summary, "summary", max_length=10000), offence_type=offence_type,
            offence_date=offence_date, for_food=for_food, banned_tools_in_closure=banned_tools_in_closure,
            illegal_gains=illegal_gains, address=_clean_text(address, "address", max_length=200), operation=operation,
            version=version + 1, updated_at=timezone.now(),
        )
        if not updated:
            raise ConflictError(_("案件已被他人修改，请刷新后重试（您填写的内容仍保留在表单中）。"), code="version_conflict")
        obj.refresh_from_db()
        if involved_departments is not None:
            keep = {d.pk for d in involved_departments} - {obj.lead_department_id}
            own = _actor_department(actor)
            if own is not None and own.pk != obj.lead_department_id:
                keep.add(own.pk)  # an editor never removes their own department (they would lose the case)
            obj.involved_departments.set(keep)
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="case_update", actor=actor, obj=obj)
    return obj


def _require_editable(case: Case) -> None:
    current = Case.objects.filter(pk=case.pk).values_list("status", flat=True).first()
    if current not in EDITABLE_CASE_STATUSES:
        raise ConflictError(_("案件已结案，不能再修改。"), code="case_closed", current={"status": current})


_CASE_ACTION_LABELS = {
    "investigate": _("开始调查"),
    "transfer": _("移送公安"),
    "transfer_back": _("退回/不予立案"),
    "decide": _("作出处理决定"),
    "close": _("结案"),
}


def _case_transition(
    *, actor: Any, case: Case, action: str, allowed_from: Iterable[str], to_status: str, fields: dict[str, Any], title: str, note: str = "", kind: str = CaseEventKind.STATUS
) -> Case:
    allowed = list(allowed_from)
    current = Case.objects.filter(pk=case.pk).values_list("status", flat=True).first()
    if current not in allowed:
        raise ConflictError(
            _("案件当前状态为“%(status)s”，不能执行“%(action)s”。") % {"status": CaseStatus(current).label if current else "—", "action": _CASE_ACTION_LABELS.get(action, action)},
            code="case_state_conflict", current={"status": current},
        )
    now = timezone.now()
    updated = Case.objects.filter(pk=case.pk, status=current).update(status=to_status, version=F("version") + 1, updated_at=now, **fields)
    if not updated:
        raise ConflictError(_("案件已被他人处理，请刷新后查看。"), code="case_state_conflict", current={"status": current})
    _case_event(case, actor=actor, kind=kind, title=title, note=note, from_status=current, to_status=to_status, occurred_at=now)
    case.refresh_from_db()
    ensure_in_scope(case, actor, action="view")
    audit_record(action=f"case_{action}", actor=actor, obj=case, detail={"from": current, "to": to_status})
    return case


def case_start_investigation(*, actor: Any, case: Case, note: str = "", **_ignored: Any) -> Case:
    """opened → investigating."""
    with transaction.atomic():
        return _case_transition(
            actor=actor, case=case, action="investigate", allowed_from=[CaseStatus.OPENED], to_status=CaseStatus.INVESTIGATING,
            fields={}, title=_("开始调查取证"), note=_clean_text(note, "note", max_length=2000),
        )


def case_transfer(*, actor: Any, case: Case, reason: str, recipient: str = "", **_ignored: Any) -> Case:
    """opened/investigating → transferred to the police, with a numbered transfer letter (PDF generated from the
    case on demand: see letters.transfer_letter_pdf)."""
    reason = _clean_text(reason, "reason", required=True, max_length=3000)
    recipient = _clean_text(recipient, "recipient", max_length=100) or str(_("周村区公安分局"))
    with transaction.atomic():
        now = timezone.now()
        case = _case_transition(
            actor=actor, case=case, action="transfer", allowed_from=[CaseStatus.OPENED, CaseStatus.INVESTIGATING],
            to_status=CaseStatus.TRANSFERRED,
            fields={"transferred_at": now, "transfer_recipient": recipient, "transfer_reason": reason, "transfer_letter_no": _letter_no(now)},
            title=_("移送%(to)s") % {"to": recipient}, note=reason, kind=CaseEventKind.TRANSFER,
        )
        police = Department.objects.filter(code="police").first()
        if police is not None and police.pk != case.lead_department_id:
            case.involved_departments.add(police)
    return case


def case_transfer_back(*, actor: Any, case: Case, note: str, **_ignored: Any) -> Case:
    """transferred → investigating: the police did not open a criminal case (or returned it for an administrative
    penalty, 法释〔2022〕12号 Art.14)."""
    note = _clean_text(note, "note", required=True, max_length=2000)
    with transaction.atomic():
        return _case_transition(
            actor=actor, case=case, action="transfer_back", allowed_from=[CaseStatus.TRANSFERRED], to_status=CaseStatus.INVESTIGATING,
            fields={}, title=_("公安机关退回，转行政处理"), note=note, kind=CaseEventKind.TRANSFER,
        )


def case_decide(
    *,
    actor: Any,
    case: Case,
    kind: str,
    decided_on: dt.date,
    document_no: str = "",
    penalty_rule: PenaltyRule | None = None,
    fine_amount: Decimal | None = None,
    confiscation: str = "",
    note: str = "",
    **_ignored: Any,
) -> CaseDecision:
    """opened/investigating → decided, recording the decision (and the article applied)."""
    kind = _choice(kind, DecisionKind, "kind")
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("决定日期不能晚于今天。")})
    if fine_amount is not None and fine_amount < 0:
        raise ValidationError({"fine_amount": _("罚款金额不能为负数。")})
    if kind == DecisionKind.PENALTY and fine_amount is None and not confiscation.strip():
        raise ValidationError({"fine_amount": _("行政处罚决定请填写罚款金额或没收内容。")})
    with transaction.atomic():
        _case_transition(
            actor=actor, case=case, action="decide", allowed_from=[CaseStatus.OPENED, CaseStatus.INVESTIGATING], to_status=CaseStatus.DECIDED,
            fields={}, title=_("作出处理决定"), note=document_no, kind=CaseEventKind.DECISION,
        )
        decision = CaseDecision.objects.create(
            case=case, kind=kind, decided_on=decided_on, document_no=_clean_text(document_no, "document_no", max_length=60),
            penalty_rule=penalty_rule, fine_amount=fine_amount, confiscation=_clean_text(confiscation, "confiscation", max_length=2000),
            note=_clean_text(note, "note", max_length=2000), decided_by=actor,
        )
        audit_record(action="case_decision_add", actor=actor, obj=case, detail={"decision": decision.pk, "kind": kind})
    return decision


def case_close(*, actor: Any, case: Case, outcome: str, note: str = "", **_ignored: Any) -> Case:
    """decided/transferred → closed with an outcome."""
    outcome = _choice(outcome, CaseOutcome, "outcome")
    with transaction.atomic():
        return _case_transition(
            actor=actor, case=case, action="close", allowed_from=[CaseStatus.DECIDED, CaseStatus.TRANSFERRED], to_status=CaseStatus.CLOSED,
            fields={"outcome": outcome, "outcome_note": _clean_text(note, "note", max_length=3000), "closed_at": timezone.now()},
            title=_("结案：%(outcome)s") % {"outcome": CaseOutcome(outcome).label}, note=note,
        )


# --- case: parties, items, evidence, events, flows -----------------------------------------------------------------


def case_party_add(
    *,
    actor: Any,
    case: Case,
    kind: str,
    role: str = PartyRole.SUSPECT,
    name: str = "",
    identifier: str = "",
    id_number: str = "",
    phone: str = "",
    address: str = "",
    note: str = "",
    **_ignored: Any,
) -> CaseParty:
    """Add a party; its identifiers are encrypted, blind-indexed and registered in the tracing graph, so the same
    phone or account in another case (or a listing) links to this one."""
    _require_editable(case)
    kind = _choice(kind, PartyKind, "kind")
    role = _choice(role, PartyRole, "role")
    name = _clean_text(name, "name", max_length=100)
    identifier = _clean_text(identifier, "identifier", max_length=200)
    id_number = _clean_text(id_number, "id_number", max_length=20)
    phone = _clean_text(phone, "phone", max_length=30)
    address = _clean_text(address, "address", max_length=200)
    if kind == PartyKind.PHONE and not (phone or identifier):
        raise ValidationError({"phone": _("请填写电话号码。")})
    if kind == PartyKind.PHONE and not phone:
        phone, identifier = identifier, ""
    if kind == PartyKind.ADDRESS and not (address or identifier):
        raise ValidationError({"address": _("请填写地址。")})
    if kind == PartyKind.ADDRESS and not address:
        address, identifier = identifier, ""
    if kind in (PartyKind.ACCOUNT, PartyKind.VEHICLE) and not identifier:
        raise ValidationError({"identifier": _("请填写账号或车牌号。")})
    if kind in (PartyKind.PERSON, PartyKind.COMPANY) and not name:
        raise ValidationError({"name": _("请填写姓名或单位名称。")})
    if phone and not _PHONE_RE.match(phone):
        raise ValidationError({"phone": _("电话号码格式不正确（应为 7–20 位数字）。")})
    phone = tracing.normalise(TraceKind.PHONE, phone)
    if id_number and not _ID_RE.match(id_number):
        raise ValidationError({"id_number": _("身份证号格式不正确（应为 18 位，末位可为 X）。")})
    id_number = id_number.upper()
    identifier_kind = tracing.PARTY_IDENTIFIER_KIND.get(PartyKind(kind)) if kind not in (PartyKind.PHONE, PartyKind.ADDRESS) else None
    with transaction.atomic():
        party = CaseParty.objects.create(
            case=case, kind=kind, role=role, name=name, identifier=identifier, id_number=id_number, phone=phone, address=address,
            note=_clean_text(note, "note", max_length=2000),
            identifier_index=tracing.trace_key(identifier_kind, identifier) if identifier_kind and identifier else "",
            id_number_index=tracing.trace_key(TraceKind.ID_NUMBER, id_number) if id_number else "",
            phone_index=tracing.trace_key(TraceKind.PHONE, phone) if phone else "",
            address_index=tracing.trace_key(TraceKind.ADDRESS, address) if address else "",
        )
        label = f"{case.case_no} {case.title}"
        for trace_kind, value in (
            (identifier_kind, identifier),
            (TraceKind.ID_NUMBER, id_number),
            (TraceKind.PHONE, phone),
            (TraceKind.ADDRESS, address),
        ):
            if trace_kind and value:
                _link(kind=trace_kind, value=value, source_type="enforcement.case", source_id=str(case.pk), label=label, role=role, case=case, party=party)
        _case_event(case, actor=actor, kind=CaseEventKind.NOTE, title=_("添加当事人：%(who)s") % {"who": party.display_name})
        Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
        audit_record(action="case_party_add", actor=actor, obj=case, detail={"party": party.pk, "kind": kind, "role": role})
    return party


def case_party_remove(*, actor: Any, party: CaseParty) -> None:
    """Remove a party (and its trace links and flows)."""
    case = party.case
    _require_editable(case)
    with transaction.atomic():
        label = party.display_name
        party.delete()
        _case_event(case, actor=actor, kind=CaseEventKind.NOTE, title=_("删除当事人：%(who)s") % {"who": label})
        audit_record(action="case_party_remove", actor=actor, obj=case, detail={"kind": party.kind})


def case_item_add(
    *,
    actor: Any,
    case: Case,
    count: int,
    condition: str,
    species: Any = None,
    description: str = "",
    unit: str = "只",
    form: str = ItemForm.WHOLE,
    captive_bred: bool = False,
    storage_place: str = "",
    actual_price: Decimal | None = None,
    note: str = "",
    **_ignored: Any,
) -> SeizedItem:
    """Record a seized item (species, count, alive/dead/product, captive-bred)."""
    _require_editable(case)
    condition = _choice(condition, ItemCondition, "condition")
    form = _choice(form or ItemForm.WHOLE, ItemForm, "form")
    if count is None or int(count) < 1:
        raise ValidationError({"count": _("数量至少为 1。")})
    description = _clean_text(description, "description", max_length=200)
    if species is None and not description:
        raise ValidationError({"species": _("请选择物种或填写物品描述。")})
    if actual_price is not None and actual_price < 0:
        raise ValidationError({"actual_price": _("实际交易价格不能为负数。")})
    with transaction.atomic():
        item = SeizedItem.objects.create(
            case=case, species=species, description=description, count=int(count), unit=_clean_text(unit, "unit", max_length=10) or "只",
            condition=condition, form=form, captive_bred=bool(captive_bred), storage_place=_clean_text(storage_place, "storage_place", max_length=200),
            actual_price=actual_price, note=_clean_text(note, "note", max_length=2000),
        )
        _case_event(case, actor=actor, kind=CaseEventKind.SEIZURE, title=_("扣押：%(item)s（%(cond)s）") % {"item": str(item), "cond": item.get_condition_display()})
        Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
        audit_record(action="case_item_add", actor=actor, obj=case, detail={"item": item.pk, "count": item.count, "condition": condition})
    return item


def case_item_hand_over(*, actor: Any, item: SeizedItem, condition_note: str = "", note: str = "", **_ignored: Any) -> RescueHandover:
    """Hand a live seized animal to the rescue centre: a receipt in status `pending_pickup` for the rescue module.
    One hand-over per item."""
    case = item.case
    _require_editable(case)
    if item.condition != ItemCondition.ALIVE:
        raise ValidationError({"item": _("只有活体动物需要移交救护中心。")})
    with transaction.atomic():
        if RescueHandover.objects.filter(item=item).exists():
            raise ConflictError(_("该物品已移交救护中心。"), code="handover_exists")
        now = timezone.now()
        try:
            with transaction.atomic():
                handover = RescueHandover.objects.create(
                    receipt_no=_handover_no(now), item=item, case=case, species=item.species, count=item.count, handed_at=now, handed_by=actor,
                    condition_note=_clean_text(condition_note, "condition_note", max_length=2000), note=_clean_text(note, "note", max_length=2000),
                    area=case.area, district=case.district, created_by=actor,
                )
        except IntegrityError as exc:
            raise ConflictError(_("该物品已移交救护中心。"), code="handover_exists") from exc
        _case_event(case, actor=actor, kind=CaseEventKind.HANDOVER, title=_("活体移交救护中心，移交单 %(no)s") % {"no": handover.receipt_no}, occurred_at=now)
        audit_record(action="rescue_handover_create", actor=actor, obj=handover, detail={"case": case.case_no, "count": handover.count})
    return handover


def rescue_handover_pick_up(*, actor: Any, handover: RescueHandover, rescue_ref: str, **_ignored: Any) -> RescueHandover:
    """For the rescue module: mark a hand-over received, with the rescue case reference (pending_pickup → picked_up)."""
    rescue_ref = _clean_text(rescue_ref, "rescue_ref", required=True, max_length=60)
    with transaction.atomic():
        updated = RescueHandover.objects.filter(pk=handover.pk, status=HandoverStatus.PENDING).update(
            status=HandoverStatus.PICKED_UP, picked_up_at=timezone.now(), rescue_ref=rescue_ref, version=F("version") + 1
        )
        if not updated:
            raise ConflictError(_("该移交单不是“待接收”状态。"), code="handover_state_conflict")
        handover.refresh_from_db()
        _case_event(handover.case, actor=actor, kind=CaseEventKind.HANDOVER, title=_("救护中心已接收，救护记录 %(ref)s") % {"ref": rescue_ref})
        audit_record(action="rescue_handover_pick_up", actor=actor, obj=handover, detail={"rescue_ref": rescue_ref})
    return handover


def case_evidence_add(
    *,
    actor: Any,
    case: Case,
    kind: str,
    title: str,
    file: UploadedFile,
    collected_at: dt.datetime | None = None,
    collected_by: str = "",
    note: str = "",
    **_ignored: Any,
) -> Evidence:
    """Attach an evidence file (type and size checked; SHA-256 recorded for integrity)."""
    _require_editable(case)
    kind = _choice(kind, EvidenceKind, "kind")
    title = _clean_text(title, "title", required=True, max_length=200)
    if file is None:
        raise ValidationError({"file": _("请选择文件。")})
    original = PurePath(file.name or "file").name[:200]
    extension = PurePath(original).suffix.lower()
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError({"file": _("不支持的文件类型：%(ext)s") % {"ext": extension or "—"}})
    limit = int(getattr(settings, "WILDLIFE_MAX_UPLOAD_MB", 200)) * 1024 * 1024
    if file.size is not None and file.size > limit:
        raise ValidationError({"file": _("文件超过 %(n)d MB。") % {"n": limit // (1024 * 1024)}})
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    with transaction.atomic():
        evidence = Evidence(
            case=case, kind=kind, title=title, original_name=original, content_type=mimetypes.guess_type(original)[0] or "application/octet-stream",
            size=file.size or 0, sha256=digest.hexdigest(), collected_at=collected_at, collected_by=_clean_text(collected_by, "collected_by", max_length=100),
            note=_clean_text(note, "note", max_length=2000), uploaded_by=actor,
        )
        evidence.file.save(f"evidence{extension}", file, save=False)
        evidence.save()
        _case_event(case, actor=actor, kind=CaseEventKind.EVIDENCE, title=_("取证：%(title)s") % {"title": title})
        audit_record(action="case_evidence_add", actor=actor, obj=case, detail={"evidence": evidence.pk, "sha256": evidence.sha256})
    return evidence


def case_event_add(*, actor: Any, case: Case, kind: str, title: str, note: str = "", occurred_at: dt.datetime | None = None, **_ignored: Any) -> CaseEvent:
    """Record an investigation event (inspection, interview, identification …) on the timeline."""
    _require_editable(case)
    kind = _choice(kind, CaseEventKind, "kind")
    if kind in (CaseEventKind.STATUS, CaseEventKind.TRANSFER, CaseEventKind.DECISION):
        raise ValidationError({"kind": _("状态变化、移送和处理决定请使用对应的操作。")})
    title = _clean_text(title, "title", required=True, max_length=200)
    if occurred_at is not None and occurred_at > timezone.now() + dt.timedelta(minutes=10):
        raise ValidationError({"occurred_at": _("时间不能晚于现在。")})
    with transaction.atomic():
        event = _case_event(case, actor=actor, kind=kind, title=title, note=_clean_text(note, "note", max_length=5000), occurred_at=occurred_at)
        audit_record(action="case_event_add", actor=actor, obj=case, detail={"event": event.pk, "kind": kind})
    return event


def case_flow_add(
    *,
    actor: Any,
    case: Case,
    from_party: CaseParty,
    to_party: CaseParty,
    kind: str,
    species: Any = None,
    quantity: str = "",
    occurred_on: dt.date | None = None,
    note: str = "",
    **_ignored: Any,
) -> CaseFlow:
    """Record goods or money moving between two parties of the case (a link of the chain source → buyer)."""
    _require_editable(case)
    kind = _choice(kind, FlowKind, "kind")
    if from_party.case_id != case.pk or to_party.case_id != case.pk:
        raise ValidationError({"from_party": _("流向的双方必须是本案当事人。")})
    if from_party.pk == to_party.pk:
        raise ValidationError({"to_party": _("流向的双方不能是同一当事人。")})
    with transaction.atomic():
        flow = CaseFlow.objects.create(
            case=case, from_party=from_party, to_party=to_party, kind=kind, species=species, quantity=_clean_text(quantity, "quantity", max_length=60),
            occurred_on=occurred_on, note=_clean_text(note, "note", max_length=2000),
        )
        _case_event(case, actor=actor, kind=CaseEventKind.NOTE, title=_("添加流向：%(a)s → %(b)s（%(k)s）") % {"a": from_party.display_name, "b": to_party.display_name, "k": flow.get_kind_display()})
        audit_record(action="case_flow_add", actor=actor, obj=case, detail={"flow": flow.pk, "kind": kind})
    return flow


def case_assess(*, actor: Any, case: Case, assess_on: dt.date | None = None) -> Case:
    """Compute the value, thresholds and penalty range from the rule rows in force and store them on the case."""
    from wildlife.enforcement.assessment import assess_case

    _require_editable(case)
    result = assess_case(case, assess_on=assess_on)
    with transaction.atomic():
        for item in result.items:
            SeizedItem.objects.filter(pk=item.item_id).update(
                base_value=Decimal(item.base_value) if item.base_value is not None else None,
                assessed_value=Decimal(item.value),
            )
        Case.objects.filter(pk=case.pk).update(
            assessed_value=Decimal(result.total), transfer_recommended=result.transfer_recommended, assessment=result.as_dict(),
            assessed_at=timezone.now(), version=F("version") + 1,
        )
        case.refresh_from_db()
        note = _("涉案价值 ¥%(total)s") % {"total": result.total}
        if result.transfer_recommended:
            note += "；" + _("达到移送公安标准")
        _case_event(case, actor=actor, kind=CaseEventKind.ASSESSMENT, title=_("价值评估"), note=note)
        audit_record(action="case_assess", actor=actor, obj=case, detail={"total": result.total, "transfer": result.transfer_recommended})
    return case


# --- tracing graph -----------------------------------------------------------------------------------------------

SOURCE_TYPES = {
    "listing": "trade.listing",
    "inspection": "patrols.inspection",
    "patrol": "patrols.patrol",
    "tipoff": "enforcement.tipoff",
    "case": "enforcement.case",
}


def _source_label(source_type: str) -> str:
    source_type = (source_type or "").strip().lower()
    model_label = SOURCE_TYPES.get(source_type, source_type)
    if "." not in model_label:
        raise ValidationError({"source_type": _("未知的来源类型：%(t)s") % {"t": source_type}})
    return model_label


def _link(
    *, kind: str, value: str, source_type: str, source_id: str, label: str, role: str = "", case: Case | None = None, party: CaseParty | None = None
) -> TraceNode:
    key = tracing.trace_key(kind, value)
    if not key:
        raise ValidationError({"value": _("标识为空或格式不正确。")})
    node, _created = TraceNode.objects.get_or_create(kind=kind, key=key, defaults={"label": tracing.mask_identifier(kind, value)})
    lookup: dict[str, Any] = {"node": node, "party": party} if party is not None else {
        "node": node, "source_type": source_type, "source_id": source_id, "role": role, "party__isnull": True,
    }
    if not TraceLink.objects.filter(**lookup).exists():
        try:
            with transaction.atomic():
                TraceLink.objects.create(node=node, source_type=source_type, source_id=source_id, label=label[:200], role=role, case=case, party=party)
        except IntegrityError:
            pass  # a concurrent call stored the same link: one link either way
    return node


def trace_link(
    *,
    kind: str,
    value: str,
    source_type: str,
    source_id: int | str,
    label: str,
    role: str = "",
    actor: Any = None,
) -> TraceNode:
    """Register an identifier seen in another app's record (see README.md). Stores only the blind index and a masked
    label. Idempotent."""
    kind = _choice(kind, TraceKind, "kind")
    model_label = _source_label(source_type)
    source_id = str(source_id).strip()
    if not source_id:
        raise ValidationError({"source_id": _("请提供来源记录编号。")})
    role = _clean_text(role, "role", max_length=30)
    case = None
    if model_label == "enforcement.case":
        case = Case.objects.filter(pk=source_id).first() if source_id.isdigit() else None
    with transaction.atomic():
        node = _link(kind=kind, value=value, source_type=model_label, source_id=source_id, label=_clean_text(label, "label", max_length=200), role=role, case=case)
        audit_record(action="trace_link", actor=actor, username="" if actor else "system", obj=node, detail={"source": f"{model_label}:{source_id}"})
    return node


def trace_unlink(*, source_type: str, source_id: int | str, actor: Any = None) -> int:
    """Remove the links of a record (when the other app deletes it). Returns how many were removed."""
    model_label = _source_label(source_type)
    with transaction.atomic():
        deleted, _detail = TraceLink.objects.filter(source_type=model_label, source_id=str(source_id), party__isnull=True).delete()
        if deleted:
            audit_record(action="trace_unlink", actor=actor, username="" if actor else "system", object_type="enforcement.tracelink", detail={"source": f"{model_label}:{source_id}", "removed": deleted})
    return int(deleted)


# --- operations --------------------------------------------------------------------------------------------------


def operation_create(
    *,
    actor: Any,
    code: str,
    name: str,
    start_date: dt.date,
    lead_department: Department,
    end_date: dt.date | None = None,
    departments: Sequence[Department] = (),
    targets: str = "",
    area: AdminArea | None = None,
    **_ignored: Any,
) -> Operation:
    """Create a special operation (planned)."""
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})
    code = _clean_text(code, "code", required=True, max_length=60)
    if Operation.objects.filter(code=code).exists():
        raise ValidationError({"code": _("行动编号已存在。")})
    with transaction.atomic():
        town, district = resolve_area(actor=actor, area=area)
        operation = Operation.objects.create(
            code=code, name=_clean_text(name, "name", required=True, max_length=200), start_date=start_date, end_date=end_date,
            lead_department=lead_department, targets=_clean_text(targets, "targets", max_length=5000), area=town, district=district, created_by=actor,
        )
        operation.departments.set(departments)
        ensure_in_scope(operation, actor, action="add")
        audit_record(action="operation_create", actor=actor, obj=operation)
    return operation


def operation_update(
    *,
    actor: Any,
    obj: Operation,
    version: int,
    name: str,
    start_date: dt.date,
    lead_department: Department,
    status: str = OperationStatus.PLANNED,
    end_date: dt.date | None = None,
    departments: Sequence[Department] = (),
    targets: str = "",
    summary: str = "",
    **_ignored: Any,
) -> Operation:
    """Edit an operation: period, departments, targets, status and summary (optimistic lock)."""
    status = _choice(status, OperationStatus, "status")
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})
    if status == OperationStatus.CLOSED and not summary.strip():
        raise ValidationError({"summary": _("结束行动前请填写行动总结。")})
    with transaction.atomic():
        updated = Operation.objects.filter(pk=obj.pk, version=version).update(
            name=_clean_text(name, "name", required=True, max_length=200), start_date=start_date, end_date=end_date,
            lead_department=lead_department, status=status, targets=_clean_text(targets, "targets", max_length=5000),
            summary=_clean_text(summary, "summary", max_length=10000), version=version + 1, updated_at=timezone.now(),
        )
        if not updated:
            raise ConflictError(_("专项行动已被他人修改，请刷新后重试。"), code="version_conflict")
        obj.refresh_from_db()
        obj.departments.set(departments)
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="operation_update", actor=actor, obj=obj, detail={"status": status})
    return obj


# --- rule rows ---------------------------------------------------------------------------------------------------


def rule_row_save(*, actor: Any, model: type[models.Model], obj: models.Model | None = None, data: dict[str, Any]) -> models.Model:
    """Create or edit a rule row (base value, coefficient, threshold, penalty article, time limit); validated by the
    model's constraints, audited with before/after digests."""
    label = f"{model._meta.app_label}.{model._meta.model_name}"
    perm = f"enforcement.{'change' if obj is not None else 'add'}_{model._meta.model_name}"
    _require_perm(actor, perm)
    before = None
    with transaction.atomic():
        if obj is None:
            obj = model(**data)
        else:
            before = {k: str(getattr(obj, k)) for k in data}
            for key, value in data.items():
                setattr(obj, key, value)
        obj.full_clean()
        obj.save()
        audit_record(action="rule_row_save", actor=actor, obj=obj, object_type=label, before=before, after={k: str(v) for k, v in data.items()})
    return obj
