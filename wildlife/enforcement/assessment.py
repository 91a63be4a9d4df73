"""Value assessment, transfer thresholds and penalty ranges of a case, computed from the rule rows in force.

- The protection class of each item is the species' status on the offence date (species.selectors.species_status_on);
  a captive-bred animal of a species listed "仅限野外种群" is not a listed animal.
- Value per item = base value (the most specific BaseValue row in force on the offence date: species, family, order,
  class) × protection coefficient × captive-bred coefficient (if bred) × egg coefficient (if eggs) × count; a higher
  actual transaction price replaces it.
- The penalty article is the PenaltyRule of the law version in force on the offence date (2018 law before 2023-05-01,
  2022 law after) for the offence type and the highest protection class among the items.
- Transfer thresholds are judicial interpretations: they apply to cases handled after they take effect, so they are
  chosen by the assessment date (not the offence date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.enforcement.choices import CoefficientKind, ItemForm, PenaltyBasis, ThresholdCondition
from wildlife.enforcement.models import (
    BaseValue,
    Case,
    LawVersion,
    PenaltyRule,
    SeizedItem,
    TransferThreshold,
    ValueCoefficient,
)
from wildlife.species.choices import PROTECTION_RANK, Protection

CENT = Decimal("0.01")


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _in_force(on: dt.date) -> Q:
    return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gt=on))


@dataclass
class Factor:
    label: str
    factor: str
    basis: str


@dataclass
class ItemValue:
    item_id: int
    label: str
    count: int
    unit: str
    protection: str
    protection_label: str
    base_value: str | None
    base_basis: str
    base_verified: bool
    factors: list[Factor] = field(default_factory=list)
    unit_value: str | None = None
    computed_value: str | None = None
    actual_price: str | None = None
    value: str = "0.00"
    notes: list[str] = field(default_factory=list)


@dataclass
class ThresholdHit:
    code: str
    name: str
    crime: str
    legal_basis: str
    value: str | None
    tier: str


@dataclass
class PenaltyRange:
    law: str
    article: str
    basis: str
    basis_label: str
    amount: str | None
    minimum: str | None
    maximum: str | None
    sanction: str
    authority: str
    rule_id: int


@dataclass
class Assessment:
    offence_date: str
    assess_on: str
    law: str
    items: list[ItemValue]
    total: str
    thresholds: list[ThresholdHit]
    transfer_recommended: bool
    penalty: PenaltyRange | None
    warnings: list[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def law_in_force(on: dt.date) -> LawVersion | None:
    """The law version in force on a day (2018 law before 2023-05-01, 2022 law after)."""
    return LawVersion.objects.filter(_in_force(on)).order_by("-effective_from").first()


def base_value_for(species: Any, on: dt.date) -> BaseValue | None:
    """The most specific base value in force: species, then family, order, class."""
    rows = list(BaseValue.objects.filter(_in_force(on)).filter(
        Q(species=species)
        | (Q(species__isnull=True) & ~Q(taxon_family="") & Q(taxon_family=species.taxon_family))
        | (Q(species__isnull=True) & Q(taxon_family="") & ~Q(taxon_order="") & Q(taxon_order=species.taxon_order))
        | (Q(species__isnull=True) & Q(taxon_family="") & Q(taxon_order="") & ~Q(taxon_class="") & Q(taxon_class=species.taxon_class))
    ))

    def specificity(row: BaseValue) -> tuple[int, dt.date]:
        if row.species_id:
            rank = 4
        elif row.taxon_family:
            rank = 3
        elif row.taxon_order:
            rank = 2
        else:
            rank = 1
        return rank, row.effective_from

    return max(rows, key=specificity) if rows else None


def coefficient(kind: str, key: str, on: dt.date) -> ValueCoefficient | None:
    return ValueCoefficient.objects.filter(_in_force(on), kind=kind, key=key).order_by("-effective_from").first()


def item_protection(item: SeizedItem, on: dt.date) -> tuple[str, list[str]]:
    """The protection class of the item's species on the day, and notes explaining an exception."""
    from wildlife.species.selectors import species_status_on

    if item.species is None:
        return Protection.NONE, [_("未认定物种，按未列入名录核算")]
    status = species_status_on(species=item.species, on=on)
    notes: list[str] = []
    protection = status.protection
    if protection != Protection.NONE and status.wild_only and item.captive_bred:
        notes.append(_("名录注明“仅限野外种群”，人工繁育个体不按重点保护动物认定"))
        protection = Protection.NONE
    if status.list_version is not None:
        notes.append(_("保护级别依据：%(list)s") % {"list": status.list_version.name})
    return protection, notes


def assess_item(item: SeizedItem, on: dt.date) -> ItemValue:
    protection, notes = item_protection(item, on)
    label = str(item)
    result = ItemValue(
        item_id=item.pk, label=label, count=item.count, unit=item.unit, protection=protection,
        protection_label=str(Protection(protection).label), base_value=None, base_basis="", base_verified=False, notes=notes,
    )
    computed: Decimal | None = None
    base = base_value_for(item.species, on) if item.species is not None else None
    if base is None:
        result.notes.append(_("没有适用的基准价值，请在“规则与标准”中补充或按实际交易价格认定"))
    else:
        result.base_value = str(base.value)
        result.base_basis = f"{base} · {base.legal_basis}"
        result.base_verified = base.verified
        if not base.verified:
            result.notes.append(_("基准价值尚未与正式目录核对"))
        unit_value = Decimal(base.value)
        missing = False
        factors: list[tuple[str, str, str]] = [(CoefficientKind.PROTECTION, protection, _("保护级别系数"))]
        if item.captive_bred:
            factors.append((CoefficientKind.CAPTIVE_BRED, "captive_bred", _("人工繁育系数")))
        if item.form == ItemForm.EGG and item.species is not None:
            factors.append((CoefficientKind.EGG, item.species.taxon_class, _("卵/蛋系数")))
        for kind, key, name in factors:
            row = coefficient(kind, key, on)
            if row is None:
                result.notes.append(_("缺少在该日期有效的%(name)s（%(key)s）") % {"name": name, "key": key})
                missing = True
                continue
            unit_value *= Decimal(row.factor)
            result.factors.append(Factor(label=name, factor=str(row.factor.normalize()), basis=row.legal_basis))
        if not missing:
            result.unit_value = str(_money(unit_value))
            computed = _money(unit_value * item.count)
            result.computed_value = str(computed)
    value = computed or Decimal("0")
    if item.actual_price is not None:
        result.actual_price = str(item.actual_price)
        if item.actual_price > value:
            value = Decimal(item.actual_price)
            result.notes.append(_("实际交易价格高于评估价值，按实际交易价格认定"))
    result.value = str(_money(value))
    return result


def _matches(values: list[str], value: str) -> bool:
    return not values or value in values


def evaluate_thresholds(case: Case, items: list[ItemValue], on: dt.date) -> list[ThresholdHit]:
    hits: list[ThresholdHit] = []
    for row in TransferThreshold.objects.filter(_in_force(on)).order_by("sort_order", "pk"):
        if not _matches(row.offence_types, case.offence_type):
            continue
        if row.for_food_only and not case.for_food:
            continue
        if row.condition == ThresholdCondition.BANNED_TOOLS_IN_CLOSURE:
            if case.banned_tools_in_closure:
                hits.append(ThresholdHit(row.code, row.name, row.crime, row.legal_basis, None, ""))
            continue
        relevant = [i for i in items if _matches(row.protections, i.protection)]
        if not relevant:
            continue
        total = sum((Decimal(i.value) for i in relevant), Decimal("0"))
        if row.min_value is not None and total >= row.min_value:
            tier = ""
            for entry in sorted(row.tiers or [], key=lambda t: Decimal(str(t.get("min", 0)))):
                if total >= Decimal(str(entry.get("min", 0))):
                    tier = str(entry.get("label", ""))
            hits.append(ThresholdHit(row.code, row.name, row.crime, row.legal_basis, str(_money(total)), tier))
    return hits


def penalty_range(case: Case, items: list[ItemValue], total: Decimal, law: LawVersion | None) -> PenaltyRange | None:
    if law is None or not case.offence_type:
        return None
    protections = [i.protection for i in items] or [Protection.NONE]
    highest = max(protections, key=lambda p: PROTECTION_RANK.get(p, 0))
    candidates = list(PenaltyRule.objects.filter(law=law, offence_type=case.offence_type).order_by("sort_order", "pk"))
    rule = next((r for r in candidates if _matches(r.protections, highest)), None)
    if rule is None:
        return None
    amount: Decimal | None
    if rule.basis == PenaltyBasis.GAINS:
        amount = case.illegal_gains
        basis_label = _("违法所得")
    elif rule.basis == PenaltyBasis.VALUE:
        amount = total
        basis_label = _("涉案野生动物价值")
    else:
        amount = None
        basis_label = _("固定金额")
    low: Decimal | None = None
    high: Decimal | None = None
    use_fixed = rule.basis == PenaltyBasis.FIXED or not amount or (rule.floor_value is not None and amount < rule.floor_value)
    if use_fixed and rule.fixed_min is not None:
        low, high = rule.fixed_min, rule.fixed_max
    elif amount is not None and rule.multiple_min is not None and rule.multiple_max is not None:
        low, high = _money(amount * rule.multiple_min), _money(amount * rule.multiple_max)
    return PenaltyRange(
        law=law.short_name, article=rule.article, basis=rule.basis, basis_label=basis_label,
        amount=None if amount is None else str(_money(amount)),
        minimum=None if low is None else str(_money(low)), maximum=None if high is None else str(_money(high)),
        sanction=rule.sanction, authority=rule.authority, rule_id=rule.pk,
    )


def assess_case(case: Case, *, assess_on: dt.date | None = None) -> Assessment:
    """The full assessment of a case (nothing is stored here; services.case_assess stores it)."""
    today = timezone.localdate()
    assess_on = assess_on or today
    offence_date = case.offence_date or assess_on
    warnings: list[str] = []
    if case.offence_date is None:
        warnings.append(_("未填写违法行为发生日期，按评估日期适用法律"))
    if not case.offence_type:
        warnings.append(_("未填写违法行为类型，无法确定罚则"))
    items = [assess_item(item, offence_date) for item in case.items.select_related("species").order_by("pk")]
    total = sum((Decimal(i.value) for i in items), Decimal("0"))
    law = law_in_force(offence_date)
    if law is None:
        warnings.append(_("该日期没有在施行的法律版本数据"))
    hits = evaluate_thresholds(case, items, assess_on)
    penalty = penalty_range(case, items, total, law)
    if law is not None and case.offence_type and penalty is None:
        warnings.append(_("没有与该行为类型和保护级别对应的罚则"))
    return Assessment(
        offence_date=offence_date.isoformat(), assess_on=assess_on.isoformat(), law=law.short_name if law else "",
        items=items, total=str(_money(total)), thresholds=hits, transfer_recommended=bool(hits), penalty=penalty,
        warnings=warnings,
    )
