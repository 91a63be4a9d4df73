"""Reads of the area tree."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from wildlife.core.scope import user_scope
from wildlife.geo import boundaries
from wildlife.geo.choices import AreaLevel, BoundaryImportStatus
from wildlife.geo.models import AdminArea, BoundaryImport

DISPLAY_TOLERANCE_DEG = 0.0005  # ≈ 50 m: boundaries drawn on maps are simplified to this


def areas_for_user(user: Any) -> list[AdminArea]:
    """The areas the user is assigned to (top of each subtree)."""
    scope = user_scope(user)
    return list(AdminArea.objects.filter(pk__in=scope.area_ids).order_by("path"))


def area_list(*, user: Any, include_overlays: bool = True) -> QuerySet[AdminArea]:
    """Areas within the user's scope (subtrees of their assignments); administrators see the whole tree."""
    queryset = AdminArea.objects.active()
    if getattr(user, "is_admin_role", False):
        return queryset
    paths = user_scope(user).paths("view")
    if not paths:
        return queryset.none()
    q = Q()
    for prefix in paths:
        q |= Q(path__startswith=prefix)
    queryset = queryset.filter(q)
    if not include_overlays:
        queryset = queryset.exclude(level=AreaLevel.OVERLAY)
    return queryset


def area_for_point(point: Point, *, level: str = AreaLevel.TOWN) -> AdminArea | None:
    """The active area of `level` whose boundary covers the point (None outside every boundary; a point on a shared
    border goes to the first area in path order).

    Answered in process from prepared boundaries (wildlife/geo/locator.py) rather than a spatial query per point;
    the returned instance is shared and has no `boundary` loaded: treat it as read-only.
    """
    if point.srid not in (None, 4326):
        transformed = point.transform(4326, clone=True)
        assert isinstance(transformed, Point)
        point = transformed
    from wildlife.geo.locator import locator_for

    locator = locator_for(level)
    pk = locator.locate(float(point.x), float(point.y), point)
    return locator.instances.get(pk) if pk is not None else None


def area_ids_for_points(lons: Sequence[float], lats: Sequence[float], *, level: str = AreaLevel.TOWN) -> list[int | None]:
    """Vectorised area_for_point for imports: the area id of each point (None outside every boundary)."""
    from wildlife.geo.locator import locator_for

    return locator_for(level).locate_many(lons, lats)


def district_area(code: str | None = None) -> AdminArea:
    from django.conf import settings

    return AdminArea.objects.get(code=code or settings.WILDLIFE_DISTRICT_CODE)


def district_boundary() -> GEOSGeometry | None:
    """The current boundary of the configured district (None when it has none yet)."""
    area = AdminArea.objects.filter(level=AreaLevel.DISTRICT).only("boundary", "code").order_by("path").first()
    return area.boundary if area is not None else None


# --- tree and map layers -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaRow:
    """One line of the area tree as pages show it."""

    area: AdminArea
    indent: int


def area_pages_queryset(user: Any) -> QuerySet[AdminArea]:
    """What the area pages show: the user's scope; for the system administrator every area, including disabled
    ones (so that they can be found and enabled again)."""
    if getattr(user, "admin_role", "") == "system":
        return AdminArea.objects.all()
    return area_list(user=user)


def area_tree(*, user: Any) -> tuple[list[AreaRow], list[AdminArea]]:
    """(legal tree rows in path order with their indent, overlay areas) within the user's scope."""
    areas = list(area_pages_queryset(user).select_related("parent", "administered_by").order_by("path", "sort_order"))
    overlays = [a for a in areas if a.level == AreaLevel.OVERLAY]
    tree = [a for a in areas if a.level != AreaLevel.OVERLAY]
    if not tree:
        return [], overlays
    top = min(a.depth for a in tree)
    # siblings in their configured order (codes of 街道 and 镇 do not sort the way people list them)
    by_parent: dict[int | None, list[AdminArea]] = {}
    ids = {a.pk for a in tree}
    for area in tree:
        parent_id = area.parent_id if area.parent_id in ids else None
        by_parent.setdefault(parent_id, []).append(area)
    rows: list[AreaRow] = []

    def walk(parent_id: int | None) -> None:
        for area in sorted(by_parent.get(parent_id, []), key=lambda a: (a.sort_order, a.path)):
            rows.append(AreaRow(area=area, indent=area.depth - top))
            walk(area.pk)

    walk(None)
    return rows, overlays


def area_children(*, user: Any, area: AdminArea) -> QuerySet[AdminArea]:
    """The direct children of `area` within the user's scope."""
    return area_pages_queryset(user).filter(parent=area).order_by("sort_order", "path")


def area_feature(area: AdminArea, *, tolerance: float = DISPLAY_TOLERANCE_DEG) -> dict[str, Any]:
    """One area as a GeoJSON Feature (boundary simplified for display)."""
    geometry = None
    if area.boundary is not None:
        simplified = area.boundary.simplify(tolerance, preserve_topology=True) if tolerance else area.boundary
        geometry = json.loads(simplified.geojson)
    return {
        "type": "Feature",
        "id": area.pk,
        "geometry": geometry,
        "properties": {
            "id": area.pk,
            "name": area.name,
            "code": area.code,
            "level": area.level,
            "kind": area.kind,
            "parent": area.parent_id,
            "administered_by": area.administered_by_id,
            "schematic": area.boundary_is_schematic,
            "url": area.get_absolute_url(),
        },
    }


def area_feature_collection(queryset: QuerySet[AdminArea], *, tolerance: float = DISPLAY_TOLERANCE_DEG) -> dict[str, Any]:
    """The areas of `queryset` that have a boundary, as a FeatureCollection."""
    features = [area_feature(area, tolerance=tolerance) for area in queryset.exclude(boundary__isnull=True)]
    return {"type": "FeatureCollection", "features": features}


def assignment_counts(area: AdminArea) -> dict[str, int]:
    """Users assigned to this area directly, and to it or anything below it (for the system administrator)."""
    from wildlife.accounts.models import AreaAssignment

    direct = AreaAssignment.objects.filter(area=area).values("user").distinct().count()
    subtree = AreaAssignment.objects.filter(area__path__startswith=area.path).values("user").distinct().count()
    return {"direct": direct, "subtree": subtree}


# --- boundary import -----------------------------------------------------------------------------------------------


def boundary_import_for_owner(*, user: Any, import_id: int) -> BoundaryImport | None:
    """A staged import of `user` (None for anyone else's, or one already confirmed or discarded)."""
    if not getattr(user, "is_authenticated", False):
        return None
    from django.utils import timezone

    return (
        BoundaryImport.objects.filter(
            pk=import_id, owner_id=user.pk, status=BoundaryImportStatus.STAGED, expires_at__gt=timezone.now()
        )
        .first()
    )


def matched_boundaries(staging: BoundaryImport) -> dict[int, tuple[list[int], MultiPolygon]]:
    """{area id: (feature numbers, combined boundary)} for the staged import's current matching."""
    features = [boundaries.BoundaryFeature.from_dict(f) for f in staging.features]
    matches = boundaries.match_features(
        features, match_by=staging.match_by, field=staging.match_field, areas=AdminArea.objects.active().only("id", "code", "name", "short_name")
    )
    by_number = {f.number: f for f in features}
    grouped: dict[int, list[boundaries.BoundaryFeature]] = {}
    for match in matches:
        if match.area_id is not None:
            grouped.setdefault(match.area_id, []).append(by_number[match.feature_number])
    return {area_id: ([f.number for f in parts], boundaries.combine(parts)) for area_id, parts in grouped.items()}


def area_change_summary(area: AdminArea, geometry: MultiPolygon) -> dict[str, Any]:
    """How a new boundary compares with the current one (for the preview table)."""
    from wildlife.geo.coords import haversine_m

    new_km2 = boundaries.area_km2(geometry)
    summary: dict[str, Any] = {"new_km2": new_km2, "old_km2": area.area_km2, "vertices": boundaries.vertex_count(geometry), "shift_m": None, "change_pct": None}
    if area.boundary is not None:
        old_km2 = area.area_km2 if area.area_km2 is not None else boundaries.area_km2(area.boundary)
        summary["old_km2"] = old_km2
        if old_km2:
            summary["change_pct"] = round(float((new_km2 - old_km2) / old_km2 * Decimal(100)), 1)
        a, b = area.boundary.centroid, geometry.centroid
        summary["shift_m"] = round(haversine_m(a.x, a.y, b.x, b.y))
    return summary


def boundary_import_preview(staging: BoundaryImport) -> dict[str, Any]:
    """What the preview page shows: each feature with its matched area, and each matched area's change."""
    features = [boundaries.BoundaryFeature.from_dict(f) for f in staging.features]
    areas = {a.pk: a for a in AdminArea.objects.active()}
    matches = boundaries.match_features(features, match_by=staging.match_by, field=staging.match_field, areas=areas.values())
    error = ""
    try:
        matched = matched_boundaries(staging)
    except ValidationError as exc:
        matched = {}
        error = "；".join(exc.messages)
    feature_rows = [
        {"number": m.feature_number, "value": m.value, "area": areas.get(m.area_id) if m.area_id else None}
        for m in matches
    ]
    area_rows = []
    for area_id, (numbers, geometry) in sorted(matched.items(), key=lambda item: areas[item[0]].path):
        area = areas[area_id]
        area_rows.append({"area": area, "features": numbers, **area_change_summary(area, geometry)})
    return {
        "features": feature_rows,
        "areas": area_rows,
        "unmatched": [row for row in feature_rows if row["area"] is None],
        "error": error,
        "can_apply": bool(area_rows) and not error,
    }


def boundary_import_feature_collection(staging: BoundaryImport) -> dict[str, Any]:
    """The staged features (WGS-84) with the area each one matched, for the preview map."""
    features = [boundaries.BoundaryFeature.from_dict(f) for f in staging.features]
    areas = {a.pk: a for a in AdminArea.objects.active().only("id", "code", "name", "short_name")}
    matches = {m.feature_number: m for m in boundaries.match_features(features, match_by=staging.match_by, field=staging.match_field, areas=areas.values())}
    result = []
    for feature in features:
        match = matches[feature.number]
        area = areas.get(match.area_id) if match.area_id else None
        label = area.name if area else "未匹配"
        result.append(
            {
                "type": "Feature",
                "id": feature.number,
                "geometry": feature.geometry,
                "properties": {
                    "name": f"#{feature.number} {match.value or ''} → {label}",
                    "matched": area is not None,
                    "color": "#e34a33" if area is not None else "#7f7f7f",
                },
            }
        )
    return {"type": "FeatureCollection", "features": result}
