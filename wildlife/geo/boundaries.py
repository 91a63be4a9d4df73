"""Reading, checking and measuring boundary polygons (used by the boundary import and the area forms).

Problems are reported, never repaired: a self-intersecting ring is an error naming the feature and the place, not
something `make_valid()` quietly turns into a different shape.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.gis.gdal import SpatialReference
from django.contrib.gis.gdal.error import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wildlife.geo.choices import MatchBy
from wildlife.geo.coords import convert_coordinates, converter_for

# the part of the world where a boundary of a Chinese administrative area can lie (generous: 73–136°E, 3–54°N)
CHINA_EXTENT = (73.0, 3.0, 136.0, 54.0)
DISTRICT_MARGIN_DEG = 0.5  # a boundary must lie within ~50 km of the district's current extent
MAX_FEATURES = 2000
MAX_VERTICES = 500_000
MATCH_BY_CODE = MatchBy.CODE.value
MATCH_BY_NAME = MatchBy.NAME.value
CODE_FIELD_GUESSES = ("code", "adcode", "xzqdm", "xzqhdm", "区划代码", "行政区划代码", "gb", "dm")
NAME_FIELD_GUESSES = ("name", "xzqmc", "区划名称", "名称", "mc", "xzqhmc")


@dataclass
class BoundaryFeature:
    """One polygon feature of an uploaded file, checked and converted to WGS-84."""

    number: int  # 1-based position in the file, as people count
    attributes: dict[str, str]
    geometry: dict[str, Any]  # GeoJSON MultiPolygon, WGS-84

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "attributes": self.attributes, "geometry": self.geometry}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BoundaryFeature:
        return cls(number=int(data["number"]), attributes=dict(data["attributes"]), geometry=dict(data["geometry"]))

    def geos(self) -> MultiPolygon:
        geometry = GEOSGeometry(json.dumps(self.geometry), srid=4326)
        assert isinstance(geometry, MultiPolygon)
        return geometry


# --- validity ------------------------------------------------------------------------------------------------------

_REASONS = (
    ("Ring Self-intersection", "环自相交"),
    ("Self-intersection", "边界自相交"),
    ("Too few points", "点数过少"),
    ("Hole lies outside shell", "内环（洞）位于外环之外"),
    ("Holes are nested", "内环相互嵌套"),
    ("Interior is disconnected", "内部不连通（内环把面分割开）"),
    ("Nested shells", "多个外环相互嵌套（多面的各部分重叠）"),
    ("Duplicate Rings", "存在重复的环"),
    ("Invalid Coordinate", "坐标无效"),
    ("Ring is not closed", "环未闭合"),
)


def describe_invalid(geometry: GEOSGeometry) -> str:
    """GEOS's validity reason in Chinese, with the place it names ("自相交（位置 117.80123, 36.70456）")."""
    reason = geometry.valid_reason or ""
    text = reason
    for english, chinese in _REASONS:
        if reason.startswith(english):
            text = chinese
            break
    place = re.search(r"\[\s*(-?[\d.]+)\s+(-?[\d.]+)", reason)
    if place:
        return _("%(problem)s（位置 %(x).5f, %(y).5f）") % {"problem": text, "x": float(place.group(1)), "y": float(place.group(2))}
    return text


def extent_for_district(district_boundary: GEOSGeometry | None) -> tuple[float, float, float, float]:
    """The sane extent for boundaries of this district: its current extent plus a margin, within China."""
    if district_boundary is None or district_boundary.empty:
        return CHINA_EXTENT
    west, south, east, north = district_boundary.extent
    return (
        max(CHINA_EXTENT[0], west - DISTRICT_MARGIN_DEG),
        max(CHINA_EXTENT[1], south - DISTRICT_MARGIN_DEG),
        min(CHINA_EXTENT[2], east + DISTRICT_MARGIN_DEG),
        min(CHINA_EXTENT[3], north + DISTRICT_MARGIN_DEG),
    )


def multipolygon_coordinates(coordinates: Any, kind: str) -> list[Any]:
    return [coordinates] if kind == "Polygon" else list(coordinates)


def check_polygon_coordinates(polygons: list[Any], extent: tuple[float, float, float, float]) -> str | None:
    """Closure, point count, finite numbers and extent of raw (Multi)Polygon coordinates; a Chinese problem or None."""
    if not polygons:
        return _("几何为空。")
    west, south, east, north = extent
    for p_index, polygon in enumerate(polygons, start=1):
        if not polygon:
            return _("第 %(p)d 个面为空。") % {"p": p_index}
        for r_index, ring in enumerate(polygon, start=1):
            if len(ring) < 4:
                return _("第 %(p)d 个面 第 %(r)d 个环只有 %(k)d 个点（至少 4 个，首尾相同）。") % {"p": p_index, "r": r_index, "k": len(ring)}
            if list(ring[0][:2]) != list(ring[-1][:2]):
                return _("第 %(p)d 个面 第 %(r)d 个环未闭合（首末点不同）。") % {"p": p_index, "r": r_index}
            for position in ring:
                x, y = float(position[0]), float(position[1])
                if not (math.isfinite(x) and math.isfinite(y)):
                    return _("第 %(p)d 个面 第 %(r)d 个环含有无效坐标。") % {"p": p_index, "r": r_index}
                if not (west <= x <= east and south <= y <= north):
                    return _(
                        "坐标 (%(x)s, %(y)s) 超出合理范围（经度 %(w).1f°–%(e).1f°，纬度 %(s).1f°–%(n).1f°）："
                        "文件可能使用投影坐标，或经纬度顺序颠倒，或不是本区的边界。"
                    ) % {"x": position[0], "y": position[1], "w": west, "e": east, "s": south, "n": north}
    return None


def geometry_from_polygons(polygons: list[Any]) -> MultiPolygon:
    geometry = GEOSGeometry(json.dumps({"type": "MultiPolygon", "coordinates": polygons}), srid=4326)
    assert isinstance(geometry, MultiPolygon)
    return geometry


def validate_boundary(geometry: GEOSGeometry, *, extent: tuple[float, float, float, float] = CHINA_EXTENT) -> MultiPolygon:
    """A drawn or edited boundary as a valid MultiPolygon in WGS-84; ValidationError (field `boundary`) otherwise."""
    if geometry.srid not in (None, 4326):
        geometry = geometry.transform(4326, clone=True)
    if isinstance(geometry, Polygon):
        geometry = MultiPolygon(geometry, srid=4326)
    if not isinstance(geometry, MultiPolygon):
        raise ValidationError({"boundary": _("边界应为面 (Polygon/MultiPolygon)，收到 %(type)s。") % {"type": geometry.geom_type}})
    data = json.loads(geometry.json)
    problem = check_polygon_coordinates(data["coordinates"], extent)
    if problem:
        raise ValidationError({"boundary": problem})
    geometry.srid = 4326
    if not geometry.valid:
        raise ValidationError({"boundary": _("边界无效：%(reason)s") % {"reason": describe_invalid(geometry)}})
    return geometry


# --- reading a file ------------------------------------------------------------------------------------------------


def _attribute_text(feature: Any, name: str) -> str:
    try:
        value = feature.get(name)
    except (GDALException, ValueError, TypeError, UnicodeDecodeError):
        try:
            value = feature[name].as_string()
        except (GDALException, ValueError, TypeError, UnicodeDecodeError):
            return ""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_features(datasource: Any, *, crs: str, extent: tuple[float, float, float, float]) -> tuple[str, list[str], list[BoundaryFeature]]:
    """(layer name, attribute field names, features) of the first layer, checked and converted to WGS-84.

    Raises ValidationError (field `file`) naming the feature number and the problem for the first bad feature.
    """
    if len(datasource) == 0:
        raise ValidationError({"file": [_("文件中没有图层。")]})
    layer = datasource[0]
    fields = [str(name) for name in layer.fields]
    convert = converter_for(crs)
    features: list[BoundaryFeature] = []
    vertices = 0
    for number, feature in enumerate(layer, start=1):
        if number > MAX_FEATURES:
            raise ValidationError({"file": [_("要素过多（超过 %(n)d 个）。") % {"n": MAX_FEATURES}]})
        prefix = _("第 %(n)d 个要素") % {"n": number}
        try:
            ogr_geometry = feature.geom
        except (GDALException, IndexError):
            ogr_geometry = None
        if ogr_geometry is None:
            raise ValidationError({"file": [_("%(prefix)s：缺少几何。") % {"prefix": prefix}]})
        data = json.loads(ogr_geometry.json)
        kind = data.get("type")
        if kind not in ("Polygon", "MultiPolygon"):
            raise ValidationError({"file": [_("%(prefix)s：几何类型为 %(type)s，应为面 (Polygon 或 MultiPolygon)。") % {"prefix": prefix, "type": kind}]})
        polygons = multipolygon_coordinates(data.get("coordinates") or [], kind)
        polygons = [[[list(p[:2]) for p in ring] for ring in polygon] for polygon in polygons]
        problem = check_polygon_coordinates(polygons, extent)
        if problem:
            raise ValidationError({"file": [_("%(prefix)s：%(problem)s") % {"prefix": prefix, "problem": problem}]})
        vertices += sum(len(ring) for polygon in polygons for ring in polygon)
        if vertices > MAX_VERTICES:
            raise ValidationError({"file": [_("顶点过多（超过 %(n)d 个），请先简化边界。") % {"n": MAX_VERTICES}]})
        if convert is not None:
            polygons = convert_coordinates(polygons, convert)
        try:
            geometry = geometry_from_polygons(polygons)
        except (GEOSException, ValueError) as exc:
            raise ValidationError({"file": [_("%(prefix)s：几何无法解析（%(msg)s）。") % {"prefix": prefix, "msg": str(exc)[:80]}]}) from exc
        if geometry.empty:
            raise ValidationError({"file": [_("%(prefix)s：几何为空。") % {"prefix": prefix}]})
        if not geometry.valid:
            raise ValidationError({"file": [_("%(prefix)s：边界无效，%(reason)s。") % {"prefix": prefix, "reason": describe_invalid(geometry)}]})
        attributes = {name: _attribute_text(feature, name) for name in fields}
        features.append(BoundaryFeature(number=number, attributes=attributes, geometry={"type": "MultiPolygon", "coordinates": polygons}))
    if not features:
        raise ValidationError({"file": [_("图层中没有要素。")]})
    return str(layer.name), fields, features


# --- matching ------------------------------------------------------------------------------------------------------


def guess_match_field(fields: Iterable[str], match_by: str) -> str:
    """The attribute field most likely holding codes (or names); '' when none looks right."""
    guesses = CODE_FIELD_GUESSES if match_by == MATCH_BY_CODE else NAME_FIELD_GUESSES
    lowered = {name.lower(): name for name in fields}
    for guess in guesses:
        if guess in lowered:
            return lowered[guess]
    return ""


def code_candidates(value: str) -> list[str]:
    """A code as written plus its shorter forms: 12-digit statistical codes end in zeros (370306100000 → 370306100)."""
    value = value.strip()
    result = [value]
    if value.isdigit():
        shorter = value
        while len(shorter) > 6 and shorter.endswith("000"):
            shorter = shorter[:-3]
            result.append(shorter)
    return result


@dataclass
class Match:
    feature_number: int
    value: str
    area_id: int | None


def match_features(features: list[BoundaryFeature], *, match_by: str, field: str, areas: Iterable[Any]) -> list[Match]:
    """Which area each feature belongs to, by the value of `field` (an area code or name)."""
    by_code: dict[str, int] = {}
    by_name: dict[str, int] = {}
    for area in areas:
        by_code[area.code] = area.pk
        by_name.setdefault(area.name, area.pk)
        if area.short_name:
            by_name.setdefault(area.short_name, area.pk)
    matches: list[Match] = []
    for feature in features:
        value = feature.attributes.get(field, "") if field else ""
        area_id: int | None = None
        if value:
            if match_by == MATCH_BY_CODE:
                area_id = next((by_code[c] for c in code_candidates(value) if c in by_code), None)
            else:
                area_id = by_name.get(value.strip())
        matches.append(Match(feature_number=feature.number, value=value, area_id=area_id))
    return matches


def combine(features: list[BoundaryFeature]) -> MultiPolygon:
    """The boundary made of one or more features (parts of one area); ValidationError when the parts overlap."""
    polygons: list[Polygon] = []
    for feature in features:
        polygons.extend(part for part in feature.geos() if isinstance(part, Polygon))
    geometry = MultiPolygon(polygons, srid=4326)
    if len(features) > 1 and not geometry.valid:
        numbers = "、".join(str(f.number) for f in features)
        raise ValidationError({"file": [_("第 %(numbers)s 个要素属于同一区划，合并后边界无效：%(reason)s。") % {"numbers": numbers, "reason": describe_invalid(geometry)}]})
    return geometry


# --- measuring -----------------------------------------------------------------------------------------------------


def area_km2(geometry: GEOSGeometry) -> Decimal:
    """Area in km², computed in a Lambert azimuthal equal-area projection centred on the geometry (WGS-84
    ellipsoid): equal-area, so the figure does not depend on where in China the area lies."""
    centre = geometry.centroid
    srs = SpatialReference(
        f"+proj=laea +lat_0={centre.y:.6f} +lon_0={centre.x:.6f} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
    )
    projected = geometry.transform(srs, clone=True)
    assert projected is not None
    return Decimal(str(round(projected.area / 1_000_000, 2)))


def vertex_count(geometry: GEOSGeometry) -> int:
    return int(geometry.num_coords)
