"""三员分立: each administrator's pages open for that administrator only; services enforce the same rules."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from wildlife.accounts import lockout, services
from wildlife.accounts.models import AccountLock, ApiToken, AreaAssignment, Department, SecurityPolicy, User
from wildlife.accounts.reference import town_department_code
from wildlife.audit.models import AuditEvent
from wildlife.core.navigation import sections_for
from wildlife.core.testing.cast import TEST_PASSWORD

ROLES = ["district_officer", "town_officer", "police_officer", "system_admin", "security_admin", "audit_admin"]
PAGES = {
    "/accounts/users/": "system_admin",
    "/accounts/users/new/": "system_admin",
    "/accounts/security/policy/": "security_admin",
    "/accounts/security/departments/": "security_admin",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(PAGES))
def test_admin_pages_open_for_their_role_only(request: Any, client_for: Any, role: str, url: str) -> None:
    user = request.getfixturevalue(role)
    status = client_for(user).get(url).status_code
    assert status == (200 if PAGES[url] == role else 403)


def test_admin_pages_need_login(zhoucun: Any) -> None:
    for url in [*PAGES, "/accounts/security/locked/"]:
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_locked_accounts_page(request: Any, client_for: Any, role: str) -> None:
    user = request.getfixturevalue(role)
    assert client_for(user).get("/accounts/security/locked/").status_code == (200 if role in ("security_admin", "system_admin") else 403)


def test_navigation_shows_each_administrator_only_their_pages(system_admin: User, security_admin: User, audit_admin: User, district_officer: User) -> None:
    def names(user: User) -> set[str]:
        return {item["url_name"] for section in sections_for(user) for item in section["items"]}

    assert {"accounts:user_list", "accounts:locked_accounts"} <= names(system_admin)
    assert not names(system_admin) & {"accounts:security_policy", "audit:event_list"}
    assert {"accounts:security_policy", "accounts:department_list"} <= names(security_admin)
    assert "accounts:user_list" not in names(security_admin) and "audit:event_list" not in names(security_admin)
    assert names(audit_admin) == {"audit:event_list"}
    assert not names(district_officer) & {"accounts:user_list", "accounts:security_policy", "audit:event_list"}


# --- system administrator -------------------------------------------------------------------------------------------


def test_create_user_with_generated_password_shown_once(system_admin: User, client_for: Any, zhoucun: Any) -> None:
    client = client_for(system_admin)
    town = Department.objects.get(code=town_department_code(zhoucun["王村镇"].code))
    response = client.post(
        "/accounts/users/new/",
        {"username": "Wang_Li", "display_name": "王丽", "departments": [town.pk], "area": zhoucun["王村镇"].pk, "area_role": "officer", "password_mode": "generate"},
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    password = re.search(r'data-testid="generated-password">([^<]+)<', response.content.decode())
    assert password is not None
    user = User.objects.get(username="wang_li")
    assert user.check_password(password.group(1).replace("&amp;", "&"))
    assert list(user.departments()) == [town]
    assert AreaAssignment.objects.get(user=user).area == zhoucun["王村镇"]
    event = AuditEvent.objects.get(action="user_created")
    assert event.user == system_admin and event.object_id == str(user.pk) and event.after_digest
    assert password.group(1) not in str(event.detail)
    # the new user logs in with it
    login = Client().post("/accounts/login/", {"username": "wang_li", "password": password.group(1).replace("&amp;", "&")})
    assert login.status_code == 302


def test_create_user_validates_password_per_policy(system_admin: User, client_for: Any) -> None:
    response = client_for(system_admin).post(
        "/accounts/users/new/", {"username": "weak", "display_name": "弱密码", "password_mode": "set", "password": "password"}
    )
    assert response.status_code == 200
    assert 'data-field-error="password"' in response.content.decode()
    assert not User.objects.filter(username="weak").exists()


def test_system_admin_edits_disables_assigns_and_unlocks(system_admin: User, town_officer: User, client_for: Any, zhoucun: Any) -> None:
    client = client_for(system_admin)
    pk = town_officer.pk
    assert client.get(f"/accounts/users/{pk}/").status_code == 200
    assert client.post(f"/accounts/users/{pk}/edit/", {"display_name": "刘洋", "phone": "13800000000", "email": ""}).status_code == 302
    town_officer.refresh_from_db()
    assert town_officer.display_name == "刘洋"
    # areas
    client.post(f"/accounts/users/{pk}/areas/", {"area": zhoucun["北郊镇"].pk, "role": "viewer"})
    assert AreaAssignment.objects.get(user=town_officer, area=zhoucun["北郊镇"]).role == "viewer"
    assignment = AreaAssignment.objects.get(user=town_officer, area=zhoucun["北郊镇"])
    client.post(f"/accounts/users/{pk}/areas/{assignment.pk}/remove/")
    assert not AreaAssignment.objects.filter(pk=assignment.pk).exists()
    # departments
    police = Department.objects.get(code="police")
    client.post(f"/accounts/users/{pk}/departments/", {"departments": [police.pk]})
    assert list(town_officer.departments()) == [police]
    # disable revokes API tokens and blocks login
    services.api_token_issue(user=town_officer)
    client.post(f"/accounts/users/{pk}/active/", {"active": "0"})
    town_officer.refresh_from_db()
    assert not town_officer.is_active
    assert not ApiToken.objects.filter(user=town_officer, revoked_at__isnull=True).exists()
    client.post(f"/accounts/users/{pk}/active/", {"active": "1"})
    # unlock
    for _i in range(5):
        lockout.record_login_failure("town_officer", reason="bad_password")
    assert lockout.locked_until("town_officer") is not None
    client.post(f"/accounts/users/{pk}/unlock/")
    assert not AccountLock.objects.filter(username="town_officer").exists()
    actions = set(AuditEvent.objects.filter(user=system_admin).values_list("action", flat=True))
    assert {"user_updated", "user_area_assigned", "user_area_removed", "user_departments_changed", "user_disabled", "user_enabled", "account_unlocked"} <= actions


def test_reset_mfa_and_password(system_admin: User, town_officer: User, client_for: Any) -> None:
    TOTPDevice.objects.create(user=town_officer, name="phone", confirmed=True)
    client = client_for(system_admin)
    client.post(f"/accounts/users/{town_officer.pk}/mfa-reset/")
    assert not TOTPDevice.objects.filter(user=town_officer).exists()
    response = client.post(f"/accounts/users/{town_officer.pk}/password-reset/", {"password_mode": "generate"})
    new_password = re.search(r'data-testid="generated-password">([^<]+)<', response.content.decode())
    assert new_password is not None
    town_officer.refresh_from_db()
    assert not town_officer.check_password(TEST_PASSWORD)
    assert {"mfa_reset", "password_reset"} <= set(AuditEvent.objects.values_list("action", flat=True))


def test_system_admin_cannot_touch_administrators(system_admin: User, security_admin: User, client_for: Any, zhoucun: Any) -> None:
    TOTPDevice.objects.create(user=security_admin, name="phone", confirmed=True)
    client = client_for(system_admin)
    assert client.get(f"/accounts/users/{security_admin.pk}/edit/").status_code == 404
    client.post(f"/accounts/users/{security_admin.pk}/areas/", {"area": zhoucun["王村镇"].pk, "role": "officer"})
    client.post(f"/accounts/users/{security_admin.pk}/active/", {"active": "0"})
    client.post(f"/accounts/users/{security_admin.pk}/mfa-reset/")
    security_admin.refresh_from_db()
    assert security_admin.is_active and not AreaAssignment.objects.filter(user=security_admin).exists()
    assert TOTPDevice.objects.filter(user=security_admin).exists()


def test_ui_cannot_create_administrators(system_admin: User, client_for: Any) -> None:
    client_for(system_admin).post(
        "/accounts/users/new/", {"username": "sneaky", "display_name": "x", "password_mode": "generate", "admin_role": "audit"}
    )
    assert User.objects.get(username="sneaky").admin_role == ""


def test_business_users_never_hold_admin_roles(system_admin: User, town_officer: User, audit_admin: User, zhoucun: Any) -> None:
    with pytest.raises(ValidationError):
        services.admin_create(username="town_officer", role="audit")
    with pytest.raises(ValidationError):
        services.user_departments_set(actor=system_admin, user=audit_admin, departments=[Department.objects.get(code="police")])
    with pytest.raises(ValidationError):
        services.user_area_assign(actor=system_admin, user=audit_admin, area=zhoucun["王村镇"], role="officer")
    assert services.is_business_user(town_officer) and not services.is_business_user(audit_admin)


@pytest.mark.parametrize("role", ["district_officer", "security_admin", "audit_admin"])
def test_services_refuse_other_roles(request: Any, role: str, town_officer: User) -> None:
    actor = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        services.user_create(actor=actor, username="x1", display_name="x")
    with pytest.raises(PermissionDenied):
        services.user_set_active(actor=actor, user=town_officer, active=False)
    with pytest.raises(PermissionDenied):
        services.user_unlock(actor=actor, username="town_officer")


# --- security administrator ------------------------------------------------------------------------------------------


def test_security_policy_edit_is_validated_audited_and_live(security_admin: User, client_for: Any) -> None:
    client = client_for(security_admin)
    data = {
        "password_min_length": 10,
        "password_min_classes": 4,
        "lockout_threshold": 5,
        "lockout_window_minutes": 15,
        "lockout_minutes": 30,
        "idle_timeout_minutes": 20,
        "absolute_timeout_hours": 12,
    }
    bad = client.post("/accounts/security/policy/", {**data, "password_min_length": 6})
    assert bad.status_code == 200 and 'data-field-error="password_min_length"' in bad.content.decode()
    assert not SecurityPolicy.objects.exists()
    assert client.post("/accounts/security/policy/", data).status_code == 302
    policy = SecurityPolicy.current()
    assert (policy.password_min_length, policy.idle_timeout_minutes, policy.updated_by) == (10, 20, security_admin)
    event = AuditEvent.objects.get(action="security_policy_changed")
    assert event.before_digest and event.after_digest and event.before_digest != event.after_digest
    assert event.detail["changes"]["password_min_length"] == [8, 10]
    from wildlife.accounts.middleware import cached_policy

    assert cached_policy().idle_timeout_minutes == 20


def test_security_admin_adjusts_department_permissions(security_admin: User, client_for: Any, district_officer: User) -> None:
    client = client_for(security_admin)
    market = Department.objects.get(code="market")
    assert "市场监管局" in client.get("/accounts/security/departments/").content.decode()
    page = client.get(f"/accounts/security/departments/{market.pk}/")
    assert page.status_code == 200
    job_view = Permission.objects.get(content_type__app_label="jobs", codename="view_job")
    current = list(market.group.permissions.values_list("pk", flat=True))
    wanted = [p for p in current if p != job_view.pk] if job_view.pk in current else [*current, job_view.pk]
    client.post(f"/accounts/security/departments/{market.pk}/", {"permissions": wanted})
    assert sorted(market.group.permissions.values_list("pk", flat=True)) == sorted(wanted)
    event = AuditEvent.objects.get(action="department_permissions_changed")
    assert event.object_id == str(market.pk) and (event.detail["added"] or event.detail["removed"])
    # account and audit permissions are never grantable to a department
    audit_perm = Permission.objects.get(content_type__app_label="audit", codename="view_auditevent")
    client.post(f"/accounts/security/departments/{market.pk}/", {"permissions": [audit_perm.pk]})
    assert not market.group.permissions.filter(pk=audit_perm.pk).exists()
