"""API tokens: issue, use, expire, revoke; errors as problem+json; lockout; administrators need the code."""

from __future__ import annotations

import hashlib
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from wildlife.accounts.models import ApiToken, User
from wildlife.accounts.tests.conftest import totp_code, wrong_code
from wildlife.audit.models import AuditEvent
from wildlife.core.testing.cast import TEST_PASSWORD

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/auth/me/"
REVOKE = "/api/v1/auth/token/revoke/"


def obtain(username: str, password: str = TEST_PASSWORD, **extra: Any) -> Any:
    return Client().post(TOKEN, {"username": username, "password": password, **extra}, content_type="application/json")


def me(token: str) -> Any:
    return Client().get(ME, HTTP_AUTHORIZATION=f"Token {token}")


def test_token_works_and_only_its_hash_is_stored(town_officer: User, zhoucun: Any) -> None:
    response = obtain("Town_Officer")
    assert response.status_code == 201
    body = response.json()
    stored = ApiToken.objects.get(user=town_officer)
    assert stored.key_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in (stored.key_hash, stored.prefix)
    answer = me(body["token"])
    assert answer.status_code == 200
    data = answer.json()
    assert data["username"] == "town_officer"
    assert data["areas"] == [zhoucun["王村镇"].pk]
    assert data["roles"] == ["officer"]
    assert data["departments"] == ["town-370306100"] or data["departments"][0].startswith("town-")
    assert AuditEvent.objects.filter(action="api_token_issued", user=town_officer).exists()


def test_token_expires_after_twelve_hours(town_officer: User, settings: Any) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        token = obtain("town_officer").json()["token"]
        traveller.shift(11 * 3600 + 59 * 60)
        assert me(token).status_code == 200
        traveller.shift(2 * 60)
        response = me(token)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_token_hours_follow_the_setting(town_officer: User, settings: Any) -> None:
    settings.WILDLIFE_API_TOKEN_HOURS = 2
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        token = obtain("town_officer").json()["token"]
        traveller.shift(2 * 3600 + 1)
        assert me(token).status_code == 401


def test_revoked_token_is_refused(town_officer: User) -> None:
    first = obtain("town_officer").json()["token"]
    second = obtain("town_officer").json()["token"]
    response = Client().post(REVOKE, {}, content_type="application/json", HTTP_AUTHORIZATION=f"Token {first}")
    assert response.status_code == 200 and response.json()["revoked"] == 1
    assert me(first).status_code == 401
    assert me(second).status_code == 200
    Client().post(REVOKE, {"all": True}, content_type="application/json", HTTP_AUTHORIZATION=f"Token {second}")
    assert me(second).status_code == 401
    assert AuditEvent.objects.filter(action="api_token_revoked").count() == 2


def test_revoke_needs_authentication(db: Any) -> None:
    response = Client().post(REVOKE, {}, content_type="application/json")
    assert response.status_code in (401, 403) and response["Content-Type"] == "application/problem+json"


def test_wrong_password_is_401_problem_json(town_officer: User) -> None:
    response = obtain("town_officer", "wrong")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid_credentials" and body["request_id"] and body["title"]


def test_missing_fields_are_400_naming_the_field(db: Any) -> None:
    response = Client().post(TOKEN, {"username": "x"}, content_type="application/json")
    assert response.status_code == 400 and "password" in response.json()["errors"]


def test_lockout_applies_to_the_api(town_officer: User) -> None:
    for _i in range(5):
        obtain("town_officer", "wrong")
    response = obtain("town_officer")
    assert response.status_code == 403 and response.json()["code"] == "account_locked"
    # and to the login page
    page = Client().post("/accounts/login/", {"username": "town_officer", "password": TEST_PASSWORD})
    assert "已锁定" in page.content.decode()


def test_administrator_needs_otp(audit_admin: User) -> None:
    device = TOTPDevice.objects.create(user=audit_admin, name="phone", confirmed=True)
    refused = obtain("audit_admin")
    assert refused.status_code == 401 and refused.json()["code"] == "otp_required"
    assert "otp" in refused.json()["errors"]
    wrong = obtain("audit_admin", otp=wrong_code(device))
    assert wrong.status_code == 401 and wrong.json()["code"] == "otp_invalid"
    good = obtain("audit_admin", otp=totp_code(device))
    assert good.status_code == 201
    assert me(good.json()["token"]).json()["roles"] == ["audit"]


def test_administrator_without_device_gets_no_token(security_admin: User) -> None:
    response = obtain("security_admin", otp="123456")
    assert response.status_code == 401


def test_token_endpoint_is_throttled(db: Any) -> None:
    statuses = [obtain("nobody", "x").status_code for _i in range(25)]
    assert 429 in statuses


def test_me_needs_authentication(db: Any) -> None:
    response = Client().get(ME)
    assert response.status_code in (401, 403) and response["Content-Type"] == "application/problem+json"
    assert me("not-a-token").status_code == 401
