"""Who sees listings: market works them all, cyberspace sees and requests takedowns, police / natural resources /
agriculture read, towns see nothing; out of scope is 404 everywhere (pages, exports, API)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from wildlife.core.testing import cast
from wildlife.core.testing.contracts import ScopedRegisterContract
from wildlife.trade.choices import ListingSource
from wildlife.trade.models import Listing, Platform, TakedownLetter, TradeTerm


def _listing(area: Any, title: str = "出售画眉鸟活体") -> Listing:
    platform, _created = Platform.objects.get_or_create(code="scope-test", defaults={"name": "范围测试平台"})
    return Listing.objects.create(
        platform=platform, fingerprint=title, title=title, text="野生", captured_at="2026-03-01T10:00:00+08:00",
        source=ListingSource.MANUAL, area=area, district=area.district_ancestor(), risk_score=70, flagged=True,
    )


class TestListingContract(ScopedRegisterContract):
    """The district-wide register: the market officer is in scope; a town officer (no listing permission) is not."""

    model = Listing
    list_url_name = "trade:listing_list"
    detail_url_name = "trade:listing_detail"
    api_list_path = "/api/v1/enforcement/listings/"
    in_scope_user = "market_officer"
    out_of_scope_user = "town_officer"
    district_user = "district_officer"
    no_permission_user = "other_town_officer"

    def make_record(self, area: Any) -> Listing:
        return _listing(area)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "sees", "works"),
    [
        ("market_officer", True, True),
        ("district_officer", True, False),
        ("police_officer", True, False),
        ("agri_officer", True, False),
        ("town_officer", False, False),
        ("other_town_officer", False, False),
        ("town_viewer", False, False),
    ],
)
def test_department_matrix(zhoucun: Any, who: str, sees: bool, works: bool) -> None:
    listing = _listing(zhoucun["周村区"])
    user = cast.make_cast_member(who)
    assert Listing.objects.restrict(user, "view").filter(pk=listing.pk).exists() is sees
    assert Listing.objects.restrict(user, "change").filter(pk=listing.pk).exists() is works
    assert user.has_perm("trade.review_listing") is works
    assert user.has_perm("trade.request_takedown") is works
    client = cast.login_client(user)
    assert client.get(reverse("trade:listing_detail", args=[listing.pk])).status_code == (200 if sees else 404)
    api = client.get(f"/api/v1/enforcement/listings/{listing.pk}/")
    assert api.status_code == (200 if sees else 403)
    queue = client.get(reverse("trade:queue"))
    assert queue.status_code == (200 if sees else 403)


@pytest.mark.django_db
def test_cyberspace_sees_and_may_request_takedowns(zhoucun: Any, cyber_officer: Any) -> None:
    listing = _listing(zhoucun["周村区"])
    assert Listing.objects.restrict(cyber_officer, "view").filter(pk=listing.pk).exists()
    assert not Listing.objects.restrict(cyber_officer, "change").exists()
    assert cyber_officer.has_perm("trade.request_takedown") and not cyber_officer.has_perm("trade.review_listing")
    page = cast.login_client(cyber_officer).get(reverse("trade:listing_detail", args=[listing.pk])).content.decode()
    assert 'data-testid="takedown-form"' in page and 'data-testid="false-positive-form"' not in page


@pytest.mark.django_db
def test_towns_have_no_trade_navigation(zhoucun: Any, town_officer: Any, market_officer: Any) -> None:
    from wildlife.core.navigation import sections_for

    assert "trade" not in [s["key"] for s in sections_for(town_officer)]
    market = next(s for s in sections_for(market_officer) if s["key"] == "trade")
    assert {"trade:queue", "trade:import", "trade:term_list", "trade:letter_list"} <= {i["url_name"] for i in market["items"]}


@pytest.mark.django_db
def test_letters_follow_the_listing_scope(zhoucun: Any, market_officer: Any, town_officer: Any, police_officer: Any) -> None:
    listing = _listing(zhoucun["周村区"])
    letter = TakedownLetter.objects.create(
        number="周网交监函〔2026〕99号", year=2026, seq=99, listing=listing, platform=listing.platform, addressee="x", reason="x",
        file="trade/letters/x.pdf", sha256="0" * 64, issued_by=market_officer, issued_at="2026-03-02T10:00:00+08:00",
    )
    assert TakedownLetter.objects.restrict(police_officer, "view").filter(pk=letter.pk).exists()
    assert not TakedownLetter.objects.restrict(town_officer, "view").exists()
    assert cast.login_client(town_officer).get(reverse("trade:letter_download", args=[letter.pk])).status_code == 403
    assert cast.login_client(town_officer).get("/api/v1/enforcement/takedown-letters/").status_code == 403


@pytest.mark.django_db
def test_terms_are_shared_reference_data_except_for_towns(term_table: Any, police_officer: Any, town_officer: Any, market_officer: Any) -> None:
    assert TradeTerm.objects.restrict(police_officer, "view").exists()
    assert not TradeTerm.objects.restrict(police_officer, "change").exists()
    assert TradeTerm.objects.restrict(market_officer, "change").exists()
    assert not TradeTerm.objects.restrict(town_officer, "view").exists()
    assert cast.login_client(police_officer).get("/api/v1/enforcement/listing-terms/").status_code == 200
    assert cast.login_client(town_officer).get("/api/v1/enforcement/listing-terms/").status_code == 403


@pytest.mark.django_db
def test_administrators_see_no_listings(zhoucun: Any, system_admin: Any, audit_admin: Any) -> None:
    listing = _listing(zhoucun["周村区"])
    for admin in (system_admin, audit_admin):
        assert not Listing.objects.restrict(admin, "view").exists()
        assert cast.login_client(admin).get(reverse("trade:listing_detail", args=[listing.pk])).status_code == 404
