"""The administrative-area tree that scopes every record: district → town/sub-district → village → grid."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wildlife.geo.choices import AreaKind, AreaLevel, BoundaryImportStatus, MatchBy, SourceCRS


class AdminAreaQuerySet(models.QuerySet["AdminArea"]):
    def active(self) -> AdminAreaQuerySet:
        return self.filter(is_active=True)

    def towns(self) -> AdminAreaQuerySet:
        return self.filter(level=AreaLevel.TOWN)


class AdminArea(models.Model):
    """An area of the scope tree, or an overlay area (development zone) outside it.

    `path` is the materialised path of codes ("370306/370306102/"), so "this area and everything below it" is a
    prefix match. The legal division (`parent`) and the body that administers the area day to day
    (`administered_by`, e.g. 文昌湖旅游度假区 for 萌水镇 and 商家镇) are separate facts.
    """

    code = models.CharField(_("区划代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    level = models.CharField(_("层级"), max_length=10, choices=AreaLevel.choices)
    kind = models.CharField(_("类型"), max_length=20, choices=AreaKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    administered_by = models.ForeignKey(
        "self",
        verbose_name=_("管理主体"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="administered_areas",
        help_text=_("日常管理机构与法定隶属不同时填写，如文昌湖旅游度假区托管萌水镇、商家镇"),
    )
    path = models.CharField(_("路径"), max_length=255, unique=True, editable=False, db_index=True)
    # spatial index (R-tree on SpatiaLite, GiST on PostGIS): area_for_point() is one indexed containment query
    boundary = models.MultiPolygonField(_("边界"), srid=4326, null=True, blank=True, spatial_index=True)
    boundary_is_schematic = models.BooleanField(
        _("示意边界"), default=False, help_text=_("演示用的示意边界，不是官方边界")
    )
    boundary_source = models.CharField(_("边界来源"), max_length=200, blank=True)
    boundary_crs = models.CharField(
        _("原始坐标系"), max_length=10, choices=SourceCRS.choices, blank=True
    )
    boundary_updated_at = models.DateTimeField(_("边界更新时间"), null=True, blank=True)
    area_km2 = models.DecimalField(_("面积(平方公里)"), max_digits=10, decimal_places=2, null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    notes = models.TextField(_("备注"), blank=True)

    objects = AdminAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path", "sort_order"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=AreaLevel.values), name="geo_adminarea_level_valid"),
            models.CheckConstraint(condition=Q(kind__in=AreaKind.values), name="geo_adminarea_kind_valid"),
            models.CheckConstraint(
                condition=Q(area_km2__isnull=True) | Q(area_km2__gte=0), name="geo_adminarea_area_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("geo:area_detail", args=[self.pk])

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = (self.parent.path if self.parent_id and self.parent else "") + self.code + "/"
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        from wildlife.geo.locator import bump_generation

        bump_generation()  # point-in-area lookups rebuild their prepared boundaries

    @property
    def depth(self) -> int:
        return self.path.count("/")

    def district_ancestor(self) -> AdminArea:
        """The district (区) this area belongs to (itself for a district)."""
        node: AdminArea = self
        while node.level != AreaLevel.DISTRICT and node.parent is not None:
            node = node.parent
        return node

    def town_ancestor(self) -> AdminArea | None:
        """The town or sub-district this area is in (itself for a town), None for a district or overlay."""
        node: AdminArea | None = self
        while node is not None and node.level not in (AreaLevel.TOWN,):
            if node.level in (AreaLevel.DISTRICT, AreaLevel.OVERLAY):
                return None
            node = node.parent
        return node


class BoundaryImport(models.Model):
    """An uploaded boundary file between upload and confirmation (the preview step), visible to its owner only.

    The checked features (already converted to WGS-84) are kept here, not the file: the file is never stored.
    Confirming applies the matched boundaries to their areas; a staged import expires after a day.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    source_name = models.CharField(_("文件名"), max_length=200)
    source_format = models.CharField(_("文件格式"), max_length=20)
    source_crs = models.CharField(_("原始坐标系"), max_length=10, choices=SourceCRS.choices)
    layer_name = models.CharField(_("图层"), max_length=200, blank=True)
    fields = models.JSONField(_("属性字段"), default=list)
    features = models.JSONField(_("要素"), default=list)
    notes = models.JSONField(_("提示"), default=list)
    match_by = models.CharField(_("匹配方式"), max_length=10, choices=MatchBy.choices, default=MatchBy.CODE)
    match_field = models.CharField(_("匹配字段"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=BoundaryImportStatus.choices, default=BoundaryImportStatus.STAGED
    )
    applied_at = models.DateTimeField(_("保存时间"), null=True, blank=True)
    applied_area_ids = models.JSONField(_("已更新区划"), default=list)

    class Meta:
        verbose_name = _("边界导入")
        verbose_name_plural = _("边界导入")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BoundaryImportStatus.values), name="geo_boundaryimport_status_valid"
            ),
            models.CheckConstraint(condition=Q(source_crs__in=SourceCRS.values), name="geo_boundaryimport_crs_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("geo:boundary_import_preview", args=[self.pk])
