"""Alerts (预警): clusters of deaths, graded events and overdue reporting steps; acknowledgement and follow-up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wildlife.core.models import ScopedModel
from wildlife.disease.choices import AlertKind, AlertLevel, AlertStatus


class Alert(ScopedModel):
    """An alert raised by the platform. `dedupe_key` makes raising idempotent (one alert per cluster, per graded
    event, per overdue step); a cluster alert collects every event that joined it."""

    kind = models.CharField(_("类型"), max_length=15, choices=AlertKind.choices)
    level = models.CharField(_("级别"), max_length=10, choices=AlertLevel.choices)
    title = models.CharField(_("标题"), max_length=200)
    detail = models.TextField(_("详情"), blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=120, unique=True)
    raised_at = models.DateTimeField(_("发出时间"))
    event = models.ForeignKey(
        "disease.MortalityEvent", verbose_name=_("事件"), on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    events = models.ManyToManyField("disease.MortalityEvent", verbose_name=_("相关事件"), related_name="cluster_alerts", blank=True)
    group_name = models.CharField(_("类群"), max_length=60, blank=True)
    dead_total = models.PositiveIntegerField(_("死亡合计"), default=0)
    rule = models.ForeignKey("disease.ClusterRule", verbose_name=_("聚集规则"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)


    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-raised_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AlertStatus.values), name="disease_alert_status_valid"),
            models.CheckConstraint(condition=Q(level__in=AlertLevel.values), name="disease_alert_level_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("disease:alert_detail", args=[self.pk])


class AlertFollowUp(models.Model):
    """A follow-up note on an alert (what was checked, who went, the outcome)."""

    alert = models.ForeignKey(Alert, verbose_name=_("预警"), on_delete=models.CASCADE, related_name="follow_ups")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填写人"), on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(_("跟进情况"))

    class Meta:
        verbose_name = _("预警跟进")
        verbose_name_plural = _("预警跟进")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.note[:40]
