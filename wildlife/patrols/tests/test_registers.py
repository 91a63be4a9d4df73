"""Personnel (certificate numbers encrypted, masked, revealed with a reason) and equipment registers."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wildlife.audit.models import AuditEvent
from wildlife.patrols import services
from wildlife.patrols.models import EnforcementOfficer, Equipment
from wildlife.patrols.selectors import dashboard_cards, equipment_check_due, officers_with_certificate_warning

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
CERT = "鲁林执3703069876"


@pytest.fixture
def officer(zhoucun, district_officer):
    from wildlife.accounts.models import Department

    return services.officer_create(
        actor=district_officer, name="王执法", department=Department.objects.get(code="natural_resources"), certificate_no=CERT,
        certificate_valid_until=TODAY + dt.timedelta(days=20),
    )


def test_certificate_is_encrypted_and_masked_everywhere(officer, district_officer, client_for):
    with connection.cursor() as cursor:
        cursor.execute("SELECT certificate_no, certificate_masked FROM patrols_enforcementofficer WHERE id = %s", [officer.pk])
        stored, masked = cursor.fetchone()
    assert CERT not in stored and stored.startswith("enc1:")
    assert masked == "鲁林执3*****9876" and EnforcementOfficer.objects.get(pk=officer.pk).certificate_no == CERT
    client = client_for(district_officer)
    assert CERT not in client.get(reverse("patrols:officer_list")).content.decode()
    assert CERT not in client.get(officer.get_absolute_url()).content.decode()
    export = client.get(reverse("patrols:officer_list") + "?export=xlsx")
    cells = [str(c) for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True) for c in row]
    assert masked in cells and not any(CERT in c for c in cells)
    api = client.get("/api/v1/enforcement/officers/").json()
    assert api["results"][0]["certificate_no"] == masked


def test_reveal_needs_reason_and_is_audited(officer, district_officer, police_officer, client_for):
    client = client_for(district_officer)
    url = reverse("patrols:officer_reveal", args=[officer.pk])
    assert CERT not in client.post(url, {"reason": ""}).content.decode()
    response = client.post(url, {"reason": "核对执法证"})
    assert CERT in response.content.decode() and response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="reveal", object_id=str(officer.pk))
    assert event.detail["reason"] == "核对执法证" and CERT not in str(event.detail)
    assert client_for(police_officer).post(url, {"reason": "x"}).status_code == 403


def test_duplicate_certificate_refused(officer, district_officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.officer_create(actor=district_officer, name="另一人", department=officer.department, certificate_no=" 鲁林执3703069876 ")
    assert "certificate_no" in exc.value.message_dict


def test_update_keeps_or_replaces_certificate(officer, district_officer):
    services.officer_update(actor=district_officer, obj=officer, version=officer.version, name="王执法", department=officer.department, certificate_no="")
    assert EnforcementOfficer.objects.get(pk=officer.pk).certificate_no == CERT
    services.officer_update(actor=district_officer, obj=officer, version=officer.version, name="王执法", department=officer.department, certificate_no="NEW-0001")
    fresh = EnforcementOfficer.objects.get(pk=officer.pk)
    assert fresh.certificate_no == "NEW-0001" and fresh.certificate_masked.endswith("0001")


def test_expiry_warning_and_dashboard(officer, district_officer, town_officer):
    assert officer.certificate_state() == "expiring" and officer.certificate_warning == "即将到期"
    assert officer.certificate_state(today=TODAY + dt.timedelta(days=30)) == "expired"
    assert list(officers_with_certificate_warning(user=district_officer)) == [officer]
    assert not officers_with_certificate_warning(user=town_officer).exists()  # a district officer is not the town's
    keys = {card["key"] for card in dashboard_cards(user=district_officer)}
    assert {"patrols_month", "inspections_rectifying", "certificates_expiring"} <= keys


def test_equipment_follows_holder_and_flags_checks(officer, district_officer, town_officer, zhoucun):
    item = services.equipment_create(actor=district_officer, kind="drone", model_name="无人机", serial_no="UAV-1", holder=officer, next_check_on=TODAY + dt.timedelta(days=5))
    assert item.area == officer.area and item.check_due
    assert list(equipment_check_due(user=district_officer)) == [item]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.equipment_create(actor=district_officer, kind="drone", model_name="另一台", serial_no="UAV-1")
    with pytest.raises(ValidationError):
        services.equipment_create(actor=district_officer, kind="gps", model_name="x", last_checked_on=TODAY, next_check_on=TODAY - dt.timedelta(days=1))
    town_item = services.equipment_create(actor=town_officer, kind="gps", model_name="手持 GPS", serial_no="GPS-9")
    assert town_item.area == zhoucun["王村镇"]
    Equipment.objects.filter(pk=item.pk).update(status="scrapped")
    item.refresh_from_db()
    assert not item.check_due
