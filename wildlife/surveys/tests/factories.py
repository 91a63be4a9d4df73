"""Factories for survey records (projects, sites, events, observations, aquatic series, archives).

Every factory puts its record in a town (`area`, default 王村镇) and that town's district, with a location inside the
town's boundary, so scope tests work without further set-up. Species come from `species()`, which uses the catalogue
entry when the demo catalogue is loaded and otherwise creates the same entry (same names, protection) directly.

    project = SurveyProjectFactory()                      # district-wide terrestrial project of 区自然资源局
    site = SurveySiteFactory(project=project)             # a point-count station in 王村镇
    transect = TransectSiteFactory(project=project)       # a 1 km line in 王村镇, strip half-width 50 m
    event = SamplingEventFactory(site=transect)
    obs = ObservationFactory(event=event, species=species("黑鹳"))   # national class I: is_sensitive=True
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.gis.geos import LineString, Point
from django.utils import timezone
from factory.django import DjangoModelFactory

from wildlife.accounts.models import Department
from wildlife.geo.models import AdminArea
from wildlife.species.models import Species
from wildlife.surveys.choices import ObservationMethod, ProjectKind, ProjectStatus, SiteKind
from wildlife.surveys.models import (
    MigrationCount,
    Observation,
    SamplingEvent,
    SpeciesArchive,
    SurveyProject,
    SurveySite,
    WaterQualityReading,
)

DEFAULT_TOWN = "王村镇"

# name → (scientific name, class, order, family, protection, aquatic); the same entries as the demo catalogue
SPECIES: dict[str, tuple[str, str, str, str, str, bool]] = {
    "环颈雉": ("Phasianus colchicus", "鸟纲", "鸡形目", "雉科", "sanyou", False),
    "黑鹳": ("Ciconia nigra", "鸟纲", "鹳形目", "鹳科", "national_1", False),
    "大鸨": ("Otis tarda", "鸟纲", "鸨形目", "鸨科", "national_1", False),
    "鸳鸯": ("Aix galericulata", "鸟纲", "雁形目", "鸭科", "national_2", False),
    "红隼": ("Falco tinnunculus", "鸟纲", "隼形目", "隼科", "national_2", False),
    "苍鹭": ("Ardea cinerea", "鸟纲", "鹈形目", "鹭科", "sanyou", False),
    "白鹭": ("Egretta garzetta", "鸟纲", "鹈形目", "鹭科", "sanyou", False),
    "喜鹊": ("Pica pica", "鸟纲", "雀形目", "鸦科", "sanyou", False),
    "珠颈斑鸠": ("Streptopelia chinensis", "鸟纲", "鸽形目", "鸠鸽科", "sanyou", False),
    "蒙古兔": ("Lepus tolai", "哺乳纲", "兔形目", "兔科", "sanyou", False),
    "豹猫": ("Prionailurus bengalensis", "哺乳纲", "食肉目", "猫科", "national_2", False),
    "黄鼬": ("Mustela sibirica", "哺乳纲", "食肉目", "鼬科", "sanyou", False),
    "鲫": ("Carassius auratus", "辐鳍鱼纲", "鲤形目", "鲤科", "none", True),
    "鲤": ("Cyprinus carpio", "辐鳍鱼纲", "鲤形目", "鲤科", "none", True),
    "麦穗鱼": ("Pseudorasbora parva", "辐鳍鱼纲", "鲤形目", "鮈科", "none", True),
    "黄颡鱼": ("Tachysurus fulvidraco", "辐鳍鱼纲", "鲇形目", "鲿科", "none", True),
}


def species(name_zh: str) -> Species:
    """A catalogue species by Chinese name (created with its catalogue names and protection when missing)."""
    existing = Species.objects.filter(name_zh=name_zh).first()
    if existing is not None:
        return existing
    sci, taxon_class, order, family, protection, aquatic = SPECIES[name_zh]
    from wildlife.species.names import pinyin_of

    pinyin, initials = pinyin_of(name_zh)
    return Species.objects.create(
        name_zh=name_zh,
        scientific_name=sci,
        genus=sci.split(" ")[0],
        taxon_class=taxon_class,
        taxon_order=order,
        taxon_family=family,
        protection=protection,
        aquatic=aquatic,
        pinyin=pinyin,
        pinyin_initials=initials,
    )


def area(name: str = DEFAULT_TOWN) -> AdminArea:
    return AdminArea.objects.get(name=name)


def point_in(town: AdminArea | str = DEFAULT_TOWN, *, dx: float = 0.0, dy: float = 0.0) -> Point:
    """A point inside the town's boundary (its point on surface), shifted by dx/dy degrees."""
    town = area(town) if isinstance(town, str) else town
    assert town.boundary is not None, f"{town} has no boundary"
    base = town.boundary.point_on_surface
    return Point(base.x + dx, base.y + dy, srid=4326)


def department(code: str) -> Department:
    return Department.objects.get(code=code)


class SurveyProjectFactory(DjangoModelFactory):  # type: ignore[misc]
    """A district-wide terrestrial project of 区自然资源局 (pass area=<town> for a town project)."""

    class Meta:
        model = SurveyProject

    code = factory.Sequence(lambda n: f"demo-project-{n}")
    name = factory.Sequence(lambda n: f"测试调查项目 {n}")
    kind = ProjectKind.TERRESTRIAL
    status = ProjectStatus.ACTIVE
    lead_department = factory.LazyFunction(lambda: department("natural_resources"))
    start_date = dt.date(2024, 3, 1)
    end_date = dt.date(2026, 12, 31)
    area = factory.LazyFunction(lambda: area("周村区"))
    district = factory.LazyAttribute(lambda o: o.area.district_ancestor())


class AquaticProjectFactory(SurveyProjectFactory):
    kind = ProjectKind.AQUATIC
    lead_department = factory.LazyFunction(lambda: department("agriculture"))


class SurveySiteFactory(DjangoModelFactory):  # type: ignore[misc]
    """A point-count station inside its town."""

    class Meta:
        model = SurveySite

    project = factory.SubFactory(SurveyProjectFactory)
    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.Sequence(lambda n: f"测试样点 {n}")
    kind = SiteKind.POINT
    area = factory.LazyFunction(lambda: area(DEFAULT_TOWN))
    district = factory.LazyAttribute(lambda o: o.area.district_ancestor())
    geometry = factory.LazyAttribute(lambda o: point_in(o.area))


def _transect_line(o: Any) -> LineString:
    start = point_in(o.area)
    # about 1 km east-west at 36.7°N (1° of longitude ≈ 89.3 km)
    return LineString((start.x - 0.0056, start.y), (start.x + 0.0056, start.y), srid=4326)


class TransectSiteFactory(SurveySiteFactory):
    """A straight transect of about 1 km with a 50 m strip half-width."""

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"测试样线 {n}")
    kind = SiteKind.TRANSECT
    geometry = factory.LazyAttribute(_transect_line)
    length_m = factory.LazyAttribute(lambda o: 1000.0)
    strip_half_width_m = 50.0


class WaterSiteFactory(SurveySiteFactory):
    code = factory.Sequence(lambda n: f"W{n:03d}")
    name = factory.Sequence(lambda n: f"测试采样点 {n}")
    kind = SiteKind.WATER_SAMPLING
    water_body = "孝妇河"
    project = factory.SubFactory(AquaticProjectFactory)


class SamplingEventFactory(DjangoModelFactory):  # type: ignore[misc]
    """One visit of a site (the site's project, town and district)."""

    class Meta:
        model = SamplingEvent

    site = factory.SubFactory(SurveySiteFactory)
    project = factory.LazyAttribute(lambda o: o.site.project)
    area = factory.LazyAttribute(lambda o: o.site.area)
    district = factory.LazyAttribute(lambda o: o.site.district)
    event_id = factory.Sequence(lambda n: f"EV-{n:05d}")
    started_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2025, 5, 10, 7, 0)))
    ended_at = factory.LazyAttribute(lambda o: o.started_at + dt.timedelta(hours=2))
    team = "测试调查组"
    method = factory.LazyAttribute(
        lambda o: ObservationMethod.TRANSECT if o.site is not None and o.site.kind == SiteKind.TRANSECT else ObservationMethod.POINT_COUNT
    )
    distance_km = factory.LazyAttribute(lambda o: (o.site.length_m or 0) / 1000 if o.site is not None and o.site.kind == SiteKind.TRANSECT else None)
    duration_hours = 2.0


class ObservationFactory(DjangoModelFactory):  # type: ignore[misc]
    """An observation of 环颈雉 in 王村镇 (pass event=, site= or project=; species=species("黑鹳") for class I)."""

    class Meta:
        model = Observation

    project = factory.LazyAttribute(lambda o: o.event.project if o.event is not None else (o.site.project if o.site is not None else SurveyProjectFactory()))
    event = None
    site = factory.LazyAttribute(lambda o: o.event.site if o.event is not None else None)
    occurrence_id = factory.Sequence(lambda n: f"OCC-{n:06d}")
    species = factory.LazyFunction(lambda: species("环颈雉"))
    count = 2
    observed_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2025, 5, 10, 8, 30)))
    area = factory.LazyAttribute(lambda o: o.site.area if o.site is not None else area(DEFAULT_TOWN))
    district = factory.LazyAttribute(lambda o: o.area.district_ancestor())
    location = factory.LazyAttribute(lambda o: point_in(o.area, dx=0.001, dy=0.001))
    method = factory.LazyAttribute(lambda o: o.event.method if o.event is not None else ObservationMethod.INCIDENTAL)
    observer = "测试观测员"
    is_sensitive = factory.LazyAttribute(lambda o: bool(o.species is not None and o.species.protection == "national_1"))


class MigrationCountFactory(DjangoModelFactory):  # type: ignore[misc]
    class Meta:
        model = MigrationCount

    site = factory.SubFactory(WaterSiteFactory)
    project = factory.LazyAttribute(lambda o: o.site.project)
    area = factory.LazyAttribute(lambda o: o.site.area)
    district = factory.LazyAttribute(lambda o: o.site.district)
    species = factory.LazyFunction(lambda: species("鲫"))
    date = dt.date(2025, 4, 20)
    upstream = 35
    downstream = 12


class WaterQualityReadingFactory(DjangoModelFactory):  # type: ignore[misc]
    class Meta:
        model = WaterQualityReading

    site = factory.SubFactory(WaterSiteFactory)
    project = factory.LazyAttribute(lambda o: o.site.project)
    area = factory.LazyAttribute(lambda o: o.site.area)
    district = factory.LazyAttribute(lambda o: o.site.district)
    measured_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2025, 6, 1, 9, 0)))
    temperature_c = 21.5
    ph = 7.6
    dissolved_oxygen_mg_l = 7.8
    turbidity_ntu = 12.0
    ammonia_n_mg_l = 0.4


class SpeciesArchiveFactory(DjangoModelFactory):  # type: ignore[misc]
    class Meta:
        model = SpeciesArchive

    species = factory.LazyFunction(lambda: species("环颈雉"))
    area = factory.LazyFunction(lambda: area(DEFAULT_TOWN))
    district = factory.LazyAttribute(lambda o: o.area.district_ancestor())
    population_estimate = "约 120 只"
    distribution_notes = "王村镇南部丘陵林缘、农田"
    habitat_notes = "灌丛、农田边缘"
    threats = "非法捕猎、农药"
