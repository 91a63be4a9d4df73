"""GPS tracks: reading GPX and GeoJSON safely, ellipsoidal length, and the towns a track runs through.

GPX is XML. The standard library parsers expand internal entities (the "billion laughs") and the platform has no
defusedxml, so `xml.etree` parses GPX with a tree builder that refuses the document as soon as a DOCTYPE starts:
every entity declaration and every external reference lives inside one, so none is ever read. Messages name the point
(and the line, when the XML itself is broken) in Chinese.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from django.contrib.gis.geos import LineString
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

MAX_TRACK_BYTES = 20 * 1024 * 1024
MAX_TRACK_POINTS = 50_000
MAX_ERRORS_SHOWN = 10
GPX_NAMESPACES = ("http://www.topografix.com/GPX/1/1", "http://www.topografix.com/GPX/1/0")

# WGS-84 ellipsoid
_A = 6_378_137.0
_F = 1 / 298.257223563
_B = _A * (1 - _F)


@dataclass
class ParsedTrack:
    """A checked track: segments of (lon, lat) in WGS-84, optional times, and its name when the file has one."""

    segments: list[list[tuple[float, float]]]
    times: list[dt.datetime] = field(default_factory=list)
    name: str = ""
    source_format: str = ""

    @property
    def points(self) -> list[tuple[float, float]]:
        return [p for segment in self.segments for p in segment]

    @property
    def point_count(self) -> int:
        return sum(len(s) for s in self.segments)

    @property
    def started_at(self) -> dt.datetime | None:
        return min(self.times) if self.times else None

    @property
    def ended_at(self) -> dt.datetime | None:
        return max(self.times) if self.times else None

    def linestring(self) -> LineString:
        """The whole route as one line (segments joined in order), as the API's `track` LineString."""
        return LineString(self.points, srid=4326)

    def length_m(self) -> float:
        """Ellipsoidal length of the walked segments; gaps between segments (the GPS was off) do not count."""
        return sum(path_length_m(segment) for segment in self.segments)


def _error(field_name: str, messages: list[str]) -> ValidationError:
    shown = messages[:MAX_ERRORS_SHOWN]
    if len(messages) > MAX_ERRORS_SHOWN:
        shown.append(_("……另有 %(n)d 处错误") % {"n": len(messages) - MAX_ERRORS_SHOWN})
    return ValidationError({field_name: shown})


# --- geodesy ---------------------------------------------------------------------------------------------------------


def geodesic_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Distance in metres on the WGS-84 ellipsoid (Vincenty's inverse formula; sub-millimetre for patrol distances).

    Falls back to a great-circle distance for the nearly antipodal points where the iteration does not converge
    (never the case within a district)."""
    if lon1 == lon2 and lat1 == lat2:
        return 0.0
    u1 = math.atan((1 - _F) * math.tan(math.radians(lat1)))
    u2 = math.atan((1 - _F) * math.tan(math.radians(lat2)))
    big_l = math.radians(lon2 - lon1)
    lam = big_l
    sin_u1, cos_u1, sin_u2, cos_u2 = math.sin(u1), math.cos(u1), math.sin(u2), math.cos(u2)
    for _iteration in range(200):
        sin_lam, cos_lam = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
        if sin_sigma == 0:
            return 0.0
        cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cos_u1 * cos_u2 * sin_lam / sin_sigma
        cos2_alpha = 1 - sin_alpha**2
        cos_2sm = cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha if cos2_alpha else 0.0
        c = _F / 16 * cos2_alpha * (4 + _F * (4 - 3 * cos2_alpha))
        previous = lam
        lam = big_l + (1 - c) * _F * sin_alpha * (sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm**2)))
        if abs(lam - previous) < 1e-12:
            break
    else:
        from wildlife.geo.coords import haversine_m

        return haversine_m(lon1, lat1, lon2, lat2)
    u_sq = cos2_alpha * (_A**2 - _B**2) / _B**2
    a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta_sigma = b * sin_sigma * (
        cos_2sm + b / 4 * (cos_sigma * (-1 + 2 * cos_2sm**2) - b / 6 * cos_2sm * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2sm**2))
    )
    return _B * a * (sigma - delta_sigma)


SHORT_LEG_M = 1_000.0


def leg_lengths_m(points: list[tuple[float, float]]) -> Any:
    """Length in metres of each leg of a polyline (numpy array).

    GPS legs are metres to a few hundred metres long: for those the ellipsoid is flat to well under a millimetre, so
    they are measured at once with the meridian and prime-vertical radii at the leg's mid-latitude. Longer legs (a
    route drawn on the map) are measured with Vincenty's formula."""
    import numpy as np

    if len(points) < 2:
        return np.zeros(0)
    coords = np.radians(np.asarray(points, dtype=np.float64))
    lon, lat = coords[:, 0], coords[:, 1]
    mid = (lat[1:] + lat[:-1]) / 2
    e2 = _F * (2 - _F)
    w = np.sqrt(1 - e2 * np.sin(mid) ** 2)
    meridian, normal = _A * (1 - e2) / w**3, _A / w
    lengths = np.hypot(np.diff(lat) * meridian, np.diff(lon) * normal * np.cos(mid))
    for i in np.nonzero(lengths > SHORT_LEG_M)[0]:
        a, b = points[int(i)], points[int(i) + 1]
        lengths[i] = geodesic_m(a[0], a[1], b[0], b[1])
    return lengths


def path_length_m(points: list[tuple[float, float]]) -> float:
    """Length in metres of a polyline of (lon, lat) points."""
    return float(leg_lengths_m(points).sum())


def town_lengths(segments: list[list[tuple[float, float]]]) -> tuple[dict[int, float], float]:
    """Metres of track per town ({area id: metres}) and the metres outside every town.

    Each leg is credited to the town holding its midpoint: legs are a few metres to a few hundred metres long, so the
    error at a boundary is half a leg at most."""
    from wildlife.geo.selectors import area_ids_for_points

    lons: list[float] = []
    lats: list[float] = []
    lengths: list[float] = []
    for segment in segments:
        lengths.extend(float(x) for x in leg_lengths_m(segment))
        for a, b in itertools.pairwise(segment):
            lons.append((a[0] + b[0]) / 2)
            lats.append((a[1] + b[1]) / 2)
    if not lengths:
        return {}, 0.0
    ids = area_ids_for_points(lons, lats)
    result: dict[int, float] = {}
    outside = 0.0
    for length, area_id in zip(lengths, ids, strict=True):
        if area_id is None:
            outside += length
        else:
            result[area_id] = result.get(area_id, 0.0) + length
    return result, outside


def split_names(text: str) -> list[str]:
    """Names typed in one field, separated by 、，, ; or spaces."""
    return [part.strip() for part in re.split(r"[、，,;；\s]+", text or "") if part.strip()]


# --- checks shared by both formats ------------------------------------------------------------------------------------


def _coordinate(value: Any, *, label: str, low: float, high: float, where: str, errors: list[str]) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append(_("%(where)s：缺少%(label)s") % {"where": where, "label": label})
        return None
    if isinstance(value, bool):
        errors.append(_("%(where)s：%(label)s「%(value)s」不是数字") % {"where": where, "label": label, "value": value})
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors.append(_("%(where)s：%(label)s「%(value)s」不是数字") % {"where": where, "label": label, "value": str(value)[:40]})
        return None
    if not math.isfinite(number) or not low <= number <= high:
        errors.append(
            _("%(where)s：%(label)s %(value)s 超出范围（%(low)s～%(high)s）")
            % {"where": where, "label": label, "value": str(value)[:40], "low": low, "high": high}
        )
        return None
    return number


def _quick_float(value: str | None, limit: float) -> float | None:
    """The number when it is a finite value within ±limit, else None (the caller then explains why)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if -limit <= number <= limit else None


def _finish(segments: list[list[tuple[float, float]]], *, field_name: str) -> list[list[tuple[float, float]]]:
    # consecutive duplicates (a GPS standing still) add nothing and would make zero-length legs
    cleaned = []
    for segment in segments:
        kept: list[tuple[float, float]] = []
        for point in segment:
            if not kept or kept[-1] != point:
                kept.append(point)
        if len(kept) >= 2:
            cleaned.append(kept)
    if not cleaned:
        raise ValidationError({field_name: [_("轨迹至少需要两个不同位置的点。")]})
    total = sum(len(s) for s in cleaned)
    if total > MAX_TRACK_POINTS:
        raise ValidationError(
            {field_name: [_("轨迹点过多（%(n)d 个，上限 %(max)d 个），请先抽稀。") % {"n": total, "max": MAX_TRACK_POINTS}]}
        )
    return cleaned


# --- GPX -------------------------------------------------------------------------------------------------------------


class _RefusedXML(Exception):
    pass


class _GuardedTreeBuilder(ET.TreeBuilder):
    """Refuses the document at the start of a DOCTYPE, before expat reads any entity declaration in it."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise _RefusedXML(_("文件包含 DOCTYPE 声明，出于安全原因拒绝处理（GPX 文件不需要 DTD 或实体）。"))


def _parse_xml(data: bytes) -> ET.Element:
    parser = ET.XMLParser(target=_GuardedTreeBuilder())  # noqa: S314 - DOCTYPE refused by the builder
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except _RefusedXML as exc:
        raise ValidationError({"track_file": [str(exc)]}) from exc
    except ET.ParseError as exc:
        line, column = exc.position
        reason = expat.ErrorString(exc.code) if exc.code else str(exc)
        raise ValidationError(
            {"track_file": [_("GPX 文件不是有效的 XML（第 %(line)d 行第 %(col)d 列）：%(reason)s") % {"line": line, "col": column + 1, "reason": reason}]}
        ) from exc
    return root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_gpx(data: bytes) -> ParsedTrack:
    """Track (or, failing that, route) points of a GPX 1.0/1.1 file. Raises ValidationError on `track_file`."""
    if len(data) > MAX_TRACK_BYTES:
        raise ValidationError({"track_file": [_("轨迹文件过大（上限 %(mb)d MB）。") % {"mb": MAX_TRACK_BYTES // (1024 * 1024)}]})
    if not data.strip():
        raise ValidationError({"track_file": [_("轨迹文件是空的。")]})
    root = _parse_xml(data)
    if _local(root.tag) != "gpx":
        raise ValidationError({"track_file": [_("不是 GPX 文件：根元素应为 <gpx>，实际为 <%(tag)s>。") % {"tag": _local(root.tag)[:40]}]})
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if namespace and namespace not in GPX_NAMESPACES:
        raise ValidationError({"track_file": [_("不支持的 GPX 命名空间：%(ns)s（支持 GPX 1.0 / 1.1）。") % {"ns": namespace[:80]}]})
    ns = "{" + namespace + "}" if namespace else ""
    errors: list[str] = []
    segments: list[list[tuple[float, float]]] = []
    times: list[dt.datetime] = []
    name = ""
    number = 0
    groups: list[tuple[str, list[ET.Element]]] = []
    for trk_index, trk in enumerate(root.iter(f"{ns}trk"), start=1):
        if not name:
            name = (trk.findtext(f"{ns}name") or "").strip()
        for seg_index, seg in enumerate(trk.iter(f"{ns}trkseg"), start=1):
            groups.append((_("第 %(t)d 条轨迹第 %(s)d 段") % {"t": trk_index, "s": seg_index}, list(seg.iter(f"{ns}trkpt"))))
    if not groups:
        for rte_index, rte in enumerate(root.iter(f"{ns}rte"), start=1):
            if not name:
                name = (rte.findtext(f"{ns}name") or "").strip()
            groups.append((_("第 %(r)d 条路线") % {"r": rte_index}, list(rte.iter(f"{ns}rtept"))))
    if not any(points for _label, points in groups):
        raise ValidationError({"track_file": [_("GPX 文件中没有轨迹点（<trkpt>）或路线点（<rtept>）。")]})
    time_tag = f"{ns}time"
    for label, elements in groups:
        segment: list[tuple[float, float]] = []
        for index, element in enumerate(elements, start=1):
            number += 1
            if number > MAX_TRACK_POINTS:
                raise ValidationError(
                    {"track_file": [_("轨迹点过多（超过 %(max)d 个），请先抽稀。") % {"max": MAX_TRACK_POINTS}]}
                )
            lat = _quick_float(element.get("lat"), 90)
            lon = _quick_float(element.get("lon"), 180)
            raw_time = (element.findtext(time_tag) or "").strip()
            parsed = _parse_time(raw_time) if raw_time else None
            if lat is not None and lon is not None and (parsed is not None or not raw_time):
                segment.append((lon, lat))
                if parsed is not None:
                    times.append(parsed)
                continue
            # the slow path builds the messages only for a bad point
            where = _("%(label)s第 %(i)d 个点") % {"label": label, "i": index}
            _coordinate(element.get("lat"), label=_("纬度 lat"), low=-90, high=90, where=where, errors=errors)
            _coordinate(element.get("lon"), label=_("经度 lon"), low=-180, high=180, where=where, errors=errors)
            if raw_time and parsed is None:
                errors.append(_("%(where)s：时间「%(value)s」格式不正确（应为 ISO 8601，如 2026-03-12T08:30:00Z）") % {"where": where, "value": raw_time[:40]})
        segments.append(segment)
    if errors:
        raise _error("track_file", errors)
    return ParsedTrack(segments=_finish(segments, field_name="track_file"), times=times, name=name[:200], source_format="gpx")


def _parse_time(value: str) -> dt.datetime | None:
    try:
        parsed: dt.datetime | None = dt.datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        try:
            parsed = parse_datetime(value.replace("z", "Z").replace("Z", "+00:00"))
        except ValueError:
            return None
    if parsed is None or parsed.tzinfo is None:
        return None
    return parsed


# --- GeoJSON ---------------------------------------------------------------------------------------------------------


def _refuse_constant(token: str) -> Any:
    raise ValueError(token)


def parse_geojson_track(text: str | bytes, *, field_name: str = "track_file") -> ParsedTrack:
    """A LineString/MultiLineString (bare geometry, Feature or FeatureCollection) in WGS-84/CGCS2000 longitude,
    latitude order. `properties.coordTimes` (as written by common GPX converters) gives point times."""
    from wildlife.geo.uploads import ALLOWED_GEOJSON_CRS_NAMES

    if isinstance(text, bytes):
        if len(text) > MAX_TRACK_BYTES:
            raise ValidationError({field_name: [_("轨迹文件过大（上限 %(mb)d MB）。") % {"mb": MAX_TRACK_BYTES // (1024 * 1024)}]})
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError({field_name: [_("GeoJSON 文件应为 UTF-8 编码。")]}) from exc
    if not text.strip():
        raise ValidationError({field_name: [_("轨迹数据是空的。")]})
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            {field_name: [_("GeoJSON 格式错误（第 %(line)d 行第 %(col)d 列）：%(msg)s") % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}]}
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise ValidationError({field_name: [_("GeoJSON 中有无效的数值（NaN/Infinity）或嵌套过深。")]}) from exc
    if not isinstance(data, dict):
        raise ValidationError({field_name: [_("GeoJSON 顶层应为对象（FeatureCollection、Feature 或几何）。")]})
    crs = data.get("crs")
    if crs is not None:
        crs_name = str((crs.get("properties") or {}).get("name", "")).lower() if isinstance(crs, dict) and crs.get("type") == "name" else ""
        if crs_name not in ALLOWED_GEOJSON_CRS_NAMES:
            raise ValidationError({field_name: [_("GeoJSON 的 crs 只能是 WGS-84/CGCS2000 经纬度（不接受链接或投影坐标）。")]})
    candidates: list[tuple[str, Any, Any]] = []  # (where, geometry, properties)
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise ValidationError({field_name: [_("FeatureCollection 缺少 features 数组。")]})
        for index, feature in enumerate(features, start=1):
            geometry = feature.get("geometry") if isinstance(feature, dict) else None
            if isinstance(geometry, dict) and geometry.get("type") in ("LineString", "MultiLineString"):
                candidates.append((_("第 %(n)d 个要素") % {"n": index}, feature["geometry"], feature.get("properties")))
    elif kind == "Feature":
        if isinstance(data.get("geometry"), dict):
            candidates.append((_("要素"), data["geometry"], data.get("properties")))
    elif kind in ("LineString", "MultiLineString"):
        candidates.append((_("几何"), data, None))
    else:
        raise ValidationError({field_name: [_("不支持的 GeoJSON 类型「%(t)s」：需要 LineString 或 MultiLineString 轨迹。") % {"t": str(kind)[:40]}]})
    candidates = [c for c in candidates if c[1].get("type") in ("LineString", "MultiLineString")]
    if not candidates:
        raise ValidationError({field_name: [_("GeoJSON 中没有线要素（LineString/MultiLineString）。")]})
    errors: list[str] = []
    segments: list[list[tuple[float, float]]] = []
    times: list[dt.datetime] = []
    name = ""
    for where, geometry, properties in candidates:
        coordinates = geometry.get("coordinates")
        lines = [coordinates] if geometry["type"] == "LineString" else coordinates
        if not isinstance(lines, list) or not all(isinstance(line, list) for line in lines):
            errors.append(_("%(where)s：coordinates 结构不正确。") % {"where": where})
            continue
        if isinstance(properties, dict):
            name = name or str(properties.get("name") or "")[:200]
            raw_times = properties.get("coordTimes") or properties.get("times")
            flat_times = [t for group in raw_times for t in (group if isinstance(group, list) else [group])] if isinstance(raw_times, list) else []
            for value in flat_times:
                parsed = _parse_time(str(value)) if value else None
                if parsed is not None:
                    times.append(parsed)
        for line_index, line in enumerate(lines, start=1):
            segment: list[tuple[float, float]] = []
            for index, position in enumerate(line, start=1):
                label = (
                    _("%(where)s第 %(i)d 个坐标") % {"where": where, "i": index}
                    if len(lines) == 1
                    else _("%(where)s第 %(l)d 条线第 %(i)d 个坐标") % {"where": where, "l": line_index, "i": index}
                )
                if not isinstance(position, list) or len(position) < 2:
                    errors.append(_("%(where)s：应为 [经度, 纬度]。") % {"where": label})
                    continue
                lon = _coordinate(position[0], label=_("经度"), low=-180, high=180, where=label, errors=errors)
                lat = _coordinate(position[1], label=_("纬度"), low=-90, high=90, where=label, errors=errors)
                if lon is not None and lat is not None:
                    segment.append((lon, lat))
                if len(errors) > 200:
                    raise _error(field_name, errors)
            segments.append(segment)
    if errors:
        raise _error(field_name, errors)
    return ParsedTrack(segments=_finish(segments, field_name=field_name), times=times, name=name, source_format="geojson")


def read_track_upload(upload: Any) -> ParsedTrack:
    """An uploaded track file, refused by its size before anything is read into memory."""
    if int(getattr(upload, "size", 0) or 0) > MAX_TRACK_BYTES:
        raise ValidationError({"track_file": [_("轨迹文件过大（上限 %(mb)d MB）。") % {"mb": MAX_TRACK_BYTES // (1024 * 1024)}]})
    return parse_track_upload(name=str(upload.name or ""), data=upload.read())


def parse_track_upload(*, name: str, data: bytes) -> ParsedTrack:
    """Dispatch on the file name (and, for a missing extension, on the first bytes)."""
    lowered = name.lower()
    head = data.lstrip()[:1]
    if lowered.endswith(".gpx") or (not lowered.endswith((".json", ".geojson")) and head == b"<"):
        return parse_gpx(data)
    if lowered.endswith((".json", ".geojson")) or head == b"{":
        return parse_geojson_track(data)
    raise ValidationError({"track_file": [_("不支持的轨迹文件类型：请上传 .gpx 或 .geojson 文件。")]})


def convert_track(track: ParsedTrack, crs: str) -> ParsedTrack:
    """Bring a track recorded in GCJ-02 (Chinese map apps) to WGS-84; WGS-84/CGCS2000 stay as they are."""
    from wildlife.geo.coords import converter_for

    convert = converter_for(crs)
    if convert is None:
        return track
    import numpy as np

    segments = []
    for segment in track.segments:
        lon, lat = convert(np.array([p[0] for p in segment]), np.array([p[1] for p in segment]))
        segments.append([(float(x), float(y)) for x, y in zip(lon, lat, strict=True)])
    return ParsedTrack(segments=segments, times=track.times, name=track.name, source_format=track.source_format)
