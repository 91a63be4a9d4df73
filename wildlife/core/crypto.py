"""Encryption at rest for personal data, with keys outside the database.

Fields are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under the keys in WILDLIFE_FIELD_KEYS; the first key
encrypts, all keys decrypt, so keys can be rotated. `blind_index()` gives an HMAC for exact-match lookups
(e.g. "the same phone in two cases") without storing the plaintext.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

_PREFIX = "enc1:"


def _normalise_key(raw: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(raw.encode())
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("WILDLIFE_FIELD_KEYS 中有无效的密钥 (not base64)") from exc
    if len(key) == 32:
        return raw.encode()
    # a passphrase-like key of another length: derive a 32-byte key from it
    return base64.urlsafe_b64encode(hashlib.sha256(key).digest())


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("WILDLIFE_FIELD_KEYS 未设置")
    return MultiFernet([Fernet(_normalise_key(k)) for k in keys])


def _keys() -> tuple[str, ...]:
    return tuple(getattr(settings, "WILDLIFE_FIELD_KEYS", ()))


def encrypt(value: str) -> str:
    return _PREFIX + _fernet(_keys()).encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(value: str) -> str:
    if not value.startswith(_PREFIX):
        raise ValueError("value is not encrypted by this platform")
    try:
        return _fernet(_keys()).decrypt(value[len(_PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("无法解密：密钥不匹配或数据被篡改") from exc


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed hash of a normalised value for equality lookups (purpose separates e.g. phones from ID numbers)."""
    normalised = "".join(value.split()).lower()
    key = hashlib.sha256(("blind-index:" + purpose + ":" + _keys()[0]).encode()).digest()
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored encrypted; Python sees the plaintext. Not searchable: add a blind index field when needed."""

    description = "Encrypted text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value  # type: ignore[no-any-return]
        return decrypt(value)

    def to_python(self, value: Any) -> str | None:
        if value is None or value == "":
            return value  # type: ignore[no-any-return]
        if isinstance(value, str) and value.startswith(_PREFIX):
            return decrypt(value)
        return str(value)

    def get_prep_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return value  # type: ignore[no-any-return]
        return encrypt(str(value))
