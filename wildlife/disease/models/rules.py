"""Configurable rules: the reporting calendar, report deadlines, grading thresholds, the reporting chain and
cluster detection. Each row carries its validity period and legal basis, so a past event is judged by the rules in
force then; none of these values is a constant in code."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wildlife.core.models import TimeStampedModel
from wildlife.core.querysets import ScopedManager, ScopedQuerySet
from wildlife.disease.choices import AlertLevel, ChainTrigger, Grade, GradingRuleKind, KeyPeriodKind, TaxonRank
from wildlife.disease.querysets import global_scope


class EffectiveQuerySet(ScopedQuerySet[Any]):
    def in_force(self, on: dt.date) -> EffectiveQuerySet:
        """Rows in force on `on`: effective_from ≤ on and (no effective_to or on < effective_to)."""
        return self.filter(Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gt=on)))


EffectiveManager = models.Manager.from_queryset(EffectiveQuerySet)


class EffectiveRule(TimeStampedModel):
    """A rule row valid from `effective_from` until (not including) `effective_to`."""

    name = models.CharField(_("名称"), max_length=120)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("留空表示现行有效"))
    legal_basis = models.CharField(_("依据"), max_length=300, blank=True)
    is_local_policy = models.BooleanField(_("本地规定"), default=False, help_text=_("无全国统一标准、由本区确定的数值"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = EffectiveManager()
    scope_filter = staticmethod(global_scope)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class KeyPeriod(TimeStampedModel):
    """A key monitoring period (重点时期, e.g. spring or autumn migration) of one year: daily reports are due on
    every day from `start_date` to `end_date` inclusive; weekly reports the rest of the year."""

    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=10, choices=KeyPeriodKind.choices, default=KeyPeriodKind.OTHER)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    notes = models.CharField(_("说明"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = ScopedManager()
    scope_filter = staticmethod(global_scope)

    class Meta:
        verbose_name = _("重点时期")
        verbose_name_plural = _("重点时期")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="disease_keyperiod_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.start_date:%Y-%m-%d} — {self.end_date:%Y-%m-%d}）"


class ReportingRule(EffectiveRule):
    """When reports are due: the day's report by `daily_deadline_time` `daily_deadline_days` days later (Shandong
    practice: 10:00 the next morning); the week's report likewise after the last day of the week; and how long
    before the deadline the responsible officer is reminded (0 = only after the deadline)."""

    daily_deadline_days = models.PositiveSmallIntegerField(_("日报截止（次日起第几天）"), default=1)
    daily_deadline_time = models.TimeField(_("日报截止时刻"), default=dt.time(10, 0))
    weekly_deadline_days = models.PositiveSmallIntegerField(_("周报截止（周末后第几天）"), default=1)
    weekly_deadline_time = models.TimeField(_("周报截止时刻"), default=dt.time(10, 0))
    reminder_before_minutes = models.PositiveIntegerField(_("截止前提醒（分钟）"), default=120)
    overdue_lookback_days = models.PositiveSmallIntegerField(_("逾期催报追溯天数"), default=3)

    class Meta:
        verbose_name = _("报告时限规则")
        verbose_name_plural = _("报告时限规则")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="disease_reportingrule_period_valid",
            ),
        ]


class GradingRule(EffectiveRule):
    """A threshold that grades an event (Ⅰ–Ⅳ). The highest grade reached by any rule in force wins.

    dead_at_site: at least `min_dead` dead individuals of one group (order or family; `taxon_name` narrows it) within
    `site_radius_m` metres and `window_hours` hours, summed over the events there.
    population_share: dead individuals of one species ≥ `min_share_pct` % of the local population estimate entered
    on the event (optionally only for one protection class).
    """

    grade = models.CharField(_("等级"), max_length=3, choices=Grade.choices)
    kind = models.CharField(_("规则类型"), max_length=20, choices=GradingRuleKind.choices)
    taxon_rank = models.CharField(_("类群阶元"), max_length=10, choices=TaxonRank.choices, default=TaxonRank.ORDER)
    taxon_name = models.CharField(_("限定类群"), max_length=60, blank=True, help_text=_("留空=任意类群；例如：雁形目"))
    birds_only = models.BooleanField(_("仅限鸟类"), default=False)
    protection = models.CharField(
        _("限定保护级别"), max_length=20, blank=True, help_text=_("留空=不限；national_1 / national_2 / provincial / sanyou")
    )
    min_dead = models.PositiveIntegerField(_("死亡数下限"), null=True, blank=True)
    window_hours = models.PositiveIntegerField(_("时间窗（小时）"), default=24)
    site_radius_m = models.PositiveIntegerField(_("同一地点半径（米）"), default=500)
    min_share_pct = models.DecimalField(_("占种群比例下限(%)"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("分级阈值规则")
        verbose_name_plural = _("分级阈值规则")
        ordering = ["grade", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="disease_gradingrule_period_valid",
            ),
            models.CheckConstraint(
                # IS NOT NULL spelled out: a CHECK whose comparison is NULL would pass
                condition=(Q(kind=GradingRuleKind.DEAD_AT_SITE) & Q(min_dead__isnull=False) & Q(min_dead__gte=1))
                | (Q(kind=GradingRuleKind.POPULATION_SHARE) & Q(min_share_pct__isnull=False) & Q(min_share_pct__gt=0)),
                name="disease_gradingrule_threshold_set",
            ),
        ]


class ChainRule(EffectiveRule):
    """One step of the reporting chain: when `trigger` happens, `from_body` must report to `to_body` within
    `deadline_minutes` (e.g. county → province within 120 minutes for a suspected major epidemic, 重大动物疫情应急条例
    第十七条)."""

    trigger = models.CharField(_("触发条件"), max_length=20, choices=ChainTrigger.choices)
    sequence = models.PositiveSmallIntegerField(_("顺序"), default=1)
    from_body = models.CharField(_("报告单位"), max_length=100)
    to_body = models.CharField(_("接收单位"), max_length=100)
    deadline_minutes = models.PositiveIntegerField(_("时限（分钟）"))

    class Meta:
        verbose_name = _("报告链规则")
        verbose_name_plural = _("报告链规则")
        ordering = ["trigger", "sequence", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="disease_chainrule_period_valid",
            ),
            models.CheckConstraint(condition=Q(deadline_minutes__gte=1), name="disease_chainrule_deadline_positive"),
        ]


class ClusterRule(EffectiveRule):
    """Cluster detection: dead birds of one group within `radius_m` metres and `window_hours` hours, reported in at
    least `min_events` different events with at least `min_dead` dead in total, raise an alert of `level` even when
    no single event crosses a grading threshold."""

    taxon_rank = models.CharField(_("类群阶元"), max_length=10, choices=TaxonRank.choices, default=TaxonRank.ORDER)
    radius_m = models.PositiveIntegerField(_("半径（米）"))
    window_hours = models.PositiveIntegerField(_("时间窗（小时）"))
    min_events = models.PositiveSmallIntegerField(_("最少报告数"), default=2)
    min_dead = models.PositiveIntegerField(_("最少死亡数"), default=3)
    level = models.CharField(_("预警级别"), max_length=10, choices=AlertLevel.choices, default=AlertLevel.YELLOW)

    class Meta:
        verbose_name = _("聚集性预警规则")
        verbose_name_plural = _("聚集性预警规则")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="disease_clusterrule_period_valid",
            ),
            models.CheckConstraint(condition=Q(radius_m__gte=1) & Q(window_hours__gte=1), name="disease_clusterrule_window_positive"),
            models.CheckConstraint(condition=Q(min_events__gte=2), name="disease_clusterrule_min_events_two"),
        ]
