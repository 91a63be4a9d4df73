"""Mortality and morbidity events (快报): species counts, photos, on-site measures, grading, the reporting chain,
samples with chain of custody, lab results, documents, the timeline and the emergency response."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wildlife.core.models import ScopedModel
from wildlife.core.querysets import ScopedManager
from wildlife.disease.choices import (
    BiosafetyLevel,
    EventSource,
    EventStatus,
    Grade,
    LabOutcome,
    SampleKind,
    SupplyKind,
    TimelineKind,
)
from wildlife.disease.querysets import event_child_scope, event_scope


class MortalityEvent(ScopedModel):
    """An abnormal death or illness of wild animals found in the field, reported at once (快报).

    `grade` is computed from the grading rules in force on the day the animals were first seen (blank = below every
    threshold); `grade_basis` says which rule. The reporting steps, samples and lab results hang off the event.
    """

    event_no = models.CharField(_("事件编号"), max_length=30, unique=True, null=True, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=EventSource.choices)
    source_ref = models.CharField(_("来源编号"), max_length=100, blank=True, help_text=_("救护案件号、群众报告回执号、巡护记录号等"))
    report = models.ForeignKey(
        "disease.DailyReport", verbose_name=_("来源监测报告"), on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    station = models.ForeignKey(
        "disease.Station", verbose_name=_("监测站"), on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    location = models.PointField(_("发现地点"), srid=4326, spatial_index=True)
    place_name = models.CharField(_("地点描述"), max_length=200, blank=True)
    detected_at = models.DateTimeField(_("首次发现时间"), db_index=True)
    reported_at = models.DateTimeField(_("快报时间"), default=timezone.now)
    signs = models.TextField(_("症状与异常表现"), blank=True)
    # on-site control (现场控制): isolation, no touching, disinfection checklist
    isolation = models.BooleanField(_("已隔离现场"), default=False)
    no_touching = models.BooleanField(_("已禁止无关人员接触"), default=False)
    disinfection = models.BooleanField(_("已消毒"), default=False)
    carcass_collected = models.BooleanField(_("尸体已收集（无害化处理待办）"), default=False)
    measures_note = models.TextField(_("其他处置措施"), blank=True)
    grade = models.CharField(_("等级"), max_length=3, choices=Grade.choices, blank=True)
    grade_basis = models.CharField(_("定级依据"), max_length=300, blank=True)
    graded_at = models.DateTimeField(_("定级时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=EventStatus.choices, default=EventStatus.REPORTED)
    suspected_at = models.DateTimeField(_("疑似染疫时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确诊时间"), null=True, blank=True)
    final_diagnosis = models.CharField(_("最终诊断"), max_length=200, blank=True)
    closure_note = models.TextField(_("结案说明"), blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)

    scope_filter = staticmethod(event_scope)

    class Meta:
        verbose_name = _("疫情事件")
        verbose_name_plural = _("疫情事件")
        ordering = ["-detected_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=EventStatus.values), name="disease_event_status_valid"),
            models.CheckConstraint(condition=Q(grade="") | Q(grade__in=Grade.values), name="disease_event_grade_valid"),
            models.CheckConstraint(
                condition=~Q(status=EventStatus.CLOSED) | ~Q(final_diagnosis=""), name="disease_event_closed_has_diagnosis"
            ),
        ]

    def __str__(self) -> str:
        return self.event_no or f"事件 {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("disease:event_detail", args=[self.pk])

    @property
    def sick_total(self) -> int:
        return sum(line.sick for line in self.species_lines.all())

    @property
    def dead_total(self) -> int:
        return sum(line.dead for line in self.species_lines.all())

    @property
    def is_open(self) -> bool:
        return self.status != EventStatus.CLOSED


class EventSpecies(models.Model):
    """One species of an event with its sick and dead counts and, for the share rule, the local population."""

    event = models.ForeignKey(MortalityEvent, verbose_name=_("疫情事件"), on_delete=models.CASCADE, related_name="species_lines")
    species = models.ForeignKey("species.Species", verbose_name=_("物种"), on_delete=models.PROTECT, related_name="+")
    sick = models.PositiveIntegerField(_("患病/异常数"), default=0)
    dead = models.PositiveIntegerField(_("死亡数"), default=0)
    local_population = models.PositiveIntegerField(_("当地种群估计数"), null=True, blank=True)

    class Meta:
        verbose_name = _("事件物种")
        verbose_name_plural = _("事件物种")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "species"], name="disease_eventspecies_event_species_unique"),
            models.CheckConstraint(condition=Q(sick__gt=0) | Q(dead__gt=0), name="disease_eventspecies_counts_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.species} 病{self.sick} 死{self.dead}"


def _photo_path(instance: EventPhoto, filename: str) -> str:
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"disease/photos/{instance.event_id}/{uuid.uuid4().hex}.{suffix}"


class EventPhoto(models.Model):
    """A photo of the scene; served only through the access-checked download view (no public media URL)."""

    event = models.ForeignKey(MortalityEvent, verbose_name=_("疫情事件"), on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to=_photo_path)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    content_type = models.CharField(_("类型"), max_length=40)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.caption or f"照片 {self.pk}"


class ReportingStep(models.Model):
    """One step of the reporting chain for an event, with the deadline computed by the server at trigger time."""

    event = models.ForeignKey(MortalityEvent, verbose_name=_("疫情事件"), on_delete=models.CASCADE, related_name="steps")
    rule = models.ForeignKey("disease.ChainRule", verbose_name=_("规则"), on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveSmallIntegerField(_("顺序"), default=1)
    from_body = models.CharField(_("报告单位"), max_length=100)
    to_body = models.CharField(_("接收单位"), max_length=100)
    triggered_at = models.DateTimeField(_("起算时间"))
    due_at = models.DateTimeField(_("截止时间"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办理人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(_("报告方式/文号"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("报告步骤")
        verbose_name_plural = _("报告步骤")
        ordering = ["triggered_at", "sequence", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "rule"], name="disease_step_event_rule_unique")]

    def __str__(self) -> str:
        return f"{self.from_body} → {self.to_body}"

    def is_overdue(self, now: object = None) -> bool:
        """Not done by the deadline: still open past it, or done after it."""
        moment = now or timezone.now()
        if self.done_at is not None:
            return self.done_at > self.due_at
        return moment > self.due_at  # type: ignore[operator]

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


class Sample(models.Model):
    """A sample taken from an event (only by trained staff, with protection and the biosafety level noted)."""

    event = models.ForeignKey(MortalityEvent, verbose_name=_("疫情事件"), on_delete=models.CASCADE, related_name="samples")
    sample_no = models.CharField(_("样品编号"), max_length=40)
    kind = models.CharField(_("样品类型"), max_length=12, choices=SampleKind.choices)
    species = models.ForeignKey("species.Species", verbose_name=_("物种"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    quantity = models.PositiveIntegerField(_("份数"), default=1)
    taken_by = models.CharField(_("采样人"), max_length=100)
    taken_at = models.DateTimeField(_("采样时间"))
    biosafety_level = models.CharField(_("生物安全防护等级"), max_length=5, choices=BiosafetyLevel.choices, default=BiosafetyLevel.BSL2)
    preservation = models.CharField(_("保存方式"), max_length=100, blank=True, help_text=_("例如：4℃冷藏、-70℃冻存"))
    lab_name = models.CharField(_("送检单位"), max_length=120, blank=True)
    sent_at = models.DateTimeField(_("送检时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_filter = staticmethod(event_child_scope)

    class Meta:
        verbose_name = _("样品")
        verbose_name_plural = _("样品")
        ordering = ["taken_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "sample_no"], name="disease_sample_event_no_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="disease_sample_quantity_positive"),
        ]

    def __str__(self) -> str:
        return self.sample_no


class CustodyEntry(models.Model):
    """One hand-over in a sample's chain of custody (采样 → 运输 → 实验室接收)."""

    sample = models.ForeignKey(Sample, verbose_name=_("样品"), on_delete=models.CASCADE, related_name="custody")
    at = models.DateTimeField(_("交接时间"))
    from_person = models.CharField(_("移交人"), max_length=100)
    to_person = models.CharField(_("接收人"), max_length=100)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    condition = models.CharField(_("样品状态"), max_length=120, blank=True, help_text=_("例如：封装完好，冷链 4℃"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("样品交接记录")
        verbose_name_plural = _("样品交接记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_person} → {self.to_person}"


class LabResult(models.Model):
    """A laboratory result for a sample: pathogen, test, outcome, tested and positive counts (pooled or not)."""

    sample = models.ForeignKey(Sample, verbose_name=_("样品"), on_delete=models.CASCADE, related_name="results")
    event = models.ForeignKey(MortalityEvent, verbose_name=_("疫情事件"), on_delete=models.CASCADE, related_name="lab_results")
    pathogen = models.CharField(_("病原"), max_length=100, help_text=_("例如：H5N1 亚型高致病性禽流感病毒"))
    test_method = models.CharField(_("检测方法"), max_length=100, help_text=_("例如：实时荧光RT-PCR"))
    outcome = models.CharField(_("结果"), max_length=10, choices=LabOutcome.choices)
    tested_count = models.PositiveIntegerField(_("检测数"))
    positive_count = models.PositiveIntegerField(_("阳性数"), default=0)
    pooled = models.BooleanField(_("混样检测"), default=False)
    pool_size = models.PositiveSmallIntegerField(_("每混样份数"), null=True, blank=True)
    lab_name = models.CharField(_("检测单位"), max_length=120)
    report_no = models.CharField(_("检测报告编号"), max_length=60, blank=True)
    reported_at = models.DateTimeField(_("报告时间"))
    notes = models.CharField(_("备注"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_filter = staticmethod(event_child_scope)

    class Meta:
        verbose_name = _("检测结果")
        verbose_name_plural = _("检测结果")
        ordering = ["reported_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(tested_count__gte=1), name="disease_labresult_tested_positive"),
            models.CheckConstraint(condition=Q(positive_count__lte=models.F("tested_count")), name="disease_labresult_positive_le_tested"),
            models.CheckConstraint(condition=Q(pooled=False) | Q(pool_size__gte=2), name="disease_labresult_pool_size_set"),
            models.CheckConstraint(
                condition=~Q(outcome=LabOutcome.NEGATIVE) | Q(positive_count=0), name="disease_labresult_negative_has_no_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pathogen} {self.get_outcome_display()}"


def _document_path(instance: EventDocument, filename: str) -> str:
    import uuid

    return f"disease/documents/{instance.event_id}/{uuid.uuid4().hex}.pdf"


class EventDocument(models.Model):
    """A generated document of an event (the notification letter to 区农业农村局), downloaded through a checked view."""

    event = models.ForeignKey(MortalityEvent, verbose_name=_("疫情事件"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("类型"), max_length=30, default="notification_letter")
    number = models.CharField(_("文号"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    file = models.FileField(_("文件"), upload_to=_document_path)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("事件文书")
        verbose_name_plural = _("事件文书")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["event", "kind"], name="disease_document_event_kind_unique")]

    def __str__(self) -> str:
        return self.title


class TimelineEntry(models.Model):
    """A step in the life of an event, shown on its timeline (besides the audit history)."""

    event = models.ForeignKey(MortalityEvent, verbose_name=_("疫情事件"), on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    kind = models.CharField(_("类型"), max_length=12, choices=TimelineKind.choices)
    text = models.CharField(_("内容"), max_length=500)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("事件时间线")
        verbose_name_plural = _("事件时间线")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text


class SupplyLine(models.Model):
    """Emergency supplies requested or used for an event (free text now; the supplies module will link stock)."""

    event = models.ForeignKey(MortalityEvent, verbose_name=_("疫情事件"), on_delete=models.CASCADE, related_name="supplies")
    kind = models.CharField(_("类型"), max_length=10, choices=SupplyKind.choices)
    item = models.CharField(_("物资"), max_length=100)
    quantity = models.DecimalField(_("数量"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=20)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("应急物资")
        verbose_name_plural = _("应急物资")
        ordering = ["recorded_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="disease_supply_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.item} {self.quantity}{self.unit}"


class TeamDispatch(models.Model):
    """A response team sent to the scene."""

    event = models.ForeignKey(MortalityEvent, verbose_name=_("疫情事件"), on_delete=models.CASCADE, related_name="dispatches")
    team_name = models.CharField(_("队伍"), max_length=100)
    members = models.CharField(_("人员"), max_length=300, blank=True)
    dispatched_at = models.DateTimeField(_("出发时间"))
    arrived_at = models.DateTimeField(_("到达时间"), null=True, blank=True)
    note = models.CharField(_("任务"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("队伍派遣")
        verbose_name_plural = _("队伍派遣")
        ordering = ["dispatched_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(arrived_at__isnull=True) | Q(arrived_at__gte=models.F("dispatched_at")), name="disease_dispatch_times_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.team_name
