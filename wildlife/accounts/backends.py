"""Authentication backend: case-insensitive usernames and account lockout."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from wildlife.accounts import lockout
from wildlife.accounts.models import User


class AccountLockedError(PermissionDenied):
    """The account is locked: refused even with the right password."""


def second_factor_expected(user: User) -> bool:
    """Administrators, everyone under a policy that requires it, and users who switched on their own TOTP."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from wildlife.accounts.middleware import mfa_required_for

    return mfa_required_for(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class PlatformBackend(ModelBackend):
    """ModelBackend with lockout. A locked account is refused even with the right password."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None or password is None:
            return None
        if lockout.locked_until(username) is not None:
            lockout.record_login_failure(username, reason="locked")
            raise AccountLockedError("account locked")
        user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle for unknown names
            locked = lockout.record_login_failure(username, reason="unknown_user")
        elif not user.check_password(password):
            locked = lockout.record_login_failure(username, reason="bad_password")
        elif not self.user_can_authenticate(user):
            locked = lockout.record_login_failure(username, reason="inactive")
        else:
            # with a second factor to come, only the whole login counts as a success (the failure count is not reset
            # by the password alone, or a thief of the password could guess codes forever)
            if not second_factor_expected(user):
                lockout.record_login_success(username)
            return user
        if locked:
            raise AccountLockedError("account locked")
        return None
