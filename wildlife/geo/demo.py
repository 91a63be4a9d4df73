"""Demo villages and a grid under 王村镇, so the demo shows the village level of the tree (schematic, clearly demo)."""

from __future__ import annotations

from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import transaction

from wildlife.geo.boundaries import area_km2
from wildlife.geo.choices import AreaKind, AreaLevel
from wildlife.geo.models import AdminArea
from wildlife.geo.reference import SCHEMATIC_SOURCE

# (code, name, level, kind, parent code, bbox) — codes carry "D" so nobody mistakes them for official codes
DEMO_AREAS = (
    ("370306100D01", "演示村一", AreaLevel.VILLAGE, AreaKind.VILLAGE, "370306100", (117.71, 36.72, 117.74, 36.75)),
    ("370306100D02", "演示社区二", AreaLevel.VILLAGE, AreaKind.COMMUNITY, "370306100", (117.75, 36.76, 117.78, 36.79)),
    ("370306100D01G1", "演示村一 第1网格", AreaLevel.GRID, AreaKind.GRID, "370306100D01", (117.71, 36.72, 117.725, 36.735)),
)


@transaction.atomic
def load_demo() -> str:
    """Create the demo villages/grid once (idempotent); returns a one-line summary."""
    created = 0
    for code, name, level, kind, parent_code, bbox in DEMO_AREAS:
        if AdminArea.objects.filter(code=code).exists():
            continue
        parent = AdminArea.objects.filter(code=parent_code).first()
        if parent is None:
            continue
        boundary = MultiPolygon(Polygon.from_bbox(bbox), srid=4326)
        AdminArea.objects.create(
            code=code,
            name=name,
            level=level,
            kind=kind,
            parent=parent,
            boundary=boundary,
            boundary_is_schematic=True,
            boundary_source=SCHEMATIC_SOURCE,
            boundary_crs="wgs84",
            area_km2=area_km2(boundary),
            notes="演示数据",
        )
        created += 1
    return f"演示村/网格 新建 {created} 个"
