"""Generalised locations of sensitive species (national class I).

Users without `surveys.view_precise_location` — and every export, GeoJSON, API answer and map layer made for them —
see such a location snapped to the centre of its 0.01° grid cell (about 1.1 km × 0.9 km here). Snapping is a pure
function of the stored point, so the same observation always shows the same generalised point, and several
observations in one cell cannot be told apart.
"""

from __future__ import annotations

import math
from typing import Any

from django.contrib.gis.geos import Point

GRID_DEGREES = 0.01
PRECISE_PERMISSION = "surveys.view_precise_location"


def snap(lon: float, lat: float, grid: float = GRID_DEGREES) -> tuple[float, float]:
    """Centre of the grid cell containing (lon, lat), rounded so the float is identical every time."""
    cx = (math.floor(lon / grid) + 0.5) * grid
    cy = (math.floor(lat / grid) + 0.5) * grid
    return round(cx, 6), round(cy, 6)


def may_see_precise(user: Any) -> bool:
    """Whether the user sees class-I locations precisely (区自然资源局 and 区农业农村局 by default)."""
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(PRECISE_PERMISSION))


def shown_xy(*, lon: float, lat: float, is_sensitive: bool, precise: bool) -> tuple[float, float]:
    """The coordinates to show: precise for a permitted viewer or a non-sensitive record, else snapped."""
    if is_sensitive and not precise:
        return snap(lon, lat)
    return lon, lat


def shown_point(point: Point | None, *, is_sensitive: bool, precise: bool) -> Point | None:
    """shown_xy() for a Point (None stays None)."""
    if point is None:
        return None
    x, y = shown_xy(lon=point.x, lat=point.y, is_sensitive=is_sensitive, precise=precise)
    return Point(x, y, srid=4326)


def location_text(point: Point | None, *, is_sensitive: bool, precise: bool) -> str:
    """"117.812345, 36.712345" (precise) or "117.815, 36.715（已模糊至 0.01° 网格）" (generalised)."""
    if point is None:
        return ""
    x, y = shown_xy(lon=point.x, lat=point.y, is_sensitive=is_sensitive, precise=precise)
    if is_sensitive and not precise:
        return f"{x:.3f}, {y:.3f}（敏感物种，已模糊至 0.01° 网格）"
    return f"{x:.6f}, {y:.6f}"
