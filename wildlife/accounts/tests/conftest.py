from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Throttle counters and the cached security policy must not leak between tests (or into other apps' tests)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_otp_throttle(settings: Any) -> None:
    # django-otp delays a device after a wrong code; the tests send a right code right after a wrong one
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def totp_code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code an authenticator app would show now for this device."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {totp_code(device, offset_steps=k) for k in (-2, -1, 0, 1, 2)}
    for candidate in ("000000", "111111", "222222", "333333", "444444", "555555"):
        if candidate not in right:
            return candidate
    raise AssertionError("unreachable")
