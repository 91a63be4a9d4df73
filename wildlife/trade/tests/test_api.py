"""The listings API (/api/v1/enforcement/listings/): fields per api.md, masking and audited reveal, manual capture
with Idempotency-Key, workflow steps (409 in the wrong state), terms and letters."""

from __future__ import annotations

from typing import Any

import pytest

from wildlife.audit.models import AuditEvent
from wildlife.trade.choices import ListingStatus
from wildlife.trade.models import Listing, TakedownLetter

pytestmark = pytest.mark.django_db
BASE = "/api/v1/enforcement/listings/"


def test_list_has_the_contract_fields_and_masks_the_phone(make_listing: Any, market_officer: Any, client_for: Any) -> None:
    listing = make_listing("出售画眉鸟活体", "野生", seller_phone="13705339876", price="380")
    body = client_for(market_officer).get(BASE, {"flagged": "true", "ordering": "-risk_score"}).json()
    row = next(r for r in body["results"] if r["id"] == listing.pk)
    for field in ("id", "platform", "url", "title", "text", "seller", "price", "captured_at", "risk_score", "matched_terms", "status"):
        assert field in row
    assert row["seller"]["phone"] == "137****9876" and row["status"] == "new" and row["term_version"] == 1
    assert row["matched_terms"][0]["term"] == "画眉鸟"
    assert client_for(market_officer).get(BASE, {"term": "画眉鸟"}).json()["count"] == 1
    assert client_for(market_officer).get(BASE, {"term": "穿山甲"}).json()["count"] == 0


def test_reveal_is_audited_and_needs_the_review_permission(make_listing: Any, market_officer: Any, police_officer: Any, client_for: Any) -> None:
    listing = make_listing("出售画眉鸟活体", seller_phone="13705339876")
    revealed = client_for(market_officer).get(f"{BASE}{listing.pk}/", {"reveal": "1"}).json()
    assert revealed["seller"]["phone"] == "13705339876"
    assert AuditEvent.objects.filter(action="reveal", object_type="trade.listing", object_id=str(listing.pk), username="market_officer").exists()
    masked = client_for(police_officer).get(f"{BASE}{listing.pk}/", {"reveal": "1"}).json()
    assert masked["seller"]["phone"] == "137****9876"


def test_capture_through_the_api_is_idempotent(term_table: Any, platform: Any, market_officer: Any, client_for: Any) -> None:
    client = client_for(market_officer)
    body = {"platform": platform.code, "title": "出售禾花雀", "url": "https://shop.example/1", "price": "260"}
    first = client.post(BASE, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == 201 and first.json()["flagged"] is True
    again = client.post(BASE, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert Listing.objects.count() == 1
    other = client.post(BASE, {**body, "title": "别的"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert other.status_code == 422
    duplicate = client.post(BASE, body, content_type="application/json")
    assert duplicate.status_code == 400 and "url" in duplicate.json()["errors"]
    missing = client.post(BASE, {"platform": platform.code}, content_type="application/json")
    assert missing.status_code == 400 and "title" in missing.json()["errors"]


def test_workflow_steps_and_conflicts(make_listing: Any, market_officer: Any, client_for: Any) -> None:
    listing = make_listing("出售画眉鸟活体")
    client = client_for(market_officer)
    assert client.post(f"{BASE}{listing.pk}/start-review/").json()["status"] == "reviewing"
    response = client.post(f"{BASE}{listing.pk}/false-positive/", {"note": "养殖个体"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "false_positive"
    conflict = client.post(f"{BASE}{listing.pk}/takedown/", {"reason": "x"}, content_type="application/json")
    assert conflict.status_code == 409 and conflict.json()["code"] == "listing_state"
    assert conflict["Content-Type"].startswith("application/problem+json")
    assert client.post(f"{BASE}{listing.pk}/reopen/", {"note": "复核"}, content_type="application/json").json()["status"] == "new"
    bad = client.post(f"{BASE}{listing.pk}/escalate/", {}, content_type="application/json")
    assert bad.status_code == 400 and "title" in bad.json()["errors"]
    done = client.post(f"{BASE}{listing.pk}/escalate/", {"title": "网络出售画眉案"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "escalated" and done.json()["case_no"]


def test_takedown_retry_with_the_same_key_issues_one_letter(make_listing: Any, market_officer: Any, client_for: Any) -> None:
    listing = make_listing("白料手串出售")
    client = client_for(market_officer)
    first = client.post(f"{BASE}{listing.pk}/takedown/", {"reason": "象牙制品"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="t1")
    retry = client.post(f"{BASE}{listing.pk}/takedown/", {"reason": "象牙制品"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="t1")
    assert first.status_code == retry.status_code == 200 and retry["Idempotent-Replayed"] == "true"
    assert TakedownLetter.objects.count() == 1
    letters = client.get("/api/v1/enforcement/takedown-letters/").json()["results"]
    assert letters[0]["listing"] == listing.pk and letters[0]["pdf_url"].endswith("/pdf/")


def test_cyberspace_takedown_and_readers_refused(make_listing: Any, cyber_officer: Any, police_officer: Any, town_officer: Any, client_for: Any) -> None:
    listing = make_listing("捕鸟网 现货 出售")
    refused = client_for(police_officer).post(f"{BASE}{listing.pk}/takedown/", {"reason": "x"}, content_type="application/json")
    assert refused.status_code == 403
    assert client_for(police_officer).post(BASE, {"title": "x"}, content_type="application/json").status_code == 403
    assert client_for(town_officer).post(f"{BASE}{listing.pk}/takedown/", {"reason": "x"}, content_type="application/json").status_code == 403
    response = client_for(cyber_officer).post(f"{BASE}{listing.pk}/takedown/", {"reason": "违法信息"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == ListingStatus.TAKEDOWN_REQUESTED
    assert client_for(cyber_officer).post(f"{BASE}{listing.pk}/reopen/", {"note": "x"}, content_type="application/json").status_code == 403


def test_missing_listing_is_404_problem(market_officer: Any, client_for: Any, zhoucun: Any) -> None:
    response = client_for(market_officer).post(f"{BASE}999999/takedown/", {"reason": "x"}, content_type="application/json")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/problem+json")


def test_terms_of_a_version(term_table: Any, market_officer: Any, client_for: Any) -> None:
    from wildlife.trade.services import trade_term_add

    trade_term_add(actor=market_officer, base_version=1, term="金丝猴", category="species", weight=60)
    client = client_for(market_officer)
    current = client.get("/api/v1/enforcement/listing-terms/", {"search": "金丝猴"}).json()
    assert current["count"] == 1 and current["results"][0]["since_version"] == 2
    assert client.get("/api/v1/enforcement/listing-terms/", {"search": "金丝猴", "version": "1"}).json()["count"] == 0


def test_schema_documents_the_scan_action(market_officer: Any, client_for: Any, zhoucun: Any) -> None:
    schema = client_for(market_officer).get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/enforcement/listings/scan/" in schema and "/api/v1/enforcement/listings/{id}/takedown/" in schema
