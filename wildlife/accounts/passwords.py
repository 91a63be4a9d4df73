"""Password policy from the live SecurityPolicy: length, character classes, no username or phone inside."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CLASSES = (
    (re.compile(r"[A-Z]"), "大写字母"),
    (re.compile(r"[a-z]"), "小写字母"),
    (re.compile(r"[0-9]"), "数字"),
    (re.compile(r"[^A-Za-z0-9]"), "符号"),
)


def character_classes(password: str) -> int:
    return sum(1 for pattern, _label in _CLASSES if pattern.search(password))


class PolicyPasswordValidator:
    """Validates against SecurityPolicy.current() so the security administrator's changes take effect at once."""

    def validate(self, password: str, user: Any = None) -> None:
        from wildlife.accounts.models import SecurityPolicy

        policy = SecurityPolicy.current()
        errors: list[ValidationError] = []
        if len(password) < policy.password_min_length:
            errors.append(
                ValidationError(
                    _("密码至少需要 %(n)d 个字符。") % {"n": policy.password_min_length}, code="password_too_short"
                )
            )
        if character_classes(password) < policy.password_min_classes:
            errors.append(
                ValidationError(
                    _("密码需包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {"n": policy.password_min_classes},
                    code="password_too_simple",
                )
            )
        if user is not None:
            lowered = password.lower()
            username = (getattr(user, "username", "") or "").lower()
            if len(username) >= 3 and username in lowered:
                errors.append(ValidationError(_("密码不能包含用户名。"), code="password_contains_username"))
            phone = (getattr(user, "phone", "") or "").strip()
            if len(phone) >= 6 and phone in password:
                errors.append(ValidationError(_("密码不能包含手机号。"), code="password_contains_phone"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        from wildlife.accounts.models import SecurityPolicy

        policy = SecurityPolicy.current()
        return _("至少 %(n)d 个字符，包含大写字母、小写字母、数字、符号中的至少 %(c)d 类，且不含用户名。") % {
            "n": policy.password_min_length,
            "c": policy.password_min_classes,
        }
