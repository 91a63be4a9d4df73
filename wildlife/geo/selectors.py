"""Reads of the area tree."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import Point
from django.db.models import Q, QuerySet

from wildlife.core.scope import user_scope
from wildlife.geo.choices import AreaLevel
from wildlife.geo.models import AdminArea


def areas_for_user(user: Any) -> list[AdminArea]:
    """The areas the user is assigned to (top of each subtree)."""
    scope = user_scope(user)
    return list(AdminArea.objects.filter(pk__in=scope.area_ids).order_by("path"))


def area_list(*, user: Any, include_overlays: bool = True) -> QuerySet[AdminArea]:
    """Areas within the user's scope (subtrees of their assignments); administrators see the whole tree."""
    queryset = AdminArea.objects.active()
    if getattr(user, "is_admin_role", False):
        return queryset
    paths = user_scope(user).paths("view")
    if not paths:
        return queryset.none()
    q = Q()
    for prefix in paths:
        q |= Q(path__startswith=prefix)
    queryset = queryset.filter(q)
    if not include_overlays:
        queryset = queryset.exclude(level=AreaLevel.OVERLAY)
    return queryset


def area_for_point(point: Point, *, level: str = AreaLevel.TOWN) -> AdminArea | None:
    """The active area of `level` whose boundary contains the point (None outside every boundary)."""
    if point.srid is None:
        point.srid = 4326
    return (
        AdminArea.objects.active()
        .filter(level=level, boundary__isnull=False, boundary__contains=point)
        .order_by("path")
        .first()
    )


def district_area(code: str | None = None) -> AdminArea:
    from django.conf import settings

    return AdminArea.objects.get(code=code or settings.WILDLIFE_DISTRICT_CODE)
