"""Excel/CSV import of the monitoring station register (see wildlife/core/imports.py).

A station's town comes from its coordinates (as in the form), so the template asks for longitude and latitude rather
than a town; a point in a town outside the importer's scope is refused on that row. A station is already registered
when a station of the same name (the district-wide unique name) or, when given, the same code is visible to the user.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wildlife.core.imports import ImportColumn, RegisterImport, located_point
from wildlife.disease.choices import StationLevel
from wildlife.disease.models import Station
from wildlife.disease.services import station_create

LOCATION_HEADER = gettext_lazy("经度/纬度")


def _prepare(user: Any, values: dict[str, Any]) -> dict[str, Any]:
    values["location"], _town = located_point(user, values.pop("longitude"), values.pop("latitude"))
    return values


_SEPARATORS = ("、", "，", ",", "；", ";", "/", " ")


def _covered_towns(user: Any, text: str) -> list[Any]:
    """Town and sub-district names separated by 、 , ; / or spaces: the towns the station's routes cover (any town of
    the district, as in the form; the station's own town is always added by the service)."""
    from wildlife.geo.choices import AreaLevel
    from wildlife.geo.models import AdminArea

    for separator in _SEPARATORS[1:]:
        text = text.replace(separator, _SEPARATORS[0])
    names = [name.strip() for name in text.split(_SEPARATORS[0]) if name.strip()]
    towns = {area.name: area for area in AdminArea.objects.filter(level=AreaLevel.TOWN, is_active=True, name__in=names)}
    unknown = [name for name in names if name not in towns]
    if unknown:
        raise ValidationError(_("“%(names)s”不是本区的镇街名称（多个镇街用顿号分隔）") % {"names": "、".join(unknown)})
    return [towns[name] for name in dict.fromkeys(names)]


def _responsible_people(user: Any) -> Any:
    """Active business users assigned within the importer's own areas (the form offers the same people)."""
    from wildlife.accounts.models import User
    from wildlife.core.scope import user_scope

    within = Q(pk__in=[])
    for prefix in user_scope(user).paths("view"):
        within |= Q(area_assignments__area__path__startswith=prefix)
    return User.objects.filter(within, is_active=True, admin_role="").distinct()


def _responsible(user: Any, text: str) -> Any:
    """A user by login name, or by display name when that is unambiguous."""
    people = _responsible_people(user)
    found = people.filter(username__iexact=text).first()
    if found is not None:
        return found
    named = list(people.filter(display_name=text)[:2])
    if len(named) == 1:
        return named[0]
    if named:
        raise ValidationError(_("有多名用户名为“%(name)s”，请填写登录账号") % {"name": text})
    raise ValidationError(_("您的管辖范围内没有账号或姓名为“%(name)s”的在职用户") % {"name": text})


def _responsible_options(user: Any) -> list[str]:
    return list(_responsible_people(user).order_by("username").values_list("username", flat=True)[:500])


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
        ImportColumn(
            gettext_lazy("监测范围（镇街）"), "covered_areas", kind="lookup", lookup=_covered_towns, example="王村镇、萌水镇",
            help=gettext_lazy("多个镇街用顿号分隔；站点所在镇街总会包括在内"),
        ),
        ImportColumn(
            gettext_lazy("责任人"), "responsible", kind="lookup", lookup=_responsible, options=_responsible_options,
            help=gettext_lazy("登录账号（或不重名的姓名），须在您的管辖范围内任职"),
        ),
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
