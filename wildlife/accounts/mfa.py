"""TOTP second factor (RFC 6238, django-otp): enrolment QR codes and code checks."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote, urlencode

import segno
from django_otp.plugins.otp_totp.models import TOTPDevice

ISSUER = "周村区野生动物保护管理平台"


def secret_base32(device: TOTPDevice) -> str:
    """The shared secret as authenticator apps expect it when typed in by hand."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def provisioning_uri(device: TOTPDevice) -> str:
    """otpauth:// URI for the QR code (issuer and account name shown in the app)."""
    label = quote(f"{ISSUER}:{device.user.get_username()}")
    params = {"secret": secret_base32(device), "issuer": ISSUER, "algorithm": "SHA1", "digits": device.digits, "period": device.step}
    return f"otpauth://totp/{label}?{urlencode(params, quote_via=quote)}"


def qr_data_uri(device: TOTPDevice) -> str:
    """The QR code as an SVG data URI, rendered on the server (no script, allowed by the CSP's img-src data:)."""
    return str(segno.make(provisioning_uri(device), error="m").svg_data_uri(scale=5, border=2))


def confirmed_devices(user: Any) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True))


def has_confirmed_device(user: Any) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def match_code(user: Any, code: str) -> TOTPDevice | None:
    """The confirmed device that accepts `code` (each code is accepted once), or None."""
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit():
        return None
    for device in confirmed_devices(user):
        if device.verify_token(code):
            return device
    return None
