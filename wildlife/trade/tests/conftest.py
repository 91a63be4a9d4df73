"""Fixtures of the trade tests: the species catalogue and the starter keyword table, platforms, listings."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from wildlife.trade.choices import ListingSource
from wildlife.trade.importers import ListingInput
from wildlife.trade.models import Listing, Platform, TermVersion


@pytest.fixture
def catalogue(db: Any) -> None:
    """The demo species catalogue (the source of species names and aliases for the keyword table)."""
    from wildlife.species.testing import load_demo_catalogue

    load_demo_catalogue()


# a few species terms as the catalogue would give them (the demo catalogue takes a second to load per test)
LIGHT_SPECIES = (
    ("穿山甲", 60, "national_1", ["川山甲", "chuanshanjia"]),
    ("甲片", 60, "national_1", []),
    ("象牙", 60, "national_1", []),
    ("禾花雀", 60, "national_1", ["hehuaque"]),
    ("画眉", 45, "national_2", []),
    ("画眉鸟", 45, "national_2", []),
    ("娃娃鱼", 45, "national_2", ["哇哇鱼"]),
    ("野鸡", 25, "sanyou", []),
    ("刺猬", 25, "sanyou", []),
)


@pytest.fixture
def term_table(zhoucun: Any) -> TermVersion:
    """The starter keyword table with a few species terms (no catalogue): version 1."""
    import uuid

    from wildlife.trade.models import TradeTerm
    from wildlife.trade.services import term_table_seed

    version = term_table_seed(actor=None)
    TradeTerm.objects.bulk_create(
        TradeTerm(lineage=uuid.uuid4(), term=term, category="species", weight=weight, protection=protection, variants=variants, since_version=version.number)
        for term, weight, protection, variants in LIGHT_SPECIES
    )
    version.term_count = TradeTerm.objects.filter(since_version=version.number).count()
    version.save(update_fields=["term_count"])
    return version


@pytest.fixture
def catalogue_terms(catalogue: None, zhoucun: Any) -> TermVersion:
    """The starter table with every name and alias of the demo species catalogue."""
    from wildlife.trade.services import term_table_seed

    return term_table_seed(actor=None)


@pytest.fixture
def platform(db: Any) -> Platform:
    return Platform.objects.create(code="xianyu-test", name="闲置平台", operator="示例网络科技有限公司", address="杭州市", contact="jg@example.com")


@pytest.fixture
def make_listing(term_table: TermVersion, platform: Platform, zhoucun: Any) -> Callable[..., Listing]:
    """make_listing(title, text="", **fields) → a stored, scanned listing (district-wide)."""
    from wildlife.trade.services import listings_store

    counter = {"n": 0}

    def make(title: str, text: str = "", *, seller_account: str = "seller_a", seller_phone: str = "", price: str | None = None, target: Platform | None = None) -> Listing:
        counter["n"] += 1
        item = ListingInput(
            title=title,
            text=text,
            external_id=f"T{counter['n']}-{title}",
            seller_account=seller_account,
            seller_phone=seller_phone,
            price=Decimal(price) if price else None,
        )
        result = listings_store(actor=None, platform=target or platform, inputs=[item], source=ListingSource.EXPORT)
        return result.created[0]

    return make


def cyberspace_user() -> Any:
    from wildlife.core.testing.cast import make_business_user
    from wildlife.geo.models import AdminArea

    return make_business_user("cyber_officer", department_code="cyberspace", area=AdminArea.objects.get(name="周村区"))


@pytest.fixture
def cyber_officer(zhoucun: Any) -> Any:
    return cyberspace_user()
