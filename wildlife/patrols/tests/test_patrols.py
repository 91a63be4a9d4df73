"""Recording patrols: distance, town from the track, coverage shares, incidents, edits and scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.utils import timezone

from wildlife.audit.models import AuditEvent
from wildlife.core.exceptions import ConflictError, OutOfScopeError
from wildlife.patrols import services
from wildlife.patrols.models import Patrol, PatrolIncident, PatrolTownShare
from wildlife.patrols.tests.factories import BEIJIAO_LINE, MOSTLY_WANGCUN, WANGCUN_LINE_M, gpx, track
from wildlife.patrols.tracks import parse_gpx

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 12, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def record(actor, points=None, **extra):
    values = {"title": "测试巡护", "track": track(points), "track_source": "drawn", "started_at": START, "ended_at": START + dt.timedelta(hours=3)}
    values.update(extra)
    return services.patrol_record(actor=actor, **values)


def test_record_measures_track_and_sets_town(zhoucun, town_officer):
    patrol = record(town_officer, members=[town_officer], member_names="护林员甲、护林员乙")
    assert patrol.area == zhoucun["王村镇"] and patrol.district == zhoucun["周村区"]
    assert patrol.distance_m == pytest.approx(WANGCUN_LINE_M, abs=0.1)
    assert patrol.distance_km == 8.09 and patrol.duration_hours == 3.0
    assert patrol.patrol_no.startswith("XH20260312-")
    assert patrol.team == ["town_officer", "护林员甲", "护林员乙"]
    assert list(PatrolTownShare.objects.filter(patrol=patrol).values_list("town__name", flat=True)) == ["王村镇"]
    assert AuditEvent.objects.filter(action="patrol_record", object_id=str(patrol.pk)).exists()


def test_town_is_the_majority_of_the_track_not_the_start(zhoucun, district_officer):
    patrol = record(district_officer, MOSTLY_WANGCUN)
    shares = {s.town.name: s.metres for s in patrol.town_shares.select_related("town")}
    assert set(shares) == {"王村镇", "萌水镇"}
    assert shares["王村镇"] > 3 * shares["萌水镇"]
    assert patrol.area.name == "王村镇"
    assert sum(shares.values()) == pytest.approx(patrol.distance_m, abs=0.5)


def test_numbers_are_sequential_per_day(zhoucun, town_officer):
    first = record(town_officer)
    second = record(town_officer)
    assert first.patrol_no == "XH20260312-001" and second.patrol_no == "XH20260312-002"


def test_times_come_from_the_gpx_when_not_given(zhoucun, town_officer):
    patrol = services.patrol_record(actor=town_officer, title="", track=parse_gpx(gpx()), track_source="gpx")
    assert patrol.title == "测试轨迹"
    assert patrol.started_at == dt.datetime(2026, 3, 12, 0, 30, tzinfo=dt.UTC)
    assert patrol.duration_hours == 1.0


def test_bad_times_and_missing_title(zhoucun, town_officer):
    with pytest.raises(ValidationError) as exc:
        record(town_officer, ended_at=START - dt.timedelta(hours=1))
    assert "ended_at" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.patrol_record(actor=town_officer, title="x", track=track(), track_source="drawn")
    assert {"started_at", "ended_at"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        record(town_officer, title="")
    assert "title" in exc.value.message_dict
    assert not Patrol.objects.exists()


def test_track_outside_the_district_is_refused(zhoucun, town_officer):
    with pytest.raises(ValidationError) as exc:
        record(town_officer, [(116.40, 39.90), (116.41, 39.91)])
    assert "track" in exc.value.message_dict
    assert not Patrol.objects.exists()


def test_town_officer_cannot_record_another_towns_patrol(zhoucun, town_officer):
    with pytest.raises(OutOfScopeError):
        record(town_officer, BEIJIAO_LINE)
    assert not Patrol.objects.exists() and not PatrolTownShare.objects.exists()


def test_update_with_new_track_moves_coverage_and_checks_version(zhoucun, district_officer):
    patrol = record(district_officer)
    common = {"title": "改名", "kind": "river", "started_at": START, "ended_at": START + dt.timedelta(hours=2)}
    updated = services.patrol_update(actor=district_officer, obj=patrol, version=patrol.version, track=track(BEIJIAO_LINE), **common)
    assert updated.area.name == "北郊镇" and updated.version == 2 and updated.title == "改名"
    assert list(updated.town_shares.values_list("town__name", flat=True)) == ["北郊镇"]
    with pytest.raises(ConflictError) as exc:
        services.patrol_update(actor=district_officer, obj=patrol, version=1, **common)
    assert exc.value.code == "version_conflict"


def test_incident_add_checks_time_and_text(zhoucun, town_officer):
    patrol = record(town_officer)
    incident = services.patrol_incident_add(
        actor=town_officer, patrol=patrol, kind="hunting_tool", location=Point(117.73, 36.67, srid=4326), description="猎夹两副", observed_at=START + dt.timedelta(hours=1)
    )
    assert incident.is_incident and incident.patrol == patrol
    with pytest.raises(ValidationError) as exc:
        services.patrol_incident_add(actor=town_officer, patrol=patrol, kind="sighting", location=Point(117.73, 36.67, srid=4326), description="x", observed_at=START + dt.timedelta(days=2))
    assert "observed_at" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.patrol_incident_add(actor=town_officer, patrol=patrol, kind="sighting", location=Point(117.73, 36.67, srid=4326), description="  ")
    assert "description" in exc.value.message_dict
    assert PatrolIncident.objects.count() == 1


def test_incident_photo_type_is_checked(zhoucun, town_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    patrol = record(town_officer)
    fake = SimpleUploadedFile("猎夹.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.patrol_incident_add(actor=town_officer, patrol=patrol, kind="hunting_tool", location=Point(117.73, 36.67, srid=4326), description="猎夹", photos=[fake])
    assert "内容与扩展名不符" in " ".join(exc.value.message_dict["photos"])
    assert not PatrolIncident.objects.exists()


def test_delete_refused_once_an_incident_was_escalated(zhoucun, district_officer):
    patrol = record(district_officer)
    incident = services.patrol_incident_add(actor=district_officer, patrol=patrol, kind="illegal_hunting", location=Point(117.73, 36.67, srid=4326), description="捕鸟网")
    PatrolIncident.objects.filter(pk=incident.pk).update(escalation_kind="case", escalation_ref="AJ-1")
    with pytest.raises(ValidationError):
        services.patrol_delete(actor=district_officer, obj=patrol)
    PatrolIncident.objects.filter(pk=incident.pk).update(escalation_kind="")
    services.patrol_delete(actor=district_officer, obj=patrol)
    assert not Patrol.objects.exists()


def test_operation_link(zhoucun, district_officer):
    from wildlife.accounts.models import Department
    from wildlife.enforcement.models import Operation

    operation = Operation.objects.create(
        code="qingfeng-2026", name="清风行动", start_date=timezone.localdate(), lead_department=Department.objects.get(code="natural_resources"),
        area=zhoucun["周村区"], district=zhoucun["周村区"],
    )
    patrol = record(district_officer, operation=operation)
    assert patrol.operation == operation
