"""Demo data of disease surveillance (demo mode only, clearly marked 演示): two stations — one on 孝妇河, one in the
southern hills (王村/萌水) — with routes, points and equipment; the reporting calendar and rules; reports for the
last 30 days with some late and some missing; a graded dead-duck event with samples, a suspect lab result, the
letter to 区农业农村局, and a cluster alert from a second report nearby.

Thresholds and deadlines here are local-policy examples (marked 本地规定/演示) to be confirmed by the district.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.gis.geos import LineString, Point
from django.db import transaction
from django.utils import timezone

from wildlife.disease import services
from wildlife.disease.calendar import Period
from wildlife.disease.choices import (
    AlertLevel,
    AnimalGroup,
    BiosafetyLevel,
    ChainTrigger,
    EventSource,
    Grade,
    GradingRuleKind,
    KeyPeriodKind,
    LabOutcome,
    SampleKind,
    StationLevel,
    SupplyKind,
    TaxonRank,
)
from wildlife.disease.models import ChainRule, ClusterRule, GradingRule, KeyPeriod, ReportingRule, Station
from wildlife.disease.selectors import periods_in

XIAOFU = "孝妇河疫源疫病监测站（演示）"
SOUTH_HILLS = "南部山区疫源疫病监测站（演示）"
LOCAL = "本地规定（演示值，待区自然资源局确认）"


def ensure_rules(today: dt.date | None = None) -> int:
    """The reporting calendar and rule rows (idempotent; skipped when rows exist). Returns rows created."""
    today = today or timezone.localdate()
    created = 0
    for year in (today.year - 1, today.year):
        for name, kind, start, end in (
            (f"{year}年春季候鸟迁徙期", KeyPeriodKind.SPRING, dt.date(year, 3, 1), dt.date(year, 5, 31)),
            (f"{year}年秋季候鸟迁徙期", KeyPeriodKind.AUTUMN, dt.date(year, 9, 15), dt.date(year, 12, 15)),
        ):
            _, made = KeyPeriod.objects.get_or_create(name=name, defaults={"kind": kind, "start_date": start, "end_date": end, "notes": "演示：迁徙期日期按年度通知调整"})
            created += made
    if not ReportingRule.objects.exists():
        ReportingRule.objects.create(
            name="山东省日零报告制度：次日10:00前报告当日情况",
            effective_from=dt.date(2006, 11, 1),
            legal_basis="山东省疫源疫病监测日零报告做法（2006，新闻报道，待核实）；国家林业局令第31号",
            daily_deadline_days=1,
            daily_deadline_time=dt.time(10, 0),
            weekly_deadline_days=1,
            weekly_deadline_time=dt.time(10, 0),
            reminder_before_minutes=120,
            overdue_lookback_days=3,
        )
        created += 1
    if not GradingRule.objects.exists():
        start = dt.date(2020, 1, 1)
        rows: list[dict[str, Any]] = [
            {"name": "一般（Ⅳ级）：同一地点24小时内同目鸟类死亡5只以上", "grade": Grade.IV, "kind": GradingRuleKind.DEAD_AT_SITE, "birds_only": True, "min_dead": 5, "window_hours": 24, "site_radius_m": 500},
            {"name": "较大（Ⅲ级）：同一地点24小时内同目鸟类死亡20只以上", "grade": Grade.III, "kind": GradingRuleKind.DEAD_AT_SITE, "birds_only": True, "min_dead": 20, "window_hours": 24, "site_radius_m": 1000},
            {"name": "重大（Ⅱ级）：同一地点24小时内同目鸟类死亡50只以上", "grade": Grade.II, "kind": GradingRuleKind.DEAD_AT_SITE, "birds_only": True, "min_dead": 50, "window_hours": 24, "site_radius_m": 1000},
            {"name": "较大（Ⅲ级）：国家重点保护野生动物死亡占当地种群10%以上", "grade": Grade.III, "kind": GradingRuleKind.POPULATION_SHARE, "protection": "national_2", "min_share_pct": Decimal("10")},
            {"name": "特别重大（Ⅰ级）：国家一级保护野生动物死亡占当地种群10%以上", "grade": Grade.I, "kind": GradingRuleKind.POPULATION_SHARE, "protection": "national_1", "min_share_pct": Decimal("10"), "legal_basis": "突发陆生野生动物疫情应急预案（2020）地方转化示例（黑龙江兴安区2022）"},
        ]
        for row in rows:
            row.setdefault("legal_basis", "突发陆生野生动物疫情应急预案（2020）；阈值为" + LOCAL)
            GradingRule.objects.create(effective_from=start, is_local_policy=True, **row)
            created += 1
    if not ChainRule.objects.exists():
        start = dt.date(2021, 5, 1)
        for trigger, seq, src, dst, minutes, basis, local in (
            (ChainTrigger.EVENT_REPORTED, 1, "监测站/发现人", "区自然资源局（县级野生动物主管部门）", 60, "陆生野生动物疫源疫病监测防控管理办法（国家林业局令第31号）：发现异常立即快报", True),
            (ChainTrigger.EVENT_REPORTED, 2, "区自然资源局", "淄博市自然资源局", 240, LOCAL, True),
            (ChainTrigger.SUSPECTED, 1, "区自然资源局", "区农业农村局", 120, "动物防疫法（2021）第三十三条：疑似染疫及时通报同级农业农村主管部门", True),
            (ChainTrigger.MAJOR_SUSPECTED, 1, "区级主管部门", "省级主管部门及动物防疫监督机构", 120, "重大动物疫情应急条例（2017）第十七条：2小时内", False),
            (ChainTrigger.CONFIRMED, 1, "区自然资源局", "区人民政府", 240, LOCAL, True),
        ):
            ChainRule.objects.create(
                name=f"{src} → {dst}", trigger=trigger, sequence=seq, from_body=src, to_body=dst, deadline_minutes=minutes,
                effective_from=start, legal_basis=basis, is_local_policy=local,
            )
            created += 1
    if not ClusterRule.objects.exists():
        ClusterRule.objects.create(
            name="同目鸟类聚集性死亡：5公里、72小时内2起以上报告、合计3只以上",
            taxon_rank=TaxonRank.ORDER,
            radius_m=5000,
            window_hours=72,
            min_events=2,
            min_dead=3,
            level=AlertLevel.YELLOW,
            effective_from=dt.date(2020, 1, 1),
            legal_basis=LOCAL,
            is_local_policy=True,
        )
        created += 1
    return created


def _user(username: str) -> Any:
    from wildlife.accounts.models import User

    return User.objects.filter(username=username).first()


def _species(name: str) -> Any:
    from wildlife.species.models import Species

    return Species.objects.filter(name_zh=name).first()


@transaction.atomic
def load() -> str:
    """Load the disease demo once (idempotent)."""
    from wildlife.geo.models import AdminArea

    rules = ensure_rules()
    if Station.objects.filter(name__in=[XIAOFU, SOUTH_HILLS]).exists():
        return f"规则新建 {rules} 条；演示监测站已存在"
    district_officer = _user("demo_district")
    if district_officer is None:
        return f"规则新建 {rules} 条；缺少演示账号 demo_district，未加载演示监测站"
    town_officer = _user("demo_town") or district_officer
    town2_officer = _user("demo_town2") or district_officer
    towns = {a.name: a for a in AdminArea.objects.filter(name__in=["王村镇", "萌水镇", "北郊镇", "南郊镇", "城北路街道"])}
    now = timezone.now()
    today = timezone.localtime(now).date()
    established = today - dt.timedelta(days=400)

    xiaofu = services.station_create(
        actor=district_officer,
        name=XIAOFU,
        code="DEMO-JC-01",
        level=StationLevel.COUNTY,
        location=Point(117.905, 36.845, srid=4326),
        established_on=established,
        address="孝妇河北郊段河堤（演示位置）",
        habitat="孝妇河河道、滩涂及沿岸湿地，越冬雁鸭类",
        responsible=town2_officer,
        duty_phone="0533-0000001",
        duty_email="xiaofu-demo@example.invalid",
        covered_areas=[towns[n] for n in ("北郊镇", "南郊镇", "城北路街道") if n in towns],
        notes="演示数据",
    )
    south = services.station_create(
        actor=district_officer,
        name=SOUTH_HILLS,
        code="DEMO-JC-02",
        level=StationLevel.COUNTY,
        location=Point(117.735, 36.675, srid=4326),
        established_on=established,
        address="王村镇南部丘陵（演示位置）",
        habitat="南部丘陵林地、灌丛及萌山水库（文昌湖）上游，猛禽与林鸟",
        responsible=town_officer,
        duty_phone="0533-0000002",
        duty_email="nanbu-demo@example.invalid",
        covered_areas=[towns[n] for n in ("王村镇", "萌水镇") if n in towns],
        notes="演示数据",
    )
    services.station_route_add(actor=district_officer, station=xiaofu, name="孝妇河左岸巡查线", geometry=LineString((117.896, 36.830), (117.902, 36.842), (117.908, 36.856), (117.915, 36.868), srid=4326))
    services.station_route_add(actor=district_officer, station=xiaofu, name="河滩湿地环线", geometry=LineString((117.900, 36.846), (117.912, 36.848), (117.910, 36.840), (117.900, 36.846), srid=4326))
    services.station_point_add(actor=district_officer, station=xiaofu, name="雁鸭越冬观测点", location=Point(117.909, 36.851, srid=4326))
    services.station_route_add(actor=district_officer, station=south, name="南山林缘巡查线", geometry=LineString((117.722, 36.662), (117.731, 36.671), (117.742, 36.680), (117.752, 36.688), srid=4326))
    services.station_route_add(actor=district_officer, station=south, name="文昌湖上游沟谷线", geometry=LineString((117.755, 36.672), (117.768, 36.676), (117.780, 36.681), srid=4326))
    services.station_point_add(actor=district_officer, station=south, name="猛禽迁徙观测点", location=Point(117.745, 36.684, srid=4326))
    for station in (xiaofu, south):
        for name, quantity, unit in (("双筒望远镜", 2, "台"), ("防护服", 20, "套"), ("采样箱（冷藏）", 1, "个"), ("消毒喷雾器", 2, "台")):
            services.station_equipment_set(actor=district_officer, station=station, name=name, quantity=quantity, unit=unit, condition="完好")

    reports = _demo_reports([(xiaofu, town2_officer), (south, town_officer)], today=today, now=now)
    events = _demo_event(xiaofu, district_officer, agri=_user("demo_agri") or district_officer, now=now)
    return f"规则新建 {rules} 条；监测站 2 个；报告 {reports} 份；事件 {events} 起"


def _demo_reports(stations: list[tuple[Station, Any]], *, today: dt.date, now: dt.datetime) -> int:
    """Reports for the periods of the last 30 days: mostly on time; every 7th late; every 11th (and yesterday's at
    the southern hills) missing, so the compliance board shows all three."""
    count = 0
    first = today - dt.timedelta(days=30)
    periods: list[Period] = [p for p in periods_in(first, today) if p.deadline < now]
    findings = [("斑嘴鸭", 35), ("苍鹭", 4), ("白鹭", 12), ("普通鸬鹚", 9)]
    for index, (station, officer) in enumerate(stations):
        for number, period in enumerate(periods):
            key = number + index * 3
            if key % 11 == 5 or (index == 1 and period.end == today - dt.timedelta(days=1)):
                continue  # missing
            late = key % 7 == 3
            submitted = period.deadline + (dt.timedelta(hours=5) if late else -dt.timedelta(hours=14))
            lines = []
            if key % 4 == 0:
                name, n = findings[key % len(findings)]
                species = _species(name)
                if species is not None:
                    lines.append(services.FindingInput(group=AnimalGroup.BIRD, species=species, count=n))
            route = station.routes.order_by("name").first()
            services.daily_report_submit(
                actor=officer,
                station=station,
                date=period.start,
                is_zero_report=True,
                route=route,
                route_km=route.length_km if route else Decimal("0"),
                observers="演示巡查员",
                notes="巡查未发现异常（演示）",
                findings=lines,
                now=submitted,
            )
            count += 1
    return count


def _demo_event(station: Station, officer: Any, *, agri: Any, now: dt.datetime) -> int:
    duck, teal = _species("斑嘴鸭"), _species("绿翅鸭")
    if duck is None or teal is None:
        return 0
    seen = now - dt.timedelta(days=2, hours=3)
    event = services.event_report(
        actor=officer,
        source=EventSource.PATROL,
        source_ref="演示巡查记录 XH-01",
        station=station,
        location=Point(117.9075, 36.8525, srid=4326),
        place_name="孝妇河北郊段河滩（演示）",
        detected_at=seen,
        species=[services.SpeciesCount(duck, sick=3, dead=6)],
        signs="精神沉郁、站立不稳、头颈扭曲，部分个体泄殖腔周围污秽（演示）",
        isolation=True,
        no_touching=True,
        now=seen + dt.timedelta(minutes=40),
    )
    sample = services.sample_add(
        actor=officer,
        event=event,
        sample_no="DEMO-S-001",
        kind=SampleKind.SWAB_CLOACAL,
        species=duck,
        quantity=6,
        taken_by="演示采样员 张磊",
        taken_at=seen + dt.timedelta(hours=2),
        biosafety_level=BiosafetyLevel.BSL2,
        preservation="4℃冷藏",
        lab_name="淄博市动物疫病预防控制中心（演示）",
        sent_at=seen + dt.timedelta(hours=5),
    )
    services.sample_custody_add(actor=officer, sample=sample, at=seen + dt.timedelta(hours=3), from_person="演示采样员 张磊", to_person="演示送样员 王强", place="监测站")
    services.sample_custody_add(actor=officer, sample=sample, at=seen + dt.timedelta(hours=5), from_person="演示送样员 王强", to_person="实验室收样 李娜", place="市动物疫病预防控制中心")
    services.lab_result_add(
        actor=agri,
        sample=sample,
        pathogen="H5 亚型禽流感病毒",
        test_method="实时荧光RT-PCR",
        outcome=LabOutcome.SUSPECT,
        tested_count=6,
        positive_count=2,
        pooled=True,
        pool_size=3,
        lab_name="淄博市动物疫病预防控制中心（演示）",
        report_no="DEMO-LAB-2001",
        reported_at=seen + dt.timedelta(hours=20),
        now=seen + dt.timedelta(hours=20),
    )
    services.event_supply_add(actor=officer, event=event, kind=SupplyKind.USED, item="防护服", quantity=Decimal("6"), unit="套")
    services.event_supply_add(actor=officer, event=event, kind=SupplyKind.USED, item="消毒剂（含氯）", quantity=Decimal("20"), unit="千克")
    services.event_dispatch_add(actor=officer, event=event, team_name="区野生动物疫病应急处置队（演示）", members="演示队员 5 人", dispatched_at=seen + dt.timedelta(hours=1), arrived_at=seen + dt.timedelta(hours=1, minutes=35))
    second_seen = seen + dt.timedelta(hours=30)
    services.event_report(
        actor=officer,
        source=EventSource.CITIZEN,
        source_ref="演示群众报告 QZ-07",
        location=Point(117.921, 36.861, srid=4326),
        place_name="孝妇河下游农田边（演示）",
        detected_at=second_seen,
        species=[services.SpeciesCount(teal, sick=0, dead=2)],
        signs="群众发现死亡野鸭2只（演示）",
        now=second_seen + dt.timedelta(hours=1),
    )
    return 2
