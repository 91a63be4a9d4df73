"""Login: password policy, lockout per account, session timeouts, case-insensitive usernames, audit events."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wildlife.accounts import lockout
from wildlife.accounts.models import AccountLock, SecurityPolicy, User
from wildlife.accounts.passwords import PolicyPasswordValidator
from wildlife.audit.models import AuditEvent
from wildlife.core.testing.cast import TEST_PASSWORD

LOGIN = "/accounts/login/"


def post_login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


# --- password policy ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1!", "password_too_short"),
        ("abcdefgh", "password_too_simple"),
        ("abcdefg1", "password_too_simple"),
        ("Xdemo_town1!", "password_contains_username"),
    ],
)
def test_policy_rejects(db: Any, password: str, code: str) -> None:
    user = User(username="demo_town")
    with pytest.raises(ValidationError) as exc:
        PolicyPasswordValidator().validate(password, user)
    assert code in [e.code for e in exc.value.error_list]


@pytest.mark.parametrize("password", ["Abcdefg1", "abcdef1!", "ABCDEF1!", "Wildlife-Test-2026"])
def test_policy_accepts_three_of_four(db: Any, password: str) -> None:
    PolicyPasswordValidator().validate(password, User(username="demo_town"))


def test_policy_follows_security_policy(db: Any) -> None:
    SecurityPolicy.objects.create(password_min_length=12, password_min_classes=4)
    with pytest.raises(ValidationError):
        PolicyPasswordValidator().validate("Abcdefg1!x", User(username="someone"))
    PolicyPasswordValidator().validate("Abcdefg1!xyz", User(username="someone"))


# --- usernames ----------------------------------------------------------------------------------------------------


def test_username_is_case_insensitive(town_officer: User) -> None:
    town_officer.username = "demo_town"
    town_officer.save()
    client = Client()
    response = post_login(client, "Demo_Town", TEST_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(town_officer.pk)


def test_second_username_differing_in_case_cannot_exist(db: Any, system_admin: User) -> None:
    from wildlife.accounts.services import user_create

    User.objects.create_user(username="demo_town", password=TEST_PASSWORD)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="DEMO_TOWN", password=TEST_PASSWORD)
    with pytest.raises(ValidationError) as exc:
        user_create(actor=system_admin, username="DEMO_TOWN", display_name="x", password=TEST_PASSWORD)
    assert "username" in exc.value.message_dict


# --- lockout ------------------------------------------------------------------------------------------------------


def test_five_failures_lock_the_account_whatever_the_ip(district_officer: User, settings: Any) -> None:
    settings.WILDLIFE_TRUSTED_PROXY_COUNT = 1  # even when X-Forwarded-For is believed, the count is per account
    for i in range(5):
        client = Client(REMOTE_ADDR=f"10.0.0.{i + 1}")
        response = post_login(client, "District_Officer", "wrong-password", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
        assert response.status_code == 200
    assert lockout.locked_until("district_officer") is not None
    # the right password from yet another address is refused
    client = Client(REMOTE_ADDR="192.0.2.99")
    response = post_login(client, "district_officer", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 200
    assert "已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    lock_event = AuditEvent.objects.filter(action="account_locked").get()
    assert lock_event.username == "district_officer" and lock_event.outcome == "failure"


def test_forged_forwarded_for_is_ignored_without_proxy(district_officer: User) -> None:
    for i in range(5):
        post_login(Client(), "district_officer", "nope", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    assert AccountLock.objects.filter(username="district_officer").exists()
    assert set(AuditEvent.objects.filter(action="login_failed").values_list("ip", flat=True)) == {"127.0.0.1"}


def test_four_failures_do_not_lock_and_success_resets(district_officer: User) -> None:
    for _i in range(4):
        post_login(Client(), "district_officer", "nope")
    assert post_login(Client(), "district_officer", TEST_PASSWORD).status_code == 302
    for _i in range(4):
        post_login(Client(), "district_officer", "nope")
    assert lockout.locked_until("district_officer") is None


def test_failures_outside_the_window_do_not_count(district_officer: User) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _i in range(4):
            post_login(Client(), "district_officer", "nope")
        traveller.shift(16 * 60)
        post_login(Client(), "district_officer", "nope")
        assert lockout.locked_until("district_officer") is None


def test_lock_lasts_thirty_minutes(district_officer: User) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _i in range(5):
            post_login(Client(), "district_officer", "nope")
        traveller.shift(29 * 60)
        assert post_login(Client(), "district_officer", TEST_PASSWORD).status_code == 200
        traveller.shift(2 * 60)
        assert post_login(Client(), "district_officer", TEST_PASSWORD).status_code == 302


def test_unknown_usernames_lock_the_same_way(db: Any) -> None:
    for _i in range(5):
        response = post_login(Client(), "nobody", "nope")
    assert "已锁定" in response.content.decode()


# --- sessions -----------------------------------------------------------------------------------------------------


def test_idle_timeout_thirty_minutes(district_officer: User) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = Client()
        assert post_login(client, "district_officer", TEST_PASSWORD).status_code == 302
        traveller.shift(29 * 60)
        assert client.get("/accounts/profile/").status_code == 200
        traveller.shift(29 * 60)  # activity 29 minutes ago: still alive
        assert client.get("/accounts/profile/").status_code == 200
        traveller.shift(31 * 60)
        response = client.get("/accounts/profile/")
        assert response.status_code == 302 and "timeout=1" in response["Location"]
        assert client.get("/accounts/profile/").status_code == 302
    assert AuditEvent.objects.filter(action="session_expired", detail__reason="idle").exists()


def test_absolute_timeout_twelve_hours(district_officer: User) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = Client()
        post_login(client, "district_officer", TEST_PASSWORD)
        expired_after = 0
        for step in range(1, 40):  # active every 25 minutes, never idle
            traveller.shift(25 * 60)
            response = client.get("/accounts/profile/")
            if response.status_code != 200:
                expired_after = step * 25
                break
        assert response.status_code == 302 and "timeout=1" in response["Location"]
        assert 12 * 60 < expired_after <= 12 * 60 + 25
    assert AuditEvent.objects.filter(action="session_expired", detail__reason="absolute").exists()


def test_api_session_timeout_is_problem_json(district_officer: User) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = Client()
        post_login(client, "district_officer", TEST_PASSWORD)
        traveller.shift(31 * 60)
        response = client.get("/api/v1/auth/me/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "session_expired"


# --- login, logout and their audit events ---------------------------------------------------------------------------


def test_login_and_logout_are_audited_with_ip_role_and_request_id(town_officer: User) -> None:
    client = Client(REMOTE_ADDR="192.0.2.10")
    post_login(client, "town_officer", "wrong", HTTP_X_REQUEST_ID="req-failed-0001")
    post_login(client, "town_officer", TEST_PASSWORD, HTTP_X_REQUEST_ID="req-login-0001")
    client.post("/accounts/logout/", HTTP_X_REQUEST_ID="req-logout-001")
    failed = AuditEvent.objects.get(action="login_failed")
    login = AuditEvent.objects.get(action="login")
    logout = AuditEvent.objects.get(action="logout")
    assert (failed.username, failed.ip, failed.outcome, failed.request_id) == ("town_officer", "192.0.2.10", "failure", "req-failed-0001")
    assert failed.detail["reason"] == "bad_password"
    assert (login.user_id, login.ip, login.outcome, login.request_id) == (town_officer.pk, "192.0.2.10", "success", "req-login-0001")
    assert login.role == "王村镇人民政府"
    assert (logout.user_id, logout.request_id) == (town_officer.pk, "req-logout-001")


def test_logout_needs_post(town_officer: User, client_for: Any) -> None:
    client = client_for(town_officer)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/accounts/profile/").status_code == 302


def test_login_next_must_stay_on_site(town_officer: User) -> None:
    client = Client()
    response = client.post(LOGIN + "?next=https://evil.example/", {"username": "town_officer", "password": TEST_PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == reverse("core:home")


def test_disabled_account_cannot_log_in(town_officer: User) -> None:
    town_officer.is_active = False
    town_officer.save()
    response = post_login(Client(), "town_officer", TEST_PASSWORD)
    assert response.status_code == 200 and "用户名或密码错误" in response.content.decode()
