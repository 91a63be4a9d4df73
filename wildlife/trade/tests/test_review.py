"""The review workflow: false positive, takedown letter (numbered PDF, audited), escalation to a case through the
enforcement service, double submissions with one effect, and who may do what."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wildlife.audit.models import AuditEvent
from wildlife.core.exceptions import ConflictError
from wildlife.trade import services
from wildlife.trade.choices import ListingStatus
from wildlife.trade.letters import document_text, letter_context, letter_document, letter_html
from wildlife.trade.models import Listing, TakedownLetter

pytestmark = pytest.mark.django_db


@pytest.fixture
def hit(make_listing: Any) -> Listing:
    listing = make_listing("出售画眉鸟活体 野生", "南部山区现抓，可寄", seller_account="niaoyou_zc", seller_phone="13705339876", price="380")
    assert listing.flagged and listing.status == ListingStatus.NEW
    return listing


def test_start_review_then_false_positive(hit: Listing, market_officer: Any) -> None:
    services.listing_review_start(actor=market_officer, listing=hit)
    assert hit.status == ListingStatus.REVIEWING and hit.reviewer == market_officer
    services.listing_mark_false_positive(actor=market_officer, listing=hit, note="人工繁育，证件齐全")
    assert hit.status == ListingStatus.FALSE_POSITIVE and hit.review_note == "人工繁育，证件齐全"
    actions = list(AuditEvent.objects.filter(object_type="trade.listing", object_id=str(hit.pk)).values_list("action", flat=True))
    assert "listing_review_start" in actions and "listing_false_positive" in actions


def test_false_positive_needs_a_reason(hit: Listing, market_officer: Any) -> None:
    with pytest.raises(ValidationError) as info:
        services.listing_mark_false_positive(actor=market_officer, listing=hit, note="  ")
    assert "note" in info.value.message_dict
    hit.refresh_from_db()
    assert hit.status == ListingStatus.NEW


def test_double_submission_has_one_effect(hit: Listing, market_officer: Any) -> None:
    services.listing_mark_false_positive(actor=market_officer, listing=hit, note="误报")
    stale = Listing.objects.get(pk=hit.pk)
    stale.status = ListingStatus.NEW  # what a second browser tab still shows
    with pytest.raises(ConflictError) as info:
        services.listing_mark_false_positive(actor=market_officer, listing=stale, note="误报")
    assert info.value.code == "listing_state"
    assert AuditEvent.objects.filter(action="listing_false_positive", object_id=str(hit.pk)).count() == 1
    with pytest.raises(ConflictError):
        services.listing_request_takedown(actor=market_officer, listing=stale, reason="再次")
    assert not TakedownLetter.objects.exists()


def test_takedown_issues_a_numbered_letter(hit: Listing, market_officer: Any) -> None:
    letter = services.listing_request_takedown(actor=market_officer, listing=hit, reason="出售国家二级保护野生动物画眉活体")
    hit.refresh_from_db()
    assert hit.status == ListingStatus.TAKEDOWN_REQUESTED
    assert letter.seq == 1 and letter.number.endswith("1号") and str(letter.year) in letter.number
    pdf = letter.file.read()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    import hashlib

    assert hashlib.sha256(pdf).hexdigest() == letter.sha256
    assert letter.addressee == "示例网络科技有限公司"
    assert AuditEvent.objects.filter(action="takedown_letter_issue", object_id=str(letter.pk)).exists()


def test_letter_numbers_are_consecutive(make_listing: Any, market_officer: Any) -> None:
    numbers = []
    for title in ("出售画眉鸟活体", "白料手串出售", "捕鸟网 现货 出售"):
        listing = make_listing(title)
        numbers.append(services.listing_request_takedown(actor=market_officer, listing=listing, reason="违法").seq)
    assert numbers == [1, 2, 3]


def test_letter_text_on_the_pages(hit: Listing, market_officer: Any) -> None:
    """The laid-out PDF pages carry the number, the platform, the listing, the legal basis and the issuer."""
    letter = services.listing_request_takedown(actor=market_officer, listing=hit, reason="出售国家二级保护野生动物画眉活体")
    context = letter_context(listing=hit, number=letter.number, reason=letter.reason, issuer="周村区市场监管局", issued_at=letter.issued_at, officer="market_officer")
    document = letter_document(letter_html(context))
    text = document_text(document)
    for expected in (letter.number, "示例网络科技有限公司", "闲置平台", "出售画眉鸟活体", "niaoyou_zc", "第三十二条", "周村区市场监管局", "画眉", "出售国家二级保护野生动物画眉活体"):
        assert expected in text, expected
    assert "13705339876" not in text  # the seller's phone is not put in a letter
    assert len(document.pages) >= 1


def test_escalation_opens_one_case(hit: Listing, market_officer: Any) -> None:
    from wildlife.enforcement.models import Case

    services.listing_escalate(actor=market_officer, listing=hit, title="网络出售画眉案", note="卖家多次出售")
    hit.refresh_from_db()
    assert hit.status == ListingStatus.ESCALATED
    case = Case.objects.get(origin="listing", origin_ref=str(hit.pk))
    assert hit.case_id == case.pk and hit.case_no == case.case_no
    assert case.offence_type == "trade"
    # a second request gets 409 and opens nothing
    stale = Listing.objects.get(pk=hit.pk)
    stale.status = ListingStatus.NEW
    with pytest.raises(ConflictError):
        services.listing_escalate(actor=market_officer, listing=stale, title="再次")
    assert Case.objects.filter(origin="listing", origin_ref=str(hit.pk)).count() == 1


def test_escalation_registers_the_seller_for_tracing(hit: Listing, market_officer: Any) -> None:
    from wildlife.enforcement.models import TraceLink

    services.listing_escalate(actor=market_officer, listing=hit, title="网络出售画眉案")
    links = TraceLink.objects.filter(source_id=str(hit.pk)).select_related("node")
    assert {link.node.kind for link in links} == {"account", "phone"}
    assert all("13705339876" not in link.node.label for link in links)


def test_reopen_a_false_positive(hit: Listing, market_officer: Any) -> None:
    services.listing_mark_false_positive(actor=market_officer, listing=hit, note="误报")
    services.listing_reopen(actor=market_officer, listing=hit, note="复核发现确为野生个体")
    assert hit.status == ListingStatus.NEW and hit.reviewer is None


def test_cyberspace_may_request_takedown_but_not_review(hit: Listing, cyber_officer: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.listing_mark_false_positive(actor=cyber_officer, listing=hit, note="x")
    letter = services.listing_request_takedown(actor=cyber_officer, listing=hit, reason="违法信息")
    assert "网信办" in document_text(letter_document(letter_html(letter_context(listing=hit, number=letter.number, reason="x", issuer="周村区委网信办", issued_at=letter.issued_at, officer="c"))))


@pytest.mark.parametrize("who", ["police_officer", "district_officer", "agri_officer"])
def test_cooperating_departments_only_read(hit: Listing, who: str, request: Any) -> None:
    user = request.getfixturevalue(who)
    assert Listing.objects.restrict(user, "view").filter(pk=hit.pk).exists()
    for step in (
        lambda: services.listing_review_start(actor=user, listing=hit),
        lambda: services.listing_request_takedown(actor=user, listing=hit, reason="x"),
        lambda: services.listing_escalate(actor=user, listing=hit, title="x"),
    ):
        with pytest.raises(PermissionDenied):
            step()
    hit.refresh_from_db()
    assert hit.status == ListingStatus.NEW
