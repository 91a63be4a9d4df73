"""The demo loader: clearly demo records with hits and a partly reviewed queue; a second run changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from wildlife.trade.choices import ListingStatus
from wildlife.trade.models import Listing, Platform, TakedownLetter, TermVersion

pytestmark = pytest.mark.django_db


def test_demo_loads_once(catalogue: Any, zhoucun: Any) -> None:
    from wildlife.accounts.demo import ensure_demo_users
    from wildlife.trade.demo import LISTINGS, load

    ensure_demo_users("Demo-Password-2026")
    summary = load()
    assert "演示商品信息新增" in summary
    assert Listing.objects.count() == len(LISTINGS) >= 24
    assert all(listing.title.startswith("【演示】") for listing in Listing.objects.all())
    assert all("演示" in p.name for p in Platform.objects.all())
    assert Listing.objects.filter(flagged=True).count() >= 12
    assert Listing.objects.filter(status=ListingStatus.TAKEDOWN_REQUESTED).count() == 2
    assert Listing.objects.filter(status=ListingStatus.FALSE_POSITIVE).count() == 1
    assert Listing.objects.filter(status=ListingStatus.REVIEWING).count() == 2
    assert TakedownLetter.objects.count() == 2
    # near misses stay out of the queue
    assert not Listing.objects.get(external_id="DEMO-D101").flagged
    assert not Listing.objects.get(external_id="DEMO-D102").flagged
    load()
    assert Listing.objects.count() == len(LISTINGS)
    assert TakedownLetter.objects.count() == 2 and TermVersion.objects.count() == 1


def test_demo_users_see_it(catalogue: Any, zhoucun: Any, client_for: Any) -> None:
    from wildlife.accounts.demo import ensure_demo_users
    from wildlife.accounts.models import User
    from wildlife.trade.demo import load

    ensure_demo_users("Demo-Password-2026")
    load()
    market = client_for(User.objects.get(username="demo_market"))
    page = market.get("/trade/queue/").content.decode()
    assert "【演示】" in page
    assert client_for(User.objects.get(username="demo_town")).get("/trade/queue/").status_code == 403
    district = client_for(User.objects.get(username="demo_district")).get("/trade/").content.decode()
    assert "【演示】" in district
