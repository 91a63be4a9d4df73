"""TOTP second factor with real codes: enrolment, verification, lockout, optional use, profile switch."""

from __future__ import annotations

import re
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from wildlife.accounts import lockout
from wildlife.accounts.models import SecurityPolicy, User
from wildlife.accounts.tests.conftest import totp_code, wrong_code
from wildlife.audit.models import AuditEvent
from wildlife.core.testing.cast import TEST_PASSWORD


def password_step(client: Client, username: str, next_url: str = "") -> Any:
    data = {"username": username, "password": TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def test_admin_without_device_enrols_with_qr_and_secret(security_admin: User) -> None:
    client = Client()
    response = password_step(client, "security_admin")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/mfa/")
    # nothing else opens before the second factor
    blocked = client.get("/accounts/security/policy/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/accounts/mfa/")
    page = client.get("/accounts/mfa/")
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    secret = re.search(r'data-testid="mfa-secret">([A-Z2-7]+)<', html)
    assert secret is not None
    device = TOTPDevice.objects.get(user=security_admin, confirmed=False)
    assert secret.group(1) == __import__("base64").b32encode(device.bin_key).decode().rstrip("=")
    response = client.post("/accounts/mfa/", {"code": totp_code(device), "next": "/accounts/security/policy/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/security/policy/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/accounts/security/policy/").status_code == 200
    assert AuditEvent.objects.filter(action="mfa_enrolled", user=security_admin).exists()


def test_admin_with_device_must_enter_current_code(audit_admin: User) -> None:
    device = TOTPDevice.objects.create(user=audit_admin, name="phone", confirmed=True)
    client = Client()
    password_step(client, "audit_admin")
    assert client.get("/audit/").status_code == 302
    bad = client.post("/accounts/mfa/", {"code": wrong_code(device)})
    assert bad.status_code == 200 and "验证码不正确" in bad.content.decode()
    assert client.post("/accounts/mfa/", {"code": "12ab"}).status_code == 200
    good = client.post("/accounts/mfa/", {"code": totp_code(device)})
    assert good.status_code == 302
    assert client.get("/audit/").status_code == 200
    assert AuditEvent.objects.filter(action="mfa_verified", user=audit_admin).exists()
    assert AuditEvent.objects.filter(action="login_failed", username="audit_admin", detail__reason="bad_otp").count() == 1


def test_a_code_is_accepted_only_once(audit_admin: User) -> None:
    device = TOTPDevice.objects.create(user=audit_admin, name="phone", confirmed=True)
    with time_machine.travel(timezone.now(), tick=False):
        code = totp_code(device)
        first = Client()
        password_step(first, "audit_admin")
        assert first.post("/accounts/mfa/", {"code": code}).status_code == 302
        second = Client()
        password_step(second, "audit_admin")
        assert second.post("/accounts/mfa/", {"code": code}).status_code == 200


def test_wrong_codes_lock_the_account_and_end_the_session(system_admin: User) -> None:
    device = TOTPDevice.objects.create(user=system_admin, name="phone", confirmed=True)
    client = Client()
    password_step(client, "system_admin")
    for attempt in range(5):
        response = client.post("/accounts/mfa/", {"code": wrong_code(device)})
        if attempt < 4:
            assert response.status_code == 200
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert lockout.locked_until("system_admin") is not None
    assert client.get("/accounts/users/").status_code == 302  # logged out
    again = password_step(Client(), "system_admin")
    assert again.status_code == 200 and "已锁定" in again.content.decode()


def test_password_success_does_not_reset_the_code_failure_count(system_admin: User) -> None:
    device = TOTPDevice.objects.create(user=system_admin, name="phone", confirmed=True)
    for _round in range(2):
        client = Client()
        password_step(client, "system_admin")
        for _i in range(3):
            client.post("/accounts/mfa/", {"code": wrong_code(device)})
    assert lockout.locked_until("system_admin") is not None


def test_business_user_needs_no_second_factor(town_officer: User) -> None:
    client = Client()
    response = password_step(client, "town_officer")
    assert response.status_code == 302 and not response["Location"].startswith("/accounts/mfa/")
    assert client.get("/accounts/profile/").status_code == 200


def test_policy_can_require_it_for_everyone(town_officer: User) -> None:
    SecurityPolicy.objects.create(mfa_required_for_all=True)
    client = Client()
    response = password_step(client, "town_officer")
    assert response["Location"].startswith("/accounts/mfa/")
    assert client.get("/accounts/profile/").status_code == 302
    assert client.get("/api/v1/auth/me/").status_code == 403


def test_business_user_switches_optional_totp_on_and_off(town_officer: User, client_for: Any) -> None:
    client = client_for(town_officer)
    profile = client.get("/accounts/profile/").content.decode()
    assert "未启用" in profile
    page = client.get("/accounts/mfa/setup/")
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=town_officer, confirmed=False)
    assert client.post("/accounts/mfa/setup/", {"code": totp_code(device)}).status_code == 302
    assert "已启用" in client.get("/accounts/profile/").content.decode()
    # from now on the login asks for the code too
    fresh = Client()
    assert password_step(fresh, "town_officer")["Location"].startswith("/accounts/mfa/")
    assert fresh.get("/accounts/profile/").status_code == 302
    # switching off needs the password
    client.post("/accounts/mfa/disable/", {"password": "wrong"})
    assert TOTPDevice.objects.filter(user=town_officer).exists()
    client.post("/accounts/mfa/disable/", {"password": TEST_PASSWORD})
    assert not TOTPDevice.objects.filter(user=town_officer).exists()
    actions = list(AuditEvent.objects.filter(user=town_officer, action__startswith="mfa_").values_list("action", "outcome"))
    assert ("mfa_enrolled", "success") in actions
    assert ("mfa_disabled", "failure") in actions and ("mfa_disabled", "success") in actions


def test_administrator_cannot_switch_it_off(security_admin: User, client_for: Any) -> None:
    client = client_for(security_admin)
    assert 'data-testid="mfa-disable"' not in client.get("/accounts/profile/").content.decode()
    client.post("/accounts/mfa/disable/", {"password": TEST_PASSWORD})
    assert TOTPDevice.objects.filter(user=security_admin, confirmed=True).exists()


def test_mfa_page_needs_login(db: Any) -> None:
    response = Client().get("/accounts/mfa/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
