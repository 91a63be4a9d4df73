"""Area-of-point lookup (which town is this point in?) through the ORM selector vs raw spatial SQL."""

from __future__ import annotations

import random

from django.contrib.gis.geos import Point
from django.db import connection

from bench.common import Figure, rate
from wildlife.geo.models import AdminArea
from wildlife.geo.reference import ensure_zhoucun_areas
from wildlife.geo.selectors import area_for_point

N = 2000


def run() -> list[Figure]:
    ensure_zhoucun_areas()
    rng = random.Random(42)
    points = [(rng.uniform(117.70, 117.98), rng.uniform(36.64, 36.89)) for _ in range(N)]
    table = AdminArea._meta.db_table
    if connection.vendor == "postgresql":
        sql = f"SELECT id FROM {table} WHERE is_active AND level = 'town' AND boundary IS NOT NULL AND ST_Contains(boundary, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) ORDER BY path LIMIT 1"
    else:
        sql = f"SELECT id FROM {table} WHERE is_active AND level = 'town' AND boundary IS NOT NULL AND ST_Contains(boundary, MakePoint(%s, %s, 4326)) ORDER BY path LIMIT 1"

    def ours() -> int:
        found = 0
        for lon, lat in points:
            found += area_for_point(Point(lon, lat, srid=4326)) is not None
        assert found > N * 0.9
        return N

    def raw() -> int:
        found = 0
        with connection.cursor() as cursor:
            for lon, lat in points:
                cursor.execute(sql, [lon, lat])
                found += cursor.fetchone() is not None
        assert found > N * 0.9
        return N

    # same answers from both
    with connection.cursor() as cursor:
        for lon, lat in points[:50]:
            cursor.execute(sql, [lon, lat])
            row = cursor.fetchone()
            area = area_for_point(Point(lon, lat, srid=4326))
            assert (row[0] if row else None) == (area.pk if area else None)
    return [Figure("area_for_point (town of a point)", rate(ours), rate(raw), "lookups/s", target=0.5)]
