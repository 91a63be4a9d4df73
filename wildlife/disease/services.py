"""Writes of the disease app: keyword-only, typed, atomic, audited; side effects are explicit calls (no signals).

Stations and their routes; the rule tables; reports (one per station and period, version-checked resubmission,
late marking); events with grading, the reporting chain, samples, lab results, the notification letter, closure and
the emergency response; alerts (clusters, grades, overdue steps) with acknowledgement and follow-up; reminders and
notifications.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.gis.geos import LineString, Point
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.audit.services import audit_record
from wildlife.core.access import ensure_in_scope
from wildlife.core.exceptions import ConflictError
from wildlife.core.services import resolve_area
from wildlife.disease import engine
from wildlife.disease.calendar import Period
from wildlife.disease.choices import (
    GRADE_RANK,
    GRADE_TO_ALERT_LEVEL,
    AlertKind,
    AlertLevel,
    AlertStatus,
    ChainTrigger,
    EventSource,
    EventStatus,
    LabOutcome,
    MessageChannel,
    MessageStatus,
    ReminderKind,
    SupplyKind,
    TimelineKind,
)
from wildlife.disease.models import (
    Alert,
    AlertFollowUp,
    ChainRule,
    CustodyEntry,
    DailyReport,
    Equipment,
    EventDocument,
    EventPhoto,
    EventSpecies,
    LabResult,
    MortalityEvent,
    Notification,
    ObservationPoint,
    OutboundMessage,
    PatrolRoute,
    ReportFinding,
    ReportingStep,
    ReportReminder,
    Sample,
    Station,
    StationCoverage,
    SupplyLine,
    TeamDispatch,
    TimelineEntry,
)
from wildlife.disease.selectors import deadline_rule_on, period_for_day, periods_in
from wildlife.geo.models import AdminArea

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_FEATURE_FILE_BYTES = 2 * 1024 * 1024
PHOTO_TYPES = {b"\xff\xd8\xff": ("image/jpeg", "jpg"), b"\x89PNG\r\n\x1a\n": ("image/png", "png")}


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _bump_version(model: type[models.Model], obj: Any, version: int | None) -> None:
    """Compare-and-swap on the version: the loser of a concurrent edit gets a clear 409, nothing is overwritten."""
    if version is None:
        version = obj.version
    updated = model._default_manager.filter(pk=obj.pk, version=version).update(version=version + 1)
    if not updated:
        current = model._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise ConflictError(
            _("记录已被他人修改（当前版本 %(v)s），请刷新后重试；您填写的内容未保存。") % {"v": current},
            code="version_conflict",
            current={"version": current},
        )
    obj.version = version + 1


def _geodesic_km(line: LineString) -> Decimal:
    from itertools import pairwise

    from wildlife.geo.coords import haversine_m

    total = sum(haversine_m(lon1, lat1, lon2, lat2) for (lon1, lat1), (lon2, lat2) in pairwise(line.coords))
    return Decimal(str(round(total / 1000.0, 2)))


# === stations ====================================================================================================


def _set_coverage(station: Station, areas: Sequence[AdminArea]) -> None:
    wanted = {a.pk for a in areas} | {station.area_id}
    StationCoverage.objects.filter(station=station).exclude(area_id__in=wanted).delete()
    existing = set(StationCoverage.objects.filter(station=station).values_list("area_id", flat=True))
    StationCoverage.objects.bulk_create([StationCoverage(station=station, area_id=pk) for pk in sorted(wanted - existing)], batch_size=100)


def station_create(
    *,
    actor: Any,
    name: str,
    level: str,
    location: Point,
    established_on: dt.date,
    code: str = "",
    address: str = "",
    habitat: str = "",
    responsible: Any = None,
    duty_phone: str = "",
    duty_email: str = "",
    covered_areas: Sequence[AdminArea] = (),
    is_active: bool = True,
    notes: str = "",
    **_ignored: Any,
) -> Station:
    """A new monitoring station in the town where it stands; it always covers that town."""
    with transaction.atomic():
        town, district = resolve_area(actor=actor, point=location)
        if Station.objects.filter(district=district, name=name).exists():
            raise ValidationError({"name": _("本区已有名为「%(name)s」的监测站。") % {"name": name}})
        station = Station.objects.create(
            name=name,
            code=code,
            level=level,
            location=location,
            address=address,
            habitat=habitat,
            responsible=responsible,
            duty_phone=duty_phone,
            duty_email=duty_email,
            established_on=established_on,
            is_active=is_active,
            notes=notes,
            area=town,
            district=district,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _set_coverage(station, covered_areas)
        ensure_in_scope(station, actor, action="add")
        audit_record(action="disease_station_create", actor=actor, obj=station, after={"name": name, "level": level})
    return station


def station_update(*, actor: Any, obj: Station, version: int | None = None, covered_areas: Sequence[AdminArea] | None = None, **fields: Any) -> Station:
    """Edit a station (version-checked); moving it re-derives its town."""
    editable = {"name", "code", "level", "location", "address", "habitat", "responsible", "duty_phone", "duty_email", "established_on", "is_active", "notes"}
    with transaction.atomic():
        _bump_version(Station, obj, version)
        for key, value in fields.items():
            if key in editable:
                setattr(obj, key, value)
        if "location" in fields:
            obj.area, obj.district = resolve_area(actor=actor, point=obj.location)
        if Station.objects.filter(district=obj.district, name=obj.name).exclude(pk=obj.pk).exists():
            raise ValidationError({"name": _("本区已有名为「%(name)s」的监测站。") % {"name": obj.name}})
        obj.save()
        if covered_areas is not None:
            _set_coverage(obj, covered_areas)
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="disease_station_update", actor=actor, obj=obj, detail={"fields": sorted(k for k in fields if k in editable)})
    return obj


def station_route_add(*, actor: Any, station: Station, name: str, geometry: LineString, notes: str = "") -> PatrolRoute:
    """A patrol route of the station; its length is computed geodesically."""
    if not isinstance(geometry, LineString) or len(geometry.coords) < 2:
        raise ValidationError({"geometry": _("巡查路线应为至少两个点的折线。")})
    geometry.srid = 4326
    with transaction.atomic():
        if PatrolRoute.objects.filter(station=station, name=name).exists():
            raise ValidationError({"name": _("该站已有名为「%(name)s」的路线。") % {"name": name}})
        route = PatrolRoute.objects.create(station=station, name=name, geometry=geometry, length_km=_geodesic_km(geometry), notes=notes)
        audit_record(action="disease_route_add", actor=actor, obj=station, detail={"route": name, "km": str(route.length_km)})
    return route


def station_point_add(*, actor: Any, station: Station, name: str, location: Point, notes: str = "") -> ObservationPoint:
    """A fixed observation point of the station."""
    location.srid = 4326
    with transaction.atomic():
        if ObservationPoint.objects.filter(station=station, name=name).exists():
            raise ValidationError({"name": _("该站已有名为「%(name)s」的监测点。") % {"name": name}})
        point = ObservationPoint.objects.create(station=station, name=name, location=location, notes=notes)
        audit_record(action="disease_point_add", actor=actor, obj=station, detail={"point": name})
    return point


def station_feature_remove(*, actor: Any, station: Station, feature: PatrolRoute | ObservationPoint) -> None:
    """Remove a route or point of this station."""
    if feature.station_id != station.pk:
        raise ValidationError(_("该路线或监测点不属于此监测站。"))
    with transaction.atomic():
        audit_record(action="disease_feature_remove", actor=actor, obj=station, detail={"feature": str(feature), "kind": feature._meta.model_name})
        feature.delete()


def _position(value: Any, where: str) -> tuple[float, float]:
    if (
        not isinstance(value, list)
        or len(value) < 2
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value[:2])
    ):
        raise ValidationError({"file": [_("%(where)s：坐标无效 %(value)s。") % {"where": where, "value": str(value)[:40]}]})
    lon, lat = float(value[0]), float(value[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError({"file": [_("%(where)s：坐标超出经纬度范围（经度在前，纬度在后）。") % {"where": where}]})
    return lon, lat


def station_features_import(*, actor: Any, station: Station, content: bytes, filename: str = "") -> tuple[int, int]:
    """Import routes (LineString / MultiLineString) and points (Point) from a GeoJSON FeatureCollection in WGS-84.

    Parsed with `json` only (GDAL never sees the upload). Feature names come from properties.name; everything is
    stored or nothing (a bad feature is reported as "第 N 个要素 …"). Returns (routes, points) created.
    """
    if len(content) > MAX_FEATURE_FILE_BYTES:
        raise ValidationError({"file": [_("文件过大（上限 2 MB）。")]})
    try:
        data = json.loads(content.decode("utf-8-sig"), parse_constant=lambda token: (_ for _ in ()).throw(ValueError(token)))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValidationError({"file": [_("不是有效的 GeoJSON（UTF-8 编码的 JSON）：%(msg)s") % {"msg": str(exc)[:80]}]}) from exc
    if not isinstance(data, dict) or data.get("type") not in ("FeatureCollection", "Feature"):
        raise ValidationError({"file": [_("GeoJSON 顶层应为 FeatureCollection。")]})
    if data.get("crs") is not None:
        raise ValidationError({"file": [_("请删除 crs 成员：只接受 WGS-84 经纬度坐标。")]})
    features = data.get("features") if data["type"] == "FeatureCollection" else [data]
    if not isinstance(features, list) or not features:
        raise ValidationError({"file": [_("GeoJSON 中没有要素。")]})
    parsed: list[tuple[str, str, Any]] = []
    for number, feature in enumerate(features, start=1):
        where = _("第 %(n)d 个要素") % {"n": number}
        if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
            raise ValidationError({"file": [_("%(where)s：缺少几何。") % {"where": where}]})
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        name = str((props or {}).get("name") or "").strip()[:100] or _("导入要素%(n)d") % {"n": number}
        geometry = feature["geometry"]
        kind, coords = geometry.get("type"), geometry.get("coordinates")
        if kind == "Point":
            parsed.append(("point", name, Point(*_position(coords, where), srid=4326)))
        elif kind == "LineString" and isinstance(coords, list) and len(coords) >= 2:
            parsed.append(("route", name, LineString([_position(c, where) for c in coords], srid=4326)))
        elif kind == "MultiLineString" and isinstance(coords, list) and coords:
            for index, part in enumerate(coords, start=1):
                if not isinstance(part, list) or len(part) < 2:
                    raise ValidationError({"file": [_("%(where)s：第 %(i)d 段少于两个点。") % {"where": where, "i": index}]})
                label = name if len(coords) == 1 else f"{name}-{index}"
                parsed.append(("route", label, LineString([_position(c, where) for c in part], srid=4326)))
        else:
            raise ValidationError({"file": [_("%(where)s：几何类型 %(type)s 不支持（路线用 LineString，监测点用 Point）。") % {"where": where, "type": str(kind)[:30]}]})
    routes = points = 0
    with transaction.atomic():
        for kind, name, geometry in parsed:
            if kind == "route":
                station_route_add(actor=actor, station=station, name=name, geometry=geometry)
                routes += 1
            else:
                station_point_add(actor=actor, station=station, name=name, location=geometry)
                points += 1
        audit_record(action="import", actor=actor, obj=station, detail={"file": filename[:100], "routes": routes, "points": points})
    return routes, points


def station_equipment_set(*, actor: Any, station: Station, name: str, quantity: int, unit: str = "件", condition: str = "") -> Equipment:
    """Record equipment held by the station (same name: the quantity and condition are updated)."""
    if quantity < 0:
        raise ValidationError({"quantity": _("数量不能为负数。")})
    with transaction.atomic():
        item, created = Equipment.objects.update_or_create(station=station, name=name, defaults={"quantity": quantity, "unit": unit, "condition": condition})
        audit_record(action="disease_equipment_set", actor=actor, obj=station, detail={"item": name, "quantity": quantity, "created": created})
    return item


def station_equipment_remove(*, actor: Any, station: Station, item: Equipment) -> None:
    if item.station_id != station.pk:
        raise ValidationError(_("该设备不属于此监测站。"))
    with transaction.atomic():
        audit_record(action="disease_equipment_remove", actor=actor, obj=station, detail={"item": item.name})
        item.delete()


# === rule tables =================================================================================================


def rule_save(*, actor: Any, model: type[models.Model], obj: Any = None, version: int | None = None, **fields: Any) -> Any:
    """Create or edit a row of a rule table (key periods, deadlines, grading, chain, clusters); edits are
    version-checked and every change is audited. Past events keep the grade they were given."""
    with transaction.atomic():
        if obj is None:
            obj = model(**fields)
        else:
            _bump_version(model, obj, version)
            for key, value in fields.items():
                setattr(obj, key, value)
        obj.full_clean(exclude=["version"])
        obj.save()
        audit_record(action=f"disease_{model._meta.model_name}_save", actor=actor, obj=obj, after={k: str(v) for k, v in fields.items()})
    return obj


def rule_delete(*, actor: Any, obj: Any) -> None:
    with transaction.atomic():
        audit_record(action=f"disease_{obj._meta.model_name}_delete", actor=actor, obj=obj)
        try:
            obj.delete()
        except models.ProtectedError as exc:
            raise ValidationError(_("该规则已被事件引用，不能删除；请填写失效日期使其停用。")) from exc


# === reports =====================================================================================================


@dataclass(frozen=True)
class FindingInput:
    """One line of what was seen on the route."""

    group: str
    species: Any = None
    species_text: str = ""
    count: int = 0
    sick: int = 0
    dead: int = 0
    notes: str = ""


def _validate_findings(findings: Sequence[FindingInput], is_zero_report: bool) -> None:
    errors: list[str] = []
    for index, f in enumerate(findings, start=1):
        if f.species is None and not f.species_text.strip():
            errors.append(_("第 %(n)d 条发现：请选择物种或填写名称。") % {"n": index})
        if min(f.count, f.sick, f.dead) < 0:
            errors.append(_("第 %(n)d 条发现：数量不能为负数。") % {"n": index})
        if f.count == 0 and f.sick == 0 and f.dead == 0:
            errors.append(_("第 %(n)d 条发现：观察数量、异常数和死亡数不能都为 0。") % {"n": index})
        if is_zero_report and (f.sick or f.dead):
            errors.append(_("第 %(n)d 条发现有异常或死亡个体，不能作为零报告提交：请取消“零报告”，系统会同时生成快报。") % {"n": index})
    if errors:
        raise ValidationError({"findings": errors})


def daily_report_submit(
    *,
    actor: Any,
    station: Station,
    date: dt.date,
    is_zero_report: bool = False,
    route: PatrolRoute | None = None,
    route_km: Decimal | float | None = None,
    patrol_started_at: dt.datetime | None = None,
    patrol_ended_at: dt.datetime | None = None,
    observers: str = "",
    weather: str = "",
    notes: str = "",
    findings: Sequence[FindingInput] = (),
    version: int | None = None,
    event_location: Point | None = None,
    event_detected_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> DailyReport:
    """File (or, with the current `version`, correct) the report of the period containing `date`.

    One report per station and period: a second submission without the version is refused with 409
    `report_exists`; with a stale version, 409 `version_conflict`. A report arriving after the deadline is accepted
    and marked late (fixed at the first submission). Sick or dead animals make it a non-zero report and raise an
    event (快报) at once, at `event_location` (default: the station).
    """
    now = _now(now)
    today = timezone.localtime(now).date()
    if date > today:
        raise ValidationError({"date": _("不能提前上报未来日期（%(d)s）的监测情况。") % {"d": date.isoformat()}})
    if date < station.established_on:
        raise ValidationError({"date": _("该日期早于建站日期 %(d)s。") % {"d": station.established_on.isoformat()}})
    if route is not None and route.station_id != station.pk:
        raise ValidationError({"route": _("所选路线不属于该监测站。")})
    if patrol_started_at and patrol_ended_at and patrol_ended_at < patrol_started_at:
        raise ValidationError({"patrol_ended_at": _("巡查结束时间早于开始时间。")})
    km = Decimal(str(route_km)) if route_km not in (None, "") else (route.length_km if route is not None else Decimal("0"))
    if km < 0:
        raise ValidationError({"route_km": _("巡查里程不能为负数。")})
    _validate_findings(findings, is_zero_report)
    if not is_zero_report and not findings and not notes.strip():
        raise ValidationError({"findings": [_("请填写发现情况或情况说明；无异常请选择“零报告”。")]})
    period = period_for_day(date)
    with transaction.atomic():
        existing = DailyReport.objects.select_for_update().filter(station=station, date=period.start).first()
        submitter = actor if getattr(actor, "is_authenticated", False) else None
        values: dict[str, Any] = {
            "period_kind": period.kind,
            "period_end": period.end,
            "deadline_at": period.deadline,
            "is_zero_report": is_zero_report,
            "route": route,
            "route_km": km,
            "patrol_started_at": patrol_started_at,
            "patrol_ended_at": patrol_ended_at,
            "observers": observers,
            "weather": weather,
            "notes": notes,
            "submitted_at": now,
            "submitted_by": submitter,
        }
        if existing is None:
            if version is not None:
                raise ConflictError(_("该报告已被删除或不存在，请重新填报。"), code="version_conflict")
            try:
                with transaction.atomic():
                    report = DailyReport.objects.create(
                        station=station,
                        date=period.start,
                        first_submitted_at=now,
                        late=now > period.deadline,
                        area=station.area,
                        district=station.district,
                        created_by=submitter,
                        **values,
                    )
            except IntegrityError as exc:  # a concurrent first submission won the race
                raise ConflictError(_("本期报告已由他人提交，请刷新后在原报告上修改。"), code="report_exists") from exc
            action = "disease_report_submit"
        else:
            if version is None:
                raise ConflictError(
                    _("%(station)s %(period)s 的报告已提交（版本 %(v)d）；如需更正，请在原报告上修改。")
                    % {"station": station.name, "period": period.label(), "v": existing.version},
                    code="report_exists",
                    current={"id": existing.pk, "version": existing.version},
                )
            _bump_version(DailyReport, existing, version)
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save()
            existing.findings.all().delete()
            report = existing
            action = "disease_report_resubmit"
        ReportFinding.objects.bulk_create(
            [
                ReportFinding(
                    report=report,
                    group=f.group,
                    species=f.species,
                    species_text=f.species_text.strip() if f.species is None else "",
                    count=f.count,
                    sick=f.sick,
                    dead=f.dead,
                    notes=f.notes,
                )
                for f in findings
            ],
            batch_size=200,
        )
        ensure_in_scope(report, actor, action="add" if existing is None else "change")
        audit_record(
            action=action,
            actor=actor,
            obj=report,
            detail={"period": period.label(), "zero": is_zero_report, "late": report.late, "findings": len(findings)},
        )
        abnormal = [f for f in findings if (f.sick or f.dead) and f.species is not None]
        if abnormal and not report.events.exists():
            lines: dict[int, SpeciesCount] = {}
            for f in abnormal:
                previous = lines.get(f.species.pk)
                lines[f.species.pk] = SpeciesCount(f.species, (previous.sick if previous else 0) + f.sick, (previous.dead if previous else 0) + f.dead)
            event_report(
                actor=actor,
                source=EventSource.REPORT,
                source_ref=str(report),
                report=report,
                station=station,
                location=event_location or station.location,
                detected_at=event_detected_at or now,
                species=list(lines.values()),
                signs=notes,
                place_name=station.name,
                now=now,
            )
    return report


def daily_report_zero(*, actor: Any, station: Station, date: dt.date | None = None, now: dt.datetime | None = None) -> DailyReport:
    """One click: "nothing abnormal" (零报告) for the period containing `date` (default: today), on the station's
    first route with its length as the distance walked."""
    now = _now(now)
    day = date or timezone.localtime(now).date()
    route = station.routes.order_by("name").first()
    return daily_report_submit(
        actor=actor,
        station=station,
        date=day,
        is_zero_report=True,
        route=route,
        route_km=route.length_km if route else Decimal("0"),
        notes=_("巡查未发现异常（零报告）"),
        now=now,
    )


# === notifications and messages ==================================================================================


def notification_send(*, recipient: Any, kind: str, title: str, body: str = "", url: str = "", dedupe_key: str = "") -> Notification | None:
    """An in-app notification; with `dedupe_key`, a second call for the same recipient and key does nothing
    (returns None)."""
    if dedupe_key and Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(recipient=recipient, kind=kind, title=title[:200], body=body, url=url[:300], dedupe_key=dedupe_key[:150])
    except IntegrityError:
        return None  # a concurrent run stored it first


def notification_mark_read(*, actor: Any, notification: Notification) -> None:
    """Mark one of the actor's notifications read (others' notifications are not reachable: 404 in the view)."""
    Notification.objects.filter(pk=notification.pk, recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def notification_mark_all_read(*, actor: Any) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def message_send(*, channel: str, to: str, subject: str, body: str, notification: Notification | None = None) -> OutboundMessage:
    """Hand an SMS or e-mail to the configured sender and record the outcome (a failure never breaks the caller)."""
    from wildlife.disease.senders import SendError, sender_for

    if not to:
        return OutboundMessage.objects.create(channel=channel, to="", subject=subject, body=body, status=MessageStatus.SKIPPED, notification=notification)
    try:
        provider_id = sender_for(channel).send(channel=channel, to=to, subject=subject, body=body)
    except SendError as exc:
        return OutboundMessage.objects.create(
            channel=channel, to=to, subject=subject, body=body, status=MessageStatus.FAILED, error=str(exc)[:300], notification=notification
        )
    return OutboundMessage.objects.create(
        channel=channel, to=to, subject=subject, body=body, status=MessageStatus.SENT, provider_id=str(provider_id)[:100], notification=notification
    )


# === reminders ===================================================================================================


def _reminder_text(station: Station, period: Period, kind: str) -> tuple[str, str]:
    deadline = timezone.localtime(period.deadline).strftime("%m月%d日 %H:%M")
    if kind == ReminderKind.DUE_SOON:
        title = _("请在 %(deadline)s 前上报 %(station)s %(period)s 的监测报告") % {"deadline": deadline, "station": station.name, "period": period.label()}
    else:
        title = _("%(station)s %(period)s 的监测报告已逾期（截止 %(deadline)s），请尽快补报") % {
            "station": station.name,
            "period": period.label(),
            "deadline": deadline,
        }
    body = _("无异常情况也须上报（零报告）。逾期补报的报告将标记为逾期。")
    return title, body


def report_reminders_run(*, now: dt.datetime | None = None) -> str:
    """Raise reminders for missing reports: before the deadline (`reminder_before_minutes`) and after it (for
    periods whose deadline passed within `overdue_lookback_days`). Each (station, period, kind) is reminded once —
    the unique ReportReminder row is claimed before anything is sent — so running the job twice sends one reminder.
    """
    from django.urls import reverse

    now = _now(now)
    today = timezone.localtime(now).date()
    rule = deadline_rule_on(today)
    first = today - dt.timedelta(days=max(rule.overdue_lookback_days, 1) + 7)
    periods = periods_in(first, today)
    stations = list(Station.objects.filter(is_active=True).select_related("responsible"))
    reported = set(
        DailyReport.objects.filter(date__gte=first - dt.timedelta(days=7), station__in=stations).values_list("station_id", "date")
    )
    lead = dt.timedelta(minutes=rule.reminder_before_minutes)
    lookback = dt.timedelta(days=rule.overdue_lookback_days)
    sent = 0
    for period in periods:
        if now >= period.deadline:
            kind = ReminderKind.OVERDUE if now - period.deadline <= lookback else None
        elif rule.reminder_before_minutes and now >= period.deadline - lead:
            kind = ReminderKind.DUE_SOON
        else:
            kind = None
        if kind is None:
            continue
        for station in stations:
            if station.established_on > period.end or (station.pk, period.start) in reported:
                continue
            try:
                with transaction.atomic():
                    reminder = ReportReminder.objects.create(station=station, period_start=period.start, kind=kind, deadline_at=period.deadline)
            except IntegrityError:
                continue  # already reminded for this period and kind
            title, body = _reminder_text(station, period, kind)
            url = reverse("disease:report_create", args=[station.pk]) + f"?date={period.start.isoformat()}"
            count = 0
            notification = None
            if station.responsible is not None and station.responsible.is_active:
                notification = notification_send(
                    recipient=station.responsible,
                    kind=f"report_{kind}",
                    title=title,
                    body=body,
                    url=url,
                    dedupe_key=f"reminder:{station.pk}:{period.start.isoformat()}:{kind}",
                )
                count += 1
            phone = station.duty_phone or (station.responsible.phone if station.responsible else "")
            email = station.duty_email or (station.responsible.email if station.responsible else "")
            if phone:
                message_send(channel=MessageChannel.SMS, to=phone, subject="", body=title, notification=notification)
                count += 1
            if email:
                message_send(channel=MessageChannel.EMAIL, to=email, subject=title, body=f"{title}\n{body}", notification=notification)
                count += 1
            ReportReminder.objects.filter(pk=reminder.pk).update(recipients=count)
            audit_record(action="disease_report_reminder", obj=station, detail={"period": period.start.isoformat(), "kind": kind, "recipients": count})
            sent += 1
    return f"提醒 {sent} 条"


# === events ======================================================================================================


@dataclass(frozen=True)
class SpeciesCount:
    """A species of an event with sick and dead counts (and the local population for the share rule)."""

    species: Any
    sick: int = 0
    dead: int = 0
    local_population: int | None = None


def _timeline(event: MortalityEvent, kind: str, text: str, actor: Any = None, at: dt.datetime | None = None) -> TimelineEntry:
    return TimelineEntry.objects.create(
        event=event, kind=kind, text=text[:500], actor=actor if getattr(actor, "is_authenticated", False) else None, at=at or timezone.now()
    )


def _validate_species(species: Sequence[SpeciesCount]) -> None:
    if not species:
        raise ValidationError({"species": [_("请至少填写一个物种及其患病或死亡数。")]})
    seen: set[int] = set()
    errors: list[str] = []
    for index, line in enumerate(species, start=1):
        if line.species is None:
            errors.append(_("第 %(n)d 行：请选择物种。") % {"n": index})
            continue
        if line.species.pk in seen:
            errors.append(_("第 %(n)d 行：物种「%(s)s」重复。") % {"n": index, "s": line.species})
        seen.add(line.species.pk)
        if line.sick < 0 or line.dead < 0:
            errors.append(_("第 %(n)d 行：数量不能为负数。") % {"n": index})
        elif line.sick == 0 and line.dead == 0:
            errors.append(_("第 %(n)d 行：患病数和死亡数不能都为 0。") % {"n": index})
        if line.local_population is not None and line.local_population < line.dead:
            errors.append(_("第 %(n)d 行：当地种群估计数小于死亡数。") % {"n": index})
    if errors:
        raise ValidationError({"species": errors})


def _store_species(event: MortalityEvent, species: Sequence[SpeciesCount]) -> None:
    EventSpecies.objects.filter(event=event).delete()
    EventSpecies.objects.bulk_create(
        [EventSpecies(event=event, species=s.species, sick=s.sick, dead=s.dead, local_population=s.local_population) for s in species],
        batch_size=100,
    )


def event_report(
    *,
    actor: Any,
    source: str,
    location: Point,
    detected_at: dt.datetime,
    species: Sequence[SpeciesCount],
    signs: str = "",
    place_name: str = "",
    source_ref: str = "",
    report: DailyReport | None = None,
    station: Station | None = None,
    isolation: bool = False,
    no_touching: bool = False,
    disinfection: bool = False,
    carcass_collected: bool = False,
    measures_note: str = "",
    now: dt.datetime | None = None,
    **_ignored: Any,
) -> MortalityEvent:
    """Enter an event (快报) from a report, a patrol, a rescue intake or a citizen report: numbered, graded, its
    reporting chain started, and checked for clusters with earlier events."""
    now = _now(now)
    if source not in EventSource.values:
        raise ValidationError({"source": _("来源无效。")})
    if detected_at > now + dt.timedelta(minutes=5):
        raise ValidationError({"detected_at": _("首次发现时间不能晚于当前时间。")})
    _validate_species(species)
    location.srid = location.srid or 4326
    with transaction.atomic():
        town, district = resolve_area(actor=actor, point=location)
        if station is None and report is not None:
            station = report.station
        event = MortalityEvent.objects.create(
            source=source,
            source_ref=source_ref,
            report=report,
            station=station,
            location=location,
            place_name=place_name,
            detected_at=detected_at,
            reported_at=now,
            signs=signs,
            isolation=isolation,
            no_touching=no_touching,
            disinfection=disinfection,
            carcass_collected=carcass_collected,
            measures_note=measures_note,
            area=town,
            district=district,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        event.event_no = f"YB{timezone.localtime(detected_at):%Y}-{event.pk:05d}"
        event.save(update_fields=["event_no"])
        _store_species(event, species)
        ensure_in_scope(event, actor, action="add")
        _timeline(
            event,
            TimelineKind.REPORTED,
            _("快报：%(species)s，来源 %(source)s") % {"species": "、".join(f"{s.species} 病{s.sick}/死{s.dead}" for s in species), "source": EventSource(source).label},
            actor,
            now,
        )
        audit_record(action="disease_event_report", actor=actor, obj=event, detail={"source": source, "dead": sum(s.dead for s in species)})
        _apply_chain(event, actor=actor, now=now, entered=True)
        _evaluate(event, actor=actor, now=now)
    return event


def event_update(*, actor: Any, event: MortalityEvent, version: int | None, species: Sequence[SpeciesCount] | None = None, now: dt.datetime | None = None, **fields: Any) -> MortalityEvent:
    """Correct an open event (place, time, counts, signs); it is graded and checked for clusters again."""
    now = _now(now)
    editable = {"place_name", "detected_at", "signs", "source_ref", "location"}
    if event.status == EventStatus.CLOSED:
        raise ConflictError(_("事件已结案，不能修改。"), code="event_closed")
    if species is not None:
        _validate_species(species)
    with transaction.atomic():
        _bump_version(MortalityEvent, event, version)
        for key, value in fields.items():
            if key in editable:
                setattr(event, key, value)
        if "location" in fields:
            event.area, event.district = resolve_area(actor=actor, point=event.location)
        event.save()
        if species is not None:
            _store_species(event, species)
        ensure_in_scope(event, actor, action="change")
        _timeline(event, TimelineKind.UPDATED, _("更新事件信息"), actor, now)
        audit_record(action="disease_event_update", actor=actor, obj=event, detail={"fields": sorted(k for k in fields if k in editable), "species": species is not None})
        _evaluate(event, actor=actor, now=now)
    return event


def event_measures_update(
    *,
    actor: Any,
    event: MortalityEvent,
    version: int | None,
    isolation: bool,
    no_touching: bool,
    disinfection: bool,
    carcass_collected: bool,
    measures_note: str = "",
) -> MortalityEvent:
    """Record the on-site control measures (checklist)."""
    with transaction.atomic():
        _bump_version(MortalityEvent, event, version)
        event.isolation, event.no_touching, event.disinfection, event.carcass_collected = isolation, no_touching, disinfection, carcass_collected
        event.measures_note = measures_note
        event.save()
        done = [label for flag, label in ((isolation, _("隔离")), (no_touching, _("禁止接触")), (disinfection, _("消毒")), (carcass_collected, _("尸体收集"))) if flag]
        _timeline(event, TimelineKind.MEASURE, _("现场处置：%(done)s") % {"done": "、".join(done) or _("未勾选")}, actor)
        if event.status == EventStatus.REPORTED:
            MortalityEvent.objects.filter(pk=event.pk, status=EventStatus.REPORTED).update(status=EventStatus.RESPONDING)
            event.status = EventStatus.RESPONDING
        audit_record(action="disease_event_measures", actor=actor, obj=event, detail={"done": done})
    return event


def _evaluate(event: MortalityEvent, *, actor: Any, now: dt.datetime) -> None:
    """Grade the event, start chain steps the grade calls for, and look for clusters."""
    result = engine.evaluate_grade(event)
    if GRADE_RANK[result.grade] != GRADE_RANK[event.grade] or result.basis != event.grade_basis:
        raised = GRADE_RANK[result.grade] > GRADE_RANK[event.grade]
        event.grade, event.grade_basis, event.graded_at = result.grade, result.basis, now
        MortalityEvent.objects.filter(pk=event.pk).update(grade=event.grade, grade_basis=event.grade_basis, graded_at=now)
        _timeline(event, TimelineKind.GRADED, _("定级：%(grade)s。%(basis)s") % {"grade": engine.grade_label(result.grade), "basis": result.basis}, actor, now)
        audit_record(action="disease_event_grade", actor=actor, obj=event, detail={"grade": result.grade, "basis": result.basis})
        if raised and result.grade:
            _alert_raise(
                kind=AlertKind.GRADE,
                level=GRADE_TO_ALERT_LEVEL[result.grade],
                title=_("%(event)s 定为%(grade)s") % {"event": event, "grade": engine.grade_label(result.grade)},
                detail=result.basis,
                dedupe_key=f"grade:{event.pk}:{result.grade}",
                event=event,
                now=now,
            )
        _apply_chain(event, actor=actor, now=now)
    for hit in engine.find_clusters(event):
        _cluster_alert(hit, event=event, actor=actor, now=now)


def _apply_chain(event: MortalityEvent, *, actor: Any, now: dt.datetime, entered: bool = False) -> list[ReportingStep]:
    """Create the reporting steps whose trigger has happened (idempotent: one step per event and rule). The first
    step of the 快报 (discovery → district) is done by entering the event."""
    day = engine.event_day(event)
    triggers: list[tuple[str, dt.datetime]] = [(ChainTrigger.EVENT_REPORTED, event.detected_at)]
    if event.suspected_at:
        triggers.append((ChainTrigger.SUSPECTED, event.suspected_at))
        if GRADE_RANK[event.grade] >= GRADE_RANK["II"]:
            triggers.append((ChainTrigger.MAJOR_SUSPECTED, max(event.suspected_at, event.graded_at or event.suspected_at)))
    if event.confirmed_at:
        triggers.append((ChainTrigger.CONFIRMED, event.confirmed_at))
    created: list[ReportingStep] = []
    existing = set(ReportingStep.objects.filter(event=event).values_list("rule_id", flat=True))
    for trigger, at in triggers:
        for rule in ChainRule.objects.in_force(day).filter(trigger=trigger).order_by("sequence", "pk"):
            if rule.pk in existing:
                continue
            done = entered and trigger == ChainTrigger.EVENT_REPORTED and rule.sequence == 1
            step = ReportingStep.objects.create(
                event=event,
                rule=rule,
                sequence=rule.sequence,
                from_body=rule.from_body,
                to_body=rule.to_body,
                triggered_at=at,
                due_at=at + dt.timedelta(minutes=rule.deadline_minutes),
                done_at=now if done else None,
                done_by=actor if done and getattr(actor, "is_authenticated", False) else None,
                note=_("平台快报") if done else "",
            )
            existing.add(rule.pk)
            created.append(step)
    return created


def event_step_complete(*, actor: Any, step: ReportingStep, note: str = "", done_at: dt.datetime | None = None) -> ReportingStep:
    """Record that a reporting step was made (how, document number); a second completion is refused (409)."""
    moment = done_at or timezone.now()
    with transaction.atomic():
        updated = ReportingStep.objects.filter(pk=step.pk, done_at__isnull=True).update(
            done_at=moment, done_by=actor if getattr(actor, "is_authenticated", False) else None, note=note[:200]
        )
        if not updated:
            raise ConflictError(_("该报告步骤已办结。"), code="step_already_done")
        step.refresh_from_db()
        late = step.done_at is not None and step.done_at > step.due_at
        _timeline(
            step.event,
            TimelineKind.STEP_DONE,
            _("%(from)s → %(to)s 已报告%(late)s %(note)s") % {"from": step.from_body, "to": step.to_body, "late": _("（逾期）") if late else "", "note": note},
            actor,
            moment,
        )
        audit_record(action="disease_step_complete", actor=actor, obj=step.event, detail={"step": str(step), "late": late})
    return step


def _letter_number(year: int) -> str:
    count = EventDocument.objects.filter(kind="notification_letter", created_at__year=year).count()
    return f"周自然资疫通〔{year}〕{count + 1}号"


def event_mark_suspected(*, actor: Any, event: MortalityEvent, reason: str, now: dt.datetime | None = None) -> MortalityEvent:
    """Infection suspected (field signs or a lab result): the status changes once (checked update), the chain
    steps for a suspected (and, from grade Ⅱ, major) epidemic start, and the notification letter to 区农业农村局 is
    generated as a PDF with a timeline entry."""
    now = _now(now)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写疑似依据。")})
    with transaction.atomic():
        updated = MortalityEvent.objects.filter(pk=event.pk, status__in=(EventStatus.REPORTED, EventStatus.RESPONDING)).update(
            status=EventStatus.SUSPECTED, suspected_at=now, version=models.F("version") + 1
        )
        if not updated:
            event.refresh_from_db()
            raise ConflictError(
                _("事件当前状态为「%(s)s」，不能再标记为疑似。") % {"s": event.get_status_display()}, code="event_not_open_for_suspicion"
            )
        event.refresh_from_db()
        _timeline(event, TimelineKind.SUSPECTED, _("疑似染疫：%(reason)s") % {"reason": reason}, actor, now)
        audit_record(action="disease_event_suspected", actor=actor, obj=event, detail={"reason": reason[:200]})
        _apply_chain(event, actor=actor, now=now)
        event_letter_generate(actor=actor, event=event, reason=reason, now=now)
    return event


def event_letter_generate(*, actor: Any, event: MortalityEvent, reason: str, now: dt.datetime | None = None) -> EventDocument:
    """The notification letter (PDF) to 区农业农村局; one per event (a second call returns the first)."""
    from wildlife.disease.letters import render_notification_letter

    now = _now(now)
    with transaction.atomic():
        existing = EventDocument.objects.filter(event=event, kind="notification_letter").first()
        if existing is not None:
            return existing
        year = timezone.localtime(now).year
        number = _letter_number(year)
        content = render_notification_letter(event=event, number=number, reason=reason, issued_at=now)
        document = EventDocument(event=event, kind="notification_letter", number=number, title=_("关于发现疑似野生动物疫情的通报"), created_by=actor if getattr(actor, "is_authenticated", False) else None)
        document.file.save(f"{number}.pdf", ContentFile(content), save=False)
        document.save()
        _timeline(event, TimelineKind.LETTER, _("已生成致区农业农村局的通报函 %(no)s") % {"no": number}, actor, now)
        audit_record(action="disease_letter_generate", actor=actor, obj=event, detail={"number": number, "bytes": len(content)})
    return document


def event_confirm(*, actor: Any, event: MortalityEvent, diagnosis: str, now: dt.datetime | None = None) -> MortalityEvent:
    """Laboratory confirmation of the infection (from suspected)."""
    now = _now(now)
    with transaction.atomic():
        updated = MortalityEvent.objects.filter(pk=event.pk, status=EventStatus.SUSPECTED).update(
            status=EventStatus.CONFIRMED, confirmed_at=now, version=models.F("version") + 1
        )
        if not updated:
            event.refresh_from_db()
            raise ConflictError(_("只有疑似疫情可以确诊（当前：%(s)s）。") % {"s": event.get_status_display()}, code="event_not_suspected")
        event.refresh_from_db()
        _timeline(event, TimelineKind.CONFIRMED, _("实验室确诊：%(d)s") % {"d": diagnosis}, actor, now)
        audit_record(action="disease_event_confirm", actor=actor, obj=event, detail={"diagnosis": diagnosis[:200]})
        _apply_chain(event, actor=actor, now=now)
    return event


def event_close(*, actor: Any, event: MortalityEvent, final_diagnosis: str, closure_note: str = "", now: dt.datetime | None = None) -> MortalityEvent:
    """Close the event with the final diagnosis (e.g. 禽流感 H5N1 / 中毒 / 非传染性死亡)."""
    now = _now(now)
    if not final_diagnosis.strip():
        raise ValidationError({"final_diagnosis": _("结案须填写最终诊断。")})
    with transaction.atomic():
        updated = MortalityEvent.objects.filter(pk=event.pk).exclude(status=EventStatus.CLOSED).update(
            status=EventStatus.CLOSED, closed_at=now, final_diagnosis=final_diagnosis[:200], closure_note=closure_note, version=models.F("version") + 1
        )
        if not updated:
            raise ConflictError(_("事件已结案。"), code="event_closed")
        event.refresh_from_db()
        _timeline(event, TimelineKind.CLOSED, _("结案：%(d)s") % {"d": final_diagnosis}, actor, now)
        audit_record(action="disease_event_close", actor=actor, obj=event, detail={"diagnosis": final_diagnosis[:200]})
    return event


def event_photo_add(*, actor: Any, event: MortalityEvent, content: bytes, filename: str, caption: str = "") -> EventPhoto:
    """A JPEG or PNG photo of the scene (type checked on the bytes, ≤ 10 MB)."""
    if len(content) > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": _("照片过大（上限 10 MB）。")})
    kind = next((v for magic, v in PHOTO_TYPES.items() if content.startswith(magic)), None)
    if kind is None:
        raise ValidationError({"photo": _("只接受 JPEG 或 PNG 照片。")})
    with transaction.atomic():
        photo = EventPhoto(event=event, caption=caption, content_type=kind[0], uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
        photo.file.save(f"photo.{kind[1]}", ContentFile(content), save=False)
        photo.save()
        audit_record(action="disease_photo_add", actor=actor, obj=event, detail={"bytes": len(content), "name": filename[:100]})
    return photo


# --- samples and lab results --------------------------------------------------------------------------------------


def sample_add(
    *,
    actor: Any,
    event: MortalityEvent,
    sample_no: str,
    kind: str,
    taken_by: str,
    taken_at: dt.datetime,
    biosafety_level: str,
    species: Any = None,
    quantity: int = 1,
    preservation: str = "",
    lab_name: str = "",
    sent_at: dt.datetime | None = None,
) -> Sample:
    """Register a sample taken at the event; the first custody entry records the sampler holding it."""
    if event.status == EventStatus.CLOSED:
        raise ConflictError(_("事件已结案，不能登记样品。"), code="event_closed")
    if sent_at and sent_at < taken_at:
        raise ValidationError({"sent_at": _("送检时间早于采样时间。")})
    with transaction.atomic():
        if Sample.objects.filter(event=event, sample_no=sample_no).exists():
            raise ValidationError({"sample_no": _("样品编号「%(no)s」已存在。") % {"no": sample_no}})
        sample = Sample.objects.create(
            event=event,
            sample_no=sample_no,
            kind=kind,
            species=species,
            quantity=quantity,
            taken_by=taken_by,
            taken_at=taken_at,
            biosafety_level=biosafety_level,
            preservation=preservation,
            lab_name=lab_name,
            sent_at=sent_at,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _timeline(event, TimelineKind.SAMPLE, _("采样 %(no)s（%(kind)s，%(q)d 份，采样人 %(by)s）") % {"no": sample_no, "kind": sample.get_kind_display(), "q": quantity, "by": taken_by}, actor, taken_at)
        audit_record(action="disease_sample_add", actor=actor, obj=event, detail={"sample": sample_no})
    return sample


def sample_custody_add(
    *, actor: Any, sample: Sample, at: dt.datetime, from_person: str, to_person: str, place: str = "", condition: str = ""
) -> CustodyEntry:
    """A hand-over in the chain of custody; entries must follow each other in time."""
    last = sample.custody.order_by("-at").first()
    if at < sample.taken_at or (last is not None and at < last.at):
        raise ValidationError({"at": _("交接时间早于采样时间或上一次交接。")})
    with transaction.atomic():
        entry = CustodyEntry.objects.create(
            sample=sample, at=at, from_person=from_person, to_person=to_person, place=place, condition=condition,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _timeline(sample.event, TimelineKind.CUSTODY, _("样品 %(no)s：%(a)s → %(b)s %(place)s") % {"no": sample.sample_no, "a": from_person, "b": to_person, "place": place}, actor, at)
        audit_record(action="disease_custody_add", actor=actor, obj=sample.event, detail={"sample": sample.sample_no, "to": to_person})
    return entry


def lab_result_add(
    *,
    actor: Any,
    sample: Sample,
    pathogen: str,
    test_method: str,
    outcome: str,
    tested_count: int,
    positive_count: int,
    lab_name: str,
    reported_at: dt.datetime,
    pooled: bool = False,
    pool_size: int | None = None,
    report_no: str = "",
    notes: str = "",
    now: dt.datetime | None = None,
) -> LabResult:
    """A lab result for a sample. A suspect or confirmed positive makes an open event suspected (letter to 区农业农村
    局, chain steps); a confirmed one then confirms it."""
    now = _now(now)
    errors: dict[str, list[str]] = {}
    if tested_count < 1:
        errors["tested_count"] = [_("检测数至少为 1。")]
    if positive_count < 0 or positive_count > tested_count:
        errors["positive_count"] = [_("阳性数应在 0 与检测数之间。")]
    if outcome == LabOutcome.NEGATIVE and positive_count:
        errors["positive_count"] = [_("阴性结果的阳性数应为 0。")]
    if outcome in (LabOutcome.SUSPECT, LabOutcome.CONFIRMED) and positive_count == 0:
        errors["positive_count"] = [_("阳性或疑似阳性结果须填写阳性数。")]
    if pooled and (pool_size is None or pool_size < 2):
        errors["pool_size"] = [_("混样检测须填写每混样份数（至少 2）。")]
    if errors:
        raise ValidationError(errors)
    event = sample.event
    with transaction.atomic():
        result = LabResult.objects.create(
            sample=sample,
            event=event,
            pathogen=pathogen,
            test_method=test_method,
            outcome=outcome,
            tested_count=tested_count,
            positive_count=positive_count,
            pooled=pooled,
            pool_size=pool_size if pooled else None,
            lab_name=lab_name,
            report_no=report_no,
            reported_at=reported_at,
            notes=notes,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _timeline(
            event,
            TimelineKind.LAB_RESULT,
            _("检测结果 %(no)s：%(p)s %(m)s %(o)s（检测 %(t)d，阳性 %(n)d%(pool)s）")
            % {"no": sample.sample_no, "p": pathogen, "m": test_method, "o": result.get_outcome_display(), "t": tested_count, "n": positive_count, "pool": _("，混样") if pooled else ""},
            actor,
            reported_at,
        )
        audit_record(action="disease_lab_result_add", actor=actor, obj=event, detail={"sample": sample.sample_no, "outcome": outcome})
        event.refresh_from_db()
        if outcome in (LabOutcome.SUSPECT, LabOutcome.CONFIRMED) and event.status in (EventStatus.REPORTED, EventStatus.RESPONDING):
            event_mark_suspected(actor=actor, event=event, reason=_("%(p)s %(m)s 检测%(o)s") % {"p": pathogen, "m": test_method, "o": result.get_outcome_display()}, now=now)
            event.refresh_from_db()
        if outcome == LabOutcome.CONFIRMED and event.status == EventStatus.SUSPECTED:
            event_confirm(actor=actor, event=event, diagnosis=f"{pathogen}（{lab_name} {report_no}）".strip(), now=now)
    return result


# --- emergency response -------------------------------------------------------------------------------------------


def event_supply_add(*, actor: Any, event: MortalityEvent, kind: str, item: str, quantity: Decimal, unit: str, note: str = "") -> SupplyLine:
    """Supplies requested for or used at the event (free text until the supplies module provides stock)."""
    if kind not in SupplyKind.values:
        raise ValidationError({"kind": _("类型无效。")})
    if quantity <= 0:
        raise ValidationError({"quantity": _("数量应大于 0。")})
    with transaction.atomic():
        line = SupplyLine.objects.create(event=event, kind=kind, item=item, quantity=quantity, unit=unit, note=note, recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
        _timeline(event, TimelineKind.RESPONSE, _("物资%(kind)s：%(item)s %(q)s%(unit)s") % {"kind": line.get_kind_display(), "item": item, "q": quantity, "unit": unit}, actor)
        audit_record(action="disease_supply_add", actor=actor, obj=event, detail={"item": item, "quantity": str(quantity), "kind": kind})
    return line


def event_dispatch_add(
    *, actor: Any, event: MortalityEvent, team_name: str, dispatched_at: dt.datetime, members: str = "", arrived_at: dt.datetime | None = None, note: str = ""
) -> TeamDispatch:
    """A response team dispatched to the scene."""
    if arrived_at and arrived_at < dispatched_at:
        raise ValidationError({"arrived_at": _("到达时间早于出发时间。")})
    with transaction.atomic():
        dispatch = TeamDispatch.objects.create(
            event=event, team_name=team_name, members=members, dispatched_at=dispatched_at, arrived_at=arrived_at, note=note,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _timeline(event, TimelineKind.RESPONSE, _("派遣 %(team)s（%(members)s）") % {"team": team_name, "members": members}, actor, dispatched_at)
        audit_record(action="disease_dispatch_add", actor=actor, obj=event, detail={"team": team_name})
    return dispatch


# === alerts ======================================================================================================


def alert_recipients(area: AdminArea) -> list[Any]:
    """Active business users assigned to the alert's town or above it who may view alerts."""
    from wildlife.accounts.models import AreaAssignment, User

    prefixes = [area.path[: i + 1] for i, ch in enumerate(area.path) if ch == "/"]
    user_ids = AreaAssignment.objects.filter(area__path__in=prefixes).values_list("user_id", flat=True)
    users = User.objects.filter(pk__in=user_ids, is_active=True, admin_role="").order_by("pk")
    return [u for u in users if u.has_perm("disease.view_alert")]


def _notify_alert(alert: Alert, *, key_suffix: str) -> int:
    count = 0
    for user in alert_recipients(alert.area):
        if notification_send(
            recipient=user,
            kind=f"alert_{alert.kind}",
            title=f"【{alert.get_level_display()}预警】{alert.title}",
            body=alert.detail,
            url=alert.get_absolute_url(),
            dedupe_key=f"alert:{alert.pk}:{key_suffix}",
        ):
            count += 1
    return count


def _alert_raise(
    *, kind: str, level: str, title: str, detail: str, dedupe_key: str, event: MortalityEvent, now: dt.datetime
) -> Alert | None:
    """An alert once per dedupe key (None when it already exists)."""
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                kind=kind, level=level, title=title[:200], detail=detail, dedupe_key=dedupe_key, raised_at=now, event=event,
                area=event.area, district=event.district,
            )
    except IntegrityError:
        return None
    alert.events.add(event)
    _timeline(event, TimelineKind.ALERT, _("预警：%(t)s") % {"t": title}, None, now)
    audit_record(action="disease_alert_raise", obj=alert, detail={"kind": kind, "level": level})
    _notify_alert(alert, key_suffix="raised")
    return alert


def _cluster_alert(hit: engine.ClusterHit, *, event: MortalityEvent, actor: Any, now: dt.datetime) -> Alert:
    """Raise the cluster alert, or grow the existing one that shares an event with this cluster."""
    events = list(MortalityEvent.objects.filter(pk__in=hit.event_ids))
    title = _("%(group)s 聚集性死亡：%(n)d 起报告，共死亡 %(dead)d 只（%(r)d 米、%(h)d 小时内）") % {
        "group": hit.group,
        "n": len(events),
        "dead": hit.dead_total,
        "r": hit.rule.radius_m,
        "h": hit.rule.window_hours,
    }
    detail = "；".join(f"{e}（{e.area.name} {e.place_name}，{timezone.localtime(e.detected_at):%m-%d %H:%M}，死亡 {hit.dead_by_event[e.pk]}）" for e in events)
    existing = (
        Alert.objects.filter(kind=AlertKind.CLUSTER, rule=hit.rule, group_name=hit.group, events__in=hit.event_ids).distinct().order_by("pk").first()
    )
    if existing is None:
        alert = Alert.objects.create(
            kind=AlertKind.CLUSTER,
            level=hit.rule.level,
            title=title[:200],
            detail=detail,
            dedupe_key=f"cluster:{hit.rule.pk}:{hit.group}:{hit.event_ids[0]}",
            raised_at=now,
            event=event,
            group_name=hit.group,
            dead_total=hit.dead_total,
            rule=hit.rule,
            area=event.area,
            district=event.district,
        )
        alert.events.set(events)
        audit_record(action="disease_alert_raise", actor=actor, obj=alert, detail={"kind": "cluster", "events": hit.event_ids})
    else:
        alert = existing
        known = set(alert.events.values_list("pk", flat=True))
        if set(hit.event_ids) <= known:
            return alert
        alert.events.add(*events)
        all_ids = sorted(known | set(hit.event_ids))
        alert.title, alert.detail, alert.event, alert.dead_total = title[:200], detail, event, max(alert.dead_total, hit.dead_total)
        if alert.status == AlertStatus.CLOSED:
            alert.status, alert.closed_at = AlertStatus.OPEN, None  # new deaths reopen a closed cluster
        alert.save()
        audit_record(action="disease_alert_grow", actor=actor, obj=alert, detail={"events": all_ids})
    for e in events:
        if not TimelineEntry.objects.filter(event=e, kind=TimelineKind.ALERT, text__contains=f"#{alert.pk}").exists():
            _timeline(e, TimelineKind.ALERT, _("聚集性预警 #%(id)d：%(t)s") % {"id": alert.pk, "t": title}, None, now)
    _notify_alert(alert, key_suffix=f"events-{len(alert.events.all())}")
    return alert


def alert_acknowledge(*, actor: Any, alert: Alert, now: dt.datetime | None = None) -> Alert:
    """Acknowledge an open alert (once: a second acknowledgement is 409)."""
    now = _now(now)
    with transaction.atomic():
        updated = Alert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN).update(
            status=AlertStatus.ACKNOWLEDGED, acknowledged_by=actor, acknowledged_at=now, version=models.F("version") + 1
        )
        if not updated:
            raise ConflictError(_("该预警已被确认或已关闭。"), code="alert_not_open")
        alert.refresh_from_db()
        audit_record(action="disease_alert_acknowledge", actor=actor, obj=alert)
    return alert


def alert_follow_up(*, actor: Any, alert: Alert, note: str, close: bool = False, now: dt.datetime | None = None) -> AlertFollowUp:
    """Add a follow-up note; optionally close the alert (acknowledging it first if nobody had)."""
    now = _now(now)
    if not note.strip():
        raise ValidationError({"note": _("请填写跟进情况。")})
    with transaction.atomic():
        if alert.status == AlertStatus.CLOSED:
            raise ConflictError(_("该预警已关闭。"), code="alert_closed")
        entry = AlertFollowUp.objects.create(alert=alert, by=actor, note=note)
        changes: dict[str, Any] = {}
        if alert.status == AlertStatus.OPEN:
            changes.update(status=AlertStatus.ACKNOWLEDGED, acknowledged_by=actor, acknowledged_at=now)
        if close:
            changes.update(status=AlertStatus.CLOSED, closed_at=now)
        if changes:
            Alert.objects.filter(pk=alert.pk).exclude(status=AlertStatus.CLOSED).update(version=models.F("version") + 1, **changes)
            alert.refresh_from_db()
        audit_record(action="disease_alert_follow_up", actor=actor, obj=alert, detail={"close": close})
    return entry


def overdue_steps_run(*, now: dt.datetime | None = None) -> str:
    """Flag reporting steps past their deadline: one alert (yellow) per step, notified once; safe to run often."""
    now = _now(now)
    raised = 0
    steps = ReportingStep.objects.filter(done_at__isnull=True, due_at__lt=now, event__status__in=(
        EventStatus.REPORTED, EventStatus.RESPONDING, EventStatus.SUSPECTED, EventStatus.CONFIRMED
    )).select_related("event", "event__area", "event__district")
    for step in steps:
        minutes = int((now - step.due_at).total_seconds() // 60)
        alert = _alert_raise(
            kind=AlertKind.OVERDUE_STEP,
            level=AlertLevel.YELLOW,
            title=_("%(event)s：%(from)s → %(to)s 报告已逾期") % {"event": step.event, "from": step.from_body, "to": step.to_body},
            detail=_("截止 %(due)s，已超时 %(m)d 分钟。") % {"due": timezone.localtime(step.due_at).strftime("%m-%d %H:%M"), "m": minutes},
            dedupe_key=f"step:{step.pk}",
            event=step.event,
            now=now,
        )
        if alert is not None:
            raised += 1
    return f"逾期报告步骤预警 {raised} 条"


__all__ = [
    "FindingInput",
    "SpeciesCount",
    "alert_acknowledge",
    "alert_follow_up",
    "daily_report_submit",
    "daily_report_zero",
    "event_close",
    "event_confirm",
    "event_dispatch_add",
    "event_letter_generate",
    "event_mark_suspected",
    "event_measures_update",
    "event_photo_add",
    "event_report",
    "event_step_complete",
    "event_supply_add",
    "event_update",
    "lab_result_add",
    "message_send",
    "notification_mark_all_read",
    "notification_mark_read",
    "notification_send",
    "overdue_steps_run",
    "report_reminders_run",
    "rule_delete",
    "rule_save",
    "sample_add",
    "sample_custody_add",
    "station_create",
    "station_equipment_remove",
    "station_equipment_set",
    "station_feature_remove",
    "station_features_import",
    "station_point_add",
    "station_route_add",
    "station_update",
]
