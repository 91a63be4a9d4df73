"""The named cast of users per role that every scope test uses."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from wildlife.accounts.choices import AdminRole, AssignmentRole
from wildlife.accounts.models import AreaAssignment, Department, User
from wildlife.accounts.reference import ensure_departments, town_department_code
from wildlife.accounts.roles import ensure_admin_group
from wildlife.geo.models import AdminArea
from wildlife.geo.reference import ensure_zhoucun_areas

TEST_PASSWORD = "Wildlife-Test-2026"  # noqa: S105 - test accounts only

# who's who: username → (department code, area name, role). Town officers work for their town government.
CAST: dict[str, tuple[str | None, str | None, str]] = {
    "district_officer": ("natural_resources", "周村区", AssignmentRole.OFFICER),
    "agri_officer": ("agriculture", "周村区", AssignmentRole.OFFICER),
    "market_officer": ("market", "周村区", AssignmentRole.OFFICER),
    "police_officer": ("police", "周村区", AssignmentRole.OFFICER),
    "town_officer": ("town:王村镇", "王村镇", AssignmentRole.OFFICER),
    "other_town_officer": ("town:北郊镇", "北郊镇", AssignmentRole.OFFICER),
    "town_viewer": ("town:王村镇", "王村镇", AssignmentRole.VIEWER),
}
ADMINS = {"system_admin": AdminRole.SYSTEM, "security_admin": AdminRole.SECURITY, "audit_admin": AdminRole.AUDIT}


def setup_reference() -> dict[str, AdminArea]:
    """Areas (by name) and departments of 周村区."""
    areas = ensure_zhoucun_areas()
    ensure_departments()
    return {area.name: area for area in areas.values()}


def make_business_user(username: str, *, department_code: str, area: AdminArea, role: str = AssignmentRole.OFFICER, **extra: Any) -> User:
    if department_code.startswith("town:"):
        town = AdminArea.objects.get(name=department_code.split(":", 1)[1])
        department_code = town_department_code(town.code)
    user = User.objects.create_user(username=username, password=TEST_PASSWORD, display_name=extra.pop("display_name", username), **extra)
    user.groups.add(Department.objects.get(code=department_code).group)
    AreaAssignment.objects.create(user=user, area=area, role=role)
    return user


def make_admin(username: str, role: str) -> User:
    user = User.objects.create_user(username=username, password=TEST_PASSWORD, display_name=username, admin_role=role)
    user.groups.add(ensure_admin_group(role))
    return user


def make_cast_member(name: str) -> User | AnonymousUser:
    if name == "anonymous":
        return AnonymousUser()
    if name in ADMINS:
        return make_admin(name, ADMINS[name])
    department_code, area_name, role = CAST[name]
    assert department_code is not None and area_name is not None
    return make_business_user(name, department_code=department_code, area=AdminArea.objects.get(name=area_name), role=role)


def login_client(user: User | AnonymousUser, client: Client | None = None) -> Client:
    """A test client logged in as `user`; administrators also pass the second factor."""
    client = client or Client()
    if not getattr(user, "is_authenticated", False):
        return client
    assert isinstance(user, User)
    client.force_login(user)
    if user.needs_mfa:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client
