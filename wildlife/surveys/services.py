"""Writes of the surveys module: projects, sites, sampling events, observations, photos, aquatic series, archives.

Every service is keyword-only, runs in one transaction, records an audit event and re-checks after the write that
the record is still in the actor's scope (rolled back otherwise). The town and district of a record come from its
location (resolve_area); a location outside the district is refused with a message naming the field.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import PurePath
from typing import Any

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import GEOSGeometry, LineString, MultiLineString, Point, Polygon
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.audit.services import audit_record
from wildlife.core.access import ensure_in_scope
from wildlife.core.exceptions import ConflictError
from wildlife.core.services import resolve_area
from wildlife.geo.models import AdminArea
from wildlife.species.models import Species
from wildlife.surveys.choices import (
    LifeStage,
    ObservationMethod,
    ObservationType,
    ProjectKind,
    ProjectStatus,
    Sex,
    SiteKind,
)
from wildlife.surveys.models import (
    MigrationCount,
    Observation,
    ObservationPhoto,
    SamplingEvent,
    SpeciesArchive,
    SurveyProject,
    SurveySite,
    WaterQualityReading,
)
from wildlife.surveys.selectors import observations_changed

METRIC_SRID = 4548  # CGCS2000 / 3-degree Gauss-Kruger CM 117E: metres, true to scale over 周村区 (117.7°–118.0°E)
FUTURE_TOLERANCE = dt.timedelta(minutes=10)  # phone clocks drift; a few minutes ahead is not "in the future"
CLOSED_STATUSES = (ProjectStatus.COMPLETED, ProjectStatus.ARCHIVED)
MAX_PHOTO_BYTES = 15 * 1024 * 1024
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

# habitat-environment readings: physically possible ranges (a value outside is a typing or unit error)
WATER_RANGES: dict[str, tuple[float, float, str]] = {
    "temperature_c": (-2.0, 40.0, "℃"),
    "ph": (0.0, 14.0, ""),
    "dissolved_oxygen_mg_l": (0.0, 25.0, "mg/L"),
    "turbidity_ntu": (0.0, 4000.0, "NTU"),
    "ammonia_n_mg_l": (0.0, 50.0, "mg/L"),
}


# --- shared checks -----------------------------------------------------------------------------------------------


def _now() -> dt.datetime:
    return timezone.now()


def _check_not_future(value: dt.datetime | dt.date | None, field: str) -> None:
    if value is None:
        return
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        if value > _now() + FUTURE_TOLERANCE:
            raise ValidationError({field: _("时间不能晚于现在（%(value)s）。") % {"value": timezone.localtime(value).strftime("%Y-%m-%d %H:%M")}})
    elif value > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天（%(value)s）。") % {"value": value.isoformat()}})


def _check_range(value: float | None, field: str, low: float, high: float, label: str) -> None:
    if value is None:
        return
    if value < low or value > high:
        raise ValidationError({field: _("%(label)s应在 %(low)s 到 %(high)s 之间，收到 %(value)s。") % {"label": label, "low": low, "high": high, "value": value}})


def _check_open(project: SurveyProject) -> None:
    if project.status in CLOSED_STATUSES:
        raise ConflictError(
            _("项目“%(name)s”已结束（%(status)s），不能再添加或修改调查数据。") % {"name": project.name, "status": project.get_status_display()},
            code="project_closed",
        )


def _ensure_project_visible(project: SurveyProject, actor: Any) -> None:
    """A write may only attach to a project the actor can see (a town officer sees the district's projects)."""
    if not SurveyProject.objects.restrict(actor, "view").filter(pk=project.pk).exists():
        raise ValidationError({"project": _("调查项目不存在或不在您的权限范围内。")})


def _district_boundary() -> GEOSGeometry | None:
    from wildlife.geo.selectors import district_boundary

    return district_boundary()


def _check_inside_district(geometry: GEOSGeometry, field: str) -> None:
    boundary = _district_boundary()
    if boundary is not None and not boundary.covers(geometry):
        raise ValidationError(
            {field: _("位置或图形超出本区范围，请检查坐标（经度在前，纬度在后，WGS-84/CGCS2000）。")}
        )


def _area_from(geometry: GEOSGeometry, *, actor: Any, field: str) -> tuple[AdminArea, AdminArea]:
    """(town, district) of a geometry, with the error naming `field` when it lies outside every town."""
    probe = geometry if isinstance(geometry, Point) else geometry.point_on_surface
    try:
        return resolve_area(actor=actor, point=probe)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def _checked_update(obj: Model, version: int | None, changes: Mapping[str, Any]) -> None:
    """Apply `changes` if nobody changed the record since `version` was read (optimistic locking)."""
    model = type(obj)
    current = int(version) if version is not None else int(obj.version)  # type: ignore[attr-defined]
    updated = model._default_manager.filter(pk=obj.pk, version=current).update(**changes, version=current + 1, updated_at=_now())
    if not updated:
        raise ConflictError(_("记录已被他人修改，请刷新页面后重新填写。"), code="version_conflict")
    obj.refresh_from_db()


def _snapshot(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name, None)
        if isinstance(value, Model):
            value = value.pk
        elif isinstance(value, GEOSGeometry):
            value = value.wkt
        data[name] = value
    return data


def _unique_code(model: type[Model], *, project: SurveyProject, field: str, prefix: str) -> str:
    existing = set(model._default_manager.filter(project=project, **{f"{field}__startswith": prefix}).values_list(field, flat=True))
    n = len(existing) + 1
    while f"{prefix}{n:03d}" in existing:
        n += 1
    return f"{prefix}{n:03d}"


# --- projects ----------------------------------------------------------------------------------------------------

PROJECT_FIELDS = ("code", "name", "kind", "status", "lead_department", "start_date", "end_date", "description", "methodology")


def _clean_project(data: dict[str, Any], *, pk: int | None = None) -> None:
    errors: dict[str, str] = {}
    if not str(data.get("name") or "").strip():
        errors["name"] = _("请填写项目名称。")
    if data.get("kind") not in ProjectKind.values:
        errors["kind"] = _("请选择项目类型。")
    if data.get("status") not in ProjectStatus.values:
        errors["status"] = _("项目状态无效。")
    start, end = data.get("start_date"), data.get("end_date")
    if start is None:
        errors["start_date"] = _("请填写开始日期。")
    elif end is not None and end < start:
        errors["end_date"] = _("结束日期不能早于开始日期。")
    department = data.get("lead_department")
    if department is None:
        errors["lead_department"] = _("请选择牵头单位。")
    code = str(data.get("code") or "")
    if code and SurveyProject.objects.filter(code=code).exclude(pk=pk or 0).exists():
        errors["code"] = _("项目编号“%(code)s”已被使用。") % {"code": code}
    if errors:
        raise ValidationError(errors)


def survey_project_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    lead_department: Any,
    start_date: dt.date,
    end_date: dt.date | None = None,
    code: str = "",
    area: AdminArea | None = None,
    status: str = ProjectStatus.ACTIVE,
    description: str = "",
    methodology: str = "",
    staff: Iterable[Any] = (),
    **_: Any,
) -> SurveyProject:
    """Create a survey project. Its area is the given one or the actor's (a district officer's project is the
    district's, which the towns see too)."""
    data = {
        "code": code.strip(),
        "name": name.strip(),
        "kind": kind,
        "status": status or ProjectStatus.ACTIVE,
        "lead_department": lead_department,
        "start_date": start_date,
        "end_date": end_date,
        "description": description,
        "methodology": methodology,
    }
    _clean_project(data)
    with transaction.atomic():
        town, district = resolve_area(actor=actor, area=area)
        if not data["code"]:
            data["code"] = f"{start_date.year}-{kind}-{uuid.uuid4().hex[:6]}"
        project = SurveyProject.objects.create(**data, area=town, district=district, created_by=actor if getattr(actor, "pk", None) else None)
        staff_list = list(staff)
        if staff_list:
            project.staff.set(staff_list)
        ensure_in_scope(project, actor, action="add")
        audit_record(action="survey_project_create", actor=actor, obj=project, after=_snapshot(project, PROJECT_FIELDS))
    return project


def survey_project_update(*, actor: Any, obj: SurveyProject, version: int | None = None, **fields: Any) -> SurveyProject:
    """Edit a project's description fields with an optimistic version check (staff through survey_project_staff_set)."""
    staff = fields.pop("staff", None)
    changes = {name: fields[name] for name in PROJECT_FIELDS if name in fields}
    if "code" in changes:
        changes["code"] = str(changes["code"] or "").strip() or obj.code
    data = {**_snapshot(obj, PROJECT_FIELDS), "lead_department": obj.lead_department, **changes}
    _clean_project(data, pk=obj.pk)
    with transaction.atomic():
        before = _snapshot(obj, PROJECT_FIELDS)
        _checked_update(obj, version, changes)
        if staff is not None:
            obj.staff.set(list(staff))
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="survey_project_update", actor=actor, obj=obj, before=before, after=_snapshot(obj, PROJECT_FIELDS))
    return obj


def survey_project_close(*, actor: Any, project: SurveyProject, end_date: dt.date | None = None) -> SurveyProject:
    """Close a project (status 已完成, end date set). Only a planned or active project can be closed, once."""
    end = end_date or timezone.localdate()
    if end < project.start_date:
        raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})
    with transaction.atomic():
        updated = SurveyProject.objects.filter(pk=project.pk, status__in=[ProjectStatus.PLANNED, ProjectStatus.ACTIVE]).update(
            status=ProjectStatus.COMPLETED, end_date=end, version=project.version + 1, updated_at=_now()
        )
        if not updated:
            raise ConflictError(_("项目已结束，不能重复结束。"), code="project_already_closed")
        project.refresh_from_db()
        ensure_in_scope(project, actor, action="change")
        audit_record(action="survey_project_close", actor=actor, obj=project, detail={"end_date": end.isoformat()})
    return project


def survey_project_staff_set(*, actor: Any, project: SurveyProject, staff: Iterable[Any]) -> SurveyProject:
    """Assign the project's field staff (replaces the list)."""
    members = list(staff)
    for member in members:
        if getattr(member, "is_admin_role", False) or not getattr(member, "is_active", False):
            raise ValidationError({"staff": _("“%(name)s”不能担任调查人员。") % {"name": member}})
    with transaction.atomic():
        before = sorted(project.staff.values_list("pk", flat=True))
        project.staff.set(members)
        ensure_in_scope(project, actor, action="change")
        audit_record(
            action="survey_project_staff_set", actor=actor, obj=project, before=before, after=sorted(m.pk for m in members),
            detail={"staff": [m.get_username() for m in members]},
        )
    return project


# --- sites -------------------------------------------------------------------------------------------------------

SITE_FIELDS = (
    "code", "name", "kind", "geometry", "length_m", "area_m2", "strip_half_width_m", "habitat", "elevation_m", "water_body",
    "camera_model", "camera_height_m", "deployment_start", "deployment_end", "external_id", "remarks",
)  # fmt: skip
EXPECTED_GEOMETRY = {
    SiteKind.TRANSECT: ("LineString", _("样线应为一条线（在地图上画线或填写 LINESTRING 坐标）。")),
    SiteKind.PLOT: ("Polygon", _("样方应为一个面（在地图上画多边形或矩形）。")),
    SiteKind.POINT: ("Point", _("样点应为一个点。")),
    SiteKind.CAMERA: ("Point", _("红外相机位点应为一个点。")),
    SiteKind.WATER_SAMPLING: ("Point", _("水体采样点应为一个点。")),
}


@functools.cache
def metric_transform(reverse: bool = False) -> CoordTransform:
    """WGS-84 → the metric projection (or back). Built once: creating it reads the PROJ database (~70 ms)."""
    wgs84, metric = SpatialReference(4326), SpatialReference(METRIC_SRID)
    return CoordTransform(metric, wgs84) if reverse else CoordTransform(wgs84, metric)


def site_measure(geometry: GEOSGeometry) -> tuple[float | None, float | None]:
    """(length in metres, area in square metres) measured on the metric projection (None where not applicable)."""
    metric = geometry.transform(metric_transform(), clone=True)
    assert metric is not None
    if isinstance(geometry, (LineString, MultiLineString)):
        return round(float(metric.length), 1), None
    if isinstance(geometry, Polygon):
        return None, round(float(metric.area), 1)
    return None, None


def _clean_site_geometry(kind: str, geometry: Any) -> GEOSGeometry:
    if kind not in SiteKind.values:
        raise ValidationError({"kind": _("请选择位点类型。")})
    if geometry is None:
        raise ValidationError({"geometry": _("请在地图上绘制位点，或填写坐标。")})
    if not isinstance(geometry, GEOSGeometry):
        raise ValidationError({"geometry": _("无法识别的图形。")})
    if geometry.srid is None:
        geometry.srid = 4326
    elif geometry.srid != 4326:
        transformed = geometry.transform(4326, clone=True)
        assert transformed is not None
        geometry = transformed
    if isinstance(geometry, MultiLineString) and kind == SiteKind.TRANSECT and len(geometry) == 1:
        geometry = geometry[0]
    expected, message = EXPECTED_GEOMETRY[SiteKind(kind)]
    if geometry.geom_type != expected:
        raise ValidationError({"geometry": message})
    if not geometry.valid:
        raise ValidationError({"geometry": _("图形无效：%(reason)s") % {"reason": geometry.valid_reason}})
    if isinstance(geometry, LineString) and geometry.num_points < 2:
        raise ValidationError({"geometry": _("样线至少需要两个点。")})
    _check_inside_district(geometry, "geometry")
    return geometry


def _clean_site_numbers(data: Mapping[str, Any]) -> None:
    _check_range(data.get("strip_half_width_m"), "strip_half_width_m", 0.5, 1000, _("样带单侧宽度(米)"))
    _check_range(data.get("elevation_m"), "elevation_m", -50, 2000, _("海拔(米)"))
    _check_range(data.get("camera_height_m"), "camera_height_m", 0, 20, _("相机高度(米)"))
    start, end = data.get("deployment_start"), data.get("deployment_end")
    if start is not None and end is not None and end < start:
        raise ValidationError({"deployment_end": _("布设结束时间不能早于开始时间。")})


def survey_site_create(
    *,
    actor: Any,
    project: SurveyProject,
    kind: str,
    name: str,
    geometry: GEOSGeometry | None,
    code: str = "",
    **fields: Any,
) -> SurveySite:
    """Add a site drawn on the map or typed: a transect line (length measured in metres), a plot polygon (area in
    m²), or a point (point count, camera trap, water sampling). The site's town is where it lies."""
    _ensure_project_visible(project, actor)
    _check_open(project)
    if not name.strip():
        raise ValidationError({"name": _("请填写位点名称。")})
    shape = _clean_site_geometry(kind, geometry)
    extra = {k: v for k, v in fields.items() if k in SITE_FIELDS and k not in ("length_m", "area_m2", "geometry", "kind", "name", "code")}
    _clean_site_numbers(extra)
    length_m, area_m2 = site_measure(shape)
    if kind == SiteKind.TRANSECT and extra.get("strip_half_width_m") is None:
        extra["strip_half_width_m"] = None
    with transaction.atomic():
        town, district = _area_from(shape, actor=actor, field="geometry")
        code = code.strip() or _unique_code(SurveySite, project=project, field="code", prefix={"transect": "T", "plot": "Q", "point": "P", "camera": "C"}.get(kind, "W"))
        if SurveySite.objects.filter(project=project, code=code).exists():
            raise ValidationError({"code": _("本项目已有编号为“%(code)s”的位点。") % {"code": code}})
        site = SurveySite.objects.create(
            project=project, code=code, name=name.strip(), kind=kind, geometry=shape, length_m=length_m, area_m2=area_m2,
            area=town, district=district, created_by=actor if getattr(actor, "pk", None) else None, **extra,
        )  # fmt: skip
        ensure_in_scope(site, actor, action="add")
        audit_record(action="survey_site_create", actor=actor, obj=site, after=_snapshot(site, SITE_FIELDS))
    return site


def survey_site_update(*, actor: Any, obj: SurveySite, version: int | None = None, **fields: Any) -> SurveySite:
    """Edit a site; a new shape is re-measured and the site moves to the town it now lies in."""
    _check_open(obj.project)
    changes = {k: v for k, v in fields.items() if k in SITE_FIELDS and k not in ("length_m", "area_m2")}
    kind = changes.get("kind", obj.kind)
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationError({"name": _("请填写位点名称。")})
    if "code" in changes:
        changes["code"] = str(changes["code"] or "").strip() or obj.code
        if SurveySite.objects.filter(project=obj.project, code=changes["code"]).exclude(pk=obj.pk).exists():
            raise ValidationError({"code": _("本项目已有编号为“%(code)s”的位点。") % {"code": changes["code"]}})
    shape = _clean_site_geometry(kind, changes.get("geometry", obj.geometry))
    _clean_site_numbers({**_snapshot(obj, SITE_FIELDS), **changes})
    with transaction.atomic():
        before = _snapshot(obj, SITE_FIELDS)
        town, district = _area_from(shape, actor=actor, field="geometry")
        changes["geometry"] = shape
        changes["length_m"], changes["area_m2"] = site_measure(shape)
        changes["area"], changes["district"] = town, district
        _checked_update(obj, version, changes)
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="survey_site_update", actor=actor, obj=obj, before=before, after=_snapshot(obj, SITE_FIELDS))
    return obj


def site_representative_point(site: SurveySite) -> Point:
    """Where an observation "at the site" lies: the point itself, or a point on the line or inside the plot."""
    geometry = site.geometry
    point = geometry if isinstance(geometry, Point) else geometry.point_on_surface
    assert isinstance(point, Point)
    return Point(point.x, point.y, srid=4326)


# --- sampling events ---------------------------------------------------------------------------------------------

EVENT_FIELDS = (
    "site", "event_id", "started_at", "ended_at", "team", "observers", "method", "distance_km", "duration_hours",
    "trap_nights", "net_hauls", "weather", "nothing_seen", "remarks",
)  # fmt: skip


def _clean_event(data: dict[str, Any], *, project: SurveyProject, pk: int | None = None) -> None:
    started, ended = data.get("started_at"), data.get("ended_at")
    if started is None:
        raise ValidationError({"started_at": _("请填写开始时间。")})
    _check_not_future(started, "started_at")
    _check_not_future(ended, "ended_at")
    if ended is not None and ended < started:
        raise ValidationError({"ended_at": _("结束时间不能早于开始时间。")})
    day = timezone.localtime(started).date() if timezone.is_aware(started) else started.date()
    if day < project.start_date or (project.end_date is not None and day > project.end_date):
        raise ValidationError({"started_at": _("调查时间不在项目期限内（%(start)s 至 %(end)s）。") % {"start": project.start_date, "end": project.end_date or "—"}})
    site = data.get("site")
    if site is not None and site.project_id != project.pk:
        raise ValidationError({"site": _("位点不属于本项目。")})
    method = data.get("method") or ""
    if method and method not in ObservationMethod.values:
        raise ValidationError({"method": _("调查方法无效。")})
    _check_range(data.get("distance_km"), "distance_km", 0, 200, _("行走距离(公里)"))
    _check_range(data.get("duration_hours"), "duration_hours", 0, 24 * 31, _("用时(小时)"))
    _check_range(data.get("trap_nights"), "trap_nights", 0, 10000, _("相机工作日"))
    _check_range(data.get("net_hauls"), "net_hauls", 0, 1000, _("网次"))
    if method == ObservationMethod.NET and not data.get("net_hauls"):
        raise ValidationError({"net_hauls": _("网捕调查请填写网次（用于计算单位捕捞努力量渔获量 CPUE）。")})
    event_id = str(data.get("event_id") or "")
    if event_id and SamplingEvent.objects.filter(project=project, event_id=event_id).exclude(pk=pk or 0).exists():
        raise ValidationError({"event_id": _("本项目已有编号为“%(id)s”的调查事件。") % {"id": event_id}})


def sampling_event_create(
    *,
    actor: Any,
    project: SurveyProject,
    started_at: dt.datetime,
    site: SurveySite | None = None,
    event_id: str = "",
    nothing_seen: bool = False,
    **fields: Any,
) -> SamplingEvent:
    """Record one visit of a site with its effort (km walked, hours, trap-nights, net hauls). `nothing_seen`
    records that the team looked and saw no individuals: an absence is a record, not a gap."""
    _ensure_project_visible(project, actor)
    _check_open(project)
    data: dict[str, Any] = {k: v for k, v in fields.items() if k in EVENT_FIELDS}
    data.update({"site": site, "started_at": started_at, "event_id": event_id.strip(), "nothing_seen": bool(nothing_seen)})
    for text in ("team", "observers", "weather", "remarks", "method"):
        data[text] = data.get(text) or ""
    if site is not None and site.kind == SiteKind.TRANSECT:
        data["method"] = data["method"] or ObservationMethod.TRANSECT
        if data.get("distance_km") is None and site.length_m:
            data["distance_km"] = round(site.length_m / 1000, 3)
    _clean_event(data, project=project)
    with transaction.atomic():
        if site is not None:
            town, district = site.area, site.district
        else:
            town, district = resolve_area(actor=actor)
        if not data["event_id"]:
            stamp = timezone.localtime(started_at).strftime("%Y%m%d") if timezone.is_aware(started_at) else started_at.strftime("%Y%m%d")
            data["event_id"] = _unique_code(SamplingEvent, project=project, field="event_id", prefix=f"{site.code if site else 'EV'}-{stamp}-")
        event = SamplingEvent.objects.create(project=project, area=town, district=district, created_by=actor if getattr(actor, "pk", None) else None, **data)
        ensure_in_scope(event, actor, action="add")
        audit_record(action="sampling_event_create", actor=actor, obj=event, after=_snapshot(event, EVENT_FIELDS))
    return event


def sampling_event_update(*, actor: Any, obj: SamplingEvent, version: int | None = None, **fields: Any) -> SamplingEvent:
    """Edit an event (effort, times, team). Marking it "nothing seen" is refused while it holds sightings."""
    _check_open(obj.project)
    changes = {k: v for k, v in fields.items() if k in EVENT_FIELDS}
    for text in ("team", "observers", "weather", "remarks", "method", "event_id"):
        if text in changes:
            changes[text] = changes[text] or ""
    if "event_id" in changes and not changes["event_id"]:
        changes["event_id"] = obj.event_id
    data = {**_snapshot(obj, EVENT_FIELDS), "site": obj.site, **changes}
    _clean_event(data, project=obj.project, pk=obj.pk)
    if data.get("nothing_seen") and obj.observations.filter(count__gt=0).exists():
        raise ValidationError({"nothing_seen": _("本次调查已有发现个体的记录，不能标记为“未发现”。")})
    with transaction.atomic():
        before = _snapshot(obj, EVENT_FIELDS)
        site = data.get("site")
        if site is not None:
            changes["area"], changes["district"] = site.area, site.district
        _checked_update(obj, version, changes)
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="sampling_event_update", actor=actor, obj=obj, before=before, after=_snapshot(obj, EVENT_FIELDS))
    return obj


# --- observations ------------------------------------------------------------------------------------------------

OBSERVATION_FIELDS = (
    "site", "event", "species", "verbatim_name", "observation_type", "count", "sex", "life_stage", "behaviour",
    "observed_at", "location", "uncertainty_m", "method", "observer", "distance_m", "biomass_g", "remarks", "occurrence_id",
)  # fmt: skip


def _clean_observation(data: dict[str, Any], *, project: SurveyProject, pk: int | None = None) -> None:
    """Validate an observation's fields against its project, site and event; fills `site`/`location`/`method`
    defaults. Raises ValidationError naming the field."""
    event: SamplingEvent | None = data.get("event")
    site: SurveySite | None = data.get("site")
    if event is not None:
        if event.project_id != project.pk:
            raise ValidationError({"event": _("调查事件不属于本项目。")})
        if site is None:
            site = data["site"] = event.site
        elif event.site_id is not None and event.site_id != site.pk:
            raise ValidationError({"site": _("位点与调查事件的位点不一致。")})
        data["method"] = data.get("method") or event.method
    if site is not None and site.project_id != project.pk:
        raise ValidationError({"site": _("位点不属于本项目。")})
    kind = data.get("observation_type") or ObservationType.ANIMAL
    if kind not in ObservationType.values:
        raise ValidationError({"observation_type": _("记录类型无效。")})
    data["observation_type"] = kind
    species = data.get("species")
    if kind == ObservationType.ANIMAL and species is None and not str(data.get("verbatim_name") or "").strip():
        raise ValidationError({"species": _("请选择物种（可输入中文名、别名、拼音首字母或学名查找）。")})
    if species is not None and not isinstance(species, Species):
        raise ValidationError({"species": _("物种无效。")})
    count = data.get("count")
    if count is None or int(count) < 0:
        raise ValidationError({"count": _("数量不能为负数（0 表示调查了但未见到）。")})
    if count > 1_000_000:
        raise ValidationError({"count": _("数量过大，请检查。")})
    if event is not None and event.nothing_seen and count > 0:
        raise ValidationError({"event": _("该调查事件已登记为“未发现任何个体”，不能添加有个体的记录；如确有发现，请先修改调查事件。")})
    observed = data.get("observed_at")
    if observed is None:
        raise ValidationError({"observed_at": _("请填写观测时间。")})
    _check_not_future(observed, "observed_at")
    day = timezone.localtime(observed).date() if timezone.is_aware(observed) else observed.date()
    if day < project.start_date or (project.end_date is not None and day > project.end_date):
        raise ValidationError({"observed_at": _("观测时间不在项目期限内（%(start)s 至 %(end)s）。") % {"start": project.start_date, "end": project.end_date or "—"}})
    method = data.get("method") or ""
    if method and method not in ObservationMethod.values:
        raise ValidationError({"method": _("调查方法无效。")})
    data["method"] = method
    distance = data.get("distance_m")
    if distance is not None:
        _check_range(distance, "distance_m", 0, 5000, _("垂直距离(米)"))
        if method and method != ObservationMethod.TRANSECT:
            raise ValidationError({"distance_m": _("垂直距离只用于样线法记录。")})
    _check_range(data.get("uncertainty_m"), "uncertainty_m", 0, 100000, _("位置误差(米)"))
    _check_range(data.get("biomass_g"), "biomass_g", 0, 10_000_000, _("重量(克)"))
    if data.get("sex") and data["sex"] not in Sex.values:
        raise ValidationError({"sex": _("性别无效。")})
    if data.get("life_stage") and data["life_stage"] not in LifeStage.values:
        raise ValidationError({"life_stage": _("年龄阶段无效。")})
    location = data.get("location")
    if location is None:
        if site is None:
            raise ValidationError({"location": _("请在地图上点选位置、填写 GPS 坐标，或选择位点。")})
        location = data["location"] = site_representative_point(site)
    if not isinstance(location, Point):
        raise ValidationError({"location": _("位置应为一个点。")})
    if location.srid is None:
        location.srid = 4326
    if not (-180 <= location.x <= 180 and -90 <= location.y <= 90):
        raise ValidationError({"location": _("坐标超出经纬度范围（经度在前，纬度在后）。")})
    _check_inside_district(location, "location")
    occurrence_id = str(data.get("occurrence_id") or "").strip()
    if occurrence_id and Observation.objects.filter(project=project, occurrence_id=occurrence_id).exclude(pk=pk or 0).exists():
        raise ValidationError({"occurrence_id": _("本项目已有编号为“%(id)s”的记录。") % {"id": occurrence_id}})
    for text in ("verbatim_name", "sex", "life_stage", "behaviour", "observer", "remarks"):
        data[text] = str(data.get(text) or "").strip()


def is_sensitive_species(species: Species | None) -> bool:
    """National class I species have their precise locations generalised (sensitive.py)."""
    return bool(species is not None and species.protection == "national_1")


def observation_create(*, actor: Any, project: SurveyProject, observed_at: dt.datetime, count: int = 1, **fields: Any) -> Observation:
    """Record an observation: species picked from the catalogue, count ≥ 0, location by map click, GPS coordinates or
    the site's location, inside the district, not in the future; class-I species are marked sensitive."""
    _ensure_project_visible(project, actor)
    _check_open(project)
    data: dict[str, Any] = {k: v for k, v in fields.items() if k in OBSERVATION_FIELDS}
    data.update({"observed_at": observed_at, "count": count})
    _clean_observation(data, project=project)
    if not data.get("occurrence_id"):
        data["occurrence_id"] = str(uuid.uuid4())
    with transaction.atomic():
        town, district = _area_from(data["location"], actor=actor, field="location")
        try:
            with transaction.atomic():
                observation = Observation.objects.create(
                    project=project, area=town, district=district, is_sensitive=is_sensitive_species(data.get("species")),
                    created_by=actor if getattr(actor, "pk", None) else None, **data,
                )  # fmt: skip
        except IntegrityError as exc:  # the same occurrence id sent twice at once
            raise ValidationError({"occurrence_id": _("本项目已有相同编号的记录。")}) from exc
        ensure_in_scope(observation, actor, action="add")
        audit_record(action="observation_create", actor=actor, obj=observation, after=_snapshot(observation, OBSERVATION_FIELDS))
        transaction.on_commit(observations_changed)
    return observation


def observation_update(*, actor: Any, obj: Observation, version: int | None = None, **fields: Any) -> Observation:
    """Edit an observation with an optimistic version check; the town follows the location."""
    _check_open(obj.project)
    changes = {k: v for k, v in fields.items() if k in OBSERVATION_FIELDS}
    data = {**{name: getattr(obj, name) for name in OBSERVATION_FIELDS}, **changes}
    if "site" in changes and "location" not in changes and obj.site_id != getattr(changes["site"], "pk", None):
        data["location"] = None  # moved to another site without a new location: take the site's
    _clean_observation(data, project=obj.project, pk=obj.pk)
    data["occurrence_id"] = data.get("occurrence_id") or obj.occurrence_id
    with transaction.atomic():
        before = _snapshot(obj, OBSERVATION_FIELDS)
        town, district = _area_from(data["location"], actor=actor, field="location")
        values = {name: data[name] for name in OBSERVATION_FIELDS}
        values.update(area=town, district=district, is_sensitive=is_sensitive_species(data.get("species")))
        _checked_update(obj, version, values)
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="observation_update", actor=actor, obj=obj, before=before, after=_snapshot(obj, OBSERVATION_FIELDS))
        transaction.on_commit(observations_changed)
    return obj


def observation_delete(*, actor: Any, obj: Observation) -> None:
    """Delete an observation and its photos (audited with what was deleted)."""
    with transaction.atomic():
        ensure_in_scope(obj, actor, action="delete")
        audit_record(action="observation_delete", actor=actor, obj=obj, before=_snapshot(obj, OBSERVATION_FIELDS))
        for photo in obj.photos.all():
            photo.image.delete(save=False)
        obj.delete()
        transaction.on_commit(observations_changed)


# --- fish catches (aquatic) --------------------------------------------------------------------------------------


def fish_catch_record(*, actor: Any, event: SamplingEvent, catches: Iterable[Mapping[str, Any]]) -> list[Observation]:
    """Record the catch of one net (or electrofishing) event: one observation per species with count and weight,
    at the event's site and time. CPUE = count / net hauls of the event (selectors.fish_cpue)."""
    if event.method not in (ObservationMethod.NET, ObservationMethod.ELECTROFISHING):
        raise ValidationError({"event": _("请选择网捕或电捕调查事件。")})
    rows = [dict(row) for row in catches if row.get("species") is not None]
    if not rows:
        raise ValidationError({"catches": _("请至少填写一个物种的渔获。")})
    seen: set[int] = set()
    for number, row in enumerate(rows, start=1):
        if row["species"].pk in seen:
            raise ValidationError({"catches": _("第 %(n)d 行：物种“%(name)s”重复。") % {"n": number, "name": row["species"]}})
        seen.add(row["species"].pk)
    created: list[Observation] = []
    with transaction.atomic():
        for number, row in enumerate(rows, start=1):
            try:
                created.append(
                    observation_create(
                        actor=actor, project=event.project, event=event, site=event.site, species=row["species"],
                        count=int(row.get("count") or 0), biomass_g=row.get("biomass_g"), observed_at=event.started_at,
                        method=event.method, observer=event.observers[:100], remarks=str(row.get("remarks") or ""),
                    )
                )
            except ValidationError as exc:
                messages = "；".join(exc.messages)
                raise ValidationError({"catches": _("第 %(n)d 行：%(msg)s") % {"n": number, "msg": messages}}) from exc
    return created


# --- photos ------------------------------------------------------------------------------------------------------

_GPS_IFD = 0x8825
_EXIF_IFD = 0x8769
_MAKER_NOTE = 0x927C
_DATETIME = 0x0132
_DATETIME_ORIGINAL = 0x9003
_OFFSET_TIME_ORIGINAL = 0x9011


@dataclass(frozen=True)
class PhotoFacts:
    """What a photo's EXIF says: when it was taken and where (WGS-84), either may be missing."""

    taken_at: dt.datetime | None
    location: Point | None
    image_format: str


def _rational(value: Any) -> float:
    if isinstance(value, tuple) and len(value) == 2:
        return float(Fraction(int(value[0]), int(value[1]))) if value[1] else 0.0
    return float(value)


def _dms(values: Any) -> float:
    parts = [_rational(v) for v in values]
    while len(parts) < 3:
        parts.append(0.0)
    return parts[0] + parts[1] / 60 + parts[2] / 3600


def _exif_time(text: Any, offset: Any) -> dt.datetime | None:
    if not text:
        return None
    raw = str(text).strip().rstrip("\x00")
    try:
        naive = dt.datetime.strptime(raw[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if offset:
        try:
            sign = -1 if str(offset).startswith("-") else 1
            hours, minutes = str(offset).lstrip("+-").split(":")
            tz = dt.timezone(sign * dt.timedelta(hours=int(hours), minutes=int(minutes)))
            return naive.replace(tzinfo=tz)
        except ValueError:
            pass
    # cameras and phones write local time without a zone: local time here is China Standard Time
    return timezone.make_aware(naive)


def photo_read_exif(data: bytes) -> PhotoFacts:
    """Read the capture time and GPS position from a photo's EXIF. Raises ValidationError if it is not an image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format or ""
            exif = image.getexif()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValidationError({"image": _("文件不是可识别的图片（支持 JPEG、PNG、WebP）。")}) from exc
    sub = exif.get_ifd(_EXIF_IFD)
    taken_at = _exif_time(sub.get(_DATETIME_ORIGINAL) or exif.get(_DATETIME), sub.get(_OFFSET_TIME_ORIGINAL))
    location = None
    gps = exif.get_ifd(_GPS_IFD)
    try:
        if gps.get(2) and gps.get(4):
            lat = _dms(gps[2]) * (-1 if str(gps.get(1, "N")).upper().startswith("S") else 1)
            lon = _dms(gps[4]) * (-1 if str(gps.get(3, "E")).upper().startswith("W") else 1)
            if -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0.0, 0.0):
                location = Point(round(lon, 7), round(lat, 7), srid=4326)
    except (TypeError, ValueError, ZeroDivisionError):
        location = None  # malformed GPS block: treat as absent
    return PhotoFacts(taken_at=taken_at, location=location, image_format=image_format)


def photo_strip_location(data: bytes) -> tuple[bytes, str]:
    """A copy of the image without EXIF location (GPS block and maker notes, which can carry it too); the capture
    time and orientation stay. Returns (bytes, file extension)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image_format = (image.format or "").upper()
        if image_format not in PHOTO_FORMATS:
            raise ValidationError({"image": _("只支持 JPEG、PNG、WebP 格式的照片。")})
        exif = image.getexif()
        exif.pop(_GPS_IFD, None)
        sub = exif.get_ifd(_EXIF_IFD)
        sub.pop(_MAKER_NOTE, None)
        output = io.BytesIO()
        params: dict[str, Any] = {"exif": exif.tobytes()}
        if image_format == "JPEG":
            params.update(quality=92, optimize=True)
            if image.mode not in ("RGB", "L", "CMYK"):
                image.convert("RGB").save(output, format=image_format, **params)
                return output.getvalue(), PHOTO_FORMATS[image_format]
        image.save(output, format=image_format, **params)
    return output.getvalue(), PHOTO_FORMATS[image_format]


def observation_photo_add(*, actor: Any, observation: Observation, image: Any, caption: str = "") -> ObservationPhoto:
    """Attach a photo: its EXIF time and GPS are kept as fields, the stored copy has the location removed."""
    data = image.read() if hasattr(image, "read") else bytes(image)
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError({"image": _("照片不能超过 15 MB。")})
    facts = photo_read_exif(data)
    stripped, extension = photo_strip_location(data)
    stem = PurePath(str(getattr(image, "name", "") or "photo")).stem[:60] or "photo"
    with transaction.atomic():
        photo = ObservationPhoto(
            observation=observation, area=observation.area, district=observation.district, caption=caption.strip()[:200],
            exif_taken_at=facts.taken_at, exif_location=facts.location, created_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
        photo.image.save(f"{stem}-{uuid.uuid4().hex[:8]}.{extension}", ContentFile(stripped), save=False)
        photo.save()
        ensure_in_scope(photo, actor, action="add")
        audit_record(
            action="observation_photo_add", actor=actor, obj=photo,
            detail={"observation": observation.pk, "exif_time": bool(facts.taken_at), "exif_gps": bool(facts.location)},
        )  # fmt: skip
    return photo


# --- aquatic series ----------------------------------------------------------------------------------------------

MIGRATION_FIELDS = ("site", "species", "date", "upstream", "downstream", "water_level_m", "remarks")


def _clean_migration(data: dict[str, Any], *, project: SurveyProject, pk: int | None = None) -> None:
    site, species, day = data.get("site"), data.get("species"), data.get("date")
    if site is None:
        raise ValidationError({"site": _("请选择观测断面。")})
    if site.project_id != project.pk:
        raise ValidationError({"site": _("观测断面不属于本项目。")})
    if species is None:
        raise ValidationError({"species": _("请选择物种。")})
    if day is None:
        raise ValidationError({"date": _("请填写日期。")})
    _check_not_future(day, "date")
    for name in ("upstream", "downstream"):
        if data.get(name) is None or int(data[name]) < 0:
            raise ValidationError({name: _("数量不能为负数。")})
    _check_range(data.get("water_level_m"), "water_level_m", -10, 100, _("水位(米)"))
    if MigrationCount.objects.filter(site=site, species=species, date=day).exclude(pk=pk or 0).exists():
        raise ValidationError({"date": _("该断面当天已有此物种的洄游记录，请修改原记录。")})


def migration_count_create(*, actor: Any, project: SurveyProject, **fields: Any) -> MigrationCount:
    """Record upstream/downstream migration counts of a species at a river section on a date."""
    _ensure_project_visible(project, actor)
    _check_open(project)
    data = {k: fields.get(k) for k in MIGRATION_FIELDS}
    data["remarks"] = data.get("remarks") or ""
    _clean_migration(data, project=project)
    with transaction.atomic():
        site = data["site"]
        assert isinstance(site, SurveySite)
        record = MigrationCount.objects.create(project=project, area=site.area, district=site.district, created_by=actor if getattr(actor, "pk", None) else None, **data)
        ensure_in_scope(record, actor, action="add")
        audit_record(action="migration_count_create", actor=actor, obj=record, after=_snapshot(record, MIGRATION_FIELDS))
    return record


def migration_count_update(*, actor: Any, obj: MigrationCount, version: int | None = None, **fields: Any) -> MigrationCount:
    """Edit a migration count (optimistic version check)."""
    _check_open(obj.project)
    changes = {k: v for k, v in fields.items() if k in MIGRATION_FIELDS}
    if "remarks" in changes:
        changes["remarks"] = changes["remarks"] or ""
    data = {**{k: getattr(obj, k) for k in MIGRATION_FIELDS}, **changes}
    _clean_migration(data, project=obj.project, pk=obj.pk)
    with transaction.atomic():
        before = _snapshot(obj, MIGRATION_FIELDS)
        site = data["site"]
        assert isinstance(site, SurveySite)
        changes.update(area=site.area, district=site.district)
        _checked_update(obj, version, changes)
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="migration_count_update", actor=actor, obj=obj, before=before, after=_snapshot(obj, MIGRATION_FIELDS))
    return obj


WATER_FIELDS = ("site", "measured_at", "temperature_c", "ph", "dissolved_oxygen_mg_l", "turbidity_ntu", "ammonia_n_mg_l", "remarks")


def _clean_water(data: dict[str, Any], *, project: SurveyProject) -> None:
    site = data.get("site")
    if site is None:
        raise ValidationError({"site": _("请选择采样点。")})
    if site.project_id != project.pk:
        raise ValidationError({"site": _("采样点不属于本项目。")})
    if site.kind != SiteKind.WATER_SAMPLING:
        raise ValidationError({"site": _("请选择水体采样点。")})
    if data.get("measured_at") is None:
        raise ValidationError({"measured_at": _("请填写测定时间。")})
    _check_not_future(data["measured_at"], "measured_at")
    labels = {
        "temperature_c": _("水温"),
        "ph": _("pH"),
        "dissolved_oxygen_mg_l": _("溶解氧"),
        "turbidity_ntu": _("浊度"),
        "ammonia_n_mg_l": _("氨氮"),
    }
    if all(data.get(name) is None for name in WATER_RANGES):
        raise ValidationError({"temperature_c": _("请至少填写一项水质指标。")})
    for name, (low, high, unit) in WATER_RANGES.items():
        label = labels[name] + (f"({unit})" if unit else "")
        _check_range(data.get(name), name, low, high, label)


def water_reading_create(*, actor: Any, project: SurveyProject, **fields: Any) -> WaterQualityReading:
    """Record a water-quality reading at a sampling point (each value checked against its physical range)."""
    _ensure_project_visible(project, actor)
    _check_open(project)
    data = {k: fields.get(k) for k in WATER_FIELDS}
    data["remarks"] = data.get("remarks") or ""
    _clean_water(data, project=project)
    with transaction.atomic():
        site = data["site"]
        assert isinstance(site, SurveySite)
        reading = WaterQualityReading.objects.create(project=project, area=site.area, district=site.district, created_by=actor if getattr(actor, "pk", None) else None, **data)
        ensure_in_scope(reading, actor, action="add")
        audit_record(action="water_reading_create", actor=actor, obj=reading, after=_snapshot(reading, WATER_FIELDS))
    return reading


def water_reading_update(*, actor: Any, obj: WaterQualityReading, version: int | None = None, **fields: Any) -> WaterQualityReading:
    """Edit a water-quality reading (optimistic version check)."""
    _check_open(obj.project)
    changes = {k: v for k, v in fields.items() if k in WATER_FIELDS}
    if "remarks" in changes:
        changes["remarks"] = changes["remarks"] or ""
    data = {**{k: getattr(obj, k) for k in WATER_FIELDS}, **changes}
    _clean_water(data, project=obj.project)
    with transaction.atomic():
        before = _snapshot(obj, WATER_FIELDS)
        site = data["site"]
        assert isinstance(site, SurveySite)
        changes.update(area=site.area, district=site.district)
        _checked_update(obj, version, changes)
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="water_reading_update", actor=actor, obj=obj, before=before, after=_snapshot(obj, WATER_FIELDS))
    return obj


# --- resource archives -------------------------------------------------------------------------------------------

ARCHIVE_FIELDS = (
    "species", "population_estimate", "population_structure", "distribution_notes", "habitat_notes", "threats", "measures", "assessed_on",
)  # fmt: skip


def species_archive_create(*, actor: Any, species: Species, area: AdminArea | None = None, **fields: Any) -> SpeciesArchive:
    """Open the resource archive of a species in an area (Law Art.11); one archive per species and area."""
    if species is None:
        raise ValidationError({"species": _("请选择物种。")})
    data: dict[str, Any] = {k: fields.get(k) or ("" if k != "assessed_on" else None) for k in ARCHIVE_FIELDS if k != "species"}
    _check_not_future(data.get("assessed_on"), "assessed_on")
    with transaction.atomic():
        town, district = resolve_area(actor=actor, area=area)
        if SpeciesArchive.objects.filter(species=species, area=town).exists():
            raise ValidationError({"species": _("“%(area)s”已有“%(species)s”的资源档案。") % {"area": town, "species": species}})
        archive = SpeciesArchive.objects.create(species=species, area=town, district=district, created_by=actor if getattr(actor, "pk", None) else None, **data)
        ensure_in_scope(archive, actor, action="add")
        audit_record(action="species_archive_create", actor=actor, obj=archive, after=_snapshot(archive, ARCHIVE_FIELDS))
    return archive


def species_archive_update(*, actor: Any, obj: SpeciesArchive, version: int | None = None, **fields: Any) -> SpeciesArchive:
    """Edit an archive's texts and assessment date (optimistic version check)."""
    changes = {k: v for k, v in fields.items() if k in ARCHIVE_FIELDS and k != "species"}
    for name in changes:
        if name != "assessed_on":
            changes[name] = changes[name] or ""
    _check_not_future(changes.get("assessed_on"), "assessed_on")
    with transaction.atomic():
        before = _snapshot(obj, ARCHIVE_FIELDS)
        _checked_update(obj, version, changes)
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="species_archive_update", actor=actor, obj=obj, before=before, after=_snapshot(obj, ARCHIVE_FIELDS))
    return obj
