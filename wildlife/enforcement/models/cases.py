"""Cases (案件): origin, parties, seized items and their hand-over to the rescue centre, evidence, events,
decisions and flows between parties."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wildlife.core.crypto import EncryptedTextField
from wildlife.core.masking import mask_address, mask_id_number, mask_phone
from wildlife.core.models import ScopedModel, TimeStampedModel
from wildlife.enforcement.choices import (
    EDITABLE_CASE_STATUSES,
    CaseEventKind,
    CaseOrigin,
    CaseOutcome,
    CaseStatus,
    DecisionKind,
    EvidenceKind,
    FlowKind,
    HandoverStatus,
    ItemCondition,
    ItemForm,
    OffenceType,
    PartyKind,
    PartyRole,
)
from wildlife.enforcement.scoping import area_q, user_department_codes, user_department_ids

# departments that see every case in their area; the police also see police-led cases
CASE_WIDE_DEPARTMENTS = frozenset({"natural_resources", "agriculture"})
POLICE = "police"


def case_scope(*, user: Any, scope: Any, action: str) -> Q | None:
    """Cases in the user's areas, further limited by department: the police see all of them; the two wildlife
    authorities all but police-led ones they are not involved in; every other department (market supervision, towns)
    only the cases it leads or is involved in."""
    from wildlife.accounts.models import Department

    q = area_q(scope.paths(action), "area")
    if q is None:
        return None
    codes = user_department_codes(user)
    if POLICE in codes:
        return q
    ids = user_department_ids(user)
    involved = Q(lead_department_id__in=ids) | Q(
        pk__in=Case.involved_departments.through.objects.filter(department_id__in=ids).values("case_id")
    )
    if codes & CASE_WIDE_DEPARTMENTS:
        # compare the key rather than join the department table (the join made the list query scan)
        police = list(Department.objects.filter(code=POLICE).values_list("pk", flat=True))
        return q & (~Q(lead_department_id__in=police) | involved)
    return q & involved


class Case(ScopedModel):
    """An enforcement case. Origin is recorded as `origin` + `origin_ref` + `origin_label` (no FK into the trade or
    patrols apps); a tip-off origin also keeps the FK `tipoff`."""

    case_no = models.CharField(_("案件编号"), max_length=30, unique=True)
    title = models.CharField(_("案件名称"), max_length=200)
    origin = models.CharField(_("案件来源"), max_length=20, choices=CaseOrigin.choices)
    origin_ref = models.CharField(_("来源记录编号"), max_length=60, blank=True)
    origin_label = models.CharField(_("来源说明"), max_length=200, blank=True)
    tipoff = models.ForeignKey(
        "enforcement.Tipoff", verbose_name=_("来源举报"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPENED, db_index=True)
    offence_type = models.CharField(_("违法行为类型"), max_length=20, choices=OffenceType.choices, blank=True)
    offence_date = models.DateField(_("违法行为发生日期"), null=True, blank=True)
    for_food = models.BooleanField(_("以食用为目的"), default=False)
    banned_tools_in_closure = models.BooleanField(_("在禁猎区/禁猎期使用禁用工具、方法"), default=False)
    illegal_gains = models.DecimalField(_("违法所得(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    summary = models.TextField(_("简要案情"), blank=True)
    location = models.PointField(_("案发位置"), srid=4326, null=True, blank=True)
    address = models.CharField(_("案发地点"), max_length=200, blank=True)
    lead_department = models.ForeignKey(
        "accounts.Department", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+"
    )
    involved_departments = models.ManyToManyField(
        "accounts.Department", verbose_name=_("协办单位"), blank=True, related_name="+"
    )
    operation = models.ForeignKey(
        "enforcement.Operation", verbose_name=_("专项行动"), on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    assessed_value = models.DecimalField(_("涉案价值(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    transfer_recommended = models.BooleanField(_("建议移送公安"), default=False)
    assessment = models.JSONField(_("评估明细"), default=dict, blank=True)
    assessed_at = models.DateTimeField(_("评估时间"), null=True, blank=True)
    opened_at = models.DateTimeField(_("立案时间"), default=timezone.now)
    transferred_at = models.DateTimeField(_("移送时间"), null=True, blank=True)
    transfer_letter_no = models.CharField(_("移送函编号"), max_length=40, blank=True)
    transfer_recipient = models.CharField(_("移送机关"), max_length=100, blank=True)
    transfer_reason = models.TextField(_("移送理由"), blank=True)
    outcome = models.CharField(_("结案结果"), max_length=20, choices=CaseOutcome.choices, blank=True)
    outcome_note = models.TextField(_("结案说明"), blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)

    scope_filter = staticmethod(case_scope)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-opened_at", "-pk"]
        permissions = [("reveal_party", _("可查看当事人完整个人信息"))]
        indexes = [models.Index(fields=["-opened_at", "-id"], name="enforcement_case_opened_desc")]
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "origin_ref"], condition=~Q(origin_ref=""), name="enforcement_case_origin_unique"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="enforcement_case_title_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.case_no} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:case_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_CASE_STATUSES


class CaseParty(TimeStampedModel):
    """A party of a case: a person, a company, an online account, a phone, a vehicle or an address.

    Identifiers (account, plate, company code, phone, ID number, address) are encrypted; each has a keyed blind index
    so the same value in two cases links them in the tracing graph without the plaintext ever being compared or
    stored. Pages show the masked form."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(_("类型"), max_length=10, choices=PartyKind.choices)
    role = models.CharField(_("角色"), max_length=15, choices=PartyRole.choices, default=PartyRole.SUSPECT)
    name = models.CharField(_("名称"), max_length=100, blank=True, help_text=_("姓名、单位名称或账号昵称"))
    identifier = EncryptedTextField(_("标识"), blank=True, help_text=_("账号（平台:账号）、车牌号或统一社会信用代码"))
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    phone = EncryptedTextField(_("电话"), blank=True)
    address = EncryptedTextField(_("地址"), blank=True)
    identifier_index = models.CharField(_("标识索引"), max_length=64, blank=True, db_index=True)
    id_number_index = models.CharField(_("身份证号索引"), max_length=64, blank=True, db_index=True)
    phone_index = models.CharField(_("电话索引"), max_length=64, blank=True, db_index=True)
    address_index = models.CharField(_("地址索引"), max_length=64, blank=True, db_index=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["case", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name="", identifier="", phone="", address="", id_number=""),
                name="enforcement_party_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.display_name}"

    @property
    def display_name(self) -> str:
        """The masked label shown on pages and in the graph."""
        from wildlife.enforcement.tracing import mask_identifier

        if self.kind == PartyKind.PHONE:
            return mask_phone(self.phone or self.identifier)
        if self.kind == PartyKind.ADDRESS:
            return mask_address(self.address or self.identifier)
        parts = [self.name] if self.name else []
        if self.identifier:
            parts.append(mask_identifier(self.kind, self.identifier))
        return " · ".join(parts) or "—"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_address(self) -> str:
        return mask_address(self.address)


class SeizedItem(TimeStampedModel):
    """Wildlife or products seized in a case; the assessment stores the base value and the computed value."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="items")
    species = models.ForeignKey("species.Species", verbose_name=_("物种"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.CharField(_("物品描述"), max_length=200, blank=True)
    count = models.PositiveIntegerField(_("数量"))
    unit = models.CharField(_("单位"), max_length=10, default="只")
    condition = models.CharField(_("状态"), max_length=10, choices=ItemCondition.choices)
    form = models.CharField(_("形态"), max_length=10, choices=ItemForm.choices, default=ItemForm.WHOLE)
    captive_bred = models.BooleanField(_("人工繁育"), default=False)
    storage_place = models.CharField(_("存放地点"), max_length=200, blank=True)
    actual_price = models.DecimalField(
        _("实际交易价格(元)"), max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("高于评估价值时按实际交易价格认定")
    )
    base_value = models.DecimalField(_("基准价值(元/单位)"), max_digits=14, decimal_places=2, null=True, blank=True)
    assessed_value = models.DecimalField(_("评估价值(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("扣押物品")
        verbose_name_plural = _("扣押物品")
        ordering = ["case", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="enforcement_item_count_positive"),
            models.CheckConstraint(condition=Q(species__isnull=False) | ~Q(description=""), name="enforcement_item_described"),
        ]

    def __str__(self) -> str:
        what = self.species.name_zh if self.species is not None else self.description
        return f"{what} {self.count}{self.unit}"


class RescueHandover(ScopedModel):
    """Live animals of a case handed to the rescue centre: a receipt the rescue module picks up (status
    `pending_pickup` → `picked_up` with its own case reference)."""

    receipt_no = models.CharField(_("移交单号"), max_length=30, unique=True)
    item = models.OneToOneField(SeizedItem, verbose_name=_("扣押物品"), on_delete=models.PROTECT, related_name="handover")
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="handovers")
    species = models.ForeignKey("species.Species", verbose_name=_("物种"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    count = models.PositiveIntegerField(_("数量"))
    status = models.CharField(_("状态"), max_length=20, choices=HandoverStatus.choices, default=HandoverStatus.PENDING, db_index=True)
    handed_at = models.DateTimeField(_("移交时间"), default=timezone.now)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("移交人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    condition_note = models.TextField(_("动物状况"), blank=True)
    picked_up_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    rescue_ref = models.CharField(_("救护记录编号"), max_length=60, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("救护移交单")
        verbose_name_plural = _("救护移交单")
        ordering = ["-handed_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(count__gte=1), name="enforcement_handover_count_positive")]

    def __str__(self) -> str:
        return self.receipt_no

    def get_absolute_url(self) -> str:
        return reverse("enforcement:handover_detail", args=[self.pk])


class Evidence(TimeStampedModel):
    """An evidence file of a case (downloaded only through an access-checked view, never a public media URL)."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("证据类型"), max_length=15, choices=EvidenceKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to="enforcement/evidence/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    collected_at = models.DateTimeField(_("取证时间"), null=True, blank=True)
    collected_by = models.CharField(_("取证人"), max_length=100, blank=True)
    note = models.TextField(_("说明"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return self.title


class CaseEvent(models.Model):
    """A step on a case's timeline: status changes and investigation events."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=20, choices=CaseEventKind.choices)
    title = models.CharField(_("事项"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    occurred_at = models.DateTimeField(_("时间"), default=timezone.now)
    from_status = models.CharField(_("原状态"), max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=CaseStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("案件事件")
        verbose_name_plural = _("案件事件")
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return self.title


class CaseDecision(TimeStampedModel):
    """A decision in a case (penalty, confiscation, order) with the article applied."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("决定类型"), max_length=15, choices=DecisionKind.choices)
    document_no = models.CharField(_("文书编号"), max_length=60, blank=True)
    decided_on = models.DateField(_("决定日期"))
    penalty_rule = models.ForeignKey(
        "enforcement.PenaltyRule", verbose_name=_("适用条款"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fine_amount = models.DecimalField(_("罚款金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    confiscation = models.TextField(_("没收物品/违法所得"), blank=True)
    note = models.TextField(_("说明"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("处理决定")
        verbose_name_plural = _("处理决定")
        ordering = ["case", "decided_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(fine_amount__isnull=True) | Q(fine_amount__gte=0), name="enforcement_decision_fine_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_no}".strip()


class CaseFlow(TimeStampedModel):
    """A movement of goods or money from one party to another (source → breeder → transporter → seller → buyer)."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="flows")
    from_party = models.ForeignKey(CaseParty, verbose_name=_("从"), on_delete=models.CASCADE, related_name="flows_out")
    to_party = models.ForeignKey(CaseParty, verbose_name=_("到"), on_delete=models.CASCADE, related_name="flows_in")
    kind = models.CharField(_("流向类型"), max_length=10, choices=FlowKind.choices)
    species = models.ForeignKey("species.Species", verbose_name=_("物种"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    quantity = models.CharField(_("数量"), max_length=60, blank=True)
    occurred_on = models.DateField(_("日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("流向")
        verbose_name_plural = _("流向")
        ordering = ["case", "occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_party=models.F("to_party")), name="enforcement_flow_distinct_parties"),
        ]

    def __str__(self) -> str:
        return f"{self.from_party_id} → {self.to_party_id} ({self.get_kind_display()})"
