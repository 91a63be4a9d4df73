"""Reference data for value assessment, transfer thresholds and penalties. Every rule carries its effective dates
and legal basis, so an offence is judged by the rows in force on its date (2018 law before 2023-05-01, 2022 law
after). Edited by the wildlife authority; nothing here is a constant in code."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wildlife.core.models import TimeStampedModel
from wildlife.core.querysets import ScopedManager
from wildlife.enforcement.choices import CoefficientKind, OffenceType, PenaltyBasis, ThresholdCondition


def reference_scope(*, user: Any, scope: Any, action: str) -> Q:
    """Reference data is district-wide: the department permission alone decides."""
    return Q()




class LawVersion(TimeStampedModel):
    """A version of a law with the period it was in force (e.g. 野生动物保护法 2018 修正 until 2023-04-30)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=60)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("不含该日"))
    source = models.CharField(_("来源"), max_length=300, blank=True)

    objects = ScopedManager()
    scope_filter = staticmethod(reference_scope)

    class Meta:
        verbose_name = _("法律版本")
        verbose_name_plural = _("法律版本")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="enforcement_lawversion_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("enforcement:rules")


class PenaltyRule(TimeStampedModel):
    """The penalty range of one article for an offence type and protection classes, under a law version.

    Fine = basis amount × [multiple_min, multiple_max]; when there is no catch/gains or the amount is below
    `floor_value`, the fixed range [fixed_min, fixed_max] applies instead (e.g. 2022 Art.48: < ¥5,000 → ¥10,000–100,000).
    """

    law = models.ForeignKey(LawVersion, verbose_name=_("法律版本"), on_delete=models.PROTECT, related_name="penalty_rules")
    article = models.CharField(_("条款"), max_length=60)
    offence_type = models.CharField(_("违法行为类型"), max_length=20, choices=OffenceType.choices)
    protections = models.JSONField(_("适用保护级别"), default=list, blank=True, help_text=_("空表示所有级别"))
    basis = models.CharField(_("计罚基数"), max_length=10, choices=PenaltyBasis.choices, default=PenaltyBasis.VALUE)
    multiple_min = models.DecimalField(_("最低倍数"), max_digits=6, decimal_places=2, null=True, blank=True)
    multiple_max = models.DecimalField(_("最高倍数"), max_digits=6, decimal_places=2, null=True, blank=True)
    floor_value = models.DecimalField(
        _("起算金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True,
        help_text=_("基数低于此金额（或为零）时适用固定罚款幅度；留空表示仅在没有猎获物/违法所得时适用"),
    )
    fixed_min = models.DecimalField(_("固定罚款下限(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    fixed_max = models.DecimalField(_("固定罚款上限(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    authority = models.CharField(_("处罚机关"), max_length=200, blank=True)
    sanction = models.TextField(_("处罚内容"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = ScopedManager()
    scope_filter = staticmethod(reference_scope)

    class Meta:
        verbose_name = _("罚则")
        verbose_name_plural = _("罚则")
        ordering = ["law", "sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(multiple_min__isnull=True) | Q(multiple_max__gte=models.F("multiple_min")),
                name="enforcement_penalty_multiples_ordered",
            ),
            models.CheckConstraint(
                condition=Q(fixed_min__isnull=True) | Q(fixed_max__gte=models.F("fixed_min")),
                name="enforcement_penalty_fixed_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.law.short_name} {self.article}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:penalty_rule_edit", args=[self.pk])


class BaseValue(TimeStampedModel):
    """A base value (基准价值) of a species or a taxon (family, order or class), per animal, with validity dates.

    The most specific row in force wins: species, then family, order, class."""

    species = models.ForeignKey("species.Species", verbose_name=_("物种"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    taxon_class = models.CharField(_("纲"), max_length=50, blank=True)
    taxon_order = models.CharField(_("目"), max_length=50, blank=True)
    taxon_family = models.CharField(_("科"), max_length=50, blank=True)
    value = models.DecimalField(_("基准价值(元)"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("计价单位"), max_length=10, default="只")
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("不含该日"))
    legal_basis = models.CharField(_("依据"), max_length=300)
    verified = models.BooleanField(_("已核实"), default=False, help_text=_("已与正式目录核对"))
    note = models.CharField(_("备注"), max_length=300, blank=True)

    objects = ScopedManager()
    scope_filter = staticmethod(reference_scope)

    class Meta:
        verbose_name = _("基准价值")
        verbose_name_plural = _("基准价值")
        ordering = ["taxon_class", "taxon_order", "taxon_family", "species", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(species__isnull=False) | ~Q(taxon_class="") | ~Q(taxon_order="") | ~Q(taxon_family=""),
                name="enforcement_basevalue_target",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="enforcement_basevalue_not_negative"),
        ]

    def __str__(self) -> str:
        target = self.species.name_zh if self.species is not None else (self.taxon_family or self.taxon_order or self.taxon_class)
        return f"{target} ¥{self.value}/{self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:base_value_edit", args=[self.pk])


class ValueCoefficient(TimeStampedModel):
    """A multiplier of the assessment: protection class (×10 / ×5 / ×1), captive-bred (×0.5), eggs by class."""

    kind = models.CharField(_("类型"), max_length=15, choices=CoefficientKind.choices)
    key = models.CharField(_("适用对象"), max_length=40, help_text=_("保护级别代码、captive_bred，或卵蛋的纲名（鸟纲、爬行纲、两栖纲）"))
    factor = models.DecimalField(_("系数"), max_digits=10, decimal_places=4)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("不含该日"))
    legal_basis = models.CharField(_("依据"), max_length=300)

    objects = ScopedManager()
    scope_filter = staticmethod(reference_scope)

    class Meta:
        verbose_name = _("价值系数")
        verbose_name_plural = _("价值系数")
        ordering = ["kind", "key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "effective_from"], name="enforcement_coefficient_unique"),
            models.CheckConstraint(condition=Q(factor__gt=0), name="enforcement_coefficient_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key} ×{self.factor}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:coefficient_edit", args=[self.pk])


class TransferThreshold(TimeStampedModel):
    """A criminal threshold that makes a case go to the police (法释〔2022〕12号): a value reached, or banned tools in a
    closure, for given offence types and protection classes."""

    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=200)
    condition = models.CharField(_("条件"), max_length=30, choices=ThresholdCondition.choices, default=ThresholdCondition.VALUE)
    offence_types = models.JSONField(_("适用行为类型"), default=list, blank=True, help_text=_("空表示所有类型"))
    protections = models.JSONField(_("适用保护级别"), default=list, blank=True, help_text=_("空表示所有级别"))
    for_food_only = models.BooleanField(_("仅以食用为目的"), default=False)
    min_value = models.DecimalField(_("价值标准(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    crime = models.CharField(_("涉嫌罪名"), max_length=100)
    tiers = models.JSONField(_("量刑档次"), default=list, blank=True, help_text=_('[{"min": 200000, "label": "情节严重"}, …]'))
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("不含该日"))
    legal_basis = models.CharField(_("依据"), max_length=300)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = ScopedManager()
    scope_filter = staticmethod(reference_scope)

    class Meta:
        verbose_name = _("移送标准")
        verbose_name_plural = _("移送标准")
        ordering = ["sort_order", "code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="enforcement_threshold_code_from_unique"),
            models.CheckConstraint(
                condition=~Q(condition="value") | Q(min_value__isnull=False), name="enforcement_threshold_value_given"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enforcement:threshold_edit", args=[self.pk])
