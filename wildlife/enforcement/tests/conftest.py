"""Fixtures of the enforcement tests: the intake officer, the species catalogue, tip-offs and cases in given towns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.gis.geos import Point

from wildlife.core.testing import cast

CANARY_NAME = "金丝雀张三"
CANARY_PHONE = "13900001111"
CANARY_ID = "370306198001011234"
CANARY_ADDRESS = "金丝雀路1号院"
CANARIES = (CANARY_NAME, CANARY_PHONE, CANARY_ID, CANARY_ADDRESS)


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


def town_point(town: Any) -> Point:
    """A point inside a town's (schematic) boundary."""
    from wildlife.geo.models import AdminArea

    probe = AdminArea.objects.get(pk=town.pk).boundary.point_on_surface
    return Point(probe.x, probe.y, srid=4326)


@pytest.fixture
def intake_officer(zhoucun: dict[str, Any]) -> Any:
    """A 区自然资源局 officer in the 举报受理 group (holds enforcement.reveal_informant)."""
    from wildlife.enforcement.services import ensure_intake_group

    user = cast.make_business_user("intake_officer", department_code="natural_resources", area=zhoucun["周村区"])
    user.groups.add(ensure_intake_group())
    return user


@pytest.fixture
def catalogue(db: Any) -> dict[str, Any]:
    """The demo species catalogue, species by Chinese name (loaded inside the test's transaction, so it leaves no trace)."""
    from wildlife.species.models import Species
    from wildlife.species.testing import load_demo_catalogue

    load_demo_catalogue()
    return {s.name_zh: s for s in Species.objects.all()}


def make_tipoff(area: Any, **extra: Any) -> Any:
    """A staff tip-off in `area` made through the internal creator (no permission check, registered state)."""
    from wildlife.enforcement.services import _tipoff_create

    data: dict[str, Any] = {
        "channel": "phone_12345", "content": "孝妇河边有人张网捕鸟", "kind": "illegal", "location": None, "area": area,
        "address": "", "occurred_at": None, "informant": None, "species": None, "source_ref": "", "source_label": "",
        "operation": None, "photos": (), "actor_label": "测试",
    }
    data.update(extra)
    return _tipoff_create(actor=None, **data)


def make_case(area: Any, *, involved: tuple[str, ...] = ("town",), lead: str = "natural_resources", **extra: Any) -> Any:
    """A case in `area` with the given lead and involved departments (by code; "town" is the area's government)."""
    from wildlife.accounts.models import Department
    from wildlife.accounts.reference import town_department_code
    from wildlife.enforcement.models import Case

    def dept(code: str) -> Department:
        if code == "town":
            return Department.objects.get(code=town_department_code(area.code))
        return Department.objects.get(code=code)

    number = Case.objects.count() + 1
    case = Case.objects.create(
        case_no=extra.pop("case_no", f"T{number:05d}-{area.pk}-{id(extra) % 10000}"), title=extra.pop("title", "测试案件"),
        origin=extra.pop("origin", "agency"), origin_ref=extra.pop("origin_ref", ""), lead_department=dept(lead),
        area=area, district=area.district_ancestor(), **extra,
    )
    if involved:
        case.involved_departments.set([dept(code) for code in involved])
    return case


def make_rules(catalogue: dict[str, Any]) -> None:
    """Pin a base value for the species the assessment tests use, so the numbers do not depend on seeded rows."""
    import datetime as dt
    from decimal import Decimal

    from wildlife.enforcement.models import BaseValue

    for name, value in (("画眉", "1000"), ("黄胸鹀", "1000"), ("环颈雉", "1000"), ("豹猫", "1000")):
        species = catalogue.get(name)
        if species is not None:
            BaseValue.objects.get_or_create(species=species, effective_from=dt.date(2017, 1, 1), defaults={"value": Decimal(value), "legal_basis": "测试", "verified": True})
