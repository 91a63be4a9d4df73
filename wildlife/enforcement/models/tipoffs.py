"""Tip-offs (举报): intake by staff and from the public portal, the protected informant, photos and the timeline."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wildlife.core.crypto import EncryptedTextField
from wildlife.core.models import ScopedModel, TimeStampedModel
from wildlife.core.querysets import ScopedManager
from wildlife.enforcement.choices import (
    OPEN_TIPOFF_STATUSES,
    TipoffCategory,
    TipoffChannel,
    TipoffKind,
    TipoffStage,
    TipoffStatus,
)
from wildlife.enforcement.models.rules import reference_scope


class Tipoff(ScopedModel):
    """One tip-off with its workflow (registered → triaged → assigned → handled → replied → closed).

    The informant's identity is NOT on this model: it lives encrypted in `TipoffInformant`, which no list, export,
    serializer or case file reads (only the reveal service, for the intake role). `__str__` is the receipt number,
    which is what the audit log records.
    """

    receipt_no = models.CharField(_("受理编号"), max_length=30, unique=True)
    channel = models.CharField(_("举报渠道"), max_length=20, choices=TipoffChannel.choices)
    kind = models.CharField(_("举报类型"), max_length=20, choices=TipoffKind.choices, default=TipoffKind.ILLEGAL)
    category = models.CharField(_("分类"), max_length=20, choices=TipoffCategory.choices, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=TipoffStatus.choices, default=TipoffStatus.REGISTERED, db_index=True)
    content = models.TextField(_("举报内容"))
    location = models.PointField(_("位置"), srid=4326, null=True, blank=True)
    address = models.CharField(_("地点描述"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"), null=True, blank=True)
    received_at = models.DateTimeField(_("受理时间"), default=timezone.now, db_index=True)
    species = models.ForeignKey(
        "species.Species", verbose_name=_("涉及物种"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    anonymous = models.BooleanField(_("匿名举报"), default=True)
    query_code_hash = models.CharField(_("查询码摘要"), max_length=64, blank=True)
    assigned_department = models.ForeignKey(
        "accounts.Department", verbose_name=_("承办部门"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_town = models.ForeignKey(
        "geo.AdminArea", verbose_name=_("承办镇街"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField(_("当前环节期限"), null=True, blank=True, db_index=True)
    findings = models.TextField(_("核查情况"), blank=True)
    actions_taken = models.TextField(_("处理措施"), blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    close_note = models.TextField(_("办结说明"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    case = models.ForeignKey(
        "enforcement.Case", verbose_name=_("转立案件"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    operation = models.ForeignKey(
        "enforcement.Operation", verbose_name=_("专项行动"), on_delete=models.SET_NULL, null=True, blank=True, related_name="tipoffs"
    )
    source_ref = models.CharField(_("来源记录"), max_length=80, blank=True, help_text=_("如巡护记录 patrols.patrol:42"))
    source_label = models.CharField(_("来源说明"), max_length=200, blank=True)
    overdue_flagged_at = models.DateTimeField(_("超期提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        ordering = ["-received_at", "-pk"]
        permissions = [("reveal_informant", _("可查看举报人身份（举报受理）"))]
        constraints = [
            models.CheckConstraint(condition=~Q(content=""), name="enforcement_tipoff_content_not_blank"),
            models.UniqueConstraint(
                fields=["source_ref"], condition=~Q(source_ref=""), name="enforcement_tipoff_source_ref_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="enforcement_tipoff_status_due"),
            models.Index(fields=["-received_at", "-id"], name="enforcement_tipoff_received"),
        ]

    def __str__(self) -> str:
        return self.receipt_no

    def get_absolute_url(self) -> str:
        return reverse("enforcement:tipoff_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TIPOFF_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_at is not None and self.due_at < timezone.now())


class TipoffInformant(TimeStampedModel):
    """Who made a tip-off (刑事诉讼法 Art.111: kept confidential). Every value is encrypted with a key outside the
    database; `phone_index` is a keyed blind index so repeated reports from one number can be recognised without the
    number. Read only through `services.tipoff_informant_reveal`."""

    tipoff = models.OneToOneField(Tipoff, verbose_name=_("举报"), on_delete=models.CASCADE, related_name="informant_record")
    name = EncryptedTextField(_("姓名"), blank=True)
    phone = EncryptedTextField(_("联系电话"), blank=True)
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    address = EncryptedTextField(_("联系地址"), blank=True)
    other_contact = EncryptedTextField(_("其他联系方式"), blank=True)
    phone_index = models.CharField(_("电话索引"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("举报人")
        verbose_name_plural = _("举报人")

    def __str__(self) -> str:
        # never the identity: this string can reach logs and audit records
        return str(_("举报人（%(receipt)s）") % {"receipt": self.tipoff.receipt_no})


class TipoffPhoto(TimeStampedModel):
    """A photo attached to a tip-off (re-encoded on upload, so camera metadata such as GPS and device is dropped)."""

    tipoff = models.ForeignKey(Tipoff, verbose_name=_("举报"), on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("文件"), upload_to="enforcement/tipoffs/%Y/%m/")
    content_type = models.CharField(_("类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("举报照片")
        verbose_name_plural = _("举报照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(_("照片 %(n)s") % {"n": self.pk})


class TipoffStep(models.Model):
    """One step of a tip-off's workflow, shown on its timeline (no personal data in `note`)."""

    tipoff = models.ForeignKey(Tipoff, verbose_name=_("举报"), on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("操作"), max_length=30)
    from_status = models.CharField(_("原状态"), max_length=20, choices=TipoffStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=TipoffStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("操作方"), max_length=60, blank=True)
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("举报办理步骤")
        verbose_name_plural = _("举报办理步骤")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.tipoff_id} {self.action}"


class TipoffTimeLimit(TimeStampedModel):
    """Configurable time limit of a stage, in days from the receipt (reference data with effective dates)."""

    stage = models.CharField(_("环节"), max_length=10, choices=TipoffStage.choices)
    channel = models.CharField(_("渠道"), max_length=20, choices=TipoffChannel.choices, blank=True, help_text=_("留空表示所有渠道"))
    days = models.PositiveSmallIntegerField(_("期限(天)"))
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_filter = staticmethod(reference_scope)

    class Meta:
        verbose_name = _("举报办理期限")
        verbose_name_plural = _("举报办理期限")
        ordering = ["stage", "channel", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "channel", "effective_from"], name="enforcement_timelimit_unique"),
            models.CheckConstraint(condition=Q(days__gte=1), name="enforcement_timelimit_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.days}天"


class SerialCounter(models.Model):
    """Per-key counters for receipt and case numbers (incremented with an atomic UPDATE)."""

    key = models.CharField(_("键"), max_length=40, unique=True)
    value = models.PositiveIntegerField(_("当前值"), default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
