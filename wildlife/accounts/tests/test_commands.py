"""create_admin, check_superusers and its deploy check, demo accounts."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from wildlife.accounts.models import User
from wildlife.audit.models import AuditEvent


def test_create_admin_creates_role_holder_with_totp(zhoucun: Any) -> None:
    out = StringIO()
    call_command("create_admin", "Sec_Chief", "--role", "security", stdout=out)
    user = User.objects.get(username="sec_chief")
    assert user.admin_role == "security" and not user.is_superuser and not user.is_staff
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    text = out.getvalue()
    assert "初始密码" in text and "TOTP" in text and "otpauth://totp/" in text
    event = AuditEvent.objects.get(action="admin_created")
    assert event.object_id == str(user.pk) and event.detail["role"] == "security" and event.username.startswith("manage.py")


def test_create_admin_refuses_existing_business_user(town_officer: User) -> None:
    with pytest.raises(CommandError):
        call_command("create_admin", "TOWN_OFFICER", "--role", "audit", stdout=StringIO())
    town_officer.refresh_from_db()
    assert town_officer.admin_role == ""


def test_create_admin_takes_password_from_environment(zhoucun: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("ADMIN_PW", "weak")
    with pytest.raises(CommandError):
        call_command("create_admin", "auditor2", "--role", "audit", "--password-env", "ADMIN_PW", stdout=StringIO())
    monkeypatch.setenv("ADMIN_PW", "Strong-Pass-2026")
    call_command("create_admin", "auditor2", "--role", "audit", "--password-env", "ADMIN_PW", stdout=StringIO())
    assert User.objects.get(username="auditor2").check_password("Strong-Pass-2026")


def test_check_superusers_command_and_deploy_check(db: Any) -> None:
    out = StringIO()
    call_command("check_superusers", stdout=out)
    assert "没有" in out.getvalue()
    assert not [m for m in checks.run_checks(include_deployment_checks=True) if m.id == "accounts.E001"]
    User.objects.create_user(username="root", password="x", is_superuser=True)
    User.objects.create_user(username="helpdesk", password="x", is_staff=True)
    with pytest.raises(CommandError) as exc:
        call_command("check_superusers", stdout=out)
    assert exc.value.returncode == 1
    assert "root: is_superuser" in out.getvalue() and "helpdesk: is_staff" in out.getvalue()
    found = [m for m in checks.run_checks(include_deployment_checks=True) if m.id == "accounts.E001"]
    assert len(found) == 2
    # not part of the ordinary checks, only of --deploy
    assert not [m for m in checks.run_checks() if m.id == "accounts.E001"]


def test_demo_users_exist_and_log_in(zhoucun: Any) -> None:
    from django.test import Client

    from wildlife.accounts.demo import ensure_demo_users

    result = ensure_demo_users("Demo-Pass-2026")
    assert set(result["totp_secrets"]) == {"demo_sysadmin", "demo_secadmin", "demo_auditor"}
    response = Client().post("/accounts/login/", {"username": "Demo_Town", "password": "Demo-Pass-2026"})
    assert response.status_code == 302
    assert ensure_demo_users("Demo-Pass-2026")["users_created"] == 0
