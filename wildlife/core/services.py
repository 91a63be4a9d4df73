"""Write-side helpers shared by every app's services."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wildlife.core.scope import user_scope
from wildlife.geo.choices import AreaLevel
from wildlife.geo.models import AdminArea


def resolve_area(*, actor: Any, area: AdminArea | None = None, point: GEOSGeometry | None = None) -> tuple[AdminArea, AdminArea]:
    """The (town, district) a new record belongs to: from its location when it has one, else the given area, else
    the actor's only assignment. Raises ValidationError naming the field when none applies."""
    if point is not None:
        from wildlife.geo.selectors import area_for_point

        probe = point if isinstance(point, Point) else point.point_on_surface
        town = area_for_point(probe)
        if town is None:
            raise ValidationError({"location": _("位置不在本区任何镇街范围内，请检查坐标（经度在前，纬度在后）。")})
        return town, town.district_ancestor()
    if area is None:
        ids = list(user_scope(actor).area_ids)
        if len(ids) != 1:
            raise ValidationError({"area": _("请选择所属镇街。")})
        area = AdminArea.objects.get(pk=ids[0])
    if area.level not in (AreaLevel.TOWN, AreaLevel.DISTRICT, AreaLevel.VILLAGE, AreaLevel.GRID):
        raise ValidationError({"area": _("「%(name)s」是功能区，请选择镇街。") % {"name": area.name}})
    return area, area.district_ancestor()
