"""The keyword table: every change a new version, older versions rebuildable, scans record the version, stale
edits refused, species synchronised from the catalogue."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from wildlife.audit.models import AuditEvent
from wildlife.core.exceptions import ConflictError
from wildlife.trade import services
from wildlife.trade.models import TermVersion, TradeTerm
from wildlife.trade.selectors import term_list, term_version_changes

pytestmark = pytest.mark.django_db


def test_seed_is_the_first_version_and_idempotent(term_table: TermVersion) -> None:
    assert term_table.number == 1
    assert TradeTerm.objects.filter(term="白料", category="slang").exists()
    assert TradeTerm.objects.filter(term="捕鸟网", category="tool", variants__isnull=False).exists()
    assert services.term_table_seed(actor=None) == term_table
    assert TermVersion.objects.count() == 1


def test_add_change_remove_each_make_a_version(term_table: TermVersion, market_officer: Any) -> None:
    row = services.trade_term_add(actor=market_officer, base_version=1, term="金丝猴", category="species", weight=60, variants="金丝候\njinsihou")
    assert row.since_version == 2 and row.variants == ["金丝候", "jinsihou"]
    changed = services.trade_term_update(actor=market_officer, obj=row, base_version=2, term="金丝猴", category="species", weight=55, variants=["金丝候"])
    assert changed.lineage == row.lineage and changed.since_version == 3
    row.refresh_from_db()
    assert row.until_version == 3
    version = services.trade_term_remove(actor=market_officer, obj=changed, base_version=3)
    assert version.number == 4
    # each version can be rebuilt
    assert not term_list(user=market_officer, number=1).filter(term="金丝猴").exists()
    assert term_list(user=market_officer, number=2).get(term="金丝猴").weight == 60
    assert term_list(user=market_officer, number=3).get(term="金丝猴").weight == 55
    assert not term_list(user=market_officer, number=4).filter(term="金丝猴").exists()
    assert [(v.number, v.added, v.changed, v.removed) for v in TermVersion.objects.order_by("number")][1:] == [(2, 1, 0, 0), (3, 0, 1, 0), (4, 0, 0, 1)]
    changes = term_version_changes(user=market_officer, version=TermVersion.objects.get(number=3))
    assert [(c.kind, c.before.weight if c.before else None, c.after.weight if c.after else None) for c in changes] == [("changed", 60, 55)]
    actions = set(AuditEvent.objects.filter(object_type="trade.tradeterm").values_list("action", flat=True))
    assert {"trade_term_add", "trade_term_update", "trade_term_remove"} <= actions


def test_a_stale_edit_is_refused_and_changes_nothing(term_table: TermVersion, market_officer: Any) -> None:
    row = TradeTerm.objects.get(term="白料")
    services.trade_term_add(actor=market_officer, base_version=1, term="黄胸鹀", category="species", weight=60)
    with pytest.raises(ConflictError) as info:
        services.trade_term_update(actor=market_officer, obj=row, base_version=1, term="白料", category="slang", weight=20)
    assert info.value.code == "term_version_conflict"
    row.refresh_from_db()
    assert row.until_version is None and row.weight == 55
    assert TermVersion.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"term": " * ", "category": "slang", "weight": 10}, "term"),
        ({"term": "白料", "category": "slang", "weight": 30}, "term"),  # already in the table
        ({"term": "新词", "category": "slang", "weight": 0}, "weight"),
        ({"term": "新词", "category": "mitigating", "weight": 10}, "weight"),
        ({"term": "新词", "category": "context", "weight": -5}, "weight"),
        ({"term": "新词", "category": "nonsense", "weight": 5}, "category"),
    ],
)
def test_bad_terms_are_refused_naming_the_field(term_table: TermVersion, market_officer: Any, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        services.trade_term_add(actor=market_officer, base_version=None, **fields)
    assert field in info.value.message_dict
    assert TermVersion.objects.count() == 1


def test_settings_change_is_a_version_and_used_by_the_scanner(make_listing: Any, market_officer: Any) -> None:
    listing = make_listing("画眉鸟一只")
    assert listing.risk_score == 45 and not listing.flagged
    version = services.term_settings_update(actor=market_officer, base_version=1, threshold=40, context_window=20)
    assert version.number == 2 and version.threshold == 40
    rescanned = services.listing_rescan(actor=market_officer, listing=listing)
    assert rescanned.flagged and rescanned.term_version == version


def test_a_scan_records_the_version_it_used(make_listing: Any, market_officer: Any) -> None:
    first = make_listing("出售 禾花雀")
    assert first.term_version.number == 1
    services.trade_term_add(actor=market_officer, base_version=1, term="黄胸鹀", category="species", weight=60)
    second = make_listing("出售黄胸鹀")
    assert second.term_version.number == 2 and second.flagged
    first.refresh_from_db()
    assert first.term_version.number == 1


def test_disabled_terms_are_not_scanned(make_listing: Any, market_officer: Any) -> None:
    row = TradeTerm.objects.get(term="画眉", until_version__isnull=True)
    services.trade_term_update(actor=market_officer, obj=row, base_version=1, term="画眉", category="species", weight=45, enabled=False)
    assert make_listing("画眉一只").risk_score == 0


def test_sync_takes_species_names_and_aliases_with_their_classes(catalogue_terms: TermVersion, market_officer: Any) -> None:
    pangolin = TradeTerm.objects.get(term="穿山甲", category="species", until_version__isnull=True)
    assert pangolin.protection == "national_1" and pangolin.weight == 60 and "川山甲" in pangolin.variants and "chuanshanjia" in pangolin.variants
    assert TradeTerm.objects.get(term="禾花雀", category="species", until_version__isnull=True).species.name_zh == "黄胸鹀"
    # nothing changed in the catalogue: no new version
    assert services.term_table_sync_species(actor=market_officer) is None
    # a new alias in the catalogue appears in the next version
    from wildlife.species.models import Species
    from wildlife.species.services import species_alias_add

    species_alias_add(actor=None, species=Species.objects.get(name_zh="穿山甲"), name="鲮鲤甲", kind="trade")
    version = services.term_table_sync_species(actor=market_officer)
    assert version is not None and version.added == 1
    assert term_list(user=market_officer).filter(term="鲮鲤甲", category="species").exists()


def test_one_character_names_are_kept_but_not_scanned(catalogue_terms: TermVersion) -> None:
    single = TradeTerm.objects.filter(category="species", until_version__isnull=True, enabled=False)
    assert single.exists()
    assert all(len(t.term) == 1 for t in single)
