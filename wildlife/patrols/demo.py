"""Demo patrols, inspections, trainings, personnel and equipment for 周村区 (names marked 演示; places schematic).

Idempotent: each group is created once (looked up by its demo names); a second run changes nothing. Records are
written through the services as the demo district and town officers, so they carry audit events like real ones.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from decimal import Decimal
from typing import Any

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone

from wildlife.patrols import services
from wildlife.patrols.choices import Answer, FollowUpResult, IncidentKind, PatrolKind, TargetKind, TrackSource
from wildlife.patrols.models import (
    ChecklistTemplate,
    EnforcementOfficer,
    Equipment,
    Inspection,
    InspectionTarget,
    Patrol,
    TrainingSession,
)
from wildlife.patrols.tracks import ParsedTrack

CHECKLISTS: dict[str, tuple[str, list[str]]] = {
    TargetKind.MARKET: (
        "演示·农贸/花鸟市场检查表",
        [
            "是否出售、收购国家重点保护或“三有”野生动物及其制品｜野生动物保护法第二十八条",
            "出售的鸟类、龟类等是否有合法来源证明和检疫证明｜野生动物保护法第二十九条",
            "是否存在无证经营人工繁育野生动物的摊位｜野生动物保护法第二十八条",
            "是否张贴禁止非法交易野生动物的宣传公告",
            "是否发现猎夹、捕鸟网等禁用猎捕工具在售｜野生动物保护法第二十四条",
        ],
    ),
    TargetKind.RESTAURANT: (
        "演示·餐饮场所检查表",
        [
            "菜单、招牌是否有野生动物菜品或“野味”字样｜野生动物保护法第三十一条",
            "冷库、后厨是否存放野生动物及其制品｜野生动物保护法第三十一条",
            "食材采购是否有合法来源票据和检疫证明",
            "是否张贴拒食野味宣传提示",
        ],
    ),
    TargetKind.PET_SHOP: (
        "演示·宠物店检查表",
        [
            "是否出售鹦鹉、龟类等野生动物，是否有人工繁育许可或合法来源证明｜野生动物保护法第二十八条",
            "是否出售国家重点保护野生动物的活体｜野生动物保护法第二十八条",
            "经营台账是否记录来源与去向",
            "是否有网络销售渠道并核查发布内容",
        ],
    ),
    TargetKind.EXPRESS: (
        "演示·快递网点检查表",
        [
            "是否落实收寄验视制度｜邮政法第二十五条",
            "是否落实实名收寄制度",
            "是否张贴禁止寄递野生动物及其制品的公告",
            "近期是否发现疑似野生动物及其制品的寄递物品",
        ],
    ),
    TargetKind.BREEDING: (
        "演示·人工繁育场所检查表",
        [
            "是否持有有效的人工繁育许可证或备案｜野生动物保护法第二十五条",
            "存栏数量与台账是否一致",
            "出售、运输是否附有专用标识和检疫证明｜野生动物保护法第二十九条",
            "笼舍设施是否防逃逸、防疫条件是否达标",
        ],
    ),
}

TARGETS = (
    ("演示·周村大集花鸟市场", TargetKind.MARKET, "周村区大街街道（演示地址）", (117.823, 36.778), "演示·市场管理办公室"),
    ("演示·王村镇山野农家菜馆", TargetKind.RESTAURANT, "王村镇驻地（演示地址）", (117.765, 36.745), "演示·店主"),
    ("演示·丝绸路萌宠宠物店", TargetKind.PET_SHOP, "丝绸路街道（演示地址）", (117.902, 36.772), "演示·店主"),
    ("演示·北郊镇快递综合服务站", TargetKind.EXPRESS, "北郊镇（演示地址）", (117.851, 36.852), "演示·站长"),
    ("演示·南郊镇梅花鹿养殖场", TargetKind.BREEDING, "南郊镇（演示地址）", (117.884, 36.731), "演示·场长"),
)


def _user(username: str) -> Any:
    from wildlife.accounts.models import User

    return User.objects.filter(username__iexact=username).first()


def _wiggle(waypoints: list[tuple[float, float]], *, step_m: float = 60.0, amplitude: float = 0.0004, phase: float = 0.0) -> list[tuple[float, float]]:
    """A GPS-like track through the waypoints: points every ~step_m metres with a small sideways wander."""
    points: list[tuple[float, float]] = []
    for (x1, y1), (x2, y2) in itertools.pairwise(waypoints):
        length = math.hypot((x2 - x1) * 89_000, (y2 - y1) * 111_000)
        n = max(2, int(length / step_m))
        for i in range(n):
            t = i / n
            wobble = amplitude * math.sin(phase + (len(points) + i) / 7.0)
            points.append((round(x1 + (x2 - x1) * t + wobble * (y2 - y1) * 10, 6), round(y1 + (y2 - y1) * t - wobble * (x2 - x1) * 10, 6)))
    points.append(waypoints[-1])
    return points


PATROLS: tuple[dict[str, Any], ...] = (
    {
        "title": "演示·王村镇西南山区例行巡护",
        "kind": PatrolKind.MOUNTAIN,
        "user": "demo_town",
        "days_ago": 2,
        "hours": 4.5,
        "waypoints": [(117.715, 36.655), (117.728, 36.668), (117.742, 36.676), (117.751, 36.689), (117.738, 36.695), (117.722, 36.684)],
        "weather": "晴，西北风 3 级",
        "names": "演示·护林员张建国、演示·护林员李秀英",
        "incidents": [
            (IncidentKind.HUNTING_TOOL, 0.35, "林缘发现已布设的猎夹 2 副，已拆除收缴，拍照留存。", None, None),
            (IncidentKind.SIGHTING, 0.6, "山坡灌丛中见环颈雉 3 只。", "环颈雉", 3),
        ],
    },
    {
        "title": "演示·王村镇北部丘陵巡护",
        "kind": PatrolKind.MOUNTAIN,
        "user": "demo_town",
        "days_ago": 33,
        "hours": 3.0,
        "waypoints": [(117.72, 36.76), (117.735, 36.775), (117.75, 36.79), (117.765, 36.80)],
        "weather": "多云",
        "names": "演示·护林员张建国",
        "incidents": [],
    },
    {
        "title": "演示·王村镇东部农田村庄巡查",
        "kind": PatrolKind.FARMLAND,
        "user": "demo_town",
        "days_ago": 64,
        "hours": 2.5,
        "waypoints": [(117.77, 36.72), (117.78, 36.735), (117.79, 36.75)],
        "weather": "阴",
        "names": "演示·网格员王强",
        "incidents": [(IncidentKind.DEAD_WILDLIFE, 0.5, "田埂发现死亡野鸭 1 只，已按规定报告并送检。", "绿头鸭", 1)],
    },
    {
        "title": "演示·南部山区（萌水镇）护林巡护",
        "kind": PatrolKind.MOUNTAIN,
        "user": "demo_district",
        "days_ago": 5,
        "hours": 5.0,
        "waypoints": [(117.79, 36.648), (117.805, 36.66), (117.82, 36.672), (117.838, 36.68), (117.855, 36.676), (117.868, 36.665)],
        "weather": "晴",
        "names": "演示·区林业站刘海",
        "incidents": [(IncidentKind.HABITAT_DAMAGE, 0.5, "山坡有新近毁林开垦痕迹约 200 平方米。", None, None)],
    },
    {
        "title": "演示·南部山区（商家镇）联合巡查",
        "kind": PatrolKind.JOINT,
        "user": "demo_district",
        "days_ago": 40,
        "hours": 4.0,
        "waypoints": [(117.90, 36.65), (117.915, 36.662), (117.93, 36.675), (117.95, 36.684)],
        "weather": "小雨",
        "names": "演示·区林业站刘海、演示·商家镇护林员",
        "incidents": [],
    },
    {
        "title": "演示·孝妇河沿岸巡护（南郊—北郊段）",
        "kind": PatrolKind.RIVER,
        "user": "demo_district",
        "days_ago": 9,
        "hours": 6.0,
        "waypoints": [(117.842, 36.72), (117.846, 36.745), (117.851, 36.77), (117.848, 36.795), (117.853, 36.82), (117.858, 36.845), (117.862, 36.865)],
        "weather": "晴，微风",
        "names": "演示·河道管理员赵亮",
        "incidents": [(IncidentKind.ILLEGAL_HUNTING, 0.8, "河滩苇丛中发现疑似捕鸟网 3 张，现场无人。", None, None)],
    },
    {
        "title": "演示·文昌湖湿地巡护",
        "kind": PatrolKind.WETLAND,
        "user": "demo_district",
        "days_ago": 70,
        "hours": 3.5,
        "waypoints": [(117.80, 36.665), (117.815, 36.673), (117.83, 36.668), (117.82, 36.657), (117.805, 36.658)],
        "weather": "晴",
        "names": "演示·湿地管护员",
        "incidents": [(IncidentKind.SIGHTING, 0.4, "湖面见小䴙䴘、白鹭等水鸟约 40 只。", "白鹭", 12)],
    },
)


def _load_templates(actor: Any) -> int:
    created = 0
    for kind, (name, items) in CHECKLISTS.items():
        if ChecklistTemplate.objects.filter(name=name).exists():
            continue
        services.checklist_template_save(actor=actor, name=name, target_kind=kind, items="\n".join(items), is_active=True, notes="演示模板")
        created += 1
    return created


def _load_patrols(today: dt.datetime) -> int:
    from wildlife.species.selectors import species_resolve

    created = 0
    for spec in PATROLS:
        if Patrol.objects.filter(title=spec["title"]).exists():
            continue
        actor = _user(spec["user"])
        if actor is None:
            continue
        start = (today - dt.timedelta(days=spec["days_ago"])).replace(hour=8, minute=30, second=0, microsecond=0)
        end = start + dt.timedelta(hours=spec["hours"])
        track = ParsedTrack(segments=[_wiggle(spec["waypoints"], phase=spec["days_ago"])], name=spec["title"], source_format="gpx")
        patrol = services.patrol_record(
            actor=actor,
            title=spec["title"],
            kind=spec["kind"],
            track=track,
            track_source=TrackSource.GPX,
            track_file_name="演示轨迹.gpx",
            started_at=start,
            ended_at=end,
            members=[actor],
            member_names=spec["names"],
            weather=spec["weather"],
            summary="演示数据：按巡护路线完成巡查。",
        )
        points = list(patrol.track.coords)
        for kind, fraction, text, species_name, count in spec["incidents"]:
            lon, lat = points[min(len(points) - 1, int(len(points) * fraction))]
            species = species_resolve(species_name)[0] if species_name else None
            services.patrol_incident_add(
                actor=actor,
                patrol=patrol,
                kind=kind,
                location=Point(lon, lat, srid=4326),
                description=text,
                observed_at=start + dt.timedelta(hours=spec["hours"] * fraction),
                species=species,
                count=count if species else None,
            )
        created += 1
    return created


def _answers(kind: str, failed: dict[int, str]) -> list[services.AnswerInput]:
    template = services.checklist_for_kind(kind)
    if template is None:
        return []
    return [
        services.AnswerInput(
            order=item.order,
            item_text=item.text,
            legal_basis=item.legal_basis,
            answer=Answer.FAIL if item.order in failed else Answer.PASS,
            note=failed.get(item.order, ""),
        )
        for item in template.items.all()
    ]


def _load_inspections(district_user: Any, town_user: Any, market_user: Any) -> int:
    created = 0
    targets: dict[str, InspectionTarget] = {}
    for name, kind, address, (lon, lat), operator in TARGETS:
        target = InspectionTarget.objects.filter(name=name).first()
        if target is None:
            target = services.inspection_target_create(
                actor=district_user, name=name, kind=kind, address=address, location=Point(lon, lat, srid=4326), operator_name=operator, contact_phone="13800001234", notes="演示数据"
            )
        targets[kind] = target
    if Inspection.objects.filter(target__name__startswith="演示·").exists():
        return 0
    today = timezone.localdate()
    inspector = market_user or district_user
    market = services.inspection_record(
        actor=inspector,
        target=targets[TargetKind.MARKET],
        inspected_on=today - dt.timedelta(days=6),
        answers=_answers(TargetKind.MARKET, {1: "两个摊位出售画眉、红嘴相思鸟活体，无合法来源证明。", 4: "市场入口未张贴宣传公告。"}),
        template=services.checklist_for_kind(TargetKind.MARKET),
        inspectors=[inspector],
        inspector_names="演示·区自然资源局 执法人员",
        findings="演示：发现两处摊位出售疑似野生鸟类，已责令停止销售，鸟只暂扣待鉴定。",
        rectification_requirement="清理在售野生鸟类，建立进货来源台账，张贴禁止非法交易野生动物公告。",
        rectify_by=today + dt.timedelta(days=10),
    )
    restaurant = services.inspection_record(
        actor=town_user or district_user,
        target=targets[TargetKind.RESTAURANT],
        inspected_on=today - dt.timedelta(days=20),
        answers=_answers(TargetKind.RESTAURANT, {1: "招牌写有“山野味”字样。"}),
        template=services.checklist_for_kind(TargetKind.RESTAURANT),
        inspectors=[town_user] if town_user else [],
        inspector_names="演示·王村镇综合执法队",
        findings="演示：招牌含“野味”字样，后厨未发现野生动物。",
        rectification_requirement="更换招牌，去除“野味”宣传字样。",
        rectify_by=today - dt.timedelta(days=3),
    )
    pet = services.inspection_record(
        actor=inspector,
        target=targets[TargetKind.PET_SHOP],
        inspected_on=today - dt.timedelta(days=30),
        answers=_answers(TargetKind.PET_SHOP, {3: "经营台账未记录龟类来源。"}),
        template=services.checklist_for_kind(TargetKind.PET_SHOP),
        inspectors=[inspector],
        findings="演示：台账不全。",
        rectification_requirement="补齐龟类进货来源台账。",
        rectify_by=today - dt.timedelta(days=16),
    )
    services.inspection_follow_up(
        actor=inspector, inspection=pet, version=pet.version, checked_on=today - dt.timedelta(days=15), result=FollowUpResult.PASSED, note="演示：台账已补齐。"
    )
    express = services.inspection_record(
        actor=inspector,
        target=targets[TargetKind.EXPRESS],
        inspected_on=today - dt.timedelta(days=12),
        answers=_answers(TargetKind.EXPRESS, {}),
        template=services.checklist_for_kind(TargetKind.EXPRESS),
        inspectors=[inspector],
        findings="演示：验视、实名制度落实到位。",
    )
    services.inspection_close(actor=inspector, inspection=express, version=express.version, note="演示：未发现问题，办结。")
    breeding = services.inspection_record(
        actor=district_user,
        target=targets[TargetKind.BREEDING],
        inspected_on=today - dt.timedelta(days=4),
        answers=_answers(TargetKind.BREEDING, {2: "台账存栏 46 头，清点 44 头，差 2 头待说明。"}),
        template=services.checklist_for_kind(TargetKind.BREEDING),
        inspectors=[district_user],
        findings="演示：存栏与台账不符。",
    )
    created += len([market, restaurant, pet, express, breeding])
    return created


def _demo_handout() -> Any:
    """A one-page handout (PDF, Chinese fonts) so that the demo training has a material to open."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from weasyprint import HTML

    html = (
        "<html><head><style>@page { size: A4; margin: 2cm } body { font-family: 'Noto Sans CJK SC', sans-serif }"
        " h1 { font-size: 18pt } li { margin: 4pt 0 }</style></head><body>"
        "<h1>演示·野生动物保护执法业务培训讲义</h1><p>（演示材料，非正式文件）</p><ol>"
        "<li>《野生动物保护法》（2022 年修订，2023 年 5 月 1 日施行）主要变化</li>"
        "<li>禁止使用的猎捕工具和方法：猎夹、猎套、捕鸟网、电击装置等</li>"
        "<li>现场检查与证据固定：照片、GPS 位置、笔录</li>"
        "<li>涉案野生动物价值评估与移送标准</li></ol></body></html>"
    )
    return SimpleUploadedFile("演示·执法业务培训讲义.pdf", HTML(string=html).write_pdf(), content_type="application/pdf")


def _load_trainings(district_user: Any, town_user: Any) -> int:
    from wildlife.accounts.models import Department

    created = 0
    today = timezone.localdate()
    if not TrainingSession.objects.filter(title="演示·野生动物保护执法业务培训").exists():
        session = services.training_session_create(
            actor=district_user,
            title="演示·野生动物保护执法业务培训",
            held_on=today - dt.timedelta(days=45),
            hours=Decimal("6.0"),
            trainer="演示·市林业局 执法专家",
            place="区自然资源局会议室（演示）",
            organiser=Department.objects.filter(code="natural_resources").first(),
            content="新修订《野生动物保护法》要点；案件证据固定；涉案物种鉴定与价值评估。",
            materials=[_demo_handout()],
        )
        for user in (district_user, town_user, _user("demo_market"), _user("demo_police")):
            if user is not None:
                services.training_attendance_add(actor=district_user, session=session, user=user)
        services.training_attendance_add(actor=district_user, session=session, name="演示·护林员张建国", department="王村镇人民政府")
        services.training_attendance_add(actor=district_user, session=session, name="演示·护林员李秀英", department="王村镇人民政府", attended=False)
        created += 1
    if town_user is not None and not TrainingSession.objects.filter(title="演示·王村镇护林员巡护技能培训").exists():
        session = services.training_session_create(
            actor=town_user,
            title="演示·王村镇护林员巡护技能培训",
            held_on=today - dt.timedelta(days=12),
            hours=Decimal("3.0"),
            trainer="演示·王村镇林业站",
            place="王村镇政府（演示）",
            content="GPS 轨迹记录与上传；猎具识别与拆除；常见野生动物识别。",
        )
        services.training_attendance_add(actor=town_user, session=session, user=town_user)
        services.training_attendance_add(actor=town_user, session=session, name="演示·护林员张建国", department="王村镇人民政府")
        services.training_attendance_add(actor=town_user, session=session, name="演示·网格员王强", department="王村镇人民政府", hours=Decimal("1.5"))
        created += 1
    return created


def _load_registers(district_user: Any, town_user: Any) -> int:
    from wildlife.accounts.models import Department

    if EnforcementOfficer.objects.filter(name__startswith="演示·").exists():
        return 0
    today = timezone.localdate()
    natural = Department.objects.get(code="natural_resources")
    town_department = Department.objects.filter(code="town-370306100").first()
    officers = [
        services.officer_create(actor=district_user, name="演示·李明", department=natural, user=district_user, position="执法科科长",
                                certificate_no="鲁林执3703060001", certificate_valid_until=today + dt.timedelta(days=400)),
        services.officer_create(actor=district_user, name="演示·刘海", department=natural, position="林业站执法员",
                                certificate_no="鲁林执3703060002", certificate_valid_until=today + dt.timedelta(days=25)),
    ]
    if town_department is not None and town_user is not None:
        officers.append(
            services.officer_create(actor=town_user, name="演示·刘洋", department=town_department, user=town_user, position="综合执法队员",
                                    certificate_no="鲁综执3703061003", certificate_valid_until=today - dt.timedelta(days=10))
        )
    items = [
        ("body_camera", "DSJ-A8（演示）", "DEMO-CAM-001", officers[0], today - dt.timedelta(days=80), today + dt.timedelta(days=100)),
        ("drone", "四旋翼巡检无人机（演示）", "DEMO-UAV-001", officers[1], today - dt.timedelta(days=170), today + dt.timedelta(days=10)),
        ("gps", "手持 GPS（演示）", "DEMO-GPS-001", officers[-1], today - dt.timedelta(days=30), today + dt.timedelta(days=150)),
        ("binoculars", "10×42 望远镜（演示）", "DEMO-BIN-001", officers[1], None, None),
        ("vehicle", "执法巡逻车（演示）", "鲁C·D0001", officers[0], today - dt.timedelta(days=300), today - dt.timedelta(days=5)),
    ]
    for kind, model_name, serial, holder, last, nxt in items:
        if Equipment.objects.filter(serial_no=serial).exists():
            continue
        services.equipment_create(actor=district_user, kind=kind, model_name=model_name, serial_no=serial, holder=holder,
                                  last_checked_on=last, next_check_on=nxt, notes="演示数据")
    return len(officers)


@transaction.atomic
def load() -> str:
    """Load the demo records once; returns a one-line Chinese summary."""
    district_user = _user("demo_district")
    if district_user is None:
        return "未找到演示账号 demo_district，跳过"
    town_user = _user("demo_town")
    market_user = _user("demo_market")
    now = timezone.localtime()
    templates = _load_templates(district_user)
    patrols = _load_patrols(now)
    inspections = _load_inspections(district_user, town_user, market_user)
    trainings = _load_trainings(district_user, town_user)
    officers = _load_registers(district_user, town_user)
    return f"检查表模板 {templates} 个，巡护 {patrols} 次，检查 {inspections} 次，培训 {trainings} 场，执法人员 {officers} 人"
