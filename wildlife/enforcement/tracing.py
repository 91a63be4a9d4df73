"""Normalising, indexing and masking identifiers for the tracing graph.

A value is normalised per kind (a phone keeps its digits, an account or plate loses spaces and case), then indexed
with the platform's keyed blind index (`core.crypto.blind_index`, purpose "trace:<kind>"), so two records holding the
same phone meet at one node without the phone being stored or compared in plaintext.
"""

from __future__ import annotations

import re

from wildlife.core.crypto import blind_index
from wildlife.core.masking import mask_address, mask_id_number, mask_phone
from wildlife.enforcement.choices import PartyKind, TraceKind

_NON_DIGIT = re.compile(r"\D+")
_SPACE = re.compile(r"\s+")


def normalise(kind: str, value: str) -> str:
    """The comparable form of an identifier ("" when nothing is left)."""
    value = (value or "").strip()
    if kind == TraceKind.PHONE:
        digits = _NON_DIGIT.sub("", value)
        if len(digits) == 13 and digits.startswith("86"):
            digits = digits[2:]
        return digits
    if kind == TraceKind.ADDRESS:
        return _SPACE.sub("", value)
    return _SPACE.sub("", value).upper()


def trace_key(kind: str, value: str) -> str:
    """Keyed blind index of the normalised value ("" for an empty value)."""
    normalised = normalise(kind, value)
    if not normalised:
        return ""
    return blind_index(normalised, purpose="trace:" + kind)


def mask_identifier(kind: str, value: str) -> str:
    """What pages and the graph show instead of the value."""
    if not value:
        return ""
    if kind in (TraceKind.PHONE, PartyKind.PHONE):
        return mask_phone(normalise(TraceKind.PHONE, value))
    if kind == TraceKind.ID_NUMBER:
        return mask_id_number(value)
    if kind in (TraceKind.ADDRESS, PartyKind.ADDRESS):
        return mask_address(value)
    if kind in (TraceKind.ACCOUNT, PartyKind.ACCOUNT):
        platform, sep, handle = value.partition(":")
        if not sep:
            platform, sep, handle = value.partition("：")
        if not sep:
            platform, handle = "", value
        shown = handle[:2] + "***" + (handle[-1:] if len(handle) > 3 else "")
        return f"{platform}:{shown}" if platform else shown
    if kind in (TraceKind.VEHICLE, PartyKind.VEHICLE):
        compact = normalise(TraceKind.VEHICLE, value)
        return compact[:2] + "***" + compact[-2:] if len(compact) > 4 else "***"
    if kind in (TraceKind.COMPANY, PartyKind.COMPANY):
        compact = normalise(TraceKind.COMPANY, value)
        return compact[:4] + "****" + compact[-4:] if len(compact) > 8 else "****"
    return "***"


# which trace kind a party's identifier field is
PARTY_IDENTIFIER_KIND = {
    PartyKind.ACCOUNT: TraceKind.ACCOUNT,
    PartyKind.VEHICLE: TraceKind.VEHICLE,
    PartyKind.COMPANY: TraceKind.COMPANY,
    PartyKind.PHONE: TraceKind.PHONE,
    PartyKind.ADDRESS: TraceKind.ADDRESS,
}
