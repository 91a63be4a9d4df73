"""Online-trade monitoring (网络交易监测): listings captured from platforms, the versioned keyword table, scans,
reviews and takedown letters.

Listings are district-wide records (area = the district unless a location is known). Which departments see them is
decided by the department permissions declared in apps.py (market leads; cyberspace may request takedowns; police,
natural resources and agriculture read; towns do not see listings).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wildlife.core.crypto import EncryptedTextField
from wildlife.core.models import ScopedModel, TimeStampedModel
from wildlife.core.querysets import ScopedManager
from wildlife.trade.choices import (
    CollectorParser,
    CollectorRunStatus,
    FileFormat,
    ImportMode,
    ListingSource,
    ListingStatus,
    ScanKind,
    ScanStatus,
    TermCategory,
)


def district_wide_scope(*, user: Any, scope: Any, action: str) -> Q:
    """Reference data and registers of the district as a whole: the department permission alone decides."""
    return Q()


class Platform(TimeStampedModel):
    """An online platform (闲鱼, 拼多多, a WeChat channel ...) and the operator a takedown letter is addressed to."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("平台名称"), max_length=100)
    operator = models.CharField(_("运营主体"), max_length=200, blank=True, help_text=_("下架通知函的收件单位"))
    address = models.CharField(_("通讯地址"), max_length=300, blank=True)
    contact = models.CharField(_("联系方式"), max_length=200, blank=True, help_text=_("平台合规/监管对接邮箱或电话"))
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ScopedManager()
    scope_filter = staticmethod(district_wide_scope)

    class Meta:
        verbose_name = _("交易平台")
        verbose_name_plural = _("交易平台")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("trade:platform_edit", args=[self.pk])


class ColumnMapping(TimeStampedModel):
    """A saved column mapping of a platform's export file: {listing field: column header}."""

    platform = models.ForeignKey(Platform, verbose_name=_("平台"), on_delete=models.CASCADE, related_name="mappings")
    name = models.CharField(_("映射名称"), max_length=100, default="默认")
    mapping = models.JSONField(_("列映射"), default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager()
    scope_filter = staticmethod(district_wide_scope)

    class Meta:
        verbose_name = _("导入列映射")
        verbose_name_plural = _("导入列映射")
        ordering = ["platform__name", "name"]
        constraints = [models.UniqueConstraint(fields=["platform", "name"], name="trade_mapping_platform_name_unique")]

    def __str__(self) -> str:
        return f"{self.platform} · {self.name}"


class TermVersion(models.Model):
    """One version of the keyword table. Every change to the table makes a new version; a scan records the
    version it used, so a hit can always be explained with the words in force then."""

    number = models.PositiveIntegerField(_("版本号"), unique=True)
    note = models.CharField(_("变更说明"), max_length=300)
    threshold = models.PositiveSmallIntegerField(
        _("风险阈值"), default=50, help_text=_("风险分达到此值的商品信息进入审核队列（0–100）")
    )
    context_window = models.PositiveSmallIntegerField(
        _("语境词距离（字）"), default=30, help_text=_("语境词与物种/行话/工具词相距不超过此字数才加分")
    )
    added = models.PositiveIntegerField(_("新增"), default=0)
    changed = models.PositiveIntegerField(_("修改"), default=0)
    removed = models.PositiveIntegerField(_("删除"), default=0)
    term_count = models.PositiveIntegerField(_("词条数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_filter = staticmethod(district_wide_scope)

    class Meta:
        verbose_name = _("关键词库版本")
        verbose_name_plural = _("关键词库版本")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(condition=Q(threshold__lte=100), name="trade_termversion_threshold_range"),
            models.CheckConstraint(condition=Q(context_window__gte=1), name="trade_termversion_window_positive"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("trade:term_version_detail", args=[self.pk])


class TradeTerm(models.Model):
    """One keyword of the table, valid from version `since_version` until (excluding) `until_version`.

    An edit closes the old row (until_version = the new version) and adds a new row with the same `lineage`, so
    every version can be rebuilt and compared. `variants` are other spellings matched as the same word: homophones
    (川山甲), pinyin (chuanshanjia), traditional characters, trade spellings.
    """

    lineage = models.UUIDField(_("词条标识"), db_index=True)
    term = models.CharField(_("关键词"), max_length=100)
    category = models.CharField(_("类别"), max_length=12, choices=TermCategory.choices)
    weight = models.SmallIntegerField(_("权重"), help_text=_("物种/行话/工具：基础分；语境词：加分；降低风险词：填负数"))
    variants = models.JSONField(_("变体写法"), default=list, blank=True)
    species = models.ForeignKey(
        "species.Species", verbose_name=_("物种"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    protection = models.CharField(_("保护级别"), max_length=12, blank=True)
    enabled = models.BooleanField(_("参与扫描"), default=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    since_version = models.PositiveIntegerField(_("起始版本"), db_index=True)
    until_version = models.PositiveIntegerField(_("截止版本（不含）"), null=True, blank=True, db_index=True)

    objects = ScopedManager()
    scope_filter = staticmethod(district_wide_scope)

    class Meta:
        verbose_name = _("关键词")
        verbose_name_plural = _("关键词")
        ordering = ["category", "term"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=-100) & Q(weight__lte=100), name="trade_term_weight_range"),
            models.CheckConstraint(
                condition=Q(until_version__isnull=True) | Q(until_version__gt=models.F("since_version")),
                name="trade_term_versions_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.term

    def get_absolute_url(self) -> str:
        return reverse("trade:term_edit", args=[self.pk])


class ScanBatch(TimeStampedModel):
    """One scan: an uploaded platform export (mapped, stored and scanned), a batch sent to the API, a collector
    run or a re-scan with a new keyword version. Large ones run as a Job with progress."""

    kind = models.CharField(_("类型"), max_length=10, choices=ScanKind.choices)
    status = models.CharField(_("状态"), max_length=10, choices=ScanStatus.choices, default=ScanStatus.QUEUED)
    title = models.CharField(_("名称"), max_length=200)
    platform = models.ForeignKey(Platform, verbose_name=_("平台"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    file = models.FileField(_("文件"), upload_to="trade/uploads/%Y/%m/", blank=True, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=255, blank=True)
    file_format = models.CharField(_("文件格式"), max_length=5, choices=FileFormat.choices, blank=True)
    headers = models.JSONField(_("表头"), default=list, blank=True)
    sample = models.JSONField(_("样例行"), default=list, blank=True)
    mapping = models.JSONField(_("列映射"), default=dict, blank=True)
    mode = models.CharField(_("导入方式"), max_length=16, choices=ImportMode.choices, default=ImportMode.VALID_ROWS)
    term_version = models.ForeignKey(
        TermVersion, verbose_name=_("关键词库版本"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    job = models.ForeignKey("jobs.Job", verbose_name=_("后台任务"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    operation = models.ForeignKey(
        "enforcement.Operation", verbose_name=_("专项行动"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    total = models.PositiveIntegerField(_("行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    duplicate_count = models.PositiveIntegerField(_("重复"), default=0)
    error_count = models.PositiveIntegerField(_("错误"), default=0)
    scanned_count = models.PositiveIntegerField(_("已扫描"), default=0)
    flagged_count = models.PositiveIntegerField(_("命中待审"), default=0)
    message = models.CharField(_("说明"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ScopedManager()
    scope_filter = staticmethod(district_wide_scope)

    class Meta:
        verbose_name = _("扫描任务")
        verbose_name_plural = _("扫描任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trade:scan_detail", args=[self.pk])


class Listing(ScopedModel):
    """A listing (商品信息) seen on a platform: what was offered, by whom, for how much, and what the scanner and
    the reviewers made of it. The seller's phone is stored encrypted with a blind index for "same phone" lookups."""

    platform = models.ForeignKey(Platform, verbose_name=_("平台"), on_delete=models.PROTECT, related_name="listings")
    external_id = models.CharField(_("平台商品编号"), max_length=100, blank=True)
    fingerprint = models.CharField(_("去重键"), max_length=64, editable=False)
    url = models.URLField(_("链接"), max_length=1000, blank=True)
    title = models.CharField(_("标题"), max_length=300)
    text = models.TextField(_("描述文字"), blank=True)
    seller_account = models.CharField(_("卖家账号"), max_length=200, blank=True, db_index=True)
    seller_name = models.CharField(_("卖家昵称"), max_length=200, blank=True)
    seller_phone = EncryptedTextField(_("卖家电话"), blank=True)
    seller_phone_index = models.CharField(_("电话索引"), max_length=64, blank=True, db_index=True, editable=False)
    price = models.DecimalField(_("价格（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    image_urls = models.JSONField(_("图片链接"), default=list, blank=True)
    captured_at = models.DateTimeField(_("采集时间"), db_index=True)
    source = models.CharField(_("来源"), max_length=10, choices=ListingSource.choices)
    location_text = models.CharField(_("所在地"), max_length=200, blank=True)
    location = models.PointField(_("位置"), srid=4326, null=True, blank=True)
    risk_score = models.PositiveSmallIntegerField(_("风险分"), default=0, db_index=True)
    flagged = models.BooleanField(_("命中待审"), default=False, db_index=True)
    matched_terms = models.JSONField(_("命中词"), default=list, blank=True)
    matched_index = models.TextField(_("命中词索引"), blank=True, editable=False)
    highlights = models.JSONField(_("高亮位置"), default=list, blank=True)
    term_version = models.ForeignKey(
        TermVersion, verbose_name=_("扫描所用词库版本"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scanned_at = models.DateTimeField(_("扫描时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ListingStatus.choices, default=ListingStatus.NEW, db_index=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_started_at = models.DateTimeField(_("开始审核时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核完成时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    case_id = models.PositiveBigIntegerField(_("案件ID"), null=True, blank=True)
    case_no = models.CharField(_("案件编号"), max_length=60, blank=True)
    case_url = models.CharField(_("案件链接"), max_length=300, blank=True)
    operation = models.ForeignKey(
        "enforcement.Operation", verbose_name=_("专项行动"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scan_batch = models.ForeignKey(
        ScanBatch, verbose_name=_("扫描任务"), on_delete=models.SET_NULL, null=True, blank=True, related_name="listings"
    )

    class Meta:
        verbose_name = _("商品信息")
        verbose_name_plural = _("商品信息")
        ordering = ["-captured_at"]
        permissions = [
            ("review_listing", _("审核商品信息")),
            ("request_takedown", _("发出下架通知")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["platform", "fingerprint"], name="trade_listing_platform_fingerprint_unique"),
            models.CheckConstraint(condition=Q(risk_score__lte=100), name="trade_listing_risk_range"),
            models.CheckConstraint(condition=Q(price__isnull=True) | Q(price__gte=0), name="trade_listing_price_not_negative"),
        ]
        indexes = [models.Index(fields=["flagged", "status", "-risk_score"], name="trade_listing_queue_idx")]

    def __str__(self) -> str:
        return f"{self.platform} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("trade:listing_detail", args=[self.pk])

    @property
    def seller_phone_masked(self) -> str:
        from wildlife.core.masking import mask_phone

        return mask_phone(self.seller_phone)

    @property
    def is_open(self) -> bool:
        return self.status in (ListingStatus.NEW, ListingStatus.REVIEWING)


def _image_path(instance: ListingImage, filename: str) -> str:
    return f"trade/images/{instance.listing_id}/{filename}"


class ListingImage(models.Model):
    """A screenshot or picture of a listing (evidence). Served only through a checked view, never a media URL."""

    listing = models.ForeignKey(Listing, verbose_name=_("商品信息"), on_delete=models.CASCADE, related_name="images")
    file = models.FileField(_("图片"), upload_to=_image_path, max_length=300)
    content_type = models.CharField(_("类型"), max_length=40)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_area_field = "listing__area"

    class Meta:
        verbose_name = _("商品截图")
        verbose_name_plural = _("商品截图")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.caption or self.file.name


class LetterSequence(models.Model):
    """The last takedown-letter number issued in a year (numbers are consecutive per year)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    last = models.PositiveIntegerField(_("最后编号"), default=0)

    class Meta:
        verbose_name = _("通知函编号")
        verbose_name_plural = _("通知函编号")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class TakedownLetter(models.Model):
    """A numbered letter asking a platform to take a listing down (PDF), kept with its digest."""

    number = models.CharField(_("文号"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    listing = models.ForeignKey(Listing, verbose_name=_("商品信息"), on_delete=models.PROTECT, related_name="letters")
    platform = models.ForeignKey(Platform, verbose_name=_("平台"), on_delete=models.PROTECT, related_name="+")
    addressee = models.CharField(_("收件单位"), max_length=200)
    reason = models.TextField(_("理由"))
    file = models.FileField(_("PDF"), upload_to="trade/letters/%Y/", max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"), on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("签发时间"))

    objects = ScopedManager()
    scope_area_field = "listing__area"

    class Meta:
        verbose_name = _("下架通知函")
        verbose_name_plural = _("下架通知函")
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["year", "seq"], name="trade_letter_year_seq_unique")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("trade:letter_download", args=[self.pk])


class CollectorSource(TimeStampedModel):
    """A configured source the collector fetches: a list of URLs on an allowed host and the parser for its pages."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    platform = models.ForeignKey(Platform, verbose_name=_("平台"), on_delete=models.PROTECT, related_name="+")
    parser = models.CharField(_("解析方式"), max_length=20, choices=CollectorParser.choices)
    urls = models.TextField(_("采集地址"), help_text=_("每行一个地址；主机须在系统设置允许的采集主机名单中"))
    config = models.JSONField(
        _("解析配置"), default=dict, blank=True, help_text=_("JSON 列表：items（列表所在键）与 fields（字段 → 键）")
    )
    enabled = models.BooleanField(_("启用"), default=True)
    interval_minutes = models.PositiveIntegerField(_("采集间隔（分钟）"), default=24 * 60)
    last_run_at = models.DateTimeField(_("上次运行"), null=True, blank=True)
    last_status = models.CharField(_("上次结果"), max_length=10, choices=CollectorRunStatus.choices, blank=True)
    last_message = models.CharField(_("上次说明"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager()
    scope_filter = staticmethod(district_wide_scope)

    class Meta:
        verbose_name = _("采集源")
        verbose_name_plural = _("采集源")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(interval_minutes__gte=5), name="trade_collector_interval_min")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("trade:collector_detail", args=[self.pk])

    def url_list(self) -> list[str]:
        return [line.strip() for line in self.urls.splitlines() if line.strip()]
