"""The enforcement API: resources never carry the informant, workflow steps with Idempotency-Key and 409 in the wrong
state, masked parties unless revealed with the permission, and problem+json errors."""

from __future__ import annotations

from typing import Any

import pytest

from wildlife.audit.models import AuditEvent
from wildlife.enforcement.models import Case, Tipoff, TipoffStep
from wildlife.enforcement.tests.conftest import CANARY_NAME, CANARY_PHONE, make_case, make_tipoff, town_point

pytestmark = pytest.mark.django_db


def _post(client: Any, url: str, data: dict[str, Any] | None = None, **headers: Any) -> Any:
    return client.post(url, data or {}, content_type="application/json", **headers)


def test_create_tipoff_never_returns_the_informant(client_for: Any, district_officer: Any, zhoucun: Any) -> None:
    client = client_for(district_officer)
    response = _post(client, "/api/v1/enforcement/tipoffs/", {
        "channel": "phone_12345", "content": "有人在山上下猎夹", "area": zhoucun["王村镇"].pk,
        "informant": {"name": CANARY_NAME, "phone": CANARY_PHONE},
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["receipt_no"].startswith("JB") and body["anonymous"] is False
    assert "informant" not in body and CANARY_NAME not in response.content.decode()
    listing = client.get("/api/v1/enforcement/tipoffs/").content.decode()
    detail = client.get(f"/api/v1/enforcement/tipoffs/{body['id']}/").content.decode()
    geo = client.get("/api/v1/enforcement/tipoffs/?format=geojson").content.decode()
    for text in (listing, detail, geo):
        assert CANARY_NAME not in text and CANARY_PHONE not in text


def test_create_tipoff_validation_is_problem_json(client_for: Any, district_officer: Any) -> None:
    response = _post(client_for(district_officer), "/api/v1/enforcement/tipoffs/", {"channel": "web", "content": ""})
    assert response.status_code == 400 and response["Content-Type"].startswith("application/problem+json")
    assert {"channel", "content"} <= set(response.json()["errors"])
    response = _post(client_for(district_officer), "/api/v1/enforcement/tipoffs/", {"channel": "walk_in", "content": "x", "informant": {"phone": "12ab"}, "area": 1})
    assert response.status_code == 400 and "12ab" not in response.content.decode()


def test_workflow_steps_idempotency_and_conflicts(client_for: Any, district_officer: Any, zhoucun: Any) -> None:
    tipoff = make_tipoff(zhoucun["王村镇"])
    client = client_for(district_officer)
    url = f"/api/v1/enforcement/tipoffs/{tipoff.pk}/triage/"
    first = _post(client, url, {"category": "hunting"}, HTTP_IDEMPOTENCY_KEY="triage-1")
    assert first.status_code == 200 and first.json()["status"] == "triaged"
    replay = _post(client, url, {"category": "hunting"}, HTTP_IDEMPOTENCY_KEY="triage-1")
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true" and replay.json() == first.json()
    reused = _post(client, url, {"category": "trade"}, HTTP_IDEMPOTENCY_KEY="triage-1")
    assert reused.status_code == 422
    double = _post(client, url, {"category": "hunting"})
    assert double.status_code == 409 and double.json()["code"] == "tipoff_state_conflict" and double.json()["current"]["status"] == "triaged"
    assert TipoffStep.objects.filter(tipoff=tipoff, action="triage").count() == 1
    wrong = _post(client, f"/api/v1/enforcement/tipoffs/{tipoff.pk}/reply/", {"reply": "答复"})
    assert wrong.status_code == 409
    assigned = _post(client, f"/api/v1/enforcement/tipoffs/{tipoff.pk}/assign/", {"department": "natural_resources", "town": zhoucun["王村镇"].pk})
    assert assigned.status_code == 200 and assigned.json()["assigned_town"] == zhoucun["王村镇"].pk
    escalated = _post(client, f"/api/v1/enforcement/tipoffs/{tipoff.pk}/escalate/", {"title": "猎夹案", "offence_type": "hunting"}, HTTP_IDEMPOTENCY_KEY="esc-1")
    assert escalated.status_code == 201 and escalated.json()["origin"] == "tipoff"
    again = _post(client, f"/api/v1/enforcement/tipoffs/{tipoff.pk}/escalate/", {"title": "猎夹案", "offence_type": "hunting"}, HTTP_IDEMPOTENCY_KEY="esc-1")
    assert again.status_code == 201 and again.json()["id"] == escalated.json()["id"]
    assert _post(client, f"/api/v1/enforcement/tipoffs/{tipoff.pk}/escalate/", {"title": "猎夹案"}).status_code == 409
    assert Case.objects.count() == 1
    for step, data in (("handle", {"findings": "属实"}), ("reply", {"reply": "已查处"}), ("close", {})):
        assert _post(client, f"/api/v1/enforcement/tipoffs/{tipoff.pk}/{step}/", data).status_code == 200, step
    assert Tipoff.objects.get(pk=tipoff.pk).status == "closed"


def test_workflow_needs_change_permission(client_for: Any, town_viewer: Any, zhoucun: Any) -> None:
    tipoff = make_tipoff(zhoucun["王村镇"])
    response = _post(client_for(town_viewer), f"/api/v1/enforcement/tipoffs/{tipoff.pk}/triage/", {"category": "hunting"})
    assert response.status_code in (403, 404)
    assert Tipoff.objects.get(pk=tipoff.pk).status == "registered"


def test_methods_not_offered_are_405(client_for: Any, district_officer: Any, zhoucun: Any) -> None:
    tipoff = make_tipoff(zhoucun["王村镇"])
    client = client_for(district_officer)
    assert client.delete(f"/api/v1/enforcement/tipoffs/{tipoff.pk}/").status_code in (403, 405)
    assert client.patch(f"/api/v1/enforcement/tipoffs/{tipoff.pk}/", {"status": "closed"}, content_type="application/json").status_code == 405
    assert Tipoff.objects.get(pk=tipoff.pk).status == "registered"


def test_case_api_parties_masked_and_reveal_audited(client_for: Any, district_officer: Any, police_officer: Any, market_officer: Any, zhoucun: Any, catalogue: Any) -> None:
    client = client_for(district_officer)
    created = _post(client, "/api/v1/enforcement/cases/", {"origin": "agency", "title": "移送案", "area": zhoucun["王村镇"].pk, "offence_type": "trade", "offence_date": "2024-03-01"})
    assert created.status_code == 201
    case_id = created.json()["id"]
    party = _post(client, f"/api/v1/enforcement/cases/{case_id}/parties/", {"kind": "person", "role": "seller", "name": "张某", "phone": "13912345678", "id_number": "370306199001011234"})
    assert party.status_code == 201 and party.json()["phone"] == "139****5678" and party.json()["id_number"] == "370306********1234"
    item = _post(client, f"/api/v1/enforcement/cases/{case_id}/items/", {"species": "画眉", "count": 2, "condition": "alive"})
    assert item.status_code == 201 and item.json()["species"] == "画眉"
    handover = _post(client, f"/api/v1/enforcement/cases/{case_id}/items/{item.json()['id']}/handover/", {"note": "精神好"})
    assert handover.status_code == 201 and handover.json()["status"] == "pending_pickup"
    assessed = _post(client, f"/api/v1/enforcement/cases/{case_id}/assess/")
    assert assessed.status_code == 200 and assessed.json()["assessed_value"] is not None
    detail = client.get(f"/api/v1/enforcement/cases/{case_id}/").json()
    assert detail["parties"][0]["phone"] == "139****5678" and detail["items"][0]["handover"]["status"] == "pending_pickup"
    revealed = client_for(police_officer).get(f"/api/v1/enforcement/cases/{case_id}/?reveal=1").json()
    assert revealed["parties"][0]["phone"] == "13912345678"
    assert AuditEvent.objects.filter(action="party_reveal", username="police_officer").exists()
    # market supervision is not involved: the case does not exist for it
    assert client_for(market_officer).get(f"/api/v1/enforcement/cases/{case_id}/?reveal=1").status_code == 404
    bad = _post(client, f"/api/v1/enforcement/cases/{case_id}/items/", {"species": "不存在的鸟", "count": 0, "condition": "alive"})
    assert bad.status_code == 400 and {"species", "count"} <= set(bad.json()["errors"])


def test_case_api_workflow_and_conflicts(client_for: Any, district_officer: Any, zhoucun: Any) -> None:
    case = make_case(zhoucun["王村镇"])
    client = client_for(district_officer)
    assert _post(client, f"/api/v1/enforcement/cases/{case.pk}/investigate/").status_code == 200
    assert _post(client, f"/api/v1/enforcement/cases/{case.pk}/investigate/").status_code == 409
    assert _post(client, f"/api/v1/enforcement/cases/{case.pk}/close/", {"outcome": "penalty"}).status_code == 409
    transferred = _post(client, f"/api/v1/enforcement/cases/{case.pk}/transfer/", {"reason": "价值达到标准"})
    assert transferred.status_code == 200 and transferred.json()["transfer_letter_no"]
    assert client.get(f"/enforcement/cases/{case.pk}/transfer-letter.pdf")["Content-Type"] == "application/pdf"
    closed = _post(client, f"/api/v1/enforcement/cases/{case.pk}/close/", {"outcome": "criminal"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_operations_api(client_for: Any, district_officer: Any, town_officer: Any) -> None:
    client = client_for(district_officer)
    created = _post(client, "/api/v1/enforcement/operations/", {"code": "qf-2026", "name": "清风行动2026", "start_date": "2026-03-01", "lead_department": "natural_resources", "departments": ["market", "police"]})
    assert created.status_code == 201, created.content
    op_id = created.json()["id"]
    patched = client.patch(f"/api/v1/enforcement/operations/{op_id}/", {"status": "active"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["status"] == "active"
    closing = client.patch(f"/api/v1/enforcement/operations/{op_id}/", {"status": "closed"}, content_type="application/json")
    assert closing.status_code == 400 and "summary" in closing.json()["errors"]
    assert client_for(town_officer).get(f"/api/v1/enforcement/operations/{op_id}/").status_code == 404
    assert _post(client_for(town_officer), "/api/v1/enforcement/operations/", {"code": "x", "name": "x", "start_date": "2026-03-01", "lead_department": "market"}).status_code == 403


def test_handover_pick_up_api(client_for: Any, district_officer: Any, market_officer: Any, zhoucun: Any) -> None:
    from wildlife.enforcement.models import RescueHandover, SeizedItem

    case = make_case(zhoucun["王村镇"])
    item = SeizedItem.objects.create(case=case, description="活体", count=1, condition="alive")
    handover = RescueHandover.objects.create(receipt_no="YJ-T1", item=item, case=case, count=1, area=case.area, district=case.district)
    client = client_for(district_officer)
    assert [r["receipt_no"] for r in client.get("/api/v1/enforcement/handovers/?status=pending_pickup").json()["results"]] == ["YJ-T1"]
    done = _post(client, f"/api/v1/enforcement/handovers/{handover.pk}/pick_up/", {"rescue_ref": "JZ-1"})
    assert done.status_code == 200 and done.json()["status"] == "picked_up"
    assert _post(client, f"/api/v1/enforcement/handovers/{handover.pk}/pick_up/", {"rescue_ref": "JZ-2"}).status_code == 409
    assert client_for(market_officer).get("/api/v1/enforcement/handovers/").status_code == 403


def test_tipoff_geojson_and_filters(client_for: Any, district_officer: Any, zhoucun: Any) -> None:
    make_tipoff(zhoucun["王村镇"], location=town_point(zhoucun["王村镇"]))
    make_tipoff(zhoucun["北郊镇"], channel="letter")
    client = client_for(district_officer)
    geo = client.get("/api/v1/enforcement/tipoffs/?format=geojson").json()
    assert geo["type"] == "FeatureCollection" and geo["count"] == 2
    assert client.get("/api/v1/enforcement/tipoffs/?channel=letter").json()["count"] == 1
    assert client.get(f"/api/v1/enforcement/tipoffs/?area={zhoucun['王村镇'].pk}").json()["count"] == 1
