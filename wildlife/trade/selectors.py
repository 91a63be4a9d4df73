"""Reads of online-trade monitoring, always through restrict() for the user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wildlife.trade.choices import ListingStatus, TermCategory
from wildlife.trade.models import Listing, ScanBatch, TakedownLetter, TermVersion, TradeTerm


def term_version_current() -> TermVersion | None:
    """The keyword-table version in force (the highest number)."""
    return TermVersion.objects.order_by("-number").first()


def term_list(*, user: Any, number: int | None = None) -> QuerySet[TradeTerm]:
    """The keywords of version `number` (default: the current one) the user may see."""
    if number is None:
        current = term_version_current()
        if current is None:
            return TradeTerm.objects.none()
        number = current.number
    return (
        TradeTerm.objects.restrict(user, "view")
        .filter(since_version__lte=number)
        .filter(Q(until_version__isnull=True) | Q(until_version__gt=number))
        .select_related("species")
    )


@dataclass(frozen=True)
class TermChange:
    kind: str  # "added" | "changed" | "removed"
    before: TradeTerm | None
    after: TradeTerm | None


def term_version_changes(*, user: Any, version: TermVersion) -> list[TermChange]:
    """What changed from the previous version to `version`."""
    visible = TradeTerm.objects.restrict(user, "view")
    started = {row.lineage: row for row in visible.filter(since_version=version.number)}
    ended = {row.lineage: row for row in visible.filter(until_version=version.number)}
    changes: list[TermChange] = []
    for lineage, row in started.items():
        previous = ended.get(lineage)
        changes.append(TermChange("changed" if previous else "added", previous, row))
    for lineage, row in ended.items():
        if lineage not in started:
            changes.append(TermChange("removed", row, None))
    order = {"added": 0, "changed": 1, "removed": 2}
    changes.sort(key=lambda c: (order[c.kind], _change_term(c)))
    return changes


def _change_term(change: TermChange) -> str:
    row = change.after or change.before
    return row.term if row is not None else ""


def term_category_counts(*, user: Any, number: int | None = None) -> dict[str, int]:
    counts = dict.fromkeys(TermCategory.values, 0)
    for row in term_list(user=user, number=number).values("category").annotate(n=Count("pk")):
        counts[row["category"]] = row["n"]
    return counts


def listing_queue(*, user: Any) -> QuerySet[Listing]:
    """Flagged listings still to be reviewed, riskiest first."""
    return (
        Listing.objects.restrict(user, "view")
        .filter(flagged=True, status__in=(ListingStatus.NEW, ListingStatus.REVIEWING))
        .order_by("-risk_score", "-captured_at")
    )


def listing_list_for_operation(*, user: Any, operation: Any) -> QuerySet[Listing]:
    """Listings recorded under a special operation (the operation page groups them)."""
    return Listing.objects.restrict(user, "view").filter(operation=operation).select_related("platform").order_by("-captured_at")


def same_seller_listings(*, user: Any, listing: Listing, limit: int = 20) -> list[Listing]:
    """Other listings of the same seller account (same platform) or the same phone, within the user's scope."""
    q = Q()
    if listing.seller_account:
        q |= Q(platform=listing.platform, seller_account=listing.seller_account)
    if listing.seller_phone_index:
        q |= Q(seller_phone_index=listing.seller_phone_index)
    if not q:
        return []
    return list(Listing.objects.restrict(user, "view").filter(q).exclude(pk=listing.pk).select_related("platform").order_by("-captured_at")[:limit])


def listing_statistics(*, user: Any) -> dict[str, int]:
    """Figures for the home dashboard: queue size, reviewed this month, letters this month."""
    listings = Listing.objects.restrict(user, "view")
    month_start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return {
        "queue": listings.filter(flagged=True, status__in=(ListingStatus.NEW, ListingStatus.REVIEWING)).count(),
        "high_risk": listings.filter(flagged=True, status__in=(ListingStatus.NEW, ListingStatus.REVIEWING), risk_score__gte=80).count(),
        "reviewed_month": listings.filter(reviewed_at__gte=month_start).count(),
        "letters_month": TakedownLetter.objects.restrict(user, "view").filter(issued_at__gte=month_start).count(),
    }


def scan_batch_list(*, user: Any) -> QuerySet[ScanBatch]:
    return ScanBatch.objects.restrict(user, "view").select_related("platform", "term_version", "job", "created_by").order_by("-created_at")
