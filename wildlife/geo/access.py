"""Fetch one area or staged boundary import for a user: 404 when missing or outside what they may see."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from wildlife.geo.models import AdminArea, BoundaryImport
from wildlife.geo.selectors import area_pages_queryset, boundary_import_for_owner


def may_see_area_pages(user: Any) -> bool:
    """Business users (their scope) and the system administrator (the whole tree) use the area pages."""
    if not getattr(user, "is_authenticated", False):
        return False
    admin_role = getattr(user, "admin_role", "")
    return not admin_role or admin_role == "system"


def is_system_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "admin_role", "") == "system")


def access_area_by_id(user: Any, area_id: Any) -> AdminArea:
    """The active area `area_id` if it lies within the user's scope (any area for the system administrator)."""
    if not may_see_area_pages(user):
        raise PermissionDenied(_("您没有访问此页面的权限"))
    try:
        return area_pages_queryset(user).select_related("parent", "administered_by").get(pk=int(area_id))
    except (AdminArea.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("区划不存在或不在您的权限范围内")) from exc


def access_editable_area_by_id(user: Any, area_id: Any) -> AdminArea:
    """A village or grid the system administrator may edit (404 for any other area or user)."""
    if not is_system_admin(user):
        raise PermissionDenied(_("只有系统管理员可以维护行政区划"))
    try:
        area = AdminArea.objects.filter(pk=int(area_id), level__in=("village", "grid")).select_related("parent").first()
    except (ValueError, TypeError) as exc:
        raise Http404 from exc
    if area is None:
        raise Http404(_("区划不存在或不可编辑"))
    return area


def access_boundary_import_by_id(user: Any, import_id: Any) -> BoundaryImport:
    """A staged boundary import of this user; anyone else's (or a closed one) is 404."""
    if not is_system_admin(user):
        raise PermissionDenied(_("只有系统管理员可以导入边界"))
    try:
        staging = boundary_import_for_owner(user=user, import_id=int(import_id))
    except (ValueError, TypeError) as exc:
        raise Http404 from exc
    if staging is None:
        raise Http404(_("边界导入不存在、已过期或不属于您"))
    return staging
