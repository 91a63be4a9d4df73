"""Demo enforcement records for 周村区 (clearly marked 【演示】): tip-offs in several states, two cases in 王村镇 and
北郊镇 linked by a shared phone number, and the special operation 清风行动（演示）. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone

from wildlife.accounts.models import Department, User
from wildlife.enforcement import services
from wildlife.enforcement.models import Operation, Tipoff
from wildlife.geo.models import AdminArea

OPERATION_CODE = "qingfeng-demo"
SHARED_PHONE = "13700001234"  # demo number shared by the two cases (not a real subscriber number range in use here)


def _point(area: AdminArea, dx: float = 0.0, dy: float = 0.0) -> Point:
    boundary = AdminArea.objects.get(pk=area.pk).boundary
    assert boundary is not None
    probe = boundary.point_on_surface
    candidate = Point(probe.x + dx, probe.y + dy, srid=4326)
    from wildlife.geo.selectors import area_for_point

    found = area_for_point(candidate)
    return candidate if found is not None and found.pk == area.pk else Point(probe.x, probe.y, srid=4326)


def _species(name: str) -> Any:
    from wildlife.species.models import Species

    return Species.objects.filter(name_zh=name).first()


def load() -> str:
    if Operation.objects.filter(code=OPERATION_CODE).exists():
        return "已存在（跳过）"
    officer = User.objects.filter(username="demo_district").first()
    market = User.objects.filter(username="demo_market").first()
    if officer is None:
        return "跳过（没有演示账号 demo_district）"
    with transaction.atomic():
        summary = _load(officer, market)
    return summary


def _load(officer: User, market: User | None) -> str:
    wangcun = AdminArea.objects.get(name="王村镇")
    beijiao = AdminArea.objects.get(name="北郊镇")
    departments = {d.code: d for d in Department.objects.all()}
    intake = services.ensure_intake_group()
    intake.user_set.add(officer)

    operation = services.operation_create(
        actor=officer, code=OPERATION_CODE, name="清风行动（演示）", start_date=timezone.localdate() - dt.timedelta(days=60),
        end_date=timezone.localdate() + dt.timedelta(days=30), lead_department=departments["natural_resources"],
        departments=[departments[c] for c in ("market", "police", "agriculture") if c in departments]
        + [d for d in departments.values() if d.area_id in (wangcun.pk, beijiao.pk) and d.kind == "town_government"],
        targets="【演示】打击孝妇河、范阳河沿线非法捕鸟和农贸市场、网络平台非法交易野生鸟类；排查南部山区猎夹、电猫等禁用工具。",
    )
    Operation.objects.filter(pk=operation.pk).update(status="active")

    # --- tip-offs in several states --------------------------------------------------------------------------------
    t1, _code1 = services.tipoff_submit_public(
        kind="illegal", content="【演示】孝妇河王村段河滩上有人架设捕鸟网，网上挂着几只小鸟。", location=_point(wangcun, 0.004, 0.002),
        address="孝妇河王村段东岸河滩（演示）", occurred_at=timezone.now() - dt.timedelta(hours=20),
    )
    t2 = services.tipoff_register(
        actor=officer, channel="phone_12345", content="【演示】北郊镇农贸市场东门有摊贩出售野生斑鸠和刺猬。", kind="illegal",
        area=beijiao, address="北郊镇农贸市场东门（演示）", informant={"name": "演示举报人甲", "phone": "13800000001"}, operation=operation,
    )
    services.tipoff_triage(actor=officer, tipoff=t2, category="trade", area=beijiao, note="【演示】涉及市场交易，交市场监管和北郊镇核查")

    t3 = services.tipoff_register(
        actor=officer, channel="wechat", content="【演示】王村镇某村有人收购画眉、百灵等鸣禽，疑似转卖到外地。", kind="illegal",
        location=_point(wangcun), address="王村镇（演示）", operation=operation,
    )
    services.tipoff_triage(actor=officer, tipoff=t3, category="trade", species=_species("画眉"), note="【演示】线索具体，建议立案")
    services.tipoff_assign(actor=officer, tipoff=t3, department=departments["natural_resources"], town=wangcun, note="【演示】会同王村镇核查")

    t4 = services.tipoff_register(
        actor=officer, channel="walk_in", content="【演示】文昌湖边发现一只翅膀受伤的苍鹭，无法飞行。", kind="injured",
        area=wangcun, address="文昌湖西岸步道（演示）",
    )
    services.tipoff_triage(actor=officer, tipoff=t4, category="rescue", species=_species("苍鹭"), area=wangcun)
    services.tipoff_assign(actor=officer, tipoff=t4, department=departments["natural_resources"], town=wangcun)
    services.tipoff_handle(actor=officer, tipoff=t4, findings="【演示】现场确认苍鹭左翼受伤", actions_taken="已送区野生动物救护站救治")
    services.tipoff_reply(actor=officer, tipoff=t4, reply="【演示】您报告的受伤苍鹭已送救护站救治，感谢您的爱心。")
    services.tipoff_close(actor=officer, tipoff=t4, note="【演示】办结")

    # --- two cases linked by a shared phone ---------------------------------------------------------------------
    case_a = services.tipoff_escalate(actor=officer, tipoff=t3, title="【演示】王村镇非法收购、出售画眉案", offence_type="trade")
    services.case_update(
        actor=officer, obj=case_a, version=case_a.version, title=case_a.title, summary=case_a.summary, offence_type="trade",
        offence_date=dt.date(2022, 10, 15), address="王村镇某村（演示）", operation=operation,
        involved_departments=[d for d in departments.values() if d.area_id == wangcun.pk],
    )
    case_a.refresh_from_db()
    source = services.case_party_add(actor=officer, case=case_a, kind="person", role="source", name="演示·赵某", phone="13700009876", note="南部山区捕鸟（演示）")
    seller = services.case_party_add(actor=officer, case=case_a, kind="person", role="seller", name="演示·张某", phone=SHARED_PHONE, id_number="370306199001011234")
    vehicle = services.case_party_add(actor=officer, case=case_a, kind="vehicle", role="transporter", identifier="鲁C·D1234（演示）")
    buyer = services.case_party_add(actor=officer, case=case_a, kind="person", role="buyer", name="演示·外地买家", address="某省某市花鸟市场（演示）")
    huamei = _species("画眉")
    services.case_flow_add(actor=officer, case=case_a, from_party=source, to_party=seller, kind="supply", species=huamei, quantity="6只", occurred_on=dt.date(2022, 10, 10))
    services.case_flow_add(actor=officer, case=case_a, from_party=seller, to_party=vehicle, kind="transport", species=huamei, quantity="6只", occurred_on=dt.date(2022, 10, 14))
    services.case_flow_add(actor=officer, case=case_a, from_party=vehicle, to_party=buyer, kind="sale", species=huamei, quantity="6只", occurred_on=dt.date(2022, 10, 15))
    item = services.case_item_add(actor=officer, case=case_a, species=huamei, count=6, condition="alive", storage_place="区野生动物救护站（演示）")
    services.case_item_hand_over(actor=officer, item=item, condition_note="【演示】6只画眉精神尚可，羽毛有破损")
    services.case_start_investigation(actor=officer, case=case_a, note="【演示】询问当事人，调取交易记录")
    services.case_assess(actor=officer, case=case_a)

    opener = market or officer
    case_b = services.case_open(
        actor=opener, origin="agency", origin_ref="", origin_label="【演示】区委网信办转交：网络平台账号出售野生鸟类线索",
        title="【演示】北郊镇网络出售野生鸟类案", area=beijiao, summary="【演示】某二手平台账号以“山货”“活体包邮”为名出售鸟类。",
        offence_date=dt.date(2024, 3, 18), offence_type="trade", operation=operation, address="北郊镇（演示）",
        involved_departments=[d for d in departments.values() if d.area_id == beijiao.pk or d.code == "natural_resources"],
    )
    account = services.case_party_add(actor=opener, case=case_b, kind="account", role="seller", name="演示·山货小店", identifier="闲鱼:bird_demo_01", phone=SHARED_PHONE)
    receiver = services.case_party_add(actor=opener, case=case_b, kind="person", role="buyer", name="演示·收件人", address="北郊镇某小区（演示）")
    services.case_flow_add(actor=opener, case=case_b, from_party=account, to_party=receiver, kind="mail", species=_species("黑尾蜡嘴雀") or huamei, quantity="2只", occurred_on=dt.date(2024, 3, 18))
    services.case_item_add(actor=opener, case=case_b, species=_species("黑尾蜡嘴雀") or huamei, count=2, condition="dead", actual_price=Decimal("360"))
    services.case_assess(actor=opener, case=case_b)
    Tipoff.objects.filter(pk=t1.pk).update(operation=operation)
    return f"专项行动 1 个，举报 4 条，案件 2 件（{case_a.case_no}、{case_b.case_no}，共用电话关联）"
