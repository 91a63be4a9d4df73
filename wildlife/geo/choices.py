from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    """Level in the scope tree (API field `level`)."""

    DISTRICT = "district", _("区")
    TOWN = "town", _("镇/街道")
    VILLAGE = "village", _("村/社区")
    GRID = "grid", _("网格")
    OVERLAY = "overlay", _("功能区")


class AreaKind(models.TextChoices):
    """The legal kind of division."""

    DISTRICT = "district", _("区")
    TOWN = "town", _("镇")
    SUBDISTRICT = "subdistrict", _("街道")
    VILLAGE = "village", _("行政村")
    COMMUNITY = "community", _("社区")
    GRID = "grid", _("网格")
    DEVELOPMENT_ZONE = "development_zone", _("开发区")
    RESORT_ZONE = "resort_zone", _("旅游度假区")


class SourceCRS(models.TextChoices):
    """The coordinate system a boundary file arrived in (stored as WGS-84 after conversion)."""

    WGS84 = "wgs84", _("WGS-84 (EPSG:4326)")
    CGCS2000 = "cgcs2000", _("CGCS2000 (EPSG:4490)")
    GCJ02 = "gcj02", _("GCJ-02 (国测局坐标，导入时转换为 WGS-84)")


class MatchBy(models.TextChoices):
    """How features of a boundary file are matched to areas."""

    CODE = "code", _("按区划代码")
    NAME = "name", _("按名称")


class BoundaryImportStatus(models.TextChoices):
    STAGED = "staged", _("待确认")
    APPLIED = "applied", _("已保存")
    DISCARDED = "discarded", _("已放弃")
