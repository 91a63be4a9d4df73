"""Fixtures of the enforcement tests: the intake officer, species, cases and tip-offs in given towns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.gis.geos import Point

from wildlife.core.testing import cast

# inside the schematic boundaries of 王村镇 and 北郊镇 (checked by the tests that use them)
WANGCUN_POINT = None
BEIJIAO_POINT = None


def town_point(town: Any) -> Point:
    """A point inside a town's (schematic) boundary."""
    from wildlife.geo.models import AdminArea

    area = AdminArea.objects.get(pk=town.pk)
    probe = area.boundary.point_on_surface
    return Point(probe.x, probe.y, srid=4326)


@pytest.fixture
def intake_officer(zhoucun: dict[str, Any]) -> Any:
    """A 区自然资源局 officer in the 举报受理 group (holds enforcement.reveal_informant)."""
    from wildlife.enforcement.services import ensure_intake_group

    user = cast.make_business_user("intake_officer", department_code="natural_resources", area=zhoucun["周村区"])
    user.groups.add(ensure_intake_group())
    return user


@pytest.fixture
def catalogue(db: Any) -> None:
    from wildlife.species.models import Species
    from wildlife.species.testing import load_demo_catalogue

    if not Species.objects.filter(name_zh="画眉").exists():
        load_demo_catalogue()


def make_tipoff(area: Any, *, actor: Any = None, **extra: Any) -> Any:
    """A staff-registered tip-off in `area` (a town), without going through the permission check."""
    from wildlife.enforcement.services import _tipoff_create

    data: dict[str, Any] = {
        "channel": "phone_12345", "content": "孝妇河边有人张网捕鸟", "kind": "illegal", "location": None, "area": area,
        "address": "", "occurred_at": None, "informant": None, "species": None, "source_ref": "", "source_label": "",
        "operation": None, "photos": (), "actor_label": "测试",
    }
    data.update(extra)
    return _tipoff_create(actor=actor or cast.make_business_user(f"maker{area.pk}x{id(data)}", department_code="natural_resources", area=area.district_ancestor()), **data)


def make_case(area: Any, *, involved: tuple[str, ...] = (), lead: str = "natural_resources", **extra: Any) -> Any:
    """A case in `area` with the given lead and involved departments (by code, or "town" for the area's government)."""
    from wildlife.accounts.models import Department
    from wildlife.accounts.reference import town_department_code
    from wildlife.enforcement.models import Case

    def dept(code: str) -> Department:
        if code == "town":
            return Department.objects.get(code=town_department_code(area.code))
        return Department.objects.get(code=code)

    case = Case.objects.create(
        case_no=extra.pop("case_no", f"T{Case.objects.count() + 1:05d}-{area.pk}"), title=extra.pop("title", "测试案件"),
        origin=extra.pop("origin", "agency"), origin_ref=extra.pop("origin_ref", ""), lead_department=dept(lead),
        area=area, district=area.district_ancestor(), **extra,
    )
    if involved:
        case.involved_departments.set([dept(code) for code in involved])
    return case


__all__ = ["Decimal", "dt", "make_case", "make_tipoff", "town_point"]
