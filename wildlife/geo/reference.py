"""周村区 reference areas for the demo and the tests.

Names and the division into 5 街道 + 5 镇 follow the 2019 official list (淄博市政府网, via research notes); 萌水镇 and
商家镇 are administered by 文昌湖旅游度假区. The codes below 370306 and every boundary here are SCHEMATIC (示意):
rectangles laid over the district's published extent (117°41′–117°58′E, 36°39′–36°54′N) so that the demo has
something to draw and to test point-in-area on. Operators import official boundaries (geo → 边界导入).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import transaction

from wildlife.geo.boundaries import area_km2
from wildlife.geo.choices import AreaKind, AreaLevel
from wildlife.geo.models import AdminArea

SCHEMATIC_SOURCE = "示意边界（演示数据，非官方边界）"
DISTRICT_CODE = "370306"


@dataclass(frozen=True)
class AreaSpec:
    code: str
    name: str
    level: str
    kind: str
    ring: tuple[tuple[float, float], ...]
    sort_order: int
    administered_by: str | None = None


def _box(west: float, south: float, east: float, north: float) -> tuple[tuple[float, float], ...]:
    return ((west, south), (east, south), (east, north), (west, north), (west, south))


DISTRICT = AreaSpec(DISTRICT_CODE, "周村区", AreaLevel.DISTRICT, AreaKind.DISTRICT, _box(117.70, 36.64, 117.98, 36.89), 0)

TOWNS: tuple[AreaSpec, ...] = (
    AreaSpec("370306001", "城北路街道", AreaLevel.TOWN, AreaKind.SUBDISTRICT, _box(117.80, 36.79, 117.86, 36.82), 1),
    AreaSpec("370306002", "永安街街道", AreaLevel.TOWN, AreaKind.SUBDISTRICT, _box(117.86, 36.79, 117.92, 36.82), 2),
    AreaSpec("370306003", "丝绸路街道", AreaLevel.TOWN, AreaKind.SUBDISTRICT, _box(117.88, 36.76, 117.92, 36.79), 3),
    AreaSpec("370306004", "青年路街道", AreaLevel.TOWN, AreaKind.SUBDISTRICT, _box(117.84, 36.76, 117.88, 36.79), 4),
    AreaSpec("370306005", "大街街道", AreaLevel.TOWN, AreaKind.SUBDISTRICT, _box(117.80, 36.76, 117.84, 36.79), 5),
    AreaSpec(
        "370306100",
        "王村镇",
        AreaLevel.TOWN,
        AreaKind.TOWN,
        ((117.70, 36.64), (117.76, 36.64), (117.76, 36.70), (117.80, 36.70), (117.80, 36.82), (117.70, 36.82), (117.70, 36.64)),
        6,
    ),
    AreaSpec(
        "370306101",
        "南郊镇",
        AreaLevel.TOWN,
        AreaKind.TOWN,
        ((117.80, 36.70), (117.98, 36.70), (117.98, 36.82), (117.92, 36.82), (117.92, 36.76), (117.80, 36.76), (117.80, 36.70)),
        7,
    ),
    AreaSpec("370306102", "北郊镇", AreaLevel.TOWN, AreaKind.TOWN, _box(117.70, 36.82, 117.98, 36.89), 8),
    AreaSpec("370306103", "萌水镇", AreaLevel.TOWN, AreaKind.TOWN, _box(117.76, 36.64, 117.88, 36.70), 9, "370306-wch"),
    AreaSpec("370306104", "商家镇", AreaLevel.TOWN, AreaKind.TOWN, _box(117.88, 36.64, 117.98, 36.70), 10, "370306-wch"),
)

OVERLAYS: tuple[AreaSpec, ...] = (
    AreaSpec("370306-kfq", "周村经济开发区", AreaLevel.OVERLAY, AreaKind.DEVELOPMENT_ZONE, _box(117.82, 36.80, 117.90, 36.85), 20),
    AreaSpec("370306-wch", "文昌湖旅游度假区", AreaLevel.OVERLAY, AreaKind.RESORT_ZONE, _box(117.76, 36.64, 117.98, 36.70), 21),
)

TOWN_NAMES = tuple(t.name for t in TOWNS)


def _multipolygon(ring: tuple[tuple[float, float], ...]) -> MultiPolygon:
    return MultiPolygon(Polygon(ring), srid=4326)


@transaction.atomic
def ensure_zhoucun_areas() -> dict[str, AdminArea]:
    """Create or update the schematic 周村区 tree (idempotent: a second call changes nothing)."""
    result: dict[str, AdminArea] = {}

    def upsert(spec: AreaSpec, parent: AdminArea | None) -> AdminArea:
        area = AdminArea.objects.filter(code=spec.code).first()
        if area is None:
            area = AdminArea(code=spec.code)
        geometry = _multipolygon(spec.ring)
        changed = (
            area.pk is None
            or area.name != spec.name
            or area.level != spec.level
            or area.kind != spec.kind
            or area.parent_id != (parent.pk if parent else None)
            or area.sort_order != spec.sort_order
        )
        # keep an operator-imported (official) boundary; only (re)draw schematic ones
        if area.boundary is None or (area.boundary_is_schematic and not area.boundary.equals_exact(geometry, 1e-9)):
            area.boundary = geometry
            area.boundary_is_schematic = True
            area.boundary_source = SCHEMATIC_SOURCE
            area.boundary_crs = "wgs84"
            area.area_km2 = area_km2(geometry)
            changed = True
        elif area.boundary is not None and area.area_km2 is None:
            area.area_km2 = area_km2(area.boundary)
            changed = True
        if changed:
            area.name = spec.name
            area.level = spec.level
            area.kind = spec.kind
            area.parent = parent
            area.sort_order = spec.sort_order
            area.save()
        return area

    district = upsert(DISTRICT, None)
    result[district.code] = district
    for spec in OVERLAYS:
        result[spec.code] = upsert(spec, district)
    for spec in TOWNS:
        area = upsert(spec, district)
        wanted = result[spec.administered_by].pk if spec.administered_by else None
        if area.administered_by_id != wanted:
            area.administered_by_id = wanted
            area.save(update_fields=["administered_by"])
        result[spec.code] = area
    return result


def area_by_name(name: str) -> AdminArea:
    return AdminArea.objects.get(name=name)
