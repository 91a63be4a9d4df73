"""Access to trade records: one object within the user's scope, 404 otherwise (the same answer as a missing one)."""

from __future__ import annotations

from typing import Any

from wildlife.core.access import get_in_scope_or_404
from wildlife.trade.models import (
    CollectorSource,
    ColumnMapping,
    Listing,
    ListingImage,
    Platform,
    ScanBatch,
    TakedownLetter,
    TermVersion,
    TradeTerm,
)


def access_listing_by_id(user: Any, listing_id: Any, *, action: str = "view") -> Listing:
    """A listing the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(Listing, user, listing_id, action=action)


def access_listing_image_by_id(user: Any, image_id: Any, *, action: str = "view") -> ListingImage:
    """A listing screenshot the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(ListingImage, user, image_id, action=action)


def access_scan_batch_by_id(user: Any, batch_id: Any, *, action: str = "view") -> ScanBatch:
    """A scan batch the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(ScanBatch, user, batch_id, action=action)


def access_letter_by_id(user: Any, letter_id: Any, *, action: str = "view") -> TakedownLetter:
    """A takedown letter the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(TakedownLetter, user, letter_id, action=action)


def access_term_by_id(user: Any, term_id: Any, *, action: str = "view") -> TradeTerm:
    """A keyword row the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(TradeTerm, user, term_id, action=action)


def access_term_version_by_id(user: Any, version_id: Any, *, action: str = "view") -> TermVersion:
    """A keyword-table version the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(TermVersion, user, version_id, action=action)


def access_platform_by_id(user: Any, platform_id: Any, *, action: str = "view") -> Platform:
    """A platform the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(Platform, user, platform_id, action=action)


def access_mapping_by_id(user: Any, mapping_id: Any, *, action: str = "view") -> ColumnMapping:
    """A saved column mapping the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(ColumnMapping, user, mapping_id, action=action)


def access_collector_source_by_id(user: Any, source_id: Any, *, action: str = "view") -> CollectorSource:
    """A collector source the user may `action` (404 otherwise)."""
    return get_in_scope_or_404(CollectorSource, user, source_id, action=action)
