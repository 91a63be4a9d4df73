"""Canary sweep: tip-offs carry a canary identity (name, phone, ID number, address) through every intake path and the
whole workflow (triage, escalation to a case, assessment, transfer, reveal). The identity must then appear nowhere
but the reveal response for the intake role: not in the raw text of any database table, the captured logs, any
Excel export, any API resource, any page for any cast member, or the audit log."""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from wildlife.audit.models import AuditEvent
from wildlife.core.testing import cast
from wildlife.enforcement import services
from wildlife.enforcement.models import Case, Operation, RescueHandover, Tipoff
from wildlife.enforcement.tests.conftest import (
    CANARIES,
    CANARY_ADDRESS,
    CANARY_ID,
    CANARY_NAME,
    CANARY_PHONE,
    town_point,
)

pytestmark = pytest.mark.django_db

CAST_NAMES = (
    "district_officer", "agri_officer", "market_officer", "police_officer", "town_officer", "other_town_officer", "town_viewer",
    "system_admin", "security_admin", "audit_admin", "anonymous",
)
IDENTITY = {"name": CANARY_NAME, "phone": CANARY_PHONE, "id_number": CANARY_ID, "address": CANARY_ADDRESS}


def _leaks(text: str) -> list[str]:
    compact = re.sub(r"[\s\-]", "", text)
    return [c for c in CANARIES if c in text or c in compact]


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(name).decode("utf-8", "ignore") for name in archive.namelist())


def _seed(zhoucun: Any, intake_officer: Any, catalogue: Any, settings: Any) -> dict[str, Any]:
    officer = cast.make_cast_member("district_officer")
    staff = services.tipoff_register(
        actor=officer, channel="phone_12345", content="王村镇有人收购画眉", location=town_point(zhoucun["王村镇"]), informant=IDENTITY,
    )
    settings.WILDLIFE_PUBLIC_MIN_FILL_SECONDS = 0
    portal = Client(REMOTE_ADDR="10.9.0.1")
    page = portal.get("/public/report/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    form = {"kind": "illegal", "content": "北郊镇市场有人卖野鸟", "address": "北郊镇", "name": CANARY_NAME, "phone": CANARY_PHONE, "form_token": token}
    error_page = portal.post("/public/report/", {**form, "content": "短"})
    assert error_page.status_code == 400
    portal.post("/public/report/", form)
    api_public = Client(REMOTE_ADDR="10.9.0.2").post(
        "/api/v1/public/reports/", {"kind": "illegal", "content": "网上有人出售穿山甲片", "anonymous": False, "contact": {"name": CANARY_NAME, "phone": CANARY_PHONE}},
        content_type="application/json",
    )
    assert api_public.status_code == 201
    api_staff = cast.login_client(officer).post(
        "/api/v1/enforcement/tipoffs/", {"channel": "letter", "content": "来信反映南部山区下猎夹", "area": zhoucun["北郊镇"].pk, "informant": IDENTITY},
        content_type="application/json",
    )
    assert api_staff.status_code == 201
    bad_api = cast.login_client(officer).post(
        "/api/v1/enforcement/tipoffs/", {"channel": "letter", "content": "", "informant": {**IDENTITY, "phone": CANARY_PHONE + "x"}}, content_type="application/json",
    )
    assert bad_api.status_code == 400 and not _leaks(bad_api.content.decode())
    # the workflow, up to a transferred case with a graph
    services.tipoff_triage(actor=officer, tipoff=staff, category="trade", species=catalogue["画眉"])
    case = services.tipoff_escalate(actor=officer, tipoff=Tipoff.objects.get(pk=staff.pk), title="王村镇收购画眉案", offence_type="trade")
    services.case_party_add(actor=officer, case=case, kind="person", role="seller", name="张某", phone="13712345678")
    item = services.case_item_add(actor=officer, case=case, species=catalogue["画眉"], count=5, condition="alive")
    services.case_item_hand_over(actor=officer, item=item)
    services.case_assess(actor=officer, case=case)
    services.case_transfer(actor=officer, case=Case.objects.get(pk=case.pk), reason="价值达到移送标准")
    Operation.objects.create(code="canary-op", name="清风", start_date="2026-01-01", lead_department=officer.departments().first(), area=zhoucun["周村区"], district=zhoucun["周村区"])
    # one reveal by the intake role (the only response allowed to show the identity), one refused
    reveal = cast.login_client(intake_officer).post(f"/enforcement/tipoffs/{staff.pk}/informant/", {"reason": "回访核实举报情况"})
    assert reveal.status_code == 200 and CANARY_NAME in reveal.content.decode() and CANARY_ID in reveal.content.decode()
    refused = cast.login_client(officer).post(f"/enforcement/tipoffs/{staff.pk}/informant/", {"reason": "想看看是谁"})
    assert refused.status_code in (200, 403) and not _leaks(refused.content.decode())
    return {"case": case, "staff": staff}


def test_canary_identity_appears_nowhere(zhoucun: Any, intake_officer: Any, catalogue: Any, settings: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    seeded = _seed(zhoucun, intake_officer, catalogue, settings)
    case = seeded["case"]
    from wildlife.accounts.models import User

    users = {name: User.objects.filter(username=name).first() or cast.make_cast_member(name) for name in CAST_NAMES}
    users["intake_officer"] = intake_officer
    tipoffs = list(Tipoff.objects.all())
    assert len(tipoffs) == 4
    handover = RescueHandover.objects.get()
    party = case.parties.get()
    findings: list[str] = []

    # 1. raw text of every table
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith(("sqlite_", "spatial_ref_sys", "geometry_columns", "spatialite", "sql_statements", "views_geometry", "virts_geometry", "idx_", "geom_cols", "vector_layers", "data_licenses", "ElementaryGeometries", "KNN", "SpatialIndex")):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the introspection
            for row in cursor.fetchall():
                text = " ".join(v.decode("utf-8", "ignore") if isinstance(v, (bytes, memoryview)) and not isinstance(v, memoryview) else str(v) for v in row)
                for leak in _leaks(text):
                    findings.append(f"table {table}: {leak}")

    # 2. audit log detail
    for event in AuditEvent.objects.all():
        for leak in _leaks(json.dumps(event.detail, ensure_ascii=False) + event.object_repr + event.username):
            findings.append(f"audit #{event.seq} {event.action}: {leak}")

    pages = [
        "/", "/enforcement/tipoffs/", "/enforcement/tipoffs/map.geojson", "/enforcement/cases/",
        f"/enforcement/cases/{case.pk}/", f"/enforcement/cases/{case.pk}/graph/", f"/enforcement/cases/{case.pk}/parties/{party.pk}/",
        "/enforcement/handovers/", f"/enforcement/handovers/{handover.pk}/", "/enforcement/operations/", "/enforcement/rules/",
        "/enforcement/intake-members/", "/public/", "/public/report/", "/public/report/status/", "/audit/",
        *[f"/enforcement/tipoffs/{t.pk}/" for t in tipoffs],
        *[f"/audit/events/{e.seq}/" for e in AuditEvent.objects.filter(object_type__startswith="enforcement.")],
    ]
    exports = ["/enforcement/tipoffs/", "/enforcement/cases/", "/enforcement/handovers/", "/enforcement/operations/", "/audit/"]
    apis = [
        "/api/v1/enforcement/tipoffs/", "/api/v1/enforcement/tipoffs/?format=geojson",
        "/api/v1/enforcement/cases/", f"/api/v1/enforcement/cases/{case.pk}/", f"/api/v1/enforcement/cases/{case.pk}/?reveal=1",
        f"/api/v1/enforcement/cases/{case.pk}/graph/", "/api/v1/enforcement/handovers/", "/api/v1/enforcement/operations/",
        *[f"/api/v1/enforcement/tipoffs/{t.pk}/" for t in tipoffs],
    ]
    seen_ok = 0
    for name, user in users.items():
        client = cast.login_client(user)
        for url in pages:
            response = client.get(url)
            seen_ok += response.status_code == 200
            for leak in _leaks(response.content.decode("utf-8", "ignore")):
                findings.append(f"page {url} as {name}: {leak}")
        for url in exports:
            response = client.get(url + ("&" if "?" in url else "?") + "export=xlsx")
            if response.status_code == 200 and response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
                for leak in _leaks(_xlsx_text(response.content)):
                    findings.append(f"export {url} as {name}: {leak}")
        for url in apis:
            response = client.get(url)
            for leak in _leaks(response.content.decode("utf-8", "ignore")):
                findings.append(f"api {url} as {name}: {leak}")
        letter = client.get(f"/enforcement/cases/{case.pk}/transfer-letter.pdf")
        for leak in _leaks(letter.content.decode("latin-1")):
            findings.append(f"letter as {name}: {leak}")
    assert seen_ok > 100  # the sweep really looked at pages (not a wall of 403s)

    # 3. logs captured during the whole run
    for leak in _leaks(caplog.text):
        findings.append(f"log: {leak}")
    assert findings == [], findings[:20]


def test_search_does_not_match_the_informant(zhoucun: Any, client_for: Any, district_officer: Any) -> None:
    services.tipoff_register(actor=district_officer, channel="walk_in", content="来访反映情况", area=zhoucun["王村镇"], informant=IDENTITY)
    response = client_for(district_officer).get("/enforcement/tipoffs/", {"q": CANARY_NAME})
    assert 'data-testid="empty-state"' in response.content.decode()
    assert client_for(district_officer).get("/api/v1/enforcement/tipoffs/", {"search": CANARY_PHONE}).json()["count"] == 0
