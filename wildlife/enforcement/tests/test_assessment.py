"""Value assessment, transfer thresholds and penalty ranges under both law versions, all from data rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from wildlife.enforcement.assessment import assess_case, base_value_for, law_in_force
from wildlife.enforcement.models import BaseValue, PenaltyRule, TransferThreshold, ValueCoefficient
from wildlife.enforcement.services import case_item_add
from wildlife.enforcement.tests.conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def values(catalogue: dict[str, Any]) -> dict[str, Any]:
    """Base value ¥1,000 per animal for the species used here (rows of this test, not the seeded starting values)."""
    for name in ("画眉", "金雕", "黑尾蜡嘴雀", "貉", "东北刺猬", "中华蟾蜍"):
        BaseValue.objects.create(species=catalogue[name], value=Decimal("1000"), effective_from=dt.date(2010, 1, 1), legal_basis="测试基准", verified=True)
    return catalogue


def _case(zhoucun: dict[str, Any], district_officer: Any, *, offence_date: dt.date, offence_type: str = "trade", **extra: Any) -> Any:
    return make_case(zhoucun["王村镇"], offence_date=offence_date, offence_type=offence_type, **extra)


def _add(case: Any, actor: Any, species: Any, count: int, **extra: Any) -> Any:
    extra.setdefault("condition", "alive")
    return case_item_add(actor=actor, case=case, species=species, count=count, **extra)


def test_law_version_by_offence_date() -> None:
    assert law_in_force(dt.date(2021, 6, 1)).code == "wpl-2018"
    assert law_in_force(dt.date(2023, 4, 30)).code == "wpl-2018"
    assert law_in_force(dt.date(2023, 5, 1)).code == "wpl-2022"
    assert law_in_force(dt.date(2016, 12, 31)) is None


def test_protection_coefficients_and_captive_bred(zhoucun: Any, district_officer: Any, values: Any) -> None:
    case = _case(zhoucun, district_officer, offence_date=dt.date(2024, 3, 1))
    _add(case, district_officer, values["金雕"], 1)  # class I: ×10
    _add(case, district_officer, values["画眉"], 2)  # class II since 2021: ×5
    _add(case, district_officer, values["黑尾蜡嘴雀"], 3)  # 三有: ×1
    _add(case, district_officer, values["画眉"], 2, captive_bred=True)  # ×5 ×0.5
    result = assess_case(case)
    by_value = [Decimal(i.value) for i in result.items]
    assert by_value == [Decimal("10000.00"), Decimal("10000.00"), Decimal("3000.00"), Decimal("5000.00")]
    assert Decimal(result.total) == Decimal("28000.00")
    assert [i.protection for i in result.items] == ["national_1", "national_2", "sanyou", "national_2"]


def test_status_on_the_offence_date_not_today(zhoucun: Any, district_officer: Any, values: Any) -> None:
    """画眉 was 三有 before the 2021 national list: a 2020 offence is valued ×1, a 2022 one ×5."""
    old = _case(zhoucun, district_officer, offence_date=dt.date(2020, 6, 1))
    _add(old, district_officer, values["画眉"], 4)
    new = _case(zhoucun, district_officer, offence_date=dt.date(2022, 6, 1))
    _add(new, district_officer, values["画眉"], 4)
    assert assess_case(old).items[0].protection == "sanyou"
    assert Decimal(assess_case(old).total) == Decimal("4000.00")
    assert Decimal(assess_case(new).total) == Decimal("20000.00")


def test_wild_only_species_bred_in_captivity_is_not_listed(zhoucun: Any, district_officer: Any, values: Any) -> None:
    case = _case(zhoucun, district_officer, offence_date=dt.date(2024, 1, 10))
    _add(case, district_officer, values["貉"], 2, captive_bred=True)
    _add(case, district_officer, values["貉"], 1)
    items = assess_case(case).items
    assert items[0].protection == "none" and any("仅限野外种群" in n for n in items[0].notes)
    assert Decimal(items[0].value) == Decimal("1000.00")  # 1000 × 1 × 0.5 × 2
    assert items[1].protection == "national_2" and Decimal(items[1].value) == Decimal("5000.00")


def test_eggs_and_actual_price(zhoucun: Any, district_officer: Any, values: Any) -> None:
    case = _case(zhoucun, district_officer, offence_date=dt.date(2024, 1, 10))
    _add(case, district_officer, values["画眉"], 10, condition="product", form="egg")  # bird eggs: ½ of the animal
    _add(case, district_officer, values["黑尾蜡嘴雀"], 1, condition="dead", actual_price=Decimal("2500"))
    _add(case, district_officer, values["黑尾蜡嘴雀"], 1, condition="dead", actual_price=Decimal("50"))
    items = assess_case(case).items
    assert Decimal(items[0].value) == Decimal("25000.00")  # 1000 × 5 × 0.5 × 10
    assert Decimal(items[1].value) == Decimal("2500.00")  # actual price higher than 1000
    assert Decimal(items[2].value) == Decimal("1000.00")  # actual price lower: the assessed value stands


def test_national_key_threshold_and_tiers(zhoucun: Any, district_officer: Any, values: Any) -> None:
    case = _case(zhoucun, district_officer, offence_date=dt.date(2024, 1, 10))
    _add(case, district_officer, values["画眉"], 3)  # 15,000: below 20,000
    result = assess_case(case)
    assert not result.transfer_recommended
    _add(case, district_officer, values["画眉"], 1)  # 20,000: the threshold itself counts
    result = assess_case(case)
    assert result.transfer_recommended
    hit = result.thresholds[0]
    assert hit.code == "national-key-value" and "危害珍贵、濒危野生动物罪" in hit.crime and "法释〔2022〕12号" in hit.legal_basis
    assert hit.tier == ""
    _add(case, district_officer, values["金雕"], 20)  # + 200,000
    assert "情节严重" in assess_case(case).thresholds[0].tier


def test_non_national_value_does_not_count_towards_the_national_threshold(zhoucun: Any, district_officer: Any, values: Any) -> None:
    case = _case(zhoucun, district_officer, offence_date=dt.date(2024, 1, 10))
    _add(case, district_officer, values["画眉"], 3)  # 15,000 national
    _add(case, district_officer, values["黑尾蜡嘴雀"], 30)  # 30,000 三有, not for food
    assert not assess_case(case).transfer_recommended


def test_hunting_thresholds_value_and_banned_tools(zhoucun: Any, district_officer: Any, values: Any) -> None:
    case = _case(zhoucun, district_officer, offence_date=dt.date(2024, 1, 10), offence_type="hunting")
    _add(case, district_officer, values["黑尾蜡嘴雀"], 9, condition="dead")
    assert not assess_case(case).transfer_recommended
    _add(case, district_officer, values["黑尾蜡嘴雀"], 1, condition="dead")
    codes = [h.code for h in assess_case(case).thresholds]
    assert codes == ["illegal-hunting-value"]
    small = _case(zhoucun, district_officer, offence_date=dt.date(2024, 1, 10), offence_type="hunting", banned_tools_in_closure=True)
    _add(small, district_officer, values["黑尾蜡嘴雀"], 1, condition="dead")
    assert [h.code for h in assess_case(small).thresholds] == ["illegal-hunting-banned-tools"]


def test_for_food_thresholds(zhoucun: Any, district_officer: Any, values: Any) -> None:
    case = _case(zhoucun, district_officer, offence_date=dt.date(2024, 1, 10), offence_type="trade", for_food=True)
    _add(case, district_officer, values["黑尾蜡嘴雀"], 10, condition="dead")
    assert [h.code for h in assess_case(case).thresholds] == ["food-sanyou-value"]
    case.for_food = False
    case.save()
    assert assess_case(case).thresholds == []


def test_thresholds_follow_the_assessment_date(zhoucun: Any, district_officer: Any, values: Any) -> None:
    """The judicial interpretation applies to cases handled after 2022-04-09, even for a 2021 offence."""
    case = _case(zhoucun, district_officer, offence_date=dt.date(2021, 8, 1))
    _add(case, district_officer, values["金雕"], 2)
    assert assess_case(case, assess_on=dt.date(2024, 1, 1)).transfer_recommended
    assert not assess_case(case, assess_on=dt.date(2022, 1, 1)).transfer_recommended


def test_penalty_range_2018_law(zhoucun: Any, district_officer: Any, values: Any) -> None:
    case = _case(zhoucun, district_officer, offence_date=dt.date(2022, 10, 15), offence_type="trade")
    _add(case, district_officer, values["画眉"], 2)  # 10,000
    penalty = assess_case(case).penalty
    assert penalty is not None
    assert (penalty.law, penalty.article) == ("野生动物保护法（2018）", "第四十八条第一款")
    assert (Decimal(penalty.minimum), Decimal(penalty.maximum)) == (Decimal("20000.00"), Decimal("100000.00"))


def test_penalty_range_2022_law(zhoucun: Any, district_officer: Any, values: Any) -> None:
    case = _case(zhoucun, district_officer, offence_date=dt.date(2024, 3, 18), offence_type="trade")
    _add(case, district_officer, values["画眉"], 2)
    penalty = assess_case(case).penalty
    assert penalty is not None
    assert (penalty.law, penalty.article) == ("野生动物保护法（2022）", "第五十二条第一款")
    assert (Decimal(penalty.minimum), Decimal(penalty.maximum)) == (Decimal("20000.00"), Decimal("200000.00"))


def test_hunting_floor_rules_differ_between_the_laws(zhoucun: Any, district_officer: Any, values: Any) -> None:
    """National key species, catch worth ¥1,000 (画眉 in 2022 vs 2024): the 2018 law multiplies (2–10×), the 2022 law
    applies its fixed range below ¥5,000 (¥10,000–100,000)."""
    old = _case(zhoucun, district_officer, offence_date=dt.date(2022, 3, 1), offence_type="hunting")
    _add(old, district_officer, values["金雕"], 1, condition="dead")
    BaseValue.objects.filter(species=values["金雕"]).update(value=Decimal("100"))  # 100 × 10 = 1,000
    p_old = assess_case(old).penalty
    assert p_old is not None and p_old.article == "第四十五条"
    assert (Decimal(p_old.minimum), Decimal(p_old.maximum)) == (Decimal("2000.00"), Decimal("10000.00"))
    new = _case(zhoucun, district_officer, offence_date=dt.date(2024, 3, 1), offence_type="hunting")
    _add(new, district_officer, values["金雕"], 1, condition="dead")
    p_new = assess_case(new).penalty
    assert p_new is not None and p_new.article == "第四十八条第一款"
    assert (Decimal(p_new.minimum), Decimal(p_new.maximum)) == (Decimal("10000.00"), Decimal("100000.00"))
    empty_old = _case(zhoucun, district_officer, offence_date=dt.date(2022, 3, 1), offence_type="hunting")
    _add(empty_old, district_officer, values["金雕"], 1, condition="dead")
    BaseValue.objects.filter(species=values["金雕"]).update(value=Decimal("0"))
    p_none = assess_case(empty_old).penalty
    assert p_none is not None and (Decimal(p_none.minimum), Decimal(p_none.maximum)) == (Decimal("10000.00"), Decimal("50000.00"))


def test_platform_penalty_uses_illegal_gains(zhoucun: Any, district_officer: Any, values: Any) -> None:
    case = _case(zhoucun, district_officer, offence_date=dt.date(2024, 3, 1), offence_type="platform", illegal_gains=Decimal("8000"))
    penalty = assess_case(case).penalty
    assert penalty is not None and penalty.article == "第五十五条"
    assert (Decimal(penalty.minimum), Decimal(penalty.maximum)) == (Decimal("16000.00"), Decimal("80000.00"))
    case.illegal_gains = Decimal("3000")
    assert (Decimal(assess_case(case).penalty.minimum), Decimal(assess_case(case).penalty.maximum)) == (Decimal("10000.00"), Decimal("100000.00"))
    case.offence_date = dt.date(2022, 1, 1)
    penalty = assess_case(case).penalty
    assert penalty.article == "第五十一条" and (Decimal(penalty.minimum), Decimal(penalty.maximum)) == (Decimal("6000.00"), Decimal("15000.00"))


def test_rules_are_data_an_edited_row_changes_the_result(zhoucun: Any, district_officer: Any, values: Any) -> None:
    case = _case(zhoucun, district_officer, offence_date=dt.date(2024, 3, 1))
    _add(case, district_officer, values["画眉"], 2)
    assert Decimal(assess_case(case).total) == Decimal("10000.00")
    ValueCoefficient.objects.filter(kind="protection", key="national_2").update(factor=Decimal("6"))
    assert Decimal(assess_case(case).total) == Decimal("12000.00")
    TransferThreshold.objects.filter(code="national-key-value").update(min_value=Decimal("12000"))
    assert assess_case(case).transfer_recommended
    PenaltyRule.objects.filter(law__code="wpl-2022", article="第五十二条第一款").update(multiple_max=Decimal("15"))
    assert Decimal(assess_case(case).penalty.maximum) == Decimal("180000.00")


def test_coefficient_with_an_end_date_stops_applying(zhoucun: Any, district_officer: Any, values: Any) -> None:
    ValueCoefficient.objects.filter(kind="protection", key="national_2").update(effective_to=dt.date(2024, 1, 1))
    ValueCoefficient.objects.create(kind="protection", key="national_2", factor=Decimal("7"), effective_from=dt.date(2024, 1, 1), legal_basis="测试新标准")
    before = _case(zhoucun, district_officer, offence_date=dt.date(2023, 12, 31))
    _add(before, district_officer, values["画眉"], 1)
    after = _case(zhoucun, district_officer, offence_date=dt.date(2024, 1, 1))
    _add(after, district_officer, values["画眉"], 1)
    assert Decimal(assess_case(before).total) == Decimal("5000.00")
    assert Decimal(assess_case(after).total) == Decimal("7000.00")


def test_most_specific_base_value_wins(catalogue: dict[str, Any]) -> None:
    species = catalogue["黑尾蜡嘴雀"]
    day = dt.date(2024, 1, 1)
    assert base_value_for(species, day).taxon_class == "鸟纲"  # the seeded class-level starting value
    BaseValue.objects.create(taxon_class="鸟纲", taxon_order="雀形目", value=Decimal("400"), effective_from=dt.date(2017, 1, 1), legal_basis="测试")
    assert base_value_for(species, day).taxon_order == "雀形目"
    BaseValue.objects.create(taxon_class="鸟纲", taxon_family="燕雀科", value=Decimal("450"), effective_from=dt.date(2017, 1, 1), legal_basis="测试")
    assert base_value_for(species, day).taxon_family == "燕雀科"
    BaseValue.objects.create(species=species, value=Decimal("500"), effective_from=dt.date(2017, 1, 1), legal_basis="测试")
    assert base_value_for(species, day).species_id == species.pk


def test_missing_base_value_is_reported_not_guessed(zhoucun: Any, district_officer: Any, catalogue: Any) -> None:
    BaseValue.objects.all().delete()
    case = _case(zhoucun, district_officer, offence_date=dt.date(2024, 3, 1))
    _add(case, district_officer, catalogue["画眉"], 2)
    item = assess_case(case).items[0]
    assert item.value == "0.00" and any("没有适用的基准价值" in n for n in item.notes)
