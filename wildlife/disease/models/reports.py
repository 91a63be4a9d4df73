"""Daily and weekly monitoring reports (including zero reports), what was seen, and the reminders sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wildlife.core.models import ScopedModel
from wildlife.disease.choices import AnimalGroup, PeriodKind, ReminderKind
from wildlife.disease.querysets import station_child_scope


class DailyReport(ScopedModel):
    """One station's report for one reporting period (a key-period day, or the non-key days of a week).

    `date` is the first day of the period; one report per station and period. `is_zero_report` states that nothing
    abnormal was found (零报告). `late` is fixed at the first submission: a report that arrives after the deadline is
    accepted and stays marked late even when it is corrected later.
    """

    station = models.ForeignKey("disease.Station", verbose_name=_("监测站"), on_delete=models.PROTECT, related_name="reports")
    period_kind = models.CharField(_("报告类型"), max_length=10, choices=PeriodKind.choices)
    date = models.DateField(_("报告期起"))
    period_end = models.DateField(_("报告期止"))
    deadline_at = models.DateTimeField(_("截止时间"))
    is_zero_report = models.BooleanField(_("零报告（无异常）"), default=False)
    route = models.ForeignKey(
        "disease.PatrolRoute", verbose_name=_("巡查路线"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    route_km = models.DecimalField(_("巡查里程(公里)"), max_digits=6, decimal_places=2, default=0)
    patrol_started_at = models.DateTimeField(_("巡查开始"), null=True, blank=True)
    patrol_ended_at = models.DateTimeField(_("巡查结束"), null=True, blank=True)
    observers = models.CharField(_("巡查人员"), max_length=200, blank=True)
    weather = models.CharField(_("天气"), max_length=60, blank=True)
    notes = models.TextField(_("情况说明"), blank=True)
    first_submitted_at = models.DateTimeField(_("首次提交时间"))
    submitted_at = models.DateTimeField(_("最后提交时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    late = models.BooleanField(_("逾期"), default=False)

    scope_filter = staticmethod(station_child_scope)

    class Meta:
        verbose_name = _("监测报告")
        verbose_name_plural = _("监测报告")
        ordering = ["-date", "station__name"]
        constraints = [
            models.UniqueConstraint(fields=["station", "date"], name="disease_report_station_period_unique"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("date")), name="disease_report_period_ordered"),
            models.CheckConstraint(condition=Q(route_km__gte=0), name="disease_report_route_km_not_negative"),
            models.CheckConstraint(
                condition=Q(patrol_started_at__isnull=True) | Q(patrol_ended_at__isnull=True) | Q(patrol_ended_at__gte=models.F("patrol_started_at")),
                name="disease_report_patrol_times_ordered",
            ),
        ]
        indexes = [models.Index(fields=["date", "station"], name="disease_report_date_station")]

    def __str__(self) -> str:
        if self.date == self.period_end:
            return f"{self.station} {self.date:%Y-%m-%d}"
        return f"{self.station} {self.date:%Y-%m-%d}—{self.period_end:%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("disease:report_detail", args=[self.pk])

    @property
    def patrol_minutes(self) -> int | None:
        if self.patrol_started_at and self.patrol_ended_at:
            return int((self.patrol_ended_at - self.patrol_started_at).total_seconds() // 60)
        return None

    @property
    def has_abnormal(self) -> bool:
        return any(f.sick or f.dead for f in self.findings.all())


class ReportFinding(models.Model):
    """What was seen on the route: a species (or a free-text name) with counts, sick and dead individuals."""

    report = models.ForeignKey(DailyReport, verbose_name=_("监测报告"), on_delete=models.CASCADE, related_name="findings")
    group = models.CharField(_("类别"), max_length=10, choices=AnimalGroup.choices, default=AnimalGroup.BIRD)
    species = models.ForeignKey(
        "species.Species", verbose_name=_("物种"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    species_text = models.CharField(_("物种（未列入名录时填写）"), max_length=100, blank=True)
    count = models.PositiveIntegerField(_("观察数量"), default=0)
    sick = models.PositiveIntegerField(_("异常/患病"), default=0)
    dead = models.PositiveIntegerField(_("死亡"), default=0)
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("监测发现")
        verbose_name_plural = _("监测发现")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(species__isnull=False) | ~Q(species_text=""), name="disease_finding_species_named"),
            models.CheckConstraint(condition=Q(count__gt=0) | Q(sick__gt=0) | Q(dead__gt=0), name="disease_finding_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.species_name} {self.count}"

    @property
    def species_name(self) -> str:
        return self.species.name_zh if self.species_id and self.species else self.species_text


class ReportReminder(models.Model):
    """A reminder raised for a missing report. Unique per station, period and kind, so the reminder job may run any
    number of times and each reminder goes out once."""

    station = models.ForeignKey("disease.Station", verbose_name=_("监测站"), on_delete=models.CASCADE, related_name="reminders")
    period_start = models.DateField(_("报告期起"))
    kind = models.CharField(_("类型"), max_length=10, choices=ReminderKind.choices)
    deadline_at = models.DateTimeField(_("截止时间"))
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("接收人数"), default=0)

    class Meta:
        verbose_name = _("催报提醒")
        verbose_name_plural = _("催报提醒")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["station", "period_start", "kind"], name="disease_reminder_station_period_kind_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.period_start} {self.get_kind_display()}"
