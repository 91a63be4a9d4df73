"""Cluster detection (wildlife/disease/engine.find_clusters) vs the same search as hand-written SQL.

Data: 20,000 mortality events of dead ducks (雁形目) spread over the district's extent and one year (a pessimistic
load: real districts see far fewer). Both sides, for 100 events, find the events within 5 km and 72 h with dead
birds of the same order and sum the dead per event. The SQL side uses the database's own geodesic distance
(PostGIS ST_DistanceSphere, SpatiaLite ST_Distance(…, 1)), as the ORM does; informational (no target in quality.md).
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone

from bench.common import Figure, rate

N_EVENTS = 20_000
SAMPLE = 100


def _load() -> list[int]:
    from wildlife.disease.choices import AlertLevel, TaxonRank
    from wildlife.disease.models import ClusterRule, EventSpecies, MortalityEvent
    from wildlife.geo.models import AdminArea
    from wildlife.geo.reference import ensure_zhoucun_areas
    from wildlife.species.models import Species

    ensure_zhoucun_areas()
    if not ClusterRule.objects.exists():
        ClusterRule.objects.create(
            name="bench", taxon_rank=TaxonRank.ORDER, radius_m=5000, window_hours=72, min_events=2, min_dead=3, level=AlertLevel.YELLOW, effective_from=dt.date(2000, 1, 1)
        )
    duck = Species.objects.filter(name_zh="斑嘴鸭（基准）").first() or Species.objects.create(
        name_zh="斑嘴鸭（基准）", scientific_name="Anas zonorhyncha bench", taxon_class="鸟纲", taxon_order="雁形目", taxon_family="鸭科"
    )
    existing = MortalityEvent.objects.filter(source_ref="bench").count()
    if existing < N_EVENTS:
        town = AdminArea.objects.get(name="北郊镇")
        district = town.district_ancestor()
        rng = random.Random(7)
        start = timezone.now() - dt.timedelta(days=365)
        with transaction.atomic():
            for offset in range(existing, N_EVENTS, 1000):
                events = [
                    MortalityEvent(
                        source="patrol",
                        source_ref="bench",
                        location=Point(rng.uniform(117.70, 117.98), rng.uniform(36.64, 36.89), srid=4326),
                        detected_at=start + dt.timedelta(minutes=rng.randrange(365 * 24 * 60)),
                        area=town,
                        district=district,
                    )
                    for _ in range(min(1000, N_EVENTS - offset))
                ]
                created = MortalityEvent.objects.bulk_create(events, batch_size=1000)
                EventSpecies.objects.bulk_create([EventSpecies(event=e, species=duck, dead=rng.randint(1, 3)) for e in created], batch_size=1000)
    ids = list(MortalityEvent.objects.filter(source_ref="bench").order_by("pk").values_list("pk", flat=True))
    return random.Random(11).sample(ids, SAMPLE)


def run() -> list[Figure]:
    from wildlife.disease import engine
    from wildlife.disease.models import EventSpecies, MortalityEvent
    from wildlife.species.models import Species

    sample_ids = _load()
    events = list(MortalityEvent.objects.filter(pk__in=sample_ids))
    event_table, line_table, species_table = MortalityEvent._meta.db_table, EventSpecies._meta.db_table, Species._meta.db_table
    if connection.vendor == "postgresql":
        distance = "ST_DistanceSphere(e.location, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) <= %s"
    else:
        distance = "ST_Distance(e.location, MakePoint(%s, %s, 4326), 1) <= %s"
    sql = (
        f"SELECT l.event_id, SUM(l.dead) FROM {line_table} l JOIN {event_table} e ON e.id = l.event_id "
        f"JOIN {species_table} s ON s.id = l.species_id "
        f"WHERE s.taxon_order = %s AND s.taxon_class = %s AND l.dead > 0 AND e.detected_at BETWEEN %s AND %s AND {distance} "
        "GROUP BY l.event_id"
    )
    window = dt.timedelta(hours=72)

    def ours() -> int:
        hits = 0
        for event in events:
            hits += len(engine.find_clusters(event))
        return len(events)

    def raw() -> int:
        with connection.cursor() as cursor:
            for event in events:
                cursor.execute(sql, ["雁形目", "鸟纲", event.detected_at - window, event.detected_at + window, event.location.x, event.location.y, 5000])
                rows = cursor.fetchall()
                _ = len(rows) >= 2 and sum(r[1] for r in rows) >= 3
        return len(events)

    # the two sides agree on what they find
    check = events[0]
    found = {h.group: set(h.event_ids) for h in engine.find_clusters(check)}
    with connection.cursor() as cursor:
        cursor.execute(sql, ["雁形目", "鸟纲", check.detected_at - window, check.detected_at + window, check.location.x, check.location.y, 5000])
        raw_ids = {row[0] for row in cursor.fetchall()}
    assert not found or found["雁形目"] == raw_ids, (found, raw_ids)
    return [Figure(f"find_clusters ({N_EVENTS:,} events, 5 km / 72 h)", rate(ours, repeat=3), rate(raw, repeat=3), "events/s")]
