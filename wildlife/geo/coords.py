"""Coordinate systems of imported boundaries: WGS-84, CGCS2000 and GCJ-02.

* CGCS2000 (EPSG:4490) and WGS-84 (EPSG:4326) differ by a few centimetres on the ground (their ellipsoids differ
  only in the flattening, by 1e-11; the frames by the plate drift since epoch 2000.0), far below the accuracy of any
  administrative boundary. CGCS2000 coordinates are stored as they are; the source system is recorded.
* GCJ-02 (国测局坐标, the "Mars" offset used by Chinese web maps) is an obfuscated WGS-84 with a position-dependent
  shift of a few hundred metres. The forward formula (WGS-84 → GCJ-02) is the widely published reconstruction of
  the GCJ-02 algorithm (Krasovsky-1940 constants a = 6378245 m, e² = 0.00669342162296594323, with trigonometric
  offset series in (lon − 105°, lat − 35°)), in the form used by the open-source `eviltransform` library
  (github.com/googollee/eviltransform, `wgs2gcj`) and `coordtransform` (github.com/wandergis/coordtransform). It is
  reimplemented here. There is no closed-form inverse: GCJ-02 → WGS-84 solves forward(w) = g by fixed-point
  iteration w ← w − (forward(w) − g) (as `eviltransform.gcj2wgs_exact` does). The offset changes by less than a
  millimetre per metre, so each step gains about three orders of magnitude; three or four steps reach 1e-9° (≈ 0.1 mm),
  well below the sub-metre target.
* Outside China (the rectangle the published formula uses) GCJ-02 equals WGS-84.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wildlife.geo.choices import SourceCRS

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # Krasovsky 1940 first eccentricity squared
INVERSE_TOLERANCE_DEG = 1e-9  # ≈ 0.1 mm: the iteration stops below this residual
INVERSE_MAX_STEPS = 30

Array = NDArray[np.float64]


def _outside_china(lon: Array, lat: Array) -> NDArray[np.bool_]:
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _series_lat(x: Array, y: Array) -> Array:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * math.pi) + 20.0 * np.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * math.pi) + 40.0 * np.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * math.pi) + 320.0 * np.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _series_lon(x: Array, y: Array) -> Array:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * math.pi) + 20.0 * np.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * math.pi) + 40.0 * np.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * math.pi) + 300.0 * np.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _offset(lon: Array, lat: Array) -> tuple[Array, Array]:
    """(Δlon, Δlat) in degrees that GCJ-02 adds to a WGS-84 position (zero outside China)."""
    dlat = _series_lat(lon - 105.0, lat - 35.0)
    dlon = _series_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * math.pi)
    outside = _outside_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def wgs84_to_gcj02_arrays(lon: Array, lat: Array) -> tuple[Array, Array]:
    """Forward transform of arrays of WGS-84 longitudes/latitudes."""
    dlon, dlat = _offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84_arrays(lon: Array, lat: Array) -> tuple[Array, Array]:
    """Inverse transform by fixed-point iteration until the forward transform reproduces the input to 1e-9°."""
    g_lon = np.asarray(lon, dtype=np.float64)
    g_lat = np.asarray(lat, dtype=np.float64)
    dlon, dlat = _offset(g_lon, g_lat)
    w_lon, w_lat = g_lon - dlon, g_lat - dlat
    for _step in range(INVERSE_MAX_STEPS):
        f_lon, f_lat = wgs84_to_gcj02_arrays(w_lon, w_lat)
        err_lon, err_lat = f_lon - g_lon, f_lat - g_lat
        w_lon, w_lat = w_lon - err_lon, w_lat - err_lat
        if max(float(np.max(np.abs(err_lon), initial=0.0)), float(np.max(np.abs(err_lat), initial=0.0))) < INVERSE_TOLERANCE_DEG:
            break
    return w_lon, w_lat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """One WGS-84 position (lon, lat) in GCJ-02."""
    out_lon, out_lat = wgs84_to_gcj02_arrays(np.array([lon]), np.array([lat]))
    return float(out_lon[0]), float(out_lat[0])


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """One GCJ-02 position (lon, lat) in WGS-84 (iterated to about 0.1 mm)."""
    out_lon, out_lat = gcj02_to_wgs84_arrays(np.array([lon]), np.array([lat]))
    return float(out_lon[0]), float(out_lat[0])


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (mean Earth radius); for checks and messages, not for survey work."""
    r = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


# --- GeoJSON-like coordinate arrays -------------------------------------------------------------------------------

CoordinateConverter = Callable[[Array, Array], tuple[Array, Array]]


def converter_for(crs: str) -> CoordinateConverter | None:
    """The function that brings coordinates in `crs` to WGS-84, or None when they are stored as they are."""
    if crs == SourceCRS.GCJ02:
        return gcj02_to_wgs84_arrays
    if crs in (SourceCRS.WGS84, SourceCRS.CGCS2000):
        return None
    raise ValueError(f"unknown source CRS {crs!r}")


def convert_coordinates(coordinates: Any, convert: CoordinateConverter) -> Any:
    """Apply `convert` to every position of a (Multi)Polygon/LineString coordinate array, keeping its nesting."""
    if not coordinates:
        return coordinates
    if isinstance(coordinates[0], (int, float)):
        lon, lat = convert(np.array([float(coordinates[0])]), np.array([float(coordinates[1])]))
        return [float(lon[0]), float(lat[0]), *coordinates[2:]]
    if isinstance(coordinates[0][0], (int, float)):
        ring = np.asarray([[float(p[0]), float(p[1])] for p in coordinates], dtype=np.float64)
        lon, lat = convert(ring[:, 0], ring[:, 1])
        return [[float(x), float(y)] for x, y in zip(lon, lat, strict=True)]
    return [convert_coordinates(part, convert) for part in coordinates]
