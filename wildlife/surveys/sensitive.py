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
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(PRECISE_PERMISSION))


def shown_xy(*, lon: float, lat: float, is_sensitive: bool, precise: bool) -> tuple[float, float]:
    """The coordinates to show: precise for a permitted viewer or a non-sensitive record, else snapped."""
    if is_sensitive and not precise:
        return snap(lon, lat)
    return lon, lat


def shown_point(point: Point | None, *, is_sensitive: bool, precise: bool) -> Point | None:
    if point is None:
        return None
    x, y = shown_xy(lon=point.x, lat=point.y, is_sensitive=is_sensitive, precise=precise)
    return Point(x, y, srid=4326)
