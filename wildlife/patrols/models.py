"""Patrols (巡护), inspections (检查) of markets, restaurants, pet shops, express points and breeding sites,
enforcement trainings (执法培训), and the personnel and equipment registers (notice §3.1, domain.md §7 and §9).

Every register stores its town (`area`) and district (ScopedModel). A patrol's town is the town holding most of its
track; the kilometres it walked in each town are kept apart (PatrolTownShare) for the coverage map. Inspections of
breeding sites are hidden from departments without the breeding-site permission (market supervision sees markets,
restaurants, pet shops and express points only).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wildlife.core.crypto import EncryptedTextField
from wildlife.core.models import ScopedModel
from wildlife.patrols.choices import (
    MARKET_SUPERVISED_KINDS,
    Answer,
    AttachmentRole,
    EquipmentKind,
    EquipmentStatus,
    EscalationKind,
    FollowUpResult,
    IncidentKind,
    InspectionStatus,
    PatrolKind,
    TargetKind,
    TrackSource,
)

BREEDING_PERMISSION = "patrols.view_breeding_site"
CERTIFICATE_WARNING_DAYS = 60
EQUIPMENT_CHECK_WARNING_DAYS = 30


def _area_q(scope: Any, action: str, field: str = "area") -> Q | None:
    paths = scope.paths(action)
    if not paths:
        return None
    q = Q()
    for prefix in paths:
        q |= Q(**{f"{field}__path__startswith": prefix})
    return q


def _with_ancestors_q(scope: Any, action: str) -> Q | None:
    """Own subtree, plus (for viewing) records kept at an ancestor level, e.g. a district-wide training."""
    q = _area_q(scope, action)
    if q is None or action != "view":
        return q
    for prefix in scope.paths(action):
        parts = prefix.strip("/").split("/")
        for depth in range(1, len(parts)):
            q |= Q(area__path="/".join(parts[:depth]) + "/")
    return q


def kind_aware_scope(kind_field: str) -> Any:
    """Area scope, narrowed to the market-supervised kinds for users without the breeding-site permission."""

    def scope_filter(*, user: Any, scope: Any, action: str) -> Q | None:
        q = _area_q(scope, action)
        if q is None:
            return None
        if not user.has_perm(BREEDING_PERMISSION):
            q &= Q(**{f"{kind_field}__in": [str(k) for k in MARKET_SUPERVISED_KINDS]})
        return q

    return staticmethod(scope_filter)


def template_scope(*, user: Any, scope: Any, action: str) -> Q | None:
    """Checklist templates are district reference data: everyone with the permission reads them (breeding-site
    templates only with that permission); only users whose area holds a template change it."""
    if scope.is_empty:
        return None
    q = Q(pk__isnull=False) if action == "view" else _area_q(scope, action)
    if q is None:
        return None
    if not user.has_perm(BREEDING_PERMISSION):
        q &= Q(target_kind__in=[str(k) for k in MARKET_SUPERVISED_KINDS])
    return q


def training_scope(*, user: Any, scope: Any, action: str) -> Q | None:
    return _with_ancestors_q(scope, action)


# --- files -----------------------------------------------------------------------------------------------------------


class Attachment(models.Model):
    """A photo (incident, inspection) or a training material. Files live under MEDIA_ROOT with generated names and
    are only served through the checked download view, which applies the parent record's scope."""

    content_type = models.ForeignKey(ContentType, verbose_name=_("所属类型"), on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(_("所属记录"))
    parent = GenericForeignKey("content_type", "object_id")
    role = models.CharField(_("用途"), max_length=10, choices=AttachmentRole.choices, default=AttachmentRole.PHOTO)
    file = models.FileField(_("文件"), upload_to="patrols/%Y/%m/", max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=200)
    mime_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="patrols_attachment_parent")]
        constraints = [models.CheckConstraint(condition=Q(role__in=AttachmentRole.values), name="patrols_attachment_role_valid")]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("patrols:attachment_download", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")


class EscalationMixin(models.Model):
    """Link to the tip-off or case that a patrol incident or an inspection finding opened."""

    escalation_kind = models.CharField(_("移交方式"), max_length=10, choices=EscalationKind.choices, blank=True)
    escalation_ref = models.CharField(_("线索/案件编号"), max_length=60, blank=True)
    escalated_type = models.ForeignKey(
        ContentType, verbose_name=_("移交记录类型"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_id = models.PositiveBigIntegerField(_("移交记录"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("移交时间"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def escalated_url(self) -> str:
        if self.escalated_type_id is None or self.escalated_id is None:
            return ""
        model = self.escalated_type.model_class() if self.escalated_type else None
        obj = model._default_manager.filter(pk=self.escalated_id).first() if model else None
        return str(obj.get_absolute_url()) if obj is not None and hasattr(obj, "get_absolute_url") else ""


# --- patrols ---------------------------------------------------------------------------------------------------------


class Patrol(ScopedModel):
    """One patrol: team, time, route (a GPS track uploaded as GPX/GeoJSON or drawn on the map), effort (km from the
    track, hours) and what was noted along the way. `area` is the town holding most of the track."""

    patrol_no = models.CharField(_("巡护编号"), max_length=30, unique=True)
    title = models.CharField(_("巡护名称"), max_length=200)
    kind = models.CharField(_("巡护类型"), max_length=12, choices=PatrolKind.choices, default=PatrolKind.MOUNTAIN)
    started_at = models.DateTimeField(_("开始时间"), db_index=True)
    ended_at = models.DateTimeField(_("结束时间"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("巡护队员(平台用户)"), blank=True, related_name="patrols")
    member_names = models.CharField(
        _("其他队员"), max_length=300, blank=True, help_text=_("不是平台用户的队员姓名，用顿号或逗号分隔，如 护林员张三、李四")
    )
    track = models.LineStringField(_("巡护轨迹"), srid=4326, spatial_index=True)
    track_source = models.CharField(_("轨迹来源"), max_length=10, choices=TrackSource.choices)
    track_file_name = models.CharField(_("轨迹文件"), max_length=200, blank=True)
    point_count = models.PositiveIntegerField(_("轨迹点数"), default=0)
    distance_m = models.FloatField(_("巡护里程(米)"))
    weather = models.CharField(_("天气"), max_length=60, blank=True)
    operation = models.ForeignKey(
        "enforcement.Operation", verbose_name=_("所属专项行动"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.TextField(_("巡护情况"), blank=True)

    class Meta:
        verbose_name = _("巡护记录")
        verbose_name_plural = _("巡护记录")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__gte=models.F("started_at")), name="patrols_patrol_times_ordered"),
            models.CheckConstraint(condition=Q(distance_m__gte=0), name="patrols_patrol_distance_not_negative"),
            models.CheckConstraint(condition=Q(kind__in=PatrolKind.values), name="patrols_patrol_kind_valid"),
            models.CheckConstraint(condition=Q(track_source__in=TrackSource.values), name="patrols_patrol_source_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.patrol_no} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("patrols:patrol_detail", args=[self.pk])

    @property
    def distance_km(self) -> float:
        return round(self.distance_m / 1000, 2)

    @property
    def duration_hours(self) -> float:
        return round((self.ended_at - self.started_at).total_seconds() / 3600, 2)

    @property
    def team(self) -> list[str]:
        """Everyone on the team: platform users by display name, then the other names."""
        from wildlife.patrols.tracks import split_names

        names = [str(u) for u in self.members.all()]
        return names + [n for n in split_names(self.member_names) if n not in names]


class PatrolTownShare(models.Model):
    """The metres of one patrol's track inside one town (the coverage map adds these up per town and month)."""

    patrol = models.ForeignKey(Patrol, verbose_name=_("巡护记录"), on_delete=models.CASCADE, related_name="town_shares")
    town = models.ForeignKey("geo.AdminArea", verbose_name=_("镇街"), on_delete=models.PROTECT, related_name="+")
    metres = models.FloatField(_("里程(米)"))

    class Meta:
        verbose_name = _("巡护分镇里程")
        verbose_name_plural = _("巡护分镇里程")
        constraints = [
            models.UniqueConstraint(fields=["patrol", "town"], name="patrols_share_patrol_town_unique"),
            models.CheckConstraint(condition=Q(metres__gte=0), name="patrols_share_metres_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.patrol_id} @ {self.town_id}: {self.metres:.0f} m"


class PatrolIncident(EscalationMixin):
    """A sighting or an incident noted along a patrol (point, kind, description, photos); an incident may open a
    tip-off or a case."""

    patrol = models.ForeignKey(Patrol, verbose_name=_("巡护记录"), on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(_("类型"), max_length=20, choices=IncidentKind.choices)
    observed_at = models.DateTimeField(_("发现时间"))
    location = models.PointField(_("位置"), srid=4326)
    species = models.ForeignKey(
        "species.Species", verbose_name=_("物种"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    count = models.PositiveIntegerField(_("数量"), null=True, blank=True)
    description = models.TextField(_("情况描述"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("巡护发现")
        verbose_name_plural = _("巡护发现")
        ordering = ["observed_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=IncidentKind.values), name="patrols_incident_kind_valid")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.observed_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("patrols:patrol_detail", args=[self.patrol_id]) + f"#incident-{self.pk}"

    @property
    def is_incident(self) -> bool:
        return self.kind != IncidentKind.SIGHTING


# --- inspections -----------------------------------------------------------------------------------------------------


class InspectionTarget(ScopedModel):
    """A place that is inspected (market, restaurant, pet shop, express point, breeding site); its inspections form
    its history."""

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=12, choices=TargetKind.choices)
    address = models.CharField(_("地址"), max_length=300)
    location = models.PointField(_("位置"), srid=4326, null=True, blank=True)
    operator_name = models.CharField(_("经营者/负责人"), max_length=100, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    is_active = models.BooleanField(_("在营"), default=True)
    notes = models.TextField(_("备注"), blank=True)

    scope_filter = kind_aware_scope("kind")

    class Meta:
        verbose_name = _("检查对象")
        verbose_name_plural = _("检查对象")
        ordering = ["kind", "name"]
        permissions = [("view_breeding_site", _("可查看人工繁育场所及其检查"))]
        constraints = [
            models.UniqueConstraint(fields=["area", "kind", "name"], name="patrols_target_area_kind_name_unique"),
            models.CheckConstraint(condition=Q(kind__in=TargetKind.values), name="patrols_target_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("patrols:target_detail", args=[self.pk])


class ChecklistTemplate(ScopedModel):
    """The editable checklist for one kind of target; one active template per kind is used for new inspections
    (each inspection keeps a copy of the items it answered)."""

    name = models.CharField(_("名称"), max_length=200)
    target_kind = models.CharField(_("适用对象类型"), max_length=12, choices=TargetKind.choices)
    is_active = models.BooleanField(_("启用"), default=True)
    notes = models.TextField(_("说明"), blank=True)

    scope_filter = staticmethod(template_scope)

    class Meta:
        verbose_name = _("检查表模板")
        verbose_name_plural = _("检查表模板")
        ordering = ["target_kind", "-is_active", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_kind"], condition=Q(is_active=True), name="patrols_template_one_active_per_kind"
            ),
            models.CheckConstraint(condition=Q(target_kind__in=TargetKind.values), name="patrols_template_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("patrols:template_detail", args=[self.pk])


class ChecklistItem(models.Model):
    """One question of a checklist template."""

    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("模板"), on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("检查内容"), max_length=300)
    legal_basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "order"], name="patrols_item_template_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"


class Inspection(ScopedModel, EscalationMixin):
    """An inspection of a target: inspectors, checklist answers, findings, photos, and the rectification follow-up
    (open → rectifying → verified, or closed)."""

    inspection_no = models.CharField(_("检查编号"), max_length=30, unique=True)
    target = models.ForeignKey(InspectionTarget, verbose_name=_("检查对象"), on_delete=models.PROTECT, related_name="inspections")
    target_kind = models.CharField(_("对象类型"), max_length=12, choices=TargetKind.choices, editable=False)
    inspected_on = models.DateField(_("检查日期"), db_index=True)
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("检查人员(平台用户)"), blank=True, related_name="inspections")
    inspector_names = models.CharField(_("其他检查人员"), max_length=300, blank=True)
    operation = models.ForeignKey(
        "enforcement.Operation", verbose_name=_("所属专项行动"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("检查表模板"), on_delete=models.SET_NULL, null=True, blank=True, related_name="inspections"
    )
    findings = models.TextField(_("检查发现"), blank=True)
    failed_items = models.PositiveSmallIntegerField(_("不符合项数"), default=0)
    rectification_requirement = models.TextField(_("整改要求"), blank=True)
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.OPEN)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closing_note = models.TextField(_("办结说明"), blank=True)

    scope_filter = kind_aware_scope("target_kind")

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        ordering = ["-inspected_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=InspectionStatus.values), name="patrols_inspection_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=InspectionStatus.RECTIFYING) | Q(rectify_by__isnull=False),
                name="patrols_inspection_rectifying_has_deadline",
            ),
            models.CheckConstraint(condition=Q(target_kind__in=TargetKind.values), name="patrols_inspection_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_no} {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("patrols:inspection_detail", args=[self.pk])

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Rectification not verified by its deadline."""
        today = today or timezone.localdate()
        return self.status == InspectionStatus.RECTIFYING and self.rectify_by is not None and self.rectify_by < today

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


class InspectionAnswer(models.Model):
    """One checklist item as answered in an inspection (a copy, so later template edits do not rewrite history)."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("检查记录"), on_delete=models.CASCADE, related_name="answers")
    order = models.PositiveSmallIntegerField(_("序号"))
    item_text = models.CharField(_("检查内容"), max_length=300)
    legal_basis = models.CharField(_("依据"), max_length=200, blank=True)
    answer = models.CharField(_("结论"), max_length=4, choices=Answer.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("检查项结论")
        verbose_name_plural = _("检查项结论")
        ordering = ["inspection", "order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "order"], name="patrols_answer_inspection_order_unique"),
            models.CheckConstraint(condition=Q(answer__in=Answer.values), name="patrols_answer_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.item_text}: {self.get_answer_display()}"


class InspectionFollowUp(models.Model):
    """A follow-up check of a rectification: passed (verified) or failed (with a new deadline)."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("检查记录"), on_delete=models.CASCADE, related_name="follow_ups")
    checked_on = models.DateField(_("复查日期"))
    result = models.CharField(_("复查结论"), max_length=8, choices=FollowUpResult.choices)
    note = models.TextField(_("复查情况"), blank=True)
    new_deadline = models.DateField(_("新整改期限"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("复查人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改复查")
        verbose_name_plural = _("整改复查")
        ordering = ["checked_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(result__in=FollowUpResult.values), name="patrols_followup_result_valid"),
            models.CheckConstraint(
                condition=~Q(result=FollowUpResult.FAILED) | Q(new_deadline__isnull=False),
                name="patrols_followup_failed_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checked_on} {self.get_result_display()}"


# --- trainings -------------------------------------------------------------------------------------------------------


class TrainingSession(ScopedModel):
    """An enforcement training session (title, date, hours, trainer, place, materials); a district-level session is
    visible to the towns whose staff attend it."""

    title = models.CharField(_("培训主题"), max_length=200)
    held_on = models.DateField(_("培训日期"), db_index=True)
    hours = models.DecimalField(_("学时(小时)"), max_digits=5, decimal_places=1)
    trainer = models.CharField(_("授课人"), max_length=100)
    place = models.CharField(_("培训地点"), max_length=200)
    organiser = models.ForeignKey(
        "accounts.Department", verbose_name=_("组织单位"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content = models.TextField(_("培训内容"), blank=True)

    scope_filter = staticmethod(training_scope)

    class Meta:
        verbose_name = _("执法培训")
        verbose_name_plural = _("执法培训")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=200), name="patrols_training_hours_range"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("patrols:training_detail", args=[self.pk])


class TrainingAttendance(models.Model):
    """A trainee of a session (a platform user or a name with a department), attendance and hours credited."""

    session = models.ForeignKey(TrainingSession, verbose_name=_("培训"), on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("平台用户"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=60)
    department = models.CharField(_("单位"), max_length=100, blank=True)
    attended = models.BooleanField(_("出勤"), default=True)
    hours = models.DecimalField(_("计入学时"), max_digits=5, decimal_places=1, default=Decimal("0"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("参训人员")
        verbose_name_plural = _("参训人员")
        ordering = ["session", "department", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], condition=Q(user__isnull=False), name="patrols_attendance_session_user_unique"
            ),
            models.UniqueConstraint(
                fields=["session", "name", "department"], condition=Q(user__isnull=True), name="patrols_attendance_session_name_unique"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="patrols_attendance_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.department}）" if self.department else self.name


# --- personnel and equipment -----------------------------------------------------------------------------------------


class EnforcementOfficer(ScopedModel):
    """A member of the enforcement staff (执法人员) with their enforcement certificate; the certificate number is
    stored encrypted and shown masked."""

    name = models.CharField(_("姓名"), max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("平台账号"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField(_("职务"), max_length=60, blank=True)
    certificate_no = EncryptedTextField(_("执法证号"), blank=True)
    certificate_masked = models.CharField(_("执法证号(脱敏)"), max_length=40, blank=True, editable=False)
    certificate_digest = models.CharField(_("执法证号索引"), max_length=64, blank=True, editable=False, db_index=True)
    certificate_valid_until = models.DateField(_("证件有效期至"), null=True, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)
    notes = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")
        ordering = ["department__sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_digest"], condition=~Q(certificate_digest=""), name="patrols_officer_certificate_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("patrols:officer_detail", args=[self.pk])

    def certificate_state(self, today: dt.date | None = None) -> str:
        """"expired", "expiring" (within CERTIFICATE_WARNING_DAYS), "valid" or "" (no certificate date)."""
        if self.certificate_valid_until is None:
            return ""
        today = today or timezone.localdate()
        if self.certificate_valid_until < today:
            return "expired"
        if self.certificate_valid_until <= today + dt.timedelta(days=CERTIFICATE_WARNING_DAYS):
            return "expiring"
        return "valid"

    @property
    def certificate_warning(self) -> str:
        state = self.certificate_state()
        return {"expired": str(_("已过期")), "expiring": str(_("即将到期"))}.get(state, "")


class Equipment(ScopedModel):
    """An item of enforcement equipment (执法装备): kind, model, serial number, holder, status and check dates."""

    kind = models.CharField(_("装备类别"), max_length=12, choices=EquipmentKind.choices)
    model_name = models.CharField(_("型号"), max_length=100)
    serial_no = models.CharField(_("编号/序列号"), max_length=100, blank=True)
    holder = models.ForeignKey(
        EnforcementOfficer, verbose_name=_("保管人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="equipment"
    )
    status = models.CharField(_("状态"), max_length=10, choices=EquipmentStatus.choices, default=EquipmentStatus.IN_USE)
    purchased_on = models.DateField(_("购置日期"), null=True, blank=True)
    last_checked_on = models.DateField(_("上次检查日期"), null=True, blank=True)
    next_check_on = models.DateField(_("下次检查日期"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("执法装备")
        verbose_name_plural = _("执法装备")
        ordering = ["kind", "model_name", "serial_no"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "serial_no"], condition=~Q(serial_no=""), name="patrols_equipment_serial_unique"),
            models.CheckConstraint(condition=Q(kind__in=EquipmentKind.values), name="patrols_equipment_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=EquipmentStatus.values), name="patrols_equipment_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.model_name} {self.serial_no}".strip()

    def get_absolute_url(self) -> str:
        return reverse("patrols:equipment_detail", args=[self.pk])

    @property
    def check_due(self) -> bool:
        """The next check date has passed or falls within EQUIPMENT_CHECK_WARNING_DAYS (scrapped items excepted)."""
        if self.next_check_on is None or self.status == EquipmentStatus.SCRAPPED:
            return False
        return self.next_check_on <= timezone.localdate() + dt.timedelta(days=EQUIPMENT_CHECK_WARNING_DAYS)
