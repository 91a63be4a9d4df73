"""The rule rows shipped with the platform (loaded by migration 0003, editable afterwards in 规则与标准).

Sources: 野生动物保护法 (2018 修正, in force 2017-01-01 … 2023-04-30; 2022 修订, in force 2023-05-01), read in
/work/shared/research/laws; 国家林业局令第46号《野生动物及其制品价值评估方法》(coefficients); 法释〔2022〕12号
(thresholds, in force 2022-04-09). Base values per animal are NOT from the official catalogue (《陆生野生动物基准价值标准
目录》 was not available): they are class-level starting values marked unverified, to be replaced by the authority.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

N1, N2, PROV, SY, NONE = "national_1", "national_2", "provincial", "sanyou", "none"
NATIONAL = [N1, N2]
NON_NATIONAL = [PROV, SY, NONE]

LAWS: list[dict[str, Any]] = [
    {
        "code": "wpl-2018",
        "name": "中华人民共和国野生动物保护法（2016年修订，2018年10月26日修正）",
        "short_name": "野生动物保护法（2018）",
        "effective_from": dt.date(2017, 1, 1),
        "effective_to": dt.date(2023, 5, 1),
        "source": "全国人大常委会；第五十八条：自2017年1月1日起施行",
    },
    {
        "code": "wpl-2022",
        "name": "中华人民共和国野生动物保护法（2022年12月30日修订）",
        "short_name": "野生动物保护法（2022）",
        "effective_from": dt.date(2023, 5, 1),
        "effective_to": None,
        "source": "全国人大常委会；第六十四条：自2023年5月1日起施行",
    },
]

_MAIN = "县级以上人民政府野生动物保护主管部门"
_MARKET = "县级以上人民政府市场监督管理部门"

# (law, article, offence, protections, basis, mult_min, mult_max, floor, fixed_min, fixed_max, authority, sanction)
PENALTIES: list[tuple[Any, ...]] = [
    # --- 2018 law ---
    ("wpl-2018", "第四十五条", "hunting", NATIONAL, "value", 2, 10, None, 10000, 50000, _MAIN,
     "没收猎获物、猎捕工具和违法所得，吊销特许猎捕证，并处猎获物价值二倍以上十倍以下的罚款；没有猎获物的，并处一万元以上五万元以下的罚款"),
    ("wpl-2018", "第四十六条", "hunting", NON_NATIONAL, "value", 1, 5, None, 2000, 10000, "县级以上地方人民政府野生动物保护主管部门",
     "没收猎获物、猎捕工具和违法所得，吊销狩猎证，并处猎获物价值一倍以上五倍以下的罚款；没有猎获物的，并处二千元以上一万元以下的罚款"),
    ("wpl-2018", "第四十七条", "breeding", NATIONAL, "value", 1, 5, None, None, None, _MAIN,
     "没收野生动物及其制品，并处野生动物及其制品价值一倍以上五倍以下的罚款"),
    ("wpl-2018", "第四十八条第一款", "trade", NATIONAL, "value", 2, 10, None, None, None, _MAIN + "或者市场监督管理部门",
     "没收野生动物及其制品和违法所得，并处野生动物及其制品价值二倍以上十倍以下的罚款；情节严重的，吊销人工繁育许可证、撤销批准文件、收回专用标识"),
    ("wpl-2018", "第四十八条第二款", "trade", NON_NATIONAL, "value", 1, 5, None, None, None, "县级以上地方人民政府野生动物保护主管部门或者市场监督管理部门",
     "没收野生动物，并处野生动物价值一倍以上五倍以下的罚款"),
    ("wpl-2018", "第四十九条", "eating", [], "value", 2, 10, None, None, None, _MAIN + "或者市场监督管理部门",
     "责令停止违法行为，没收野生动物及其制品和违法所得，并处野生动物及其制品价值二倍以上十倍以下的罚款"),
    ("wpl-2018", "第四十四条", "rescue_trade", [], "value", 2, 10, None, None, None, _MAIN,
     "没收野生动物及其制品、违法所得，并处野生动物及其制品价值二倍以上十倍以下的罚款，记入社会诚信档案，向社会公布"),
    ("wpl-2018", "第五十一条", "platform", [], "gains", 2, 5, None, 10000, 50000, _MARKET,
     "责令停止违法行为，限期改正，没收违法所得，并处违法所得二倍以上五倍以下的罚款；没有违法所得的，处一万元以上五万元以下的罚款"),
    # --- 2022 law ---
    ("wpl-2022", "第四十八条第一款", "hunting", NATIONAL, "value", 2, 20, 5000, 10000, 100000, _MAIN + "、海警机构和有关自然保护地管理机构",
     "没收猎获物、猎捕工具和违法所得，吊销特许猎捕证，并处猎获物价值二倍以上二十倍以下罚款；没有猎获物或者猎获物价值不足五千元的，并处一万元以上十万元以下罚款"),
    ("wpl-2022", "第四十九条第一款", "hunting", [PROV, SY], "value", 1, 10, 2000, 2000, 20000, "县级以上地方人民政府野生动物保护主管部门和有关自然保护地管理机构",
     "没收猎获物、猎捕工具和违法所得，吊销狩猎证，并处猎获物价值一倍以上十倍以下罚款；没有猎获物或者猎获物价值不足二千元的，并处二千元以上二万元以下罚款"),
    ("wpl-2022", "第四十九条第二款", "hunting", [NONE], "value", 1, 3, 1000, 1000, 3000, "县级以上地方人民政府野生动物保护主管部门和有关自然保护地管理机构",
     "在自然保护地、禁猎区、禁猎期或者使用禁用的工具、方法猎捕其他陆生野生动物，破坏生态的：没收猎获物、猎捕工具和违法所得，并处猎获物价值一倍以上三倍以下罚款；没有猎获物或者猎获物价值不足一千元的，并处一千元以上三千元以下罚款"),
    ("wpl-2022", "第五十一条第一款", "breeding", NATIONAL, "value", 1, 10, None, None, None, _MAIN,
     "没收野生动物及其制品，并处野生动物及其制品价值一倍以上十倍以下罚款"),
    ("wpl-2022", "第五十一条第二款", "breeding", [SY], "fixed", None, None, None, 500, 2000, "县级人民政府野生动物保护主管部门",
     "责令限期改正；逾期不改正的，处五百元以上二千元以下罚款"),
    ("wpl-2022", "第五十二条第一款", "trade", NATIONAL, "value", 2, 20, None, None, None, _MAIN + "和市场监督管理部门",
     "没收野生动物及其制品和违法所得，责令关闭违法经营场所，并处野生动物及其制品价值二倍以上二十倍以下罚款；情节严重的，吊销人工繁育许可证、撤销批准文件、收回专用标识"),
    ("wpl-2022", "第五十二条第二款", "trade", [PROV, SY], "value", 1, 10, None, None, None, "县级以上地方人民政府野生动物保护主管部门和市场监督管理部门",
     "没收野生动物，并处野生动物价值一倍以上十倍以下罚款"),
    ("wpl-2022", "第五十三条第一款", "eating", [N1, N2, PROV, SY], "value", 2, 20, None, None, None, _MAIN + "和市场监督管理部门",
     "责令停止违法行为，没收野生动物及其制品，并处野生动物及其制品价值二倍以上二十倍以下罚款"),
    ("wpl-2022", "第五十三条第一款（其他陆生野生动物）", "eating", [NONE], "value", 1, 5, None, None, None, _MAIN + "和市场监督管理部门",
     "责令停止违法行为，给予批评教育，没收野生动物及其制品，情节严重的，并处野生动物及其制品价值一倍以上五倍以下罚款"),
    ("wpl-2022", "第四十七条", "rescue_trade", [], "value", 2, 20, None, None, None, _MAIN,
     "没收野生动物及其制品、违法所得，并处野生动物及其制品价值二倍以上二十倍以下罚款，记入社会信用记录，并向社会公布"),
    ("wpl-2022", "第五十五条", "platform", [], "gains", 2, 10, 5000, 10000, 100000, _MARKET,
     "责令停止违法行为，限期改正，没收违法所得，并处违法所得二倍以上十倍以下罚款；没有违法所得或者违法所得不足五千元的，处一万元以上十万元以下罚款"),
]

_46 = "国家林业局令第46号《野生动物及其制品价值评估方法》"
COEFFICIENTS: list[dict[str, Any]] = [
    {"kind": "protection", "key": N1, "factor": "10", "legal_basis": _46 + "：国家一级重点保护陆生野生动物按基准价值的十倍核算"},
    {"kind": "protection", "key": N2, "factor": "5", "legal_basis": _46 + "：国家二级重点保护陆生野生动物按基准价值的五倍核算"},
    {"kind": "protection", "key": PROV, "factor": "1", "legal_basis": _46 + "：地方重点保护陆生野生动物和三有动物按基准价值核算"},
    {"kind": "protection", "key": SY, "factor": "1", "legal_basis": _46 + "：地方重点保护陆生野生动物和三有动物按基准价值核算"},
    {"kind": "protection", "key": NONE, "factor": "1", "legal_basis": _46 + "：其他陆生野生动物按基准价值核算"},
    {"kind": "captive_bred", "key": "captive_bred", "factor": "0.5", "legal_basis": _46 + "：人工繁育的陆生野生动物及其制品按同种野外动物价值的50%核算"},
    {"kind": "egg", "key": "鸟纲", "factor": "0.5", "legal_basis": _46 + "：鸟类卵按该种野生动物整体价值的二分之一核算"},
    {"kind": "egg", "key": "爬行纲", "factor": "0.1", "legal_basis": _46 + "：爬行类卵按该种野生动物整体价值的十分之一核算"},
    {"kind": "egg", "key": "两栖纲", "factor": "0.001", "legal_basis": _46 + "：两栖类卵按该种野生动物整体价值的千分之一核算"},
]
COEFFICIENT_FROM = dt.date(2017, 12, 15)

_J = "法释〔2022〕12号《最高人民法院、最高人民检察院关于办理破坏野生动物资源刑事案件适用法律若干问题的解释》"
THRESHOLDS: list[dict[str, Any]] = [
    {
        "code": "national-key-value", "name": "国家重点保护野生动物价值二万元以上", "condition": "value",
        "offence_types": ["hunting", "trade", "breeding", "eating", "rescue_trade"], "protections": NATIONAL,
        "for_food_only": False, "min_value": "20000", "crime": "危害珍贵、濒危野生动物罪（刑法第三百四十一条第一款）",
        "tiers": [{"min": 200000, "label": "情节严重（五年以上十年以下）"}, {"min": 2000000, "label": "情节特别严重（十年以上）"}],
        "legal_basis": _J + "第六条", "sort_order": 1,
    },
    {
        "code": "illegal-hunting-value", "name": "非法狩猎，猎获物价值一万元以上", "condition": "value",
        "offence_types": ["hunting"], "protections": [], "for_food_only": False, "min_value": "10000",
        "crime": "非法狩猎罪（刑法第三百四十一条第二款）", "tiers": [], "legal_basis": _J + "第七条第（一）项", "sort_order": 2,
    },
    {
        "code": "illegal-hunting-banned-tools", "name": "在禁猎区、禁猎期使用禁用的工具、方法狩猎", "condition": "banned_tools_in_closure",
        "offence_types": ["hunting"], "protections": [], "for_food_only": False, "min_value": None,
        "crime": "非法狩猎罪（刑法第三百四十一条第二款）", "tiers": [], "legal_basis": _J + "第七条第（二）、（三）项", "sort_order": 3,
    },
    {
        "code": "food-sanyou-value", "name": "以食用为目的猎捕、收购、运输、出售三有或地方重点保护动物，价值一万元以上", "condition": "value",
        "offence_types": ["hunting", "trade", "eating"], "protections": [SY, PROV], "for_food_only": True, "min_value": "10000",
        "crime": "非法猎捕、收购、运输、出售陆生野生动物罪（刑法第三百四十一条第三款）", "tiers": [],
        "legal_basis": _J + "第八条第（一）项", "sort_order": 4,
    },
    {
        "code": "food-other-value", "name": "以食用为目的猎捕、收购、运输、出售其他陆生野生动物，价值五万元以上", "condition": "value",
        "offence_types": ["hunting", "trade", "eating"], "protections": [NONE], "for_food_only": True, "min_value": "50000",
        "crime": "非法猎捕、收购、运输、出售陆生野生动物罪（刑法第三百四十一条第三款）", "tiers": [],
        "legal_basis": _J + "第八条第（二）项", "sort_order": 5,
    },
]
THRESHOLD_FROM = dt.date(2022, 4, 9)

_UNVERIFIED = "起始参考值：未取得《陆生野生动物基准价值标准目录》正式文本，请主管部门按目录核对后修改"
BASE_VALUES: list[dict[str, Any]] = [
    {"taxon_class": "哺乳纲", "value": "1000"},
    {"taxon_class": "鸟纲", "value": "300"},
    {"taxon_class": "爬行纲", "value": "300"},
    {"taxon_class": "两栖纲", "value": "50"},
]
BASE_VALUE_FROM = dt.date(2017, 12, 15)

TIME_LIMITS: list[dict[str, Any]] = [
    {"stage": "triage", "days": 2, "basis": "受理后2日内完成分类（可调整）"},
    {"stage": "handle", "days": 15, "basis": "受理后15日内办理完毕（参照12345热线办理时限，可调整）"},
    {"stage": "reply", "days": 20, "basis": "受理后20日内答复举报人（可调整）"},
]
TIME_LIMIT_FROM = dt.date(2021, 1, 1)


def load_reference(apps: Any) -> None:
    """Insert the rows above if absent (works with historical models inside a migration, or real ones)."""
    from decimal import Decimal

    law_model = apps.get_model("enforcement", "LawVersion")
    penalty_model = apps.get_model("enforcement", "PenaltyRule")
    coefficient_model = apps.get_model("enforcement", "ValueCoefficient")
    threshold_model = apps.get_model("enforcement", "TransferThreshold")
    base_model = apps.get_model("enforcement", "BaseValue")
    limit_model = apps.get_model("enforcement", "TipoffTimeLimit")
    laws = {}
    for row in LAWS:
        laws[row["code"]], _ = law_model.objects.get_or_create(code=row["code"], defaults=row)
    def dec(v: Any) -> Decimal | None:
        return None if v is None else Decimal(str(v))

    for order, penalty in enumerate(PENALTIES, start=1):
        law, article, offence, protections, basis, mmin, mmax, floor, fmin, fmax, authority, sanction = penalty
        penalty_model.objects.get_or_create(
            law=laws[law], article=article, offence_type=offence,
            defaults={
                "protections": protections, "basis": basis, "multiple_min": dec(mmin), "multiple_max": dec(mmax),
                "floor_value": dec(floor), "fixed_min": dec(fmin), "fixed_max": dec(fmax), "authority": authority,
                "sanction": sanction, "sort_order": order,
            },
        )
    for row in COEFFICIENTS:
        coefficient_model.objects.get_or_create(
            kind=row["kind"], key=row["key"], effective_from=COEFFICIENT_FROM,
            defaults={"factor": Decimal(row["factor"]), "legal_basis": row["legal_basis"]},
        )
    for threshold in THRESHOLDS:
        data = dict(threshold)
        data["min_value"] = None if data["min_value"] is None else Decimal(data["min_value"])
        threshold_model.objects.get_or_create(code=data.pop("code"), effective_from=THRESHOLD_FROM, defaults=data)
    for row in BASE_VALUES:
        base_model.objects.get_or_create(
            taxon_class=row["taxon_class"], taxon_order="", taxon_family="", species=None, effective_from=BASE_VALUE_FROM,
            defaults={"value": Decimal(row["value"]), "legal_basis": _46, "verified": False, "note": _UNVERIFIED},
        )
    for row in TIME_LIMITS:
        limit_model.objects.get_or_create(
            stage=row["stage"], channel="", effective_from=TIME_LIMIT_FROM, defaults={"days": row["days"], "basis": row["basis"]}
        )
