"""In-process point-in-area lookup: the boundaries of one level, prepared once, queried without the database.

Every record with a place gets its town from its location, so imports of a million observations ask "which town?" a
million times. A spatial query per point costs a round trip and the parsing of a large multipolygon; here the
boundaries are loaded once as prepared GEOS geometries, and each point is tested against the bounding boxes first.

Django's GEOS (the system library) is used on purpose, not shapely: SQLite loads mod_spatialite with RTLD_GLOBAL,
which puts the system GEOS C++ symbols in the global scope, and shapely's bundled GEOS then crashes the process when
its lazily bound calls resolve to the other version (seen here: a segfault in contains_xy after `migrate`).

Freshness: AdminArea.save() bumps a generation number in the cache; a locator older than the generation (or older
than MAX_AGE_SECONDS, which covers changes made by another process with a per-process cache) is rebuilt.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.geos import Point
from django.core.cache import cache

GENERATION_KEY = "wildlife:geo:boundary-generation"
MAX_AGE_SECONDS = 60.0


def bump_generation() -> None:
    """Call after any change to an area's boundary, level or active flag."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def _generation() -> int:
    value = cache.get(GENERATION_KEY)
    return int(value) if value is not None else 0


@dataclass
class _Locator:
    level: str
    generation: int
    built_at: float
    ids: list[int] = field(default_factory=list)
    prepared: list[Any] = field(default_factory=list)
    bounds: list[tuple[float, float, float, float]] = field(default_factory=list)
    instances: dict[int, Any] = field(default_factory=dict)

    def locate(self, lon: float, lat: float, point: Point | None = None) -> int | None:
        for index, (x0, y0, x1, y1) in enumerate(self.bounds):  # ids are ordered by path: the first hit wins
            if x0 <= lon <= x1 and y0 <= lat <= y1:
                if point is None:
                    point = Point(lon, lat, srid=4326)
                # covers, not contains: a point exactly on the line between two towns belongs to the first of them
                # (path order) instead of to none
                if self.prepared[index].covers(point):
                    return self.ids[index]
        return None

    def locate_many(self, lons: Sequence[float], lats: Sequence[float]) -> list[int | None]:
        return [self.locate(float(x), float(y)) for x, y in zip(lons, lats, strict=True)]


_lock = threading.Lock()
_locators: dict[str, _Locator] = {}


def _build(level: str) -> _Locator:
    from wildlife.geo.models import AdminArea

    locator = _Locator(level=level, generation=_generation(), built_at=time.monotonic())
    areas = AdminArea.objects.filter(is_active=True, level=level, boundary__isnull=False).order_by("path")
    for area in areas:
        boundary = area.boundary
        assert boundary is not None
        locator.ids.append(area.pk)
        locator.prepared.append(boundary.prepared)
        locator.bounds.append(tuple(boundary.extent))  # type: ignore[arg-type]
        area.boundary = None  # the shared instance does not carry the heavy geometry
        locator.instances[area.pk] = area
    return locator


def locator_for(level: str) -> _Locator:
    current = _locators.get(level)
    if current is not None and time.monotonic() - current.built_at < MAX_AGE_SECONDS and current.generation == _generation():
        return current
    with _lock:
        current = _build(level)
        _locators[level] = current
    return current


def reset() -> None:
    """Forget every locator (each test starts fresh; boundaries changed in raw SQL)."""
    with _lock:
        _locators.clear()
