"""Choices of online-trade monitoring: listing sources and statuses, term categories, collector parsers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingSource(models.TextChoices):
    EXPORT = "export", _("平台导出")
    MANUAL = "manual", _("人工采集")
    COLLECTOR = "collector", _("自动采集")
    API = "api", _("接口提交")


class ListingStatus(models.TextChoices):
    """new → reviewing → false_positive | takedown_requested | escalated."""

    NEW = "new", _("待审核")
    REVIEWING = "reviewing", _("审核中")
    FALSE_POSITIVE = "false_positive", _("误报")
    TAKEDOWN_REQUESTED = "takedown_requested", _("已发下架通知")
    ESCALATED = "escalated", _("已转立案")


OPEN_STATUSES = (ListingStatus.NEW, ListingStatus.REVIEWING)
CLOSED_STATUSES = (ListingStatus.FALSE_POSITIVE, ListingStatus.TAKEDOWN_REQUESTED, ListingStatus.ESCALATED)


class TermCategory(models.TextChoices):
    """What a keyword means for the risk score."""

    SPECIES = "species", _("物种名称/别名")
    SLANG = "slang", _("交易行话")
    TOOL = "tool", _("禁用猎捕工具")
    CONTEXT = "context", _("交易语境词")
    MITIGATING = "mitigating", _("降低风险词")
    EXCLUSION = "exclusion", _("排除短语")


# categories whose hit alone makes a listing relevant; context and mitigating words only adjust the score
CORE_CATEGORIES = (TermCategory.SPECIES, TermCategory.SLANG, TermCategory.TOOL)


class ScanKind(models.TextChoices):
    IMPORT = "import", _("导入平台数据")
    API = "api", _("接口提交")
    RESCAN = "rescan", _("按新词库重扫")
    COLLECTOR = "collector", _("自动采集")


class ScanStatus(models.TextChoices):
    DRAFT = "draft", _("待映射列")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("全部或全不（任何一行有误则不写入）")
    VALID_ROWS = "valid_rows", _("仅写入有效行（其余列入错误报告）")


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (xlsx)"
    JSON = "json", "JSON"


class CollectorParser(models.TextChoices):
    """How a configured source's pages are read."""

    JSON_ITEMS = "json_items", _("JSON 列表（字段映射）")
    HTML_MICRODATA = "html_microdata", _("HTML 商品微数据（schema.org Product）")


class CollectorRunStatus(models.TextChoices):
    NEVER = "", _("尚未运行")
    OK = "ok", _("成功")
    PARTIAL = "partial", _("部分失败")
    FAILED = "failed", _("失败")
