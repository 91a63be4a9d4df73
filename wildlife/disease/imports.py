"""Excel/CSV import of the monitoring station register (see wildlife/core/imports.py).

A station's town comes from its coordinates (as in the form), so the template asks for longitude and latitude rather
than a town; a point in a town outside the importer's scope is refused on that row. A station is already registered
when a station of the same name (the district-wide unique name) or, when given, the same code is visible to the user.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy

from wildlife.core.imports import ImportColumn, RegisterImport, located_point
from wildlife.disease.choices import StationLevel
from wildlife.disease.models import Station
from wildlife.disease.services import station_create

LOCATION_HEADER = gettext_lazy("经度/纬度")


def _prepare(user: Any, values: dict[str, Any]) -> dict[str, Any]:
    values["location"], _town = located_point(user, values.pop("longitude"), values.pop("latitude"))
    return values


def _existing(user: Any, values: dict[str, Any]) -> bool:
    match = Q(name=values.get("name", ""))
    if values.get("code"):
        match |= Q(code=values["code"])
    return Station.objects.restrict(user, "view").filter(match).exists()


STATION_IMPORT = RegisterImport(
    model=Station,
    title=gettext_lazy("监测站"),
    filename="monitoring-stations",
    columns=(
        ImportColumn(gettext_lazy("站点名称"), "name", required=True, example="王村镇孝妇河湿地监测站", help=gettext_lazy("全区唯一")),
        ImportColumn(gettext_lazy("站点编号"), "code", example="ZC-JC-101", help=gettext_lazy("可留空；填写时也用于判断是否已登记")),
        ImportColumn(gettext_lazy("级别"), "level", required=True, kind="choice", choices=StationLevel.choices, example=StationLevel.COUNTY.label),
        ImportColumn(gettext_lazy("经度"), "longitude", required=True, kind="decimal", example="117.72", help=gettext_lazy("WGS84 十进制度，如 117.72；决定站点所在镇街")),
        ImportColumn(gettext_lazy("纬度"), "latitude", required=True, kind="decimal", example="36.765", help=gettext_lazy("WGS84 十进制度，如 36.765")),
        ImportColumn(gettext_lazy("建站日期"), "established_on", required=True, kind="date", example="2021-03-01"),
        ImportColumn(gettext_lazy("地址/地点描述"), "address", example="王村镇孝妇河东岸"),
        ImportColumn(gettext_lazy("监测生境"), "habitat", example="河道及滩涂湿地"),
        ImportColumn(gettext_lazy("值班电话"), "duty_phone"),
        ImportColumn(gettext_lazy("值班邮箱"), "duty_email", kind="email"),
        ImportColumn(gettext_lazy("在用"), "is_active", kind="bool", example="是", help=gettext_lazy("留空为“是”")),
        ImportColumn(gettext_lazy("备注"), "notes"),
    ),
    key=("name",),
    find_existing=_existing,
    prepare=_prepare,
    field_headers={"location": LOCATION_HEADER},
    scope_field="location",
    create=station_create,
)
