"""A patrol incident or an inspection finding opens a tip-off or a case through the enforcement services; a second
click changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wildlife.core.exceptions import ConflictError
from wildlife.patrols import escalation, services
from wildlife.patrols.tests.factories import make_inspection, track

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(zhoucun, town_officer):
    start = timezone.now() - dt.timedelta(hours=4)
    patrol = services.patrol_record(actor=town_officer, title="河滩巡护", track=track(), track_source="drawn", started_at=start, ended_at=start + dt.timedelta(hours=3))
    return services.patrol_incident_add(
        actor=town_officer, patrol=patrol, kind="illegal_hunting", location=Point(117.73, 36.67, srid=4326), description="河滩苇丛中发现捕鸟网三张", observed_at=start + dt.timedelta(hours=1)
    )


def test_incident_to_tipoff_once(incident, town_officer):
    from wildlife.enforcement.models import Tipoff

    tipoff = escalation.incident_escalate(actor=town_officer, incident=incident, to="tipoff")
    incident.refresh_from_db()
    assert incident.escalation_kind == "tipoff" and incident.escalation_ref == tipoff.receipt_no
    assert incident.escalated_url == tipoff.get_absolute_url()
    assert tipoff.channel == "patrol" and tipoff.area.name == "王村镇" and "捕鸟网" in tipoff.content
    with pytest.raises(ConflictError) as exc:
        escalation.incident_escalate(actor=town_officer, incident=incident, to="case")
    assert exc.value.code == "already_escalated"
    assert Tipoff.objects.count() == 1


def test_incident_to_case_from_the_page(incident, town_officer, client_for):
    from wildlife.enforcement.models import Case

    client = client_for(town_officer)
    detail = client.get(incident.patrol.get_absolute_url()).content.decode()
    assert 'data-testid="escalate-case"' in detail
    url = reverse("patrols:incident_escalate", args=[incident.pk])
    client.post(url, {"to": "case"})
    again = client.post(url, {"to": "case"}, follow=True).content.decode()
    assert "已移交" in again
    case = Case.objects.get()
    assert case.origin == "patrol" and case.origin_ref == str(incident.pk) and case.offence_date == timezone.localtime(incident.observed_at).date()
    incident.refresh_from_db()
    assert incident.escalation_ref == case.case_no
    page = client.get(incident.patrol.get_absolute_url()).content.decode()
    assert case.case_no in page and 'data-testid="escalate-case"' not in page


def test_sightings_are_not_escalated(incident, town_officer):
    sighting = services.patrol_incident_add(actor=town_officer, patrol=incident.patrol, kind="sighting", location=Point(117.73, 36.67, srid=4326), description="环颈雉三只")
    with pytest.raises(ValidationError):
        escalation.incident_escalate(actor=town_officer, incident=sighting, to="case")
    with pytest.raises(ValidationError):
        escalation.incident_escalate(actor=town_officer, incident=incident, to="nonsense")


def test_inspection_to_case(zhoucun, market_officer, police_officer, client_for):
    from wildlife.enforcement.models import Case

    inspection = make_inspection(zhoucun["王村镇"], kind="pet_shop")
    case = escalation.inspection_escalate(actor=market_officer, inspection=inspection, to="case")
    inspection.refresh_from_db()
    assert case.origin == "inspection" and inspection.escalation_ref == case.case_no
    with pytest.raises(ConflictError):
        escalation.inspection_escalate(actor=market_officer, inspection=inspection, to="case")
    assert Case.objects.count() == 1
    # police view inspections but do not escalate them from here
    response = client_for(police_officer).post(reverse("patrols:inspection_escalate", args=[inspection.pk]), {"to": "tipoff"})
    assert response.status_code == 403


def test_target_phone_joins_the_tracing_graph(zhoucun, town_officer, district_officer, other_town_officer):
    from django.contrib.gis.geos import Point

    from wildlife.enforcement.models import TraceLink
    from wildlife.enforcement.selectors import trace_appearances

    target = services.inspection_target_create(
        actor=town_officer, name="王村花鸟店", kind="pet_shop", address="王村镇", location=Point(117.75, 36.75, srid=4326),
        contact_phone="13912345678", uscc="91370306MA3C000001",
    )
    found = trace_appearances(user=district_officer, kind="phone", value="+86 139 1234 5678")
    assert [(a.source_type, a.url) for a in found] == [("patrols.inspectiontarget", target.get_absolute_url())]
    assert not trace_appearances(user=other_town_officer, kind="phone", value="13912345678")
    assert "13912345678" not in str(list(TraceLink.objects.values()))
    services.inspection_target_update(actor=town_officer, obj=target, version=target.version, contact_phone="")
    assert not trace_appearances(user=district_officer, kind="phone", value="13912345678")
    assert trace_appearances(user=district_officer, kind="company", value="91370306ma3c000001")
