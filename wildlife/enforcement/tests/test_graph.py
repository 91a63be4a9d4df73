"""The tracing graph: the same phone or account in two cases links them (blind index only), records of other apps
registered with trace_link join in, out-of-scope records stay out, and flows form chains from source to buyer."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from wildlife.enforcement import services
from wildlife.enforcement.models import TraceLink, TraceNode
from wildlife.enforcement.selectors import case_graph, party_appearances, trace_appearances
from wildlife.enforcement.tests.conftest import make_case

pytestmark = pytest.mark.django_db
PHONE = "13712345678"


@pytest.fixture
def linked(zhoucun: dict[str, Any], district_officer: Any) -> tuple[Any, Any]:
    a = make_case(zhoucun["王村镇"], title="王村镇收购画眉案", involved=("town",))
    b = make_case(zhoucun["北郊镇"], title="北郊镇网络售鸟案", involved=("town",))
    services.case_party_add(actor=district_officer, case=a, kind="person", role="seller", name="张某", phone=PHONE)
    services.case_party_add(actor=district_officer, case=b, kind="account", role="seller", name="山货小店", identifier="闲鱼:bird_01", phone="+86 137-1234-5678")
    return a, b


def test_same_phone_links_two_cases(linked: tuple[Any, Any], district_officer: Any) -> None:
    a, b = linked
    graph = case_graph(user=district_officer, case=a)
    node_ids = {n["id"] for n in graph["nodes"]}
    assert f"case:{a.pk}" in node_ids and f"case:{b.pk}" in node_ids
    phone_nodes = [n for n in graph["nodes"] if n["kind"] == "id_phone"]
    assert len(phone_nodes) == 1 and phone_nodes[0]["label"] == "137****5678"
    assert PHONE not in str(graph)
    edges = {(e["source"], e["target"], e["kind"]) for e in graph["edges"]}
    assert any(src.startswith("party:") and tgt == phone_nodes[0]["id"] for src, tgt, _k in edges)
    assert TraceNode.objects.filter(kind="phone").count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, label FROM enforcement_tracenode")
        rows = cursor.fetchall()
    assert all(PHONE not in key and PHONE not in label for key, label in rows)


def test_linked_case_outside_scope_is_left_out(linked: tuple[Any, Any], town_officer: Any, district_officer: Any) -> None:
    a, b = linked
    graph = case_graph(user=town_officer, case=a)
    assert f"case:{b.pk}" not in {n["id"] for n in graph["nodes"]}
    assert "北郊镇网络售鸟案" not in str(graph)
    assert f"case:{b.pk}" in {n["id"] for n in case_graph(user=district_officer, case=a)["nodes"]}


def test_party_appearances_answers_where_else(linked: tuple[Any, Any], district_officer: Any, town_officer: Any) -> None:
    a, b = linked
    party = a.parties.get()
    found = party_appearances(user=district_officer, party=party)
    assert len(found) == 1
    node, rows = found[0]
    assert node.kind == "phone" and [r.case_id for r in rows] == [b.pk]
    assert party_appearances(user=town_officer, party=party)[0][1] == []
    assert [r.case_id for r in trace_appearances(user=district_officer, kind="phone", value="137 1234 5678")] == sorted([a.pk, b.pk])


def test_trace_link_from_another_app_joins_the_graph(linked: tuple[Any, Any], district_officer: Any, other_town_officer: Any, zhoucun: Any) -> None:
    """A record of another app (the test-only sample register stands in for a listing) sharing the phone."""
    from wildlife.core.tests.sample.models import SampleRecord

    a, _b = linked
    record = SampleRecord.objects.create(name="商品信息：出售画眉", area=zhoucun["王村镇"], district=zhoucun["周村区"])
    node = services.trace_link(kind="phone", value=PHONE, source_type="sample.samplerecord", source_id=record.pk, label="商品信息 #1 出售画眉", role="seller")
    again = services.trace_link(kind="phone", value="86" + PHONE, source_type="sample.samplerecord", source_id=record.pk, label="商品信息 #1 出售画眉", role="seller")
    assert node.pk == again.pk and TraceLink.objects.filter(source_type="sample.samplerecord").count() == 1
    graph = case_graph(user=district_officer, case=a)
    records = [n for n in graph["nodes"] if n["kind"] == "record"]
    assert len(records) == 1 and records[0]["label"] == "商品信息 #1 出售画眉" and records[0]["url"] == record.get_absolute_url()
    rows = trace_appearances(user=district_officer, kind="phone", value=PHONE)
    assert "sample.samplerecord" in {r.source_type for r in rows}
    # outside the record's scope it is not shown (other_town_officer cannot see a 王村镇 record)
    assert "sample.samplerecord" not in {r.source_type for r in trace_appearances(user=other_town_officer, kind="phone", value=PHONE)}
    assert services.trace_unlink(source_type="sample.samplerecord", source_id=record.pk) == 1
    assert not [n for n in case_graph(user=district_officer, case=a)["nodes"] if n["kind"] == "record"]


def test_trace_link_validates(district_officer: Any) -> None:
    with pytest.raises(ValidationError):
        services.trace_link(kind="email", value="a@b", source_type="listing", source_id=1, label="x")
    with pytest.raises(ValidationError):
        services.trace_link(kind="phone", value="---", source_type="listing", source_id=1, label="x")
    with pytest.raises(ValidationError):
        services.trace_link(kind="phone", value=PHONE, source_type="nowhere", source_id=1, label="x")
    # a model that does not exist (yet) is accepted but never shown
    services.trace_link(kind="phone", value=PHONE, source_type="listing", source_id=9, label="商品信息 #9")
    assert TraceLink.objects.filter(source_type="trade.listing", source_id="9").exists()


def test_graph_follows_two_hops_and_flow_chains(zhoucun: Any, district_officer: Any) -> None:
    a = make_case(zhoucun["王村镇"], title="甲案")
    b = make_case(zhoucun["王村镇"], title="乙案")
    c = make_case(zhoucun["王村镇"], title="丙案")
    src = services.case_party_add(actor=district_officer, case=a, kind="person", role="source", name="猎捕者", phone="13700000001")
    mid = services.case_party_add(actor=district_officer, case=a, kind="vehicle", role="transporter", identifier="鲁C12345")
    end = services.case_party_add(actor=district_officer, case=a, kind="person", role="buyer", name="买家")
    services.case_flow_add(actor=district_officer, case=a, from_party=src, to_party=mid, kind="transport", quantity="5只")
    services.case_flow_add(actor=district_officer, case=a, from_party=mid, to_party=end, kind="sale")
    services.case_party_add(actor=district_officer, case=b, kind="vehicle", role="transporter", identifier="鲁c 12345")
    services.case_party_add(actor=district_officer, case=b, kind="person", role="seller", name="卖家", phone="13700000002")
    services.case_party_add(actor=district_officer, case=c, kind="phone", role="seller", phone="13700000002")
    one = {n["id"] for n in case_graph(user=district_officer, case=a, depth=1)["nodes"]}
    two = {n["id"] for n in case_graph(user=district_officer, case=a, depth=2)["nodes"]}
    assert f"case:{b.pk}" in one and f"case:{c.pk}" not in one
    assert f"case:{c.pk}" in two
    chains = case_graph(user=district_officer, case=a)["chains"]
    assert [[step["party"] for step in chain] for chain in chains] == [["猎捕者", "鲁C***45", "买家"]]
    assert chains[0][1]["flow"].startswith("运输")


def test_graph_api_and_page(linked: tuple[Any, Any], client_for: Any, district_officer: Any, town_officer: Any) -> None:
    a, b = linked
    body = client_for(district_officer).get(f"/api/v1/enforcement/cases/{a.pk}/graph/").json()
    assert {"nodes", "edges", "chains"} <= set(body)
    assert f"case:{b.pk}" in {n["id"] for n in body["nodes"]}
    page = client_for(district_officer).get(f"/enforcement/cases/{a.pk}/graph/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="graph-option"' in html and "北郊镇网络售鸟案" in html and "enforcement/graph.js" in html
    assert "北郊镇网络售鸟案" not in client_for(town_officer).get(f"/enforcement/cases/{a.pk}/graph/").content.decode()
    party = a.parties.get()
    where = client_for(district_officer).get(f"/enforcement/cases/{a.pk}/parties/{party.pk}/").content.decode()
    assert "北郊镇网络售鸟案" in where and PHONE not in where
