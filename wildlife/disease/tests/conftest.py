"""Fixtures of the disease tests: a few catalogue species, the rule tables, stations and events made through the
services, and a private media folder for photos and letters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.gis.geos import LineString, Point
from django.utils import timezone

from wildlife.disease import services
from wildlife.disease.choices import (
    AlertLevel,
    ChainTrigger,
    EventSource,
    Grade,
    GradingRuleKind,
    StationLevel,
    TaxonRank,
)
from wildlife.disease.models import ChainRule, ClusterRule, GradingRule, KeyPeriod, ReportingRule, Station
from wildlife.disease.senders import ConsoleSender
from wildlife.species.models import Species
from wildlife.species.testing import make_species

TZ = timezone.get_default_timezone()
# well inside the schematic boundaries (wildlife/geo/reference.py)
WANGCUN = (117.720, 36.765)
BEIJIAO = (117.900, 36.850)
MENGSHUI = (117.820, 36.670)


def local(*args: int) -> dt.datetime:
    """An aware datetime in Asia/Shanghai."""
    return timezone.make_aware(dt.datetime(*args), TZ)  # type: ignore[arg-type]


def offset(point: tuple[float, float], *, east_m: float = 0.0, north_m: float = 0.0) -> Point:
    """A point `east_m`/`north_m` metres from `point` (spherical approximation; exact enough for margins of ≥ 3 %)."""
    import math

    lon, lat = point
    dlat = north_m / 111_195.0
    dlon = east_m / (111_195.0 * math.cos(math.radians(lat)))
    return Point(lon + dlon, lat + dlat, srid=4326)


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    ConsoleSender.outbox.clear()


@pytest.fixture
def birds(db: Any) -> dict[str, Species]:
    """A few species with taxonomy: ducks (雁形目 鸭科), herons (鹈形目 鹭科), a magpie (雀形目), a hedgehog (mammal)."""
    rows = [
        ("斑嘴鸭", "Anas zonorhyncha", "鸟纲", "雁形目", "鸭科"),
        ("绿翅鸭", "Anas crecca", "鸟纲", "雁形目", "鸭科"),
        ("小天鹅", "Cygnus columbianus", "鸟纲", "雁形目", "鸭科"),
        ("白鹭", "Egretta garzetta", "鸟纲", "鹈形目", "鹭科"),
        ("喜鹊", "Pica serica", "鸟纲", "雀形目", "鸦科"),
        ("东北刺猬", "Erinaceus amurensis", "哺乳纲", "劳亚食虫目", "猬科"),
    ]
    result = {}
    for name, sci, cls, order, family in rows:
        species = Species.objects.filter(name_zh=name).first() or make_species(name, sci, taxon_class=cls, taxon_order=order, taxon_family=family)
        result[name] = species
    Species.objects.filter(pk=result["小天鹅"].pk).update(protection="national_2")
    result["小天鹅"].refresh_from_db()
    return result


@pytest.fixture
def calendar_rules(db: Any) -> None:
    """Shandong practice (10:00 next morning, reminder 2 h before) and 2026 migration periods (spring 3-1…5-31,
    autumn 9-15…12-15)."""
    ReportingRule.objects.create(name="次日10:00", effective_from=dt.date(2000, 1, 1), reminder_before_minutes=120, overdue_lookback_days=3)
    KeyPeriod.objects.create(name="2026春季", kind="spring", start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 5, 31))
    KeyPeriod.objects.create(name="2026秋季", kind="autumn", start_date=dt.date(2026, 9, 15), end_date=dt.date(2026, 12, 15))


@pytest.fixture
def grading_rules(db: Any) -> dict[str, GradingRule]:
    start = dt.date(2020, 1, 1)
    return {
        "IV": GradingRule.objects.create(
            name="Ⅳ：同目鸟类 24h 500m 内死亡≥5", grade=Grade.IV, kind=GradingRuleKind.DEAD_AT_SITE, birds_only=True, min_dead=5, window_hours=24, site_radius_m=500, effective_from=start
        ),
        "III": GradingRule.objects.create(
            name="Ⅲ：同目鸟类 24h 1000m 内死亡≥20", grade=Grade.III, kind=GradingRuleKind.DEAD_AT_SITE, birds_only=True, min_dead=20, window_hours=24, site_radius_m=1000, effective_from=start
        ),
        "II": GradingRule.objects.create(
            name="Ⅱ：同目鸟类 24h 1000m 内死亡≥50", grade=Grade.II, kind=GradingRuleKind.DEAD_AT_SITE, birds_only=True, min_dead=50, window_hours=24, site_radius_m=1000, effective_from=start
        ),
        "share": GradingRule.objects.create(
            name="Ⅲ：国家二级死亡占种群≥10%", grade=Grade.III, kind=GradingRuleKind.POPULATION_SHARE, protection="national_2", min_share_pct=Decimal("10"), effective_from=start
        ),
    }


@pytest.fixture
def chain_rules(db: Any) -> dict[str, ChainRule]:
    start = dt.date(2020, 1, 1)
    make = ChainRule.objects.create
    return {
        "flash": make(name="快报", trigger=ChainTrigger.EVENT_REPORTED, sequence=1, from_body="监测站", to_body="区自然资源局", deadline_minutes=60, effective_from=start),
        "city": make(name="报市", trigger=ChainTrigger.EVENT_REPORTED, sequence=2, from_body="区自然资源局", to_body="市自然资源局", deadline_minutes=240, effective_from=start),
        "agri": make(name="通报农业农村", trigger=ChainTrigger.SUSPECTED, sequence=1, from_body="区自然资源局", to_body="区农业农村局", deadline_minutes=120, effective_from=start),
        "province": make(
            name="重大疫情2小时报省", trigger=ChainTrigger.MAJOR_SUSPECTED, sequence=1, from_body="区级", to_body="省级", deadline_minutes=120, effective_from=start, legal_basis="重大动物疫情应急条例第十七条"
        ),
    }


@pytest.fixture
def cluster_rule(db: Any) -> ClusterRule:
    return ClusterRule.objects.create(
        name="同目 5km 72h ≥2起 ≥3只", taxon_rank=TaxonRank.ORDER, radius_m=5000, window_hours=72, min_events=2, min_dead=3, level=AlertLevel.YELLOW, effective_from=dt.date(2020, 1, 1)
    )


@pytest.fixture
def make_station(district_officer: Any) -> Callable[..., Station]:
    counter = {"n": 0}

    def make(*, at: tuple[float, float] = WANGCUN, name: str | None = None, responsible: Any = None, established_on: dt.date = dt.date(2025, 1, 1), **extra: Any) -> Station:
        counter["n"] += 1
        station = services.station_create(
            actor=district_officer,
            name=name or f"测试监测站{counter['n']}",
            level=StationLevel.COUNTY,
            location=Point(*at, srid=4326),
            established_on=established_on,
            responsible=responsible,
            **extra,
        )
        services.station_route_add(
            actor=district_officer, station=station, name="巡查线", geometry=LineString((at[0], at[1]), (at[0] + 0.01, at[1] + 0.01), srid=4326)
        )
        return station

    return make


@pytest.fixture
def make_event(district_officer: Any) -> Callable[..., Any]:
    def make(point: Point | tuple[float, float], detected_at: dt.datetime, lines: list[tuple[Species, int, int]], **extra: Any) -> Any:
        location = point if isinstance(point, Point) else Point(*point, srid=4326)
        return services.event_report(
            actor=extra.pop("actor", district_officer),
            source=extra.pop("source", EventSource.PATROL),
            location=location,
            detected_at=detected_at,
            species=[services.SpeciesCount(s, sick, dead) for s, sick, dead in lines],
            now=extra.pop("now", detected_at + dt.timedelta(minutes=30)),
            **extra,
        )

    return make
