"""Case services: opening from other apps (one case per origin), parties with encrypted identifiers, seized items
and the rescue hand-over, evidence, flows, the workflow to a closed case, and the transfer letter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from wildlife.accounts.models import Department
from wildlife.core.exceptions import ConflictError
from wildlife.enforcement import services
from wildlife.enforcement.models import Case, CaseEvent, RescueHandover, TraceLink, TraceNode
from wildlife.enforcement.selectors import case_for_origin
from wildlife.enforcement.tests.conftest import make_case

pytestmark = pytest.mark.django_db


def test_case_open_from_a_listing_by_market_supervision(market_officer: Any, district_officer: Any, zhoucun: Any) -> None:
    case = services.case_open(
        actor=market_officer, origin="listing", origin_ref="12", origin_label="商品信息 #12 出售画眉活体", title="网络出售画眉案", area=zhoucun["北郊镇"],
    )
    assert case.case_no.startswith("AJ") and case.status == "opened" and case.lead_department.code == "market"
    assert case.area.name == "北郊镇"
    assert Case.objects.restrict(market_officer).filter(pk=case.pk).exists()
    assert case_for_origin(user=market_officer, origin="listing", origin_ref="12") == case
    with pytest.raises(ConflictError) as exc:
        services.case_open(actor=market_officer, origin="listing", origin_ref="12", origin_label="x", title="重复", area=zhoucun["北郊镇"])
    assert exc.value.code == "case_exists" and exc.value.current["case_id"] == case.pk
    assert Case.objects.count() == 1
    assert CaseEvent.objects.filter(case=case, to_status="opened").count() == 1


def test_case_open_checks_input_and_permission(agri_officer: Any, town_officer: Any, zhoucun: Any) -> None:
    from wildlife.core.testing import cast

    with pytest.raises(ValidationError) as exc:
        services.case_open(actor=agri_officer, origin="listing", origin_ref="", origin_label="", title="x", area=zhoucun["王村镇"])
    assert "origin_ref" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.case_open(actor=agri_officer, origin="rumour", origin_ref="1", origin_label="", title="x", area=zhoucun["王村镇"])
    assert "origin" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.case_open(actor=agri_officer, origin="agency", origin_ref="", origin_label="", title="x", area=zhoucun["王村镇"], offence_date=dt.date(2999, 1, 1))
    assert "offence_date" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.case_open(actor=cast.make_cast_member("audit_admin"), origin="agency", origin_ref="", origin_label="", title="x", area=zhoucun["王村镇"])
    # a town government opens a case from a patrol incident and sees it (involved)
    case = services.case_open(actor=town_officer, origin="patrol", origin_ref="7", origin_label="巡护 #7", title="巡护发现猎夹案")
    assert case.area.name == "王村镇" and Case.objects.restrict(town_officer).filter(pk=case.pk).exists()


def test_parties_are_encrypted_indexed_and_linked(district_officer: Any, zhoucun: Any) -> None:
    case = make_case(zhoucun["王村镇"])
    party = services.case_party_add(actor=district_officer, case=case, kind="person", role="seller", name="张某", phone="139 1234 5678", id_number="370306199001011234", address="王村镇某村1号")
    assert party.display_name == "张某" and party.masked_phone == "139****5678" and party.masked_id_number == "370306********1234"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, id_number, address FROM enforcement_caseparty WHERE id = %s", [party.pk])
        row = cursor.fetchone()
    assert all(value.startswith("enc1:") for value in row) and "5678" not in "".join(row)
    kinds = set(TraceNode.objects.filter(links__party=party).values_list("kind", flat=True))
    assert kinds == {"phone", "id_number", "address"}
    assert "139****5678" in set(TraceNode.objects.values_list("label", flat=True))
    with pytest.raises(ValidationError) as exc:
        services.case_party_add(actor=district_officer, case=case, kind="person", name="")
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.case_party_add(actor=district_officer, case=case, kind="account", name="小店")
    assert "identifier" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.case_party_add(actor=district_officer, case=case, kind="phone", phone="abc")
    assert "phone" in exc.value.message_dict
    services.case_party_remove(actor=district_officer, party=party)
    assert not TraceLink.objects.filter(party_id=party.pk).exists()


def test_live_item_handed_over_once_with_a_pending_receipt(district_officer: Any, zhoucun: Any, catalogue: Any) -> None:
    case = make_case(zhoucun["王村镇"])
    alive = services.case_item_add(actor=district_officer, case=case, species=catalogue["画眉"], count=3, condition="alive")
    dead = services.case_item_add(actor=district_officer, case=case, species=catalogue["画眉"], count=1, condition="dead")
    handover = services.case_item_hand_over(actor=district_officer, item=alive, condition_note="精神尚可")
    assert handover.receipt_no.startswith("YJ") and handover.status == "pending_pickup" and handover.count == 3
    assert handover.area_id == case.area_id and handover.species == catalogue["画眉"]
    with pytest.raises(ConflictError):
        services.case_item_hand_over(actor=district_officer, item=alive)
    with pytest.raises(ValidationError):
        services.case_item_hand_over(actor=district_officer, item=dead)
    assert RescueHandover.objects.count() == 1
    picked = services.rescue_handover_pick_up(actor=district_officer, handover=handover, rescue_ref="JZ2026-0003")
    assert picked.status == "picked_up" and picked.rescue_ref == "JZ2026-0003"
    with pytest.raises(ConflictError):
        services.rescue_handover_pick_up(actor=district_officer, handover=handover, rescue_ref="JZ2026-0004")
    with pytest.raises(ValidationError) as exc:
        services.case_item_add(actor=district_officer, case=case, count=0, condition="alive", species=catalogue["画眉"])
    assert "count" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.case_item_add(actor=district_officer, case=case, count=1, condition="alive")
    assert "species" in exc.value.message_dict


def test_evidence_is_type_checked_and_hashed(district_officer: Any, zhoucun: Any) -> None:
    case = make_case(zhoucun["王村镇"])
    evidence = services.case_evidence_add(actor=district_officer, case=case, kind="document", title="询问笔录", file=SimpleUploadedFile("笔录.pdf", b"%PDF-1.4 test"))
    import hashlib

    assert evidence.sha256 == hashlib.sha256(b"%PDF-1.4 test").hexdigest() and evidence.original_name == "笔录.pdf"
    with pytest.raises(ValidationError) as exc:
        services.case_evidence_add(actor=district_officer, case=case, kind="other", title="脚本", file=SimpleUploadedFile("x.exe", b"MZ"))
    assert "file" in exc.value.message_dict


def test_flows_between_parties_of_the_same_case(district_officer: Any, zhoucun: Any) -> None:
    case = make_case(zhoucun["王村镇"])
    other = make_case(zhoucun["北郊镇"])
    a = services.case_party_add(actor=district_officer, case=case, kind="person", role="source", name="甲")
    b = services.case_party_add(actor=district_officer, case=case, kind="person", role="buyer", name="乙")
    c = services.case_party_add(actor=district_officer, case=other, kind="person", role="buyer", name="丙")
    services.case_flow_add(actor=district_officer, case=case, from_party=a, to_party=b, kind="sale", quantity="3只")
    with pytest.raises(ValidationError):
        services.case_flow_add(actor=district_officer, case=case, from_party=a, to_party=c, kind="sale")
    with pytest.raises(ValidationError):
        services.case_flow_add(actor=district_officer, case=case, from_party=a, to_party=a, kind="sale")


def test_case_workflow_transfer_letter_and_close(district_officer: Any, police_officer: Any, zhoucun: Any, catalogue: Any) -> None:
    case = make_case(zhoucun["王村镇"], offence_date=dt.date(2024, 3, 1), offence_type="trade")
    services.case_party_add(actor=district_officer, case=case, kind="person", role="seller", name="张某", phone="13912345678")
    services.case_item_add(actor=district_officer, case=case, species=catalogue["金雕"], count=3, condition="dead")
    case = services.case_start_investigation(actor=district_officer, case=case)
    with pytest.raises(ConflictError):
        services.case_start_investigation(actor=district_officer, case=case)
    case = services.case_assess(actor=district_officer, case=case)
    assert case.assessed_value is not None and case.assessment["items"]
    case = services.case_transfer(actor=district_officer, case=case, reason="涉案价值达到立案标准")
    assert case.status == "transferred" and case.transfer_letter_no.startswith("周野移〔")
    assert case.involved_departments.filter(code="police").exists()
    assert Case.objects.restrict(police_officer).filter(pk=case.pk).exists()
    from wildlife.enforcement.letters import transfer_letter_pdf

    pdf = transfer_letter_pdf(case)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    with pytest.raises(ConflictError):
        services.case_decide(actor=district_officer, case=case, kind="penalty", decided_on=dt.date(2024, 5, 1), fine_amount=Decimal("1000"))
    case = services.case_transfer_back(actor=district_officer, case=case, note="公安机关不予立案，退回行政处理")
    decision = services.case_decide(
        actor=district_officer, case=case, kind="penalty", decided_on=dt.date(2024, 5, 1), document_no="周自然罚〔2024〕1号", fine_amount=Decimal("30000"),
    )
    assert decision.case.status == "decided"
    case = services.case_close(actor=district_officer, case=Case.objects.get(pk=case.pk), outcome="penalty", note="罚款已缴纳")
    assert case.status == "closed" and case.closed_at is not None
    with pytest.raises(ConflictError) as exc:
        services.case_party_add(actor=district_officer, case=case, kind="person", name="迟到的当事人")
    assert exc.value.code == "case_closed"
    titles = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {"status", "transfer", "decision", "assessment", "seizure"} <= set(titles)


def test_case_update_uses_optimistic_locking(district_officer: Any, zhoucun: Any) -> None:
    case = make_case(zhoucun["王村镇"])
    services.case_update(actor=district_officer, obj=case, version=case.version, title="新名称", offence_type="hunting")
    with pytest.raises(ConflictError) as exc:
        services.case_update(actor=district_officer, obj=case, version=1, title="并发修改")
    assert exc.value.code == "version_conflict"
    assert Case.objects.get(pk=case.pk).title == "新名称"


def test_case_update_keeps_the_editors_department(market_officer: Any, zhoucun: Any) -> None:
    case = services.case_open(actor=market_officer, origin="agency", origin_ref="", origin_label="移送", title="某案", area=zhoucun["王村镇"], lead_department=Department.objects.get(code="natural_resources"))
    assert case.involved_departments.filter(code="market").exists()
    services.case_update(actor=market_officer, obj=case, version=case.version, title="某案（改）", involved_departments=[])
    assert Case.objects.restrict(market_officer).filter(pk=case.pk).exists()
