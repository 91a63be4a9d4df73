"""pytest fixtures: the 周村区 reference data and the role cast (registered by the root conftest)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from wildlife.core.testing import cast


@pytest.fixture(autouse=True)
def _fresh_area_locator() -> None:
    """Boundaries cached in process must not outlive the test transaction that changed them."""
    from wildlife.geo.locator import reset

    reset()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the reference data (areas, departments, permissions) once per test database, not once per test."""
    with django_db_blocker.unblock():
        cast.setup_reference()


@pytest.fixture
def zhoucun(db: Any) -> dict[str, Any]:
    """Areas of 周村区 by name (schematic boundaries) with departments and their permissions."""
    from wildlife.accounts.models import Department
    from wildlife.geo.models import AdminArea

    areas = {area.name: area for area in AdminArea.objects.all()}
    if "王村镇" not in areas or not Department.objects.exists():
        return cast.setup_reference()  # a transactional test flushed the database
    return areas


def _member(name: str) -> Callable[..., Any]:
    @pytest.fixture(name=name)
    def fixture(zhoucun: dict[str, Any]) -> Any:
        return cast.make_cast_member(name)

    return fixture


district_officer = _member("district_officer")
agri_officer = _member("agri_officer")
market_officer = _member("market_officer")
police_officer = _member("police_officer")
town_officer = _member("town_officer")
other_town_officer = _member("other_town_officer")
town_viewer = _member("town_viewer")
system_admin = _member("system_admin")
security_admin = _member("security_admin")
audit_admin = _member("audit_admin")


@pytest.fixture
def anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def client_for(db: Any) -> Callable[[Any], Client]:
    """client_for(user) → a Client logged in as that user (second factor passed for administrators)."""
    return lambda user: cast.login_client(user)
