"""Writes to the area tree: villages and grids, and boundary imports (upload → preview → confirm).

Only the system administrator (系统管理员) changes the tree or its boundaries: it is platform configuration that
decides everyone's scope, not a business record.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.audit.services import audit_record
from wildlife.core.exceptions import ConflictError
from wildlife.geo import boundaries
from wildlife.geo.choices import AreaKind, AreaLevel, BoundaryImportStatus, MatchBy, SourceCRS
from wildlife.geo.models import AdminArea, BoundaryImport
from wildlife.geo.selectors import district_boundary, matched_boundaries
from wildlife.geo.uploads import checked_spatial_upload

STAGING_LIFETIME = timedelta(hours=24)
DRAWN_SOURCE = "系统管理员在平台中绘制"
CODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,19}$")

# which kinds a village- or grid-level area may have, and which levels may be their parents
CHILD_KINDS: dict[str, tuple[str, ...]] = {
    AreaLevel.VILLAGE: (AreaKind.VILLAGE, AreaKind.COMMUNITY),
    AreaLevel.GRID: (AreaKind.GRID,),
}
CHILD_PARENT_LEVELS: dict[str, tuple[str, ...]] = {
    AreaLevel.VILLAGE: (AreaLevel.TOWN,),
    AreaLevel.GRID: (AreaLevel.TOWN, AreaLevel.VILLAGE),
}


def require_system_admin(actor: Any) -> None:
    """Raise PermissionDenied unless the actor is the system administrator."""
    if not getattr(actor, "is_authenticated", False) or getattr(actor, "admin_role", "") != "system":
        raise PermissionDenied(_("只有系统管理员可以维护行政区划和边界"))


def boundary_snapshot(area: AdminArea) -> dict[str, Any]:
    """What the audit digests of a boundary change cover."""
    return {
        "code": area.code,
        "boundary": area.boundary.ewkt if area.boundary is not None else None,
        "schematic": area.boundary_is_schematic,
        "source": area.boundary_source,
        "crs": area.boundary_crs,
        "area_km2": str(area.area_km2) if area.area_km2 is not None else None,
    }


def area_snapshot(area: AdminArea) -> dict[str, Any]:
    return {
        **boundary_snapshot(area),
        "name": area.name,
        "short_name": area.short_name,
        "level": area.level,
        "kind": area.kind,
        "parent": area.parent_id,
        "sort_order": area.sort_order,
        "is_active": area.is_active,
        "notes": area.notes,
    }


# --- villages and grids --------------------------------------------------------------------------------------------


def _checked_drawn_boundary(boundary: GEOSGeometry | None) -> MultiPolygon | None:
    if boundary is None:
        return None
    return boundaries.validate_boundary(boundary, extent=boundaries.extent_for_district(district_boundary()))


def area_create(
    *,
    actor: Any,
    parent: AdminArea,
    code: str,
    name: str,
    level: str,
    kind: str,
    short_name: str = "",
    sort_order: int = 0,
    notes: str = "",
    boundary: GEOSGeometry | None = None,
    boundary_is_schematic: bool = True,
) -> AdminArea:
    """Create a village (村/社区) or grid (网格) under a town or village."""
    require_system_admin(actor)
    code = code.strip()
    errors: dict[str, list[str]] = {}
    if level not in CHILD_KINDS:
        errors.setdefault("level", []).append(_("只能新建村/社区或网格。"))
    elif kind not in CHILD_KINDS[level]:
        errors.setdefault("kind", []).append(_("类型与层级不符。"))
    if level in CHILD_PARENT_LEVELS and parent.level not in CHILD_PARENT_LEVELS[level]:
        errors.setdefault("parent", []).append(_("「%(parent)s」下不能设立该层级的区划。") % {"parent": parent.name})
    if not CODE_PATTERN.match(code):
        errors.setdefault("code", []).append(_("代码只能包含字母、数字、连字符和下划线，最长 20 位。"))
    elif not code.startswith(parent.code):
        errors.setdefault("code", []).append(_("代码应以上级区划代码 %(code)s 开头。") % {"code": parent.code})
    elif AdminArea.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(_("代码 %(code)s 已被使用。") % {"code": code})
    if not name.strip():
        errors.setdefault("name", []).append(_("请填写名称。"))
    elif AdminArea.objects.filter(parent=parent, name=name.strip()).exists():
        errors.setdefault("name", []).append(_("「%(parent)s」下已有同名区划。") % {"parent": parent.name})
    if errors:
        raise ValidationError(errors)
    geometry = _checked_drawn_boundary(boundary)
    with transaction.atomic():
        area = AdminArea(
            code=code,
            name=name.strip(),
            short_name=short_name.strip(),
            level=level,
            kind=kind,
            parent=parent,
            sort_order=sort_order,
            notes=notes,
        )
        if geometry is not None:
            _set_boundary(area, geometry, source=DRAWN_SOURCE, crs=SourceCRS.WGS84, schematic=boundary_is_schematic)
        area.save()
        audit_record(action="area_create", actor=actor, obj=area, after=area_snapshot(area))
    return area


def area_update(
    *,
    actor: Any,
    obj: AdminArea,
    name: str,
    kind: str,
    short_name: str = "",
    sort_order: int = 0,
    is_active: bool = True,
    notes: str = "",
    boundary: GEOSGeometry | None = None,
    boundary_is_schematic: bool = True,
    **_ignored: Any,
) -> AdminArea:
    """Edit a village or grid (towns and the district come from the reference data and official imports)."""
    require_system_admin(actor)
    if obj.level not in CHILD_KINDS:
        raise ValidationError(_("只能在平台中编辑村/社区和网格；镇街边界请使用边界导入。"))
    errors: dict[str, list[str]] = {}
    if kind not in CHILD_KINDS[obj.level]:
        errors.setdefault("kind", []).append(_("类型与层级不符。"))
    if not name.strip():
        errors.setdefault("name", []).append(_("请填写名称。"))
    elif AdminArea.objects.filter(parent_id=obj.parent_id, name=name.strip()).exclude(pk=obj.pk).exists():
        errors.setdefault("name", []).append(_("上级区划下已有同名区划。"))
    if not is_active and obj.children.filter(is_active=True).exists():
        errors.setdefault("is_active", []).append(_("下级区划仍在启用，不能停用。"))
    if errors:
        raise ValidationError(errors)
    geometry = _checked_drawn_boundary(boundary)
    with transaction.atomic():
        area = AdminArea.objects.select_for_update().get(pk=obj.pk)
        before = area_snapshot(area)
        area.name = name.strip()
        area.short_name = short_name.strip()
        area.kind = kind
        area.sort_order = sort_order
        area.is_active = is_active
        area.notes = notes
        if geometry is not None and (area.boundary is None or not area.boundary.equals_exact(geometry, 1e-9)):
            _set_boundary(area, geometry, source=DRAWN_SOURCE, crs=SourceCRS.WGS84, schematic=boundary_is_schematic)
        elif area.boundary is not None:
            area.boundary_is_schematic = boundary_is_schematic
        area.save()
        audit_record(action="area_update", actor=actor, obj=area, before=before, after=area_snapshot(area))
    return area


def _set_boundary(area: AdminArea, geometry: MultiPolygon, *, source: str, crs: str, schematic: bool) -> None:
    area.boundary = geometry
    area.boundary_is_schematic = schematic
    area.boundary_source = source[:200]
    area.boundary_crs = crs
    area.boundary_updated_at = timezone.now()
    area.area_km2 = boundaries.area_km2(geometry)


# --- boundary import -----------------------------------------------------------------------------------------------


def boundary_import_stage(
    *, actor: Any, upload: Any, crs: str, match_by: str = MatchBy.CODE, match_field: str = ""
) -> BoundaryImport:
    """Check an uploaded boundary file, convert it to WGS-84 and keep it for the preview (nothing changes yet)."""
    require_system_admin(actor)
    if crs not in SourceCRS.values:
        raise ValidationError({"crs": [_("请选择文件的坐标系。")]})
    if match_by not in MatchBy.values:
        raise ValidationError({"match_by": [_("请选择匹配方式。")]})
    extent = boundaries.extent_for_district(district_boundary())
    with checked_spatial_upload(upload) as spatial_file:
        datasource = spatial_file.open()
        layer_name, fields, features = boundaries.read_features(datasource, crs=crs, extent=extent)
        notes = list(spatial_file.notes)
        if len(datasource) > 1:
            notes.append(_("文件含有 %(n)d 个图层，只读取第一个图层「%(layer)s」。") % {"n": len(datasource), "layer": layer_name})
        source_format = spatial_file.format
        source_name = spatial_file.original_name
    match_field = match_field.strip()
    if match_field and match_field not in fields:
        raise ValidationError({"match_field": [_("文件中没有字段「%(field)s」；可选字段：%(fields)s") % {"field": match_field, "fields": "、".join(fields) or _("无")}]})
    if not match_field:
        match_field = boundaries.guess_match_field(fields, match_by)
    with transaction.atomic():
        # an administrator's abandoned previews are removed when the next upload arrives
        BoundaryImport.objects.filter(owner_id=actor.pk, status=BoundaryImportStatus.STAGED, expires_at__lte=timezone.now()).delete()
        staging = BoundaryImport.objects.create(
            owner=actor,
            expires_at=timezone.now() + STAGING_LIFETIME,
            source_name=source_name[:200],
            source_format=source_format,
            source_crs=crs,
            layer_name=layer_name[:200],
            fields=fields,
            features=[f.as_dict() for f in features],
            notes=notes,
            match_by=match_by,
            match_field=match_field[:100],
        )
        audit_record(
            action="boundary_import_stage",
            actor=actor,
            obj=staging,
            detail={"file": source_name[:200], "format": source_format, "crs": crs, "features": len(features)},
        )
    return staging


def boundary_import_rematch(*, actor: Any, staging: BoundaryImport, match_by: str, match_field: str) -> BoundaryImport:
    """Choose another field (or code/name) to match features to areas, without uploading again."""
    _require_owner(actor, staging)
    if match_by not in MatchBy.values:
        raise ValidationError({"match_by": [_("请选择匹配方式。")]})
    if match_field not in staging.fields:
        raise ValidationError({"match_field": [_("文件中没有字段「%(field)s」。") % {"field": match_field}]})
    with transaction.atomic():
        updated = BoundaryImport.objects.filter(pk=staging.pk, status=BoundaryImportStatus.STAGED).update(
            match_by=match_by, match_field=match_field
        )
        if not updated:
            raise ConflictError(_("该导入已保存或已放弃。"), code="boundary_import_closed")
        staging.refresh_from_db()
        audit_record(action="boundary_import_rematch", actor=actor, obj=staging, detail={"match_by": match_by, "field": match_field})
    return staging


def boundary_import_apply(*, actor: Any, staging: BoundaryImport) -> list[AdminArea]:
    """Replace the boundaries of the matched areas (one audit event per area, with before/after digests)."""
    _require_owner(actor, staging)
    current = BoundaryImport.objects.filter(pk=staging.pk, status=BoundaryImportStatus.STAGED, expires_at__gt=timezone.now()).first()
    if current is None:
        raise ConflictError(_("该导入已保存、已放弃或已过期。"), code="boundary_import_closed")
    matched = matched_boundaries(current)
    if not matched:
        raise ValidationError({"match_field": [_("没有要素匹配到区划，无法保存；请更换匹配字段。")]})
    source = _("%(file)s（%(format)s，%(crs)s，%(user)s 导入）") % {
        "file": staging.source_name,
        "format": staging.source_format,
        "crs": staging.source_crs,
        "user": actor.get_username(),
    }
    updated_areas: list[AdminArea] = []
    with transaction.atomic():
        # compare-and-swap: a double submission saves once
        claimed = BoundaryImport.objects.filter(
            pk=staging.pk, owner_id=actor.pk, status=BoundaryImportStatus.STAGED, expires_at__gt=timezone.now()
        ).update(status=BoundaryImportStatus.APPLIED, applied_at=timezone.now())
        if not claimed:
            raise ConflictError(_("该导入已保存、已放弃或已过期。"), code="boundary_import_closed")
        for area in AdminArea.objects.select_for_update().filter(pk__in=list(matched)).order_by("path"):
            numbers, geometry = matched[area.pk]
            before = boundary_snapshot(area)
            _set_boundary(area, geometry, source=source, crs=staging.source_crs, schematic=False)
            area.save(update_fields=["boundary", "boundary_is_schematic", "boundary_source", "boundary_crs", "boundary_updated_at", "area_km2"])
            audit_record(
                action="boundary_import",
                actor=actor,
                obj=area,
                before=before,
                after=boundary_snapshot(area),
                detail={"import": staging.pk, "file": staging.source_name[:200], "features": numbers, "crs": staging.source_crs, "area_km2": str(area.area_km2)},
            )
            updated_areas.append(area)
        BoundaryImport.objects.filter(pk=staging.pk).update(applied_area_ids=[a.pk for a in updated_areas], features=[])
    staging.refresh_from_db()
    return updated_areas


def boundary_import_discard(*, actor: Any, staging: BoundaryImport) -> None:
    """Abandon a staged import (its features are dropped)."""
    _require_owner(actor, staging)
    with transaction.atomic():
        updated = BoundaryImport.objects.filter(pk=staging.pk, status=BoundaryImportStatus.STAGED).update(
            status=BoundaryImportStatus.DISCARDED, features=[]
        )
        if not updated:
            raise ConflictError(_("该导入已保存或已放弃。"), code="boundary_import_closed")
        audit_record(action="boundary_import_discard", actor=actor, obj=staging)


def _require_owner(actor: Any, staging: BoundaryImport) -> None:
    require_system_admin(actor)
    if staging.owner_id != actor.pk:
        raise PermissionDenied(_("只能操作自己上传的边界文件"))
