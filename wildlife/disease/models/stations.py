"""Monitoring stations, the towns they cover, their patrol routes, fixed observation points and equipment."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wildlife.core.models import ScopedModel, TimeStampedModel
from wildlife.core.querysets import ScopedManager
from wildlife.disease.choices import StationLevel
from wildlife.disease.querysets import station_child_scope, station_scope


class Station(ScopedModel):
    """A wildlife epidemic-disease monitoring station (疫源疫病监测站).

    `area` is the town where the station stands; `covered_areas` are the towns whose monitoring scope it serves.
    The responsible officer receives the reminders; phone and e-mail are the station's duty contacts.
    """

    name = models.CharField(_("站点名称"), max_length=100)
    code = models.CharField(_("站点编号"), max_length=40, blank=True)
    level = models.CharField(_("级别"), max_length=12, choices=StationLevel.choices, default=StationLevel.COUNTY)
    location = models.PointField(_("位置"), srid=4326)
    address = models.CharField(_("地址/地点描述"), max_length=200, blank=True)
    habitat = models.CharField(_("监测生境"), max_length=200, blank=True, help_text=_("例如：孝妇河河道及滩涂湿地"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disease_stations",
    )
    duty_phone = models.CharField(_("值班电话"), max_length=30, blank=True)
    duty_email = models.EmailField(_("值班邮箱"), blank=True)
    covered_areas: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "geo.AdminArea", verbose_name=_("监测范围（镇街）"), through="StationCoverage", related_name="+", blank=True
    )
    established_on = models.DateField(_("建站日期"))
    is_active = models.BooleanField(_("在用"), default=True)
    notes = models.TextField(_("备注"), blank=True)

    scope_filter = staticmethod(station_scope)

    class Meta:
        verbose_name = _("监测站")
        verbose_name_plural = _("监测站")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="disease_station_district_name_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="disease_station_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("disease:station_detail", args=[self.pk])


class StationCoverage(models.Model):
    """A town within a station's monitoring scope (乡镇监测范围)."""

    station = models.ForeignKey(Station, verbose_name=_("监测站"), on_delete=models.CASCADE, related_name="coverage")
    area = models.ForeignKey("geo.AdminArea", verbose_name=_("镇街"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("监测范围")
        verbose_name_plural = _("监测范围")
        constraints = [models.UniqueConstraint(fields=["station", "area"], name="disease_coverage_station_area_unique")]

    def __str__(self) -> str:
        return f"{self.station} · {self.area}"


class PatrolRoute(TimeStampedModel):
    """A fixed patrol route (巡查路线) of a station, drawn on the map or imported from GeoJSON."""

    station = models.ForeignKey(Station, verbose_name=_("监测站"), on_delete=models.CASCADE, related_name="routes")
    name = models.CharField(_("路线名称"), max_length=100)
    geometry = models.LineStringField(_("路线"), srid=4326)
    length_km = models.DecimalField(_("长度(公里)"), max_digits=7, decimal_places=2, default=0)
    notes = models.CharField(_("说明"), max_length=300, blank=True)

    objects = ScopedManager()
    scope_filter = staticmethod(station_child_scope)

    class Meta:
        verbose_name = _("巡查路线")
        verbose_name_plural = _("巡查路线")
        ordering = ["station", "name"]
        constraints = [
            models.UniqueConstraint(fields=["station", "name"], name="disease_route_station_name_unique"),
            models.CheckConstraint(condition=Q(length_km__gte=0), name="disease_route_length_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class ObservationPoint(TimeStampedModel):
    """A fixed observation point (固定监测点) of a station."""

    station = models.ForeignKey(Station, verbose_name=_("监测站"), on_delete=models.CASCADE, related_name="points")
    name = models.CharField(_("监测点名称"), max_length=100)
    location = models.PointField(_("位置"), srid=4326)
    notes = models.CharField(_("说明"), max_length=300, blank=True)

    objects = ScopedManager()
    scope_filter = staticmethod(station_child_scope)

    class Meta:
        verbose_name = _("固定监测点")
        verbose_name_plural = _("固定监测点")
        ordering = ["station", "name"]
        constraints = [models.UniqueConstraint(fields=["station", "name"], name="disease_point_station_name_unique")]

    def __str__(self) -> str:
        return self.name


class Equipment(TimeStampedModel):
    """Equipment held by a station (望远镜、防护服、采样箱 …)."""

    station = models.ForeignKey(Station, verbose_name=_("监测站"), on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(_("名称"), max_length=100)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    unit = models.CharField(_("单位"), max_length=20, default="件")
    condition = models.CharField(_("状况"), max_length=100, blank=True)

    objects = ScopedManager()
    scope_filter = staticmethod(station_child_scope)

    class Meta:
        verbose_name = _("设备")
        verbose_name_plural = _("设备")
        ordering = ["station", "name"]
        constraints = [models.UniqueConstraint(fields=["station", "name"], name="disease_equipment_station_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ×{self.quantity}{self.unit}"
