"""Only the audit administrator reads the log: list with filters, detail, export (audited), chain check."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from wildlife.accounts.models import User
from wildlife.audit.guard import guard_suspended
from wildlife.audit.models import AuditEvent
from wildlife.audit.selectors import audit_event_list
from wildlife.audit.services import audit_record

OTHERS = ["district_officer", "town_officer", "police_officer", "market_officer", "system_admin", "security_admin"]


@pytest.mark.parametrize("role", OTHERS)
def test_nobody_else_reads_the_log(request: Any, client_for: Any, role: str, chain: list[AuditEvent]) -> None:
    user = request.getfixturevalue(role)
    client = client_for(user)
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/events/1/").status_code == 403
    assert client.get("/audit/?export=xlsx").status_code == 403
    assert client.post("/audit/verify/").status_code == 403
    assert not audit_event_list(user=user).exists()


def test_anonymous_is_sent_to_login(chain: list[AuditEvent]) -> None:
    response = Client().get("/audit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_filters_and_pagination(audit_admin: User, client_for: Any, chain: list[AuditEvent]) -> None:
    client = client_for(audit_admin)
    for i in range(60):
        audit_record(action="export", username=f"bulk{i}", outcome="denied" if i % 2 else "success", object_type="rescue.case")
    page = client.get("/audit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'rel="next"' in html and "bulk59" in html
    assert client.get("/audit/?page=2").status_code == 200
    filtered = client.get("/audit/?action=test_event").content.decode()
    assert "user3" in filtered and "bulk1" not in filtered
    by_user = client.get("/audit/?username=user7").content.decode()
    assert "user7" in by_user and "user8" not in by_user
    denied = client.get("/audit/?outcome=denied&object_type=rescue.case")
    assert denied.context["paginator"].count == 30
    today = timezone.localdate(chain[0].occurred_at).isoformat()
    assert client.get(f"/audit/?date_from={today}&date_to={today}").context["paginator"].count >= 70
    bad = client.get("/audit/?date_from=2026-02-02&date_to=2026-01-01")
    assert 'data-field-error="date_to"' in bad.content.decode()


def test_detail_page(audit_admin: User, client_for: Any, chain: list[AuditEvent]) -> None:
    client = client_for(audit_admin)
    response = client.get("/audit/events/4/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "user4" in html and chain[3].entry_hmac in html
    assert client.get("/audit/events/999999/").status_code == 404


def test_export_is_an_audited_event(audit_admin: User, client_for: Any, chain: list[AuditEvent]) -> None:
    client = client_for(audit_admin)
    response = client.get("/audit/?action=test_event&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "序号"
    assert len(rows) == 2 + 10
    event = AuditEvent.objects.filter(action="export", user=audit_admin).get()
    assert event.object_type == "audit.auditevent" and event.detail["rows"] == 10 and event.role == "admin:audit"


def test_verify_button(audit_admin: User, client_for: Any, chain: list[AuditEvent]) -> None:
    client = client_for(audit_admin)
    ok = client.post("/audit/verify/")
    assert 'data-testid="verify-ok"' in ok.content.decode()
    with guard_suspended():
        AuditEvent.objects.filter(seq=5).update(username="mallory")
    broken = client.post("/audit/verify/").content.decode()
    assert 'data-testid="verify-broken"' in broken and "第 5 条" in broken
    results = list(AuditEvent.objects.filter(action="audit_verify").order_by("seq").values_list("outcome", flat=True))
    assert results == ["success", "failure"]
