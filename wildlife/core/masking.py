"""Masking of personal data for lists, exports and API output (server-side only)."""

from __future__ import annotations


def mask_id_number(value: str | None) -> str:
    """身份证号 370306********1234."""
    if not value:
        return ""
    value = value.strip()
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 2, 0)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """手机号 138****5678; other numbers keep their first 3 and last 2 digits."""
    if not value:
        return ""
    digits = value.strip()
    if len(digits) == 11:
        return digits[:3] + "****" + digits[-4:]
    if len(digits) <= 5:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 5) + digits[-2:]


def mask_name(value: str | None) -> str:
    """张* / 欧阳** : keep the family name only."""
    if not value:
        return ""
    value = value.strip()
    if len(value) <= 1:
        return "*"
    keep = 2 if len(value) >= 4 else 1
    return value[:keep] + "*" * (len(value) - keep)


def mask_bank_account(value: str | None) -> str:
    """银行账号 6222 **** **** 1234 → keep the last 4."""
    if not value:
        return ""
    compact = value.replace(" ", "")
    if len(compact) <= 4:
        return "*" * len(compact)
    return "*" * (len(compact) - 4) + compact[-4:]


def mask_address(value: str | None) -> str:
    """Keep the first 6 characters (province/city/district level) of an address."""
    if not value:
        return ""
    return value[:6] + ("***" if len(value) > 6 else "")
