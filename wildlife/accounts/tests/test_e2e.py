"""In Chromium: an administrator enrols TOTP from the QR page and changes the policy; a user changes their password."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from wildlife.accounts.models import SecurityPolicy
from wildlife.accounts.tests.conftest import totp_code
from wildlife.audit.models import AuditEvent

pytestmark = pytest.mark.e2e


def test_admin_enrols_totp_and_edits_policy(page: Any, security_admin: Any) -> None:
    from playwright.sync_api import expect

    from wildlife.core.testing.browser import login

    login(page, "security_admin")
    expect(page.get_by_test_id("mfa-enrol")).to_be_visible()
    qr = page.get_by_test_id("mfa-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # the server-rendered SVG QR code loads under the CSP
    device = TOTPDevice.objects.get(user=security_admin, confirmed=False)
    page.fill("#id_code", totp_code(device))
    page.click("[data-testid=mfa-submit]")
    expect(page.get_by_test_id("sidebar")).to_contain_text("安全策略")
    expect(page.get_by_test_id("sidebar")).not_to_contain_text("用户管理")
    page.click("text=安全策略")
    page.fill("#id_idle_timeout_minutes", "20")
    page.click("[data-testid=save]")
    expect(page.locator(".alert-success")).to_contain_text("安全策略已保存")
    assert SecurityPolicy.current().idle_timeout_minutes == 20
    assert AuditEvent.objects.filter(action="security_policy_changed", user=security_admin).exists()


def test_user_changes_password_and_sees_profile(page: Any, town_officer: Any) -> None:
    from playwright.sync_api import expect

    from wildlife.core.testing.browser import login
    from wildlife.core.testing.cast import TEST_PASSWORD

    login(page, "town_officer")
    page.goto("/accounts/profile/")
    expect(page.get_by_test_id("profile-departments")).to_contain_text("王村镇人民政府")
    expect(page.get_by_test_id("profile-areas")).to_contain_text("王村镇")
    page.click("[data-testid=password-change]")
    page.fill("#id_old_password", TEST_PASSWORD)
    page.fill("#id_new_password1", "short")
    page.fill("#id_new_password2", "short")
    page.click("[data-testid=save]")
    expect(page.locator("[data-field-error=new_password1]").first).to_contain_text("至少需要 8 个字符")
    page.fill("#id_old_password", TEST_PASSWORD)
    page.fill("#id_new_password1", "Neue-Kennwort-77")
    page.fill("#id_new_password2", "Neue-Kennwort-77")
    page.click("[data-testid=save]")
    expect(page.locator(".alert-success")).to_contain_text("密码已修改")
    town_officer.refresh_from_db()
    assert town_officer.check_password("Neue-Kennwort-77")
