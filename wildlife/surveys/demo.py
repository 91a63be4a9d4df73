"""Demo survey data for 周村区 (clearly marked 演示): a 2024–2026 terrestrial survey of 区自然资源局 (transects in
王村镇 and the southern hills, point counts along 孝妇河 and at 文昌湖, camera sites), an aquatic survey of
区农业农村局 (fish catches, migration counts on 孝妇河, water readings), a few hundred observations of catalogue
species including one national class-I species (黑鹳, generalised for demo_town), absence visits, and archives.

Idempotent: a project that already exists (by code) is left as it is. Places are schematic, like the demo boundaries.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from django.contrib.gis.geos import LineString, Point
from django.db import transaction
from django.utils import timezone

TERRESTRIAL_CODE = "demo-2024-terrestrial"
AQUATIC_CODE = "demo-2024-aquatic"
SEED = 370306

# (code, name, town hint, start (lon, lat), bearing degrees, length km, habitat)
TRANSECTS = (
    ("T01", "王村镇西山林缘样线（演示）", (117.712, 36.748), 60, 2.0, "落叶阔叶林林缘"),
    ("T02", "王村镇北部农田样线（演示）", (117.730, 36.790), 90, 2.2, "农田、防护林"),
    ("T03", "王村镇南丘灌丛样线（演示）", (117.715, 36.668), 30, 1.8, "灌丛、荒坡"),
    ("T04", "萌水镇南部山区样线（演示）", (117.790, 36.652), 80, 2.5, "侧柏林、灌草丛"),
    ("T05", "商家镇南部山区样线（演示）", (117.905, 36.650), 70, 2.4, "山地灌丛"),
)
POINTS = (
    ("P01", "孝妇河南郊段样点（演示）", (117.889, 36.724), "孝妇河"),
    ("P02", "孝妇河北郊段样点（演示）", (117.860, 36.845), "孝妇河"),
    ("P03", "孝妇河商家段样点（演示）", (117.904, 36.668), "孝妇河"),
    ("P04", "文昌湖北岸样点（演示）", (117.800, 36.684), "文昌湖"),
    ("P05", "文昌湖南岸样点（演示）", (117.806, 36.662), "文昌湖"),
    ("P06", "王村镇范阳河上游样点（演示）", (117.770, 36.735), "范阳河"),
)
CAMERAS = (
    ("C01", "萌水镇山谷红外相机（演示）", (117.820, 36.648)),
    ("C02", "王村镇西山红外相机（演示）", (117.705, 36.725)),
    ("C03", "商家镇山脊红外相机（演示）", (117.940, 36.656)),
)
WATER = (
    ("W01", "孝妇河商家断面（演示）", (117.903, 36.671), "孝妇河"),
    ("W02", "孝妇河南郊断面（演示）", (117.888, 36.727), "孝妇河"),
    ("W03", "孝妇河北郊断面（演示）", (117.858, 36.848), "孝妇河"),
    ("W04", "文昌湖湖心采样点（演示）", (117.803, 36.673), "文昌湖"),
)
# transect species: (name, mean cluster size, detection σ in m, encounters per km)
TRANSECT_SPECIES = (("环颈雉", 1.4, 45.0, 1.6), ("喜鹊", 2.0, 60.0, 1.2), ("珠颈斑鸠", 1.8, 35.0, 1.4), ("蒙古兔", 1.0, 25.0, 0.5), ("红隼", 1.0, 80.0, 0.2))
POINT_SPECIES = ("苍鹭", "白鹭", "喜鹊", "珠颈斑鸠", "鸳鸯")
CAMERA_SPECIES = ("黄鼬", "蒙古兔", "豹猫", "环颈雉")
FISH = ("鲫", "鲤", "麦穗鱼", "黄颡鱼", "草鱼", "鲢")
SURVEY_MONTHS = ((4, 12), (5, 16), (9, 20), (10, 14))  # spring and autumn visits (month, day)


def _line(start: tuple[float, float], bearing: float, km: float) -> LineString:
    lon, lat = start
    dy = km * math.cos(math.radians(bearing)) / 111.0
    dx = km * math.sin(math.radians(bearing)) / (111.0 * math.cos(math.radians(lat)))
    mid = (lon + dx / 2 + 0.0008, lat + dy / 2 - 0.0005)
    return LineString((lon, lat), mid, (lon + dx, lat + dy), srid=4326)


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def _offset_point(line: LineString, fraction: float, distance_m: float, side: int) -> Point:
    """A point at `fraction` along the line, `distance_m` metres to one side (perpendicular)."""
    from wildlife.surveys.services import metric_transform

    metric = line.transform(metric_transform(), clone=True)
    assert isinstance(metric, LineString)
    (x0, y0), (x1, y1) = metric.coords[0], metric.coords[-1]
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    nx, ny = -(y1 - y0) / length, (x1 - x0) / length
    base = metric.interpolate_normalized(fraction)
    point = Point(base.x + side * nx * distance_m, base.y + side * ny * distance_m, srid=4548)
    result = point.transform(metric_transform(reverse=True), clone=True)
    assert isinstance(result, Point)
    return Point(round(result.x, 7), round(result.y, 7), srid=4326)


def _dates(today: dt.date) -> list[dt.date]:
    days = []
    for year in (2024, 2025, 2026):
        for month, day in SURVEY_MONTHS:
            candidate = dt.date(year, month, day)
            if candidate < today:
                days.append(candidate)
    return days


def load() -> str:
    """Load the demo survey projects (idempotent); returns a one-line Chinese summary."""
    from wildlife.species.models import Species

    if not Species.objects.filter(name_zh="环颈雉").exists():
        return "未加载：物种名录尚未加载"
    summary = []
    with transaction.atomic():
        summary.append(_terrestrial())
        summary.append(_aquatic())
        summary.append(_archives())
    return "；".join(s for s in summary if s) or "已存在（跳过）"


class _Maker:
    """Creates records with their town and district from their location (as the services do)."""

    def __init__(self) -> None:
        from wildlife.geo.models import AdminArea

        self.district = AdminArea.objects.get(level="district")
        self.rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
        self.species_cache: dict[str, Any] = {}
        self.counter = 0

    def town(self, geometry: Any) -> Any:
        from wildlife.geo.selectors import area_for_point

        probe = geometry if isinstance(geometry, Point) else geometry.point_on_surface
        found = area_for_point(probe)
        if found is None:
            raise ValueError(f"demo place outside every town: {probe.wkt}")
        from wildlife.geo.models import AdminArea

        return AdminArea.objects.get(pk=found.pk)

    def species(self, name: str) -> Any:
        from wildlife.species.models import Species

        if name not in self.species_cache:
            self.species_cache[name] = Species.objects.filter(name_zh=name).first()
        return self.species_cache[name]

    def site(self, project: Any, code: str, name: str, kind: str, geometry: Any, **extra: Any) -> Any:
        from wildlife.surveys.models import SurveySite
        from wildlife.surveys.services import site_measure

        length, area_m2 = site_measure(geometry)
        return SurveySite.objects.create(
            project=project, code=code, name=name, kind=kind, geometry=geometry, length_m=length, area_m2=area_m2,
            area=self.town(geometry), district=self.district, **extra,
        )  # fmt: skip

    def event(self, project: Any, site: Any, started: dt.datetime, **extra: Any) -> Any:
        from wildlife.surveys.models import SamplingEvent

        self.counter += 1
        return SamplingEvent.objects.create(
            project=project, site=site, event_id=f"{site.code}-{started:%Y%m%d}-{self.counter:03d}", started_at=started,
            ended_at=started + dt.timedelta(hours=2), area=site.area, district=self.district, **extra,
        )  # fmt: skip

    def observation(self, project: Any, event: Any, name: str, count: int, when: dt.datetime, location: Point, **extra: Any) -> Any:
        from wildlife.surveys.models import Observation

        species = self.species(name)
        if species is None:
            return None
        self.counter += 1
        return Observation.objects.create(
            project=project, event=event, site=event.site if event else None, species=species, count=count, observed_at=when,
            location=location, area=self.town(location), district=self.district, is_sensitive=species.protection == "national_1",
            occurrence_id=f"{project.code}-{self.counter:05d}", method=event.method if event else "incidental",
            observer=event.observers if event else "演示调查员", **extra,
        )  # fmt: skip


def _terrestrial() -> str:
    from wildlife.accounts.models import Department, User
    from wildlife.surveys.models import SurveyProject

    if SurveyProject.objects.filter(code=TERRESTRIAL_CODE).exists():
        return ""
    make = _Maker()
    rng = make.rng
    today = timezone.localdate()
    project = SurveyProject.objects.create(
        code=TERRESTRIAL_CODE,
        name="2024–2026年周村区陆生野生动物资源调查（演示）",
        kind="terrestrial",
        status="active",
        lead_department=Department.objects.get(code="natural_resources"),
        start_date=dt.date(2024, 3, 1),
        end_date=dt.date(2026, 12, 31),
        area=make.district,
        district=make.district,
        description="演示数据：按《通知》第1.1条开展的陆生野生动物资源本底调查，王村镇及南部山区样线、孝妇河和文昌湖沿岸样点、红外相机。",
        methodology="样线法：单侧 100 米，记录个体到样线的垂直距离；样点法：半径 50 米、10 分钟；红外相机：连续工作。",
    )
    staff = list(User.objects.filter(username__in=["demo_district", "demo_town"]))
    if staff:
        project.staff.set(staff)
    observations = 0
    days = _dates(today)
    for code, name, start, bearing, km, habitat in TRANSECTS:
        line = _line(start, bearing, km)
        site = make.site(project, code, name, "transect", line, strip_half_width_m=100.0, habitat=habitat)
        for day in days:
            started = _aware(day, 7, rng.choice((0, 15, 30)))
            event = make.event(project, site, started, method="transect", distance_km=round((site.length_m or 0) / 1000, 3), duration_hours=2.0, team="演示调查一组", observers="李明、刘洋", weather=rng.choice(("晴", "多云", "阴")))
            seen = 0
            for species_name, cluster, sigma, per_km in TRANSECT_SPECIES:
                encounters = sum(1 for _ in range(int(per_km * km * 3)) if rng.random() < 0.33)
                for _i in range(encounters):
                    distance = abs(rng.gauss(0, sigma))
                    if distance > 100:
                        continue
                    size = max(1, round(rng.expovariate(1 / cluster))) if cluster > 1 else 1
                    location = _offset_point(line, rng.random(), distance, rng.choice((-1, 1)))
                    make.observation(project, event, species_name, size, started + dt.timedelta(minutes=rng.randint(5, 110)), location, distance_m=round(distance, 1))
                    observations += 1
                    seen += 1
            if not seen:
                event.nothing_seen = True
                event.save(update_fields=["nothing_seen"])
    for code, name, (lon, lat), water in POINTS:
        site = make.site(project, code, name, "point", Point(lon, lat, srid=4326), water_body=water, habitat="河岸湿地" if water != "文昌湖" else "湖滨湿地")
        for day in days[::2]:
            started = _aware(day, 8)
            event = make.event(project, site, started, method="point_count", duration_hours=round(10 / 60, 3), team="演示调查二组", observers="张华")
            if rng.random() < 0.2:
                event.nothing_seen = True  # a visit that saw nothing is a record too
                event.save(update_fields=["nothing_seen"])
                continue
            for species_name in rng.sample(POINT_SPECIES, 2):
                spot = Point(lon + rng.uniform(-0.0004, 0.0004), lat + rng.uniform(-0.0003, 0.0003), srid=4326)
                make.observation(project, event, species_name, rng.randint(1, 6), started + dt.timedelta(minutes=rng.randint(1, 9)), spot)
                observations += 1
            if code in ("P04", "P05", "P06") and rng.random() < 0.5:
                # 黑鹳 (national class I): generalised to its 0.01° cell for users without the permission
                spot = Point(lon + rng.uniform(-0.0006, 0.0006), lat + rng.uniform(-0.0004, 0.0004), srid=4326)
                make.observation(project, event, "黑鹳", rng.randint(1, 3), started + dt.timedelta(minutes=6), spot, behaviour="觅食")
                observations += 1
    for code, name, (lon, lat) in CAMERAS:
        site = make.site(
            project, code, name, "camera", Point(lon, lat, srid=4326), camera_model="演示相机 DC-4G", camera_height_m=0.8,
            deployment_start=_aware(dt.date(2024, 4, 1), 10), habitat="山地灌丛",
        )  # fmt: skip
        for day in days:
            started = _aware(day, 10)
            event = make.event(project, site, started, method="camera_trap", trap_nights=30.0, team="演示相机组", observers="王强")
            for _i in range(rng.randint(0, 4)):
                make.observation(project, event, rng.choice(CAMERA_SPECIES), 1, started - dt.timedelta(days=rng.randint(1, 29), hours=rng.randint(0, 12)), site.geometry)
                observations += 1
    return f"陆生调查项目 1 个，位点 {len(TRANSECTS) + len(POINTS) + len(CAMERAS)} 个，记录 {observations} 条"


def _aquatic() -> str:
    from wildlife.accounts.models import Department
    from wildlife.surveys.models import MigrationCount, SurveyProject, WaterQualityReading

    if SurveyProject.objects.filter(code=AQUATIC_CODE).exists():
        return ""
    make = _Maker()
    rng = random.Random(SEED + 1)  # noqa: S311 - reproducible demo data
    today = timezone.localdate()
    project = SurveyProject.objects.create(
        code=AQUATIC_CODE,
        name="2024–2026年周村区水生生物资源调查（演示）",
        kind="aquatic",
        status="active",
        lead_department=Department.objects.get(code="agriculture"),
        start_date=dt.date(2024, 3, 1),
        end_date=dt.date(2026, 12, 31),
        area=make.district,
        district=make.district,
        description="演示数据：孝妇河、文昌湖鱼类资源（地笼/刺网，单位捕捞努力量渔获量）、孝妇河洄游观测、水质监测。",
        methodology="每断面每次 6 网次；洄游观测每日 6:00–8:00 计数；水质每月测定一次。",
    )
    sites = [make.site(project, code, name, "water_sampling", Point(lon, lat, srid=4326), water_body=water) for code, name, (lon, lat), water in WATER]
    catches = 0
    for site in sites:
        for day in _dates(today):
            started = _aware(day, 6)
            event = make.event(project, site, started, method="net", net_hauls=6, duration_hours=3.0, team="演示渔业组", observers="王芳")
            for name in rng.sample(FISH, 4):
                count = rng.randint(0, 25)
                if count:
                    make.observation(project, event, name, count, started + dt.timedelta(hours=1), site.geometry, biomass_g=round(count * rng.uniform(20, 150), 1))
                    catches += 1
    migrations = 0
    for site in sites[:3]:
        for year in (2024, 2025, 2026):
            for offset in range(0, 30, 3):
                day = dt.date(year, 4, 1) + dt.timedelta(days=offset)
                if day >= today:
                    continue
                for name in ("鲫", "麦穗鱼"):
                    peak = math.exp(-((offset - 15) ** 2) / 60)
                    MigrationCount.objects.create(
                        project=project, site=site, species=make.species(name), date=day, upstream=int(rng.uniform(20, 40) * peak + rng.randint(0, 5)),
                        downstream=int(rng.uniform(2, 10) * peak + rng.randint(0, 3)), water_level_m=round(rng.uniform(0.6, 1.4), 2),
                        area=site.area, district=make.district,
                    )  # fmt: skip
                    migrations += 1
    readings = 0
    for site in sites:
        month = dt.date(2024, 3, 15)
        while month < today:
            season = math.sin((month.month - 4) / 12 * 2 * math.pi)
            WaterQualityReading.objects.create(
                project=project, site=site, measured_at=_aware(month, 9, 30), temperature_c=round(15 + 10 * season + rng.uniform(-1, 1), 1),
                ph=round(rng.uniform(7.2, 8.3), 2), dissolved_oxygen_mg_l=round(8.5 - 2 * season + rng.uniform(-0.5, 0.5), 2),
                turbidity_ntu=round(rng.uniform(5, 40), 1), ammonia_n_mg_l=round(rng.uniform(0.1, 1.2), 2), area=site.area, district=make.district,
            )  # fmt: skip
            readings += 1
            month = (month.replace(day=1) + dt.timedelta(days=32)).replace(day=15)
    return f"水生调查项目 1 个，渔获记录 {catches} 条，洄游观测 {migrations} 条，水质 {readings} 次"


ARCHIVES = (
    ("环颈雉", "周村区", "约 1,500–2,500 只（样线法推算）", "全区丘陵林缘、农田边缘常见，王村镇、萌水镇南部山区密度较高。", "林缘灌丛、农田、防护林。", "非法猎捕、农药化肥、秋冬季食物短缺。", "禁猎区和禁猎期管理；冬季投食；打击非法猎捕。"),
    ("黑鹳", "周村区", "迁徙季偶见，单次 1–3 只", "文昌湖、孝妇河及范阳河上游浅水区迁徙停歇。", "浅水湿地、河滩。", "人为干扰、水体污染、非法捕猎。", "迁徙季巡护；湿地保护；精确位置保密。"),
    ("红隼", "周村区", "少量，繁殖季约 10–20 对", "南部山区、王村镇西山一带。", "开阔农田、山地崖壁。", "鸟网、农药二次中毒。", "清理鸟网；宣传教育。"),
    ("黄颡鱼", "周村区", "孝妇河、文昌湖常见", "孝妇河干流、文昌湖。", "缓流河段、湖泊底层。", "水质污染、过度捕捞。", "禁渔期管理；增殖放流；水质监测。"),
    ("环颈雉", "王村镇", "约 400–700 只", "王村镇西山林缘、北部农田。", "林缘、农田。", "非法猎捕。", "镇级巡护。"),
)


def _archives() -> str:
    from wildlife.geo.models import AdminArea
    from wildlife.species.models import Species
    from wildlife.surveys.models import SpeciesArchive

    made = 0
    for name, area_name, population, distribution, habitat, threats, measures in ARCHIVES:
        species = Species.objects.filter(name_zh=name).first()
        area = AdminArea.objects.filter(name=area_name).first()
        if species is None or area is None or SpeciesArchive.objects.filter(species=species, area=area).exists():
            continue
        SpeciesArchive.objects.create(
            species=species, area=area, district=area.district_ancestor(), population_estimate=population, distribution_notes=distribution,
            habitat_notes=habitat, threats=threats, measures=measures, assessed_on=dt.date(2025, 12, 1),
            population_structure="演示数据：成体为主，繁殖季见幼体。",
        )  # fmt: skip
        made += 1
    return f"资源档案 {made} 份" if made else ""
