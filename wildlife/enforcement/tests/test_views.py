"""Pages: intake form, workflow forms on the detail pages (field errors, 409 messages), case parts, reveal page,
rules editing, intake-member management, demo data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from wildlife.enforcement.models import BaseValue, Case, Operation, Tipoff, TipoffInformant
from wildlife.enforcement.tests.conftest import make_case, make_tipoff, town_point

pytestmark = pytest.mark.django_db


def test_intake_form_creates_a_tipoff_and_reports_field_errors(client_for: Any, district_officer: Any, zhoucun: Any, catalogue: Any) -> None:
    client = client_for(district_officer)
    assert client.get("/enforcement/tipoffs/new/").status_code == 200
    point = town_point(zhoucun["北郊镇"])
    response = client.post("/enforcement/tipoffs/new/", {
        "channel": "walk_in", "kind": "illegal", "content": "来访群众反映北郊镇有人卖刺猬", "lon": f"{point.x:.6f}", "lat": f"{point.y:.6f}",
        "informant_name": "来访人", "informant_phone": "13812345678", "species": "刺猬",
    })
    assert response.status_code == 302
    tipoff = Tipoff.objects.get()
    assert tipoff.area.name == "北郊镇" and tipoff.species is not None and "刺猬" in tipoff.species.name_zh
    assert TipoffInformant.objects.get(tipoff=tipoff).name == "来访人"
    bad = client.post("/enforcement/tipoffs/new/", {"channel": "walk_in", "kind": "illegal", "content": "", "lon": "117.8", "informant_name": "不应回显的名字"})
    html = bad.content.decode()
    assert 'data-field-error="content"' in html and 'data-field-error="lat"' in html and "不应回显的名字" not in html
    assert Tipoff.objects.count() == 1


def test_tipoff_detail_actions_follow_the_status(client_for: Any, district_officer: Any, town_viewer: Any, zhoucun: Any) -> None:
    tipoff = make_tipoff(zhoucun["王村镇"])
    client = client_for(district_officer)
    html = client.get(f"/enforcement/tipoffs/{tipoff.pk}/").content.decode()
    assert 'data-testid="form-triage"' in html and 'data-testid="form-reply"' not in html
    assert 'data-testid="tipoff-actions"' not in client_for(town_viewer).get(f"/enforcement/tipoffs/{tipoff.pk}/").content.decode()
    bad = client.post(f"/enforcement/tipoffs/{tipoff.pk}/triage/", {"category": "nonsense"})
    assert bad.status_code == 200 and 'data-field-error="category"' in bad.content.decode()
    ok = client.post(f"/enforcement/tipoffs/{tipoff.pk}/triage/", {"category": "hunting", "area": zhoucun["王村镇"].pk})
    assert ok.status_code == 302 and Tipoff.objects.get(pk=tipoff.pk).status == "triaged"
    again = client.post(f"/enforcement/tipoffs/{tipoff.pk}/triage/", {"category": "trade"}, follow=True)
    assert "不能执行" in again.content.decode() and Tipoff.objects.get(pk=tipoff.pk).category == "hunting"
    assert client.post(f"/enforcement/tipoffs/{tipoff.pk}/explode/", {}).status_code == 404
    viewer = client_for(town_viewer).post(f"/enforcement/tipoffs/{tipoff.pk}/assign/", {"department": 1})
    assert viewer.status_code in (403, 404)
    escalate = client.post(f"/enforcement/tipoffs/{tipoff.pk}/escalate/", {"title": "捕鸟案", "offence_type": "hunting"})
    case = Case.objects.get()
    assert escalate.status_code == 302 and escalate["Location"] == case.get_absolute_url()


def test_reveal_page_only_for_the_intake_role(client_for: Any, district_officer: Any, intake_officer: Any, zhoucun: Any) -> None:
    from wildlife.enforcement import services

    tipoff = services.tipoff_register(actor=district_officer, channel="walk_in", content="来访", area=zhoucun["王村镇"], informant={"name": "保密的人"})
    page = client_for(district_officer).get(f"/enforcement/tipoffs/{tipoff.pk}/").content.decode()
    assert 'data-testid="reveal-form"' not in page and "仅举报受理人员可查看" in page
    intake_page = client_for(intake_officer).get(f"/enforcement/tipoffs/{tipoff.pk}/").content.decode()
    assert 'data-testid="reveal-form"' in intake_page and "保密的人" not in intake_page
    missing_reason = client_for(intake_officer).post(f"/enforcement/tipoffs/{tipoff.pk}/informant/", {"reason": ""})
    assert 'data-field-error="reason"' in missing_reason.content.decode() and "保密的人" not in missing_reason.content.decode()
    shown = client_for(intake_officer).post(f"/enforcement/tipoffs/{tipoff.pk}/informant/", {"reason": "需要回访核实"})
    assert "保密的人" in shown.content.decode() and "no-store" in shown["Cache-Control"]
    assert client_for(district_officer).post(f"/enforcement/tipoffs/{tipoff.pk}/informant/", {"reason": "需要回访核实"}).status_code == 403


def test_case_detail_parts_and_steps(client_for: Any, district_officer: Any, zhoucun: Any, catalogue: Any) -> None:
    case = make_case(zhoucun["王村镇"], offence_type="trade", offence_date=dt.date(2024, 3, 1))
    client = client_for(district_officer)
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.post(f"/enforcement/cases/{case.pk}/party/", {"kind": "person", "role": "seller", "name": "张某", "phone": "13912345678"}).status_code == 302
    bad = client.post(f"/enforcement/cases/{case.pk}/item/", {"species": "没有这种鸟", "count": "0", "condition": "alive", "unit": "只", "form": "whole"})
    assert 'data-field-error="species"' in bad.content.decode() and 'data-field-error="count"' in bad.content.decode()
    assert client.post(f"/enforcement/cases/{case.pk}/item/", {"species": "画眉", "count": "4", "condition": "alive", "unit": "只", "form": "whole"}).status_code == 302
    item = case.items.get()
    assert client.post(f"/enforcement/cases/{case.pk}/items/{item.pk}/handover/", {"condition_note": "良好"}).status_code == 302
    detail = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="handover-receipt"' in detail and "待接收" in detail and "139****5678" in detail and "13912345678" not in detail
    assert client.post(f"/enforcement/cases/{case.pk}/assess/").status_code == 302
    assert "assessed-total" in client.get(case.get_absolute_url()).content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff fake", content_type="image/jpeg")
    assert client.post(f"/enforcement/cases/{case.pk}/evidence/", {"kind": "photo", "title": "现场照片", "file": upload}).status_code == 302
    evidence = case.evidence.get()
    download = client.get(f"/enforcement/cases/{case.pk}/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"\xff\xd8")
    assert client.post(f"/enforcement/cases/{case.pk}/transfer/", {"recipient": "周村区公安分局", "reason": "达到标准"}).status_code == 302
    letter = client.get(f"/enforcement/cases/{case.pk}/transfer-letter.pdf")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    assert client.post(f"/enforcement/cases/{case.pk}/close/", {"outcome": "criminal", "note": "已移送"}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == "closed"
    closed = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="case-actions"' not in closed


def test_case_edit_and_create_pages(client_for: Any, district_officer: Any, zhoucun: Any) -> None:
    client = client_for(district_officer)
    response = client.post("/enforcement/cases/new/", {"origin": "agency", "origin_label": "区市场监管局移送", "title": "移送案件", "area": zhoucun["王村镇"].pk})
    assert response.status_code == 302
    case = Case.objects.get()
    edit = client.get(f"/enforcement/cases/{case.pk}/edit/")
    assert edit.status_code == 200
    stale = client.post(f"/enforcement/cases/{case.pk}/edit/", {"version": case.version + 5, "title": "改名"})
    assert "已被他人修改" in stale.content.decode()
    assert client.post(f"/enforcement/cases/{case.pk}/edit/", {"version": case.version, "title": "改名", "offence_type": "hunting"}).status_code == 302
    assert Case.objects.get(pk=case.pk).title == "改名"


def test_operation_pages(client_for: Any, district_officer: Any, zhoucun: Any) -> None:
    client = client_for(district_officer)
    from wildlife.accounts.models import Department

    nr = Department.objects.get(code="natural_resources")
    response = client.post("/enforcement/operations/new/", {"code": "qf", "name": "清风行动", "start_date": "2026-03-01", "lead_department": nr.pk, "departments": [nr.pk]})
    assert response.status_code == 302
    operation = Operation.objects.get()
    duplicate = client.post("/enforcement/operations/new/", {"code": "qf", "name": "又一个", "start_date": "2026-03-01", "lead_department": nr.pk})
    assert 'data-field-error="code"' in duplicate.content.decode()
    make_case(zhoucun["王村镇"], operation=operation, title="行动中的案件")
    page = client.get(operation.get_absolute_url()).content.decode()
    assert "行动中的案件" in page and 'data-testid="operation-figures"' in page
    edit = client.post(f"/enforcement/operations/{operation.pk}/edit/", {"name": "清风行动", "status": "closed", "start_date": "2026-03-01", "lead_department": nr.pk, "version": operation.version})
    assert 'data-field-error="summary"' in edit.content.decode()


def test_rules_page_and_editing(client_for: Any, district_officer: Any, town_officer: Any, police_officer: Any) -> None:
    page = client_for(district_officer).get("/enforcement/rules/")
    html = page.content.decode()
    assert page.status_code == 200 and "第五十二条第一款" in html and "法释〔2022〕12号" in html and "待核实" in html
    assert client_for(town_officer).get("/enforcement/rules/").status_code == 403
    row = BaseValue.objects.first()
    assert row is not None
    bad = client_for(district_officer).post(f"/enforcement/rules/base-values/{row.pk}/", {"taxon_class": "", "value": "-1", "unit": "只", "effective_from": "2017-12-15", "legal_basis": "x"})
    assert (bad.status_code == 200 and "errors" in bad.content.decode()) or "invalid-feedback" in bad.content.decode()
    ok = client_for(district_officer).post(f"/enforcement/rules/base-values/{row.pk}/", {"taxon_class": row.taxon_class, "value": "350", "unit": "只", "effective_from": "2017-12-15", "legal_basis": "核对后", "verified": "on"})
    assert ok.status_code == 302
    row.refresh_from_db()
    assert str(row.value) == "350.00" and row.verified
    assert client_for(police_officer).get(f"/enforcement/rules/base-values/{row.pk}/").status_code == 200
    from wildlife.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="rule_row_save").exists()


def test_intake_members_page_for_the_security_administrator(client_for: Any, security_admin: Any, district_officer: Any, police_officer: Any) -> None:
    client = client_for(security_admin)
    assert client.get("/enforcement/intake-members/").status_code == 200
    assert client.post("/enforcement/intake-members/", {"username": "district_officer"}).status_code == 302
    assert "<td>district_officer</td>" in client.get("/enforcement/intake-members/").content.decode()
    refused = client.post("/enforcement/intake-members/", {"username": "police_officer"})
    assert 'data-field-error="username"' in refused.content.decode()
    assert client_for(district_officer).get("/enforcement/intake-members/").status_code == 403
    assert client.post("/enforcement/intake-members/", {"remove": str(district_officer.pk)}).status_code == 302
    assert "<td>district_officer</td>" not in client.get("/enforcement/intake-members/").content.decode()


def test_dashboard_cards_and_navigation(client_for: Any, district_officer: Any, police_officer: Any, zhoucun: Any) -> None:
    make_tipoff(zhoucun["王村镇"])
    home = client_for(district_officer).get("/").content.decode()
    assert 'data-testid="card-tipoffs"' in home and 'data-testid="card-cases"' in home and "举报受理" in home
    police_home = client_for(police_officer).get("/").content.decode()
    assert 'data-testid="card-tipoffs"' not in police_home and 'data-testid="card-cases"' in police_home


def test_demo_load_is_idempotent(zhoucun: Any, catalogue: Any) -> None:
    from wildlife.accounts.demo import ensure_demo_users
    from wildlife.enforcement import demo
    from wildlife.enforcement.selectors import case_graph

    ensure_demo_users("Demo-Pass-2026!")
    summary = demo.load()
    assert "案件 2 件" in summary
    assert demo.load() == "已存在（跳过）"
    cases = list(Case.objects.order_by("pk"))
    assert len(cases) == 2 and {c.area.name for c in cases} == {"王村镇", "北郊镇"}
    from wildlife.accounts.models import User

    officer = User.objects.get(username="demo_district")
    graph = case_graph(user=officer, case=cases[0])
    assert f"case:{cases[1].pk}" in {n["id"] for n in graph["nodes"]}
    assert Operation.objects.get().name == "清风行动（演示）"
    assert set(Tipoff.objects.values_list("status", flat=True)) >= {"registered", "triaged", "assigned", "closed"}
    assert cases[0].assessment["law"] == "野生动物保护法（2018）" and cases[1].assessment["law"] == "野生动物保护法（2022）"
    town = User.objects.get(username="demo_town")
    assert Case.objects.restrict(town).filter(pk=cases[0].pk).exists() and not Case.objects.restrict(town).filter(pk=cases[1].pk).exists()
