"""Small builders for the patrols tests: tracks, GPX text, and records made straight in a given town."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.gis.geos import LineString, Point
from django.utils import timezone

from wildlife.patrols.choices import TargetKind, TrackSource
from wildlife.patrols.models import (
    ChecklistItem,
    ChecklistTemplate,
    EnforcementOfficer,
    Equipment,
    Inspection,
    InspectionTarget,
    Patrol,
    PatrolTownShare,
    TrainingSession,
)
from wildlife.patrols.tracks import ParsedTrack

# inside the schematic 王村镇 (117.70–117.80 E north of 36.70; 117.70–117.76 E south of it)
WANGCUN_LINE = [(117.72, 36.66), (117.74, 36.68), (117.75, 36.70), (117.73, 36.72)]
WANGCUN_LINE_M = 8092.030925  # GeographicLib (WGS-84) length of WANGCUN_LINE, computed independently
BEIJIAO_LINE = [(117.80, 36.84), (117.82, 36.85), (117.84, 36.86)]
# starts in 萌水镇 (117.76–117.88 E, south of 36.70), then runs ~3× as far inside 王村镇
MOSTLY_WANGCUN = [(117.77, 36.69), (117.762, 36.69), (117.758, 36.705), (117.75, 36.74), (117.74, 36.77)]


def track(points: list[tuple[float, float]] | None = None) -> ParsedTrack:
    return ParsedTrack(segments=[list(points or WANGCUN_LINE)], source_format="geojson")


def gpx(points: list[tuple[float, float]] | None = None, *, start: str | None = "2026-03-12T00:30:00Z", name: str = "测试轨迹", version: str = "1.1") -> bytes:
    ns = "http://www.topografix.com/GPX/1/1" if version == "1.1" else "http://www.topografix.com/GPX/1/0"
    rows = []
    base = dt.datetime.fromisoformat(start.replace("Z", "+00:00")) if start else None
    for i, (lon, lat) in enumerate(points or WANGCUN_LINE):
        when = f"<time>{(base + dt.timedelta(minutes=20 * i)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time>" if base else ""
        rows.append(f'<trkpt lat="{lat}" lon="{lon}"><ele>120</ele>{when}</trkpt>')
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="{version}" creator="test" xmlns="{ns}">\n'
        f"<trk><name>{name}</name><trkseg>\n" + "\n".join(rows) + "\n</trkseg></trk>\n</gpx>\n"
    ).encode()


def line_in(area: Any) -> list[tuple[float, float]]:
    """A short line near the centre of an area's boundary."""
    centre = area.boundary.point_on_surface
    return [(centre.x - 0.005, centre.y - 0.003), (centre.x, centre.y), (centre.x + 0.004, centre.y + 0.004)]


def make_patrol(area: Any, *, started_at: dt.datetime | None = None, points: list[tuple[float, float]] | None = None, title: str = "测试巡护") -> Patrol:
    started_at = started_at or timezone.now() - dt.timedelta(days=1)
    line = LineString(points or line_in(area), srid=4326)
    patrol = Patrol.objects.create(
        patrol_no=f"XH-T{Patrol.objects.count() + 1:05d}",
        title=title,
        started_at=started_at,
        ended_at=started_at + dt.timedelta(hours=2),
        track=line,
        track_source=TrackSource.DRAWN,
        point_count=len(line.coords),
        distance_m=1000,
        area=area,
        district=area.district_ancestor(),
    )
    PatrolTownShare.objects.create(patrol=patrol, town=area, metres=1000)
    return patrol


def make_target(area: Any, *, kind: str = TargetKind.MARKET, name: str = "测试市场") -> InspectionTarget:
    centre = area.boundary.point_on_surface
    return InspectionTarget.objects.create(
        name=name, kind=kind, address="测试地址", location=Point(centre.x, centre.y, srid=4326), area=area, district=area.district_ancestor()
    )


def make_inspection(area: Any, *, kind: str = TargetKind.MARKET, status: str = "open", rectify_by: dt.date | None = None) -> Inspection:
    target = make_target(area, kind=kind, name=f"测试对象{InspectionTarget.objects.count() + 1}")
    return Inspection.objects.create(
        inspection_no=f"JC-T{Inspection.objects.count() + 1:05d}",
        target=target,
        target_kind=kind,
        inspected_on=timezone.localdate() - dt.timedelta(days=3),
        inspector_names="测试检查员",
        status=status,
        rectify_by=rectify_by,
        area=area,
        district=area.district_ancestor(),
    )


def make_template(district: Any, kind: str = TargetKind.MARKET, items: tuple[str, ...] = ("是否出售野生动物", "是否有来源证明", "是否张贴公告")) -> ChecklistTemplate:
    template = ChecklistTemplate.objects.create(name=f"{kind}检查表", target_kind=kind, area=district, district=district)
    for i, text in enumerate(items, start=1):
        ChecklistItem.objects.create(template=template, order=i, text=text)
    return template


def make_training(area: Any, *, hours: str = "4.0", title: str = "测试培训", held_on: dt.date | None = None) -> TrainingSession:
    return TrainingSession.objects.create(
        title=title, held_on=held_on or timezone.localdate(), hours=Decimal(hours), trainer="讲师", place="会议室", area=area, district=area.district_ancestor()
    )


def make_officer(area: Any, *, name: str = "测试执法员", valid_until: dt.date | None = None) -> EnforcementOfficer:
    from wildlife.accounts.models import Department

    department = Department.objects.filter(area=area).first() or Department.objects.get(code="natural_resources")
    return EnforcementOfficer.objects.create(
        name=name, department=department, certificate_valid_until=valid_until, area=area, district=area.district_ancestor()
    )


def make_equipment(area: Any, *, serial: str = "T-001", next_check_on: dt.date | None = None) -> Equipment:
    return Equipment.objects.create(kind="gps", model_name="测试 GPS", serial_no=serial, next_check_on=next_check_on, area=area, district=area.district_ancestor())


def png_bytes() -> bytes:
    import base64

    return base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")
