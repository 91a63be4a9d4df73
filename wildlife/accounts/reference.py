"""Departments and town governments of 周村区 (from the notice), created idempotently."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from wildlife.accounts.choices import DepartmentKind
from wildlife.accounts.models import Department
from wildlife.accounts.roles import ADMIN_GROUPS, DISTRICT_DEPARTMENTS, ensure_admin_group, sync_department_permissions
from wildlife.geo.models import AdminArea
from wildlife.geo.reference import DISTRICT_CODE, TOWNS


def town_department_code(area_code: str) -> str:
    return f"town-{area_code}"


@transaction.atomic
def ensure_departments() -> dict[str, Department]:
    """District departments + one government per town, their groups and permissions. Idempotent."""
    district = AdminArea.objects.get(code=DISTRICT_CODE)
    result: dict[str, Department] = {}
    order = 0
    for spec in DISTRICT_DEPARTMENTS:
        order += 1
        result[spec.code] = _upsert(spec.code, spec.name, DepartmentKind.DISTRICT_DEPARTMENT, district, order)
    for town in TOWNS:
        order += 1
        area = AdminArea.objects.get(code=town.code)
        suffix = "人民政府" if area.kind == "town" else "办事处"
        code = town_department_code(town.code)
        result[code] = _upsert(code, f"{town.name}{suffix}", DepartmentKind.TOWN_GOVERNMENT, area, order)
    for role in ADMIN_GROUPS:
        ensure_admin_group(role)
    sync_department_permissions()
    return result


def _upsert(code: str, name: str, kind: str, area: AdminArea, order: int) -> Department:
    department = Department.objects.filter(code=code).select_related("group").first()
    if department is None:
        group, _ = Group.objects.get_or_create(name=name)
        return Department.objects.create(group=group, code=code, name=name, kind=kind, area=area, sort_order=order)
    if (department.name, department.kind, department.area_id, department.sort_order) != (name, kind, area.pk, order):
        department.name, department.kind, department.area, department.sort_order = name, kind, area, order
        department.save()
    if department.group.name != name:
        department.group.name = name
        department.group.save(update_fields=["name"])
    return department
