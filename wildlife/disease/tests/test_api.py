"""/api/v1/disease/…: stations (GeoJSON), daily-reports (409 on a second report, version-checked corrections, zero
reports, Idempotency-Key), compliance, events with nested samples and lab results and workflow actions, alerts,
notifications — with out-of-scope and no-permission cases."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from wildlife.disease.models import Alert, DailyReport, MortalityEvent, Notification

from .conftest import BEIJIAO, WANGCUN, local

pytestmark = pytest.mark.django_db
BASE = "/api/v1/disease"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(local(2026, 4, 16, 9, 0), tick=False):
        yield


@pytest.fixture
def stations(make_station, calendar_rules, town_officer):
    return {"wangcun": make_station(name="王村站", responsible=town_officer), "beijiao": make_station(name="北郊站", at=BEIJIAO)}


def test_stations_list_detail_geojson_and_scope(client_for, district_officer, town_officer, police_officer, stations):
    body = client_for(district_officer).get(f"{BASE}/stations/").json()
    row = next(r for r in body["results"] if r["name"] == "王村站")
    assert row["level"] == "county" and row["location"]["type"] == "Point" and row["routes"]["type"] == "MultiLineString"
    assert row["areas"] == [stations["wangcun"].area_id]
    geo = client_for(town_officer).get(f"{BASE}/stations/?format=geojson").json()
    assert geo["type"] == "FeatureCollection" and [f["properties"]["name"] for f in geo["features"]] == ["王村站"]
    assert client_for(town_officer).get(f"{BASE}/stations/{stations['beijiao'].pk}/").status_code == 404
    assert client_for(police_officer).get(f"{BASE}/stations/").status_code == 403


def test_station_create_by_the_district_only(client_for, district_officer, town_officer, zhoucun):
    data = {"name": "API站", "level": "provincial", "location": {"type": "Point", "coordinates": [117.85, 36.72]}, "established_on": "2026-01-01", "areas": [zhoucun["南郊镇"].pk]}
    assert client_for(town_officer).post(f"{BASE}/stations/", data, content_type="application/json").status_code == 403
    created = client_for(district_officer).post(f"{BASE}/stations/", data, content_type="application/json")
    assert created.status_code == 201 and created.json()["area"] == zhoucun["南郊镇"].pk
    outside = client_for(district_officer).post(f"{BASE}/stations/", {**data, "name": "境外站", "location": {"type": "Point", "coordinates": [36.72, 117.85]}}, content_type="application/json")
    assert outside.status_code == 400 and "location" in outside.json()["errors"]


def test_daily_reports_one_per_period_and_corrections(client_for, town_officer, other_town_officer, stations, birds):
    client = client_for(town_officer)
    station = stations["wangcun"]
    data = {"station": station.pk, "date": "2026-04-15", "is_zero_report": True, "route_km": "4.20"}
    first = client.post(f"{BASE}/daily-reports/", data, content_type="application/json")
    assert first.status_code == 201
    report = first.json()
    assert report["late"] is False and report["is_zero_report"] and report["findings"] == [] and report["submitted_at"]
    again = client.post(f"{BASE}/daily-reports/", data, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "report_exists" and again["Content-Type"].startswith("application/problem+json")
    no_version = client.patch(f"{BASE}/daily-reports/{report['id']}/", {"notes": "x"}, content_type="application/json")
    assert no_version.status_code == 409 and no_version.json()["code"] == "version_required"
    corrected = client.patch(
        f"{BASE}/daily-reports/{report['id']}/",
        {"version": 1, "is_zero_report": False, "findings": [{"group": "bird", "species": birds["白鹭"].pk, "count": 9}]},
        content_type="application/json",
    )
    assert corrected.status_code == 200 and corrected.json()["version"] == 2 and corrected.json()["findings"][0]["species_name"] == "白鹭"
    stale = client.patch(f"{BASE}/daily-reports/{report['id']}/", {"version": 1, "notes": "y"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    zero_with_dead = client.post(
        f"{BASE}/daily-reports/", {"station": station.pk, "date": "2026-04-14", "is_zero_report": True, "findings": [{"group": "bird", "species": birds["斑嘴鸭"].pk, "dead": 1}]}, content_type="application/json"
    )
    assert zero_with_dead.status_code == 400 and "findings" in zero_with_dead.json()["errors"]
    assert client_for(other_town_officer).post(f"{BASE}/daily-reports/", {**data, "date": "2026-04-13"}, content_type="application/json").status_code == 404


def test_zero_action_late_marking_and_idempotency_key(client_for, town_officer, stations):
    client = client_for(town_officer)
    with time_machine.travel(local(2026, 4, 16, 10, 30), tick=False):
        response = client.post(f"{BASE}/daily-reports/zero/", {"station": stations["wangcun"].pk, "date": "2026-04-15"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
        replay = client.post(f"{BASE}/daily-reports/zero/", {"station": stations["wangcun"].pk, "date": "2026-04-15"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 201 and response.json()["late"] is True
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true" and replay.json()["id"] == response.json()["id"]
    assert DailyReport.objects.count() == 1


def test_compliance_endpoint(client_for, district_officer, town_officer, police_officer, stations):
    client_for(town_officer).post(f"{BASE}/daily-reports/zero/", {"station": stations["wangcun"].pk, "date": "2026-04-15"}, content_type="application/json")
    with time_machine.travel(local(2026, 4, 16, 10, 1), tick=False):
        body = client_for(district_officer).get(f"{BASE}/compliance/?date=2026-04-15").json()
    assert (body["expected"], body["received"]) == (2, 1)
    assert [s["name"] for s in body["missing"]] == ["北郊站"] and body["period_kind"] == "daily"
    assert body["deadline"].startswith("2026-04-16T10:00:00")
    town = client_for(town_officer).get(f"{BASE}/compliance/?date=2026-04-15").json()
    assert town["expected"] == 1 and town["missing"] == [] and town["pending"] == []
    assert client_for(police_officer).get(f"{BASE}/compliance/").status_code == 403
    assert client_for(district_officer).get(f"{BASE}/compliance/?date=15-04-2026").status_code == 400


def test_events_with_nested_samples_results_and_actions(client_for, district_officer, agri_officer, town_officer, other_town_officer, birds, chain_rules, grading_rules, stations):
    data = {
        "source": "citizen", "source_ref": "QZ-1", "detected_at": "2026-04-16T07:30:00+08:00", "location": {"type": "Point", "coordinates": list(WANGCUN)},
        "species": [{"species": birds["斑嘴鸭"].pk, "sick": 1, "dead": 5}], "signs": "死亡野鸭",
    }
    created = client_for(town_officer).post(f"{BASE}/events/", data, content_type="application/json")
    assert created.status_code == 201
    event = created.json()
    assert (event["grade"], event["status"], event["sick"], event["dead"]) == ("IV", "reported", 1, 5)
    city = next(s for s in event["steps"] if s["to_body"] == "市自然资源局")
    assert city["due_at"].startswith("2026-04-16T11:30:00") and city["seconds_left"] == 150 * 60 and city["overdue"] is False
    url = f"{BASE}/events/{event['id']}"
    sample = {"sample_no": "S-9", "kind": "swab_op", "quantity": 5, "taken_by": "张磊", "taken_at": "2026-04-16T08:30:00+08:00", "biosafety_level": "bsl2"}
    assert client_for(town_officer).post(f"{url}/samples/", sample, content_type="application/json").status_code == 403
    with_sample = client_for(agri_officer).post(f"{url}/samples/", sample, content_type="application/json")
    assert with_sample.status_code == 201
    sample_id = with_sample.json()["samples"][0]["id"]
    custody = client_for(agri_officer).post(f"{url}/samples/{sample_id}/custody/", {"at": "2026-04-16T08:45:00+08:00", "from_person": "张磊", "to_person": "李娜"}, content_type="application/json")
    assert custody.status_code == 201 and custody.json()["samples"][0]["custody"][0]["to_person"] == "李娜"
    result = client_for(agri_officer).post(
        f"{url}/lab-results/",
        {"sample": sample_id, "pathogen": "H5", "test_method": "RT-PCR", "outcome": "suspect", "tested_count": 5, "positive_count": 1, "lab_name": "市疫控", "reported_at": "2026-04-16T08:55:00+08:00"},
        content_type="application/json",
    )
    body = result.json()
    assert result.status_code == 201 and body["status"] == "suspected" and body["lab_results"][0]["outcome"] == "suspect"
    assert body["samples"][0]["results"][0]["positive_count"] == 1 and body["documents"][0]["number"].startswith("周自然资疫通")
    twice = client_for(district_officer).post(f"{url}/suspect/", {"reason": "again"}, content_type="application/json")
    assert twice.status_code == 409 and twice.json()["code"] == "event_not_open_for_suspicion"
    step = next(s for s in body["steps"] if s["to_body"] == "区农业农村局")
    done = client_for(district_officer).post(f"{url}/steps/{step['id']}/complete/", {"note": "函告"}, content_type="application/json")
    assert done.status_code == 200 and next(s for s in done.json()["steps"] if s["id"] == step["id"])["done_at"]
    assert client_for(other_town_officer).get(f"{url}/").status_code == 404
    assert client_for(other_town_officer).post(f"{url}/close/", {"final_diagnosis": "x"}, content_type="application/json").status_code == 404
    closed = client_for(district_officer).post(f"{url}/close/", {"final_diagnosis": "禽流感 H5N1"}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    geo = client_for(district_officer).get(f"{BASE}/events/?format=geojson").json()
    assert geo["features"][0]["geometry"]["type"] == "Point"
    assert MortalityEvent.objects.get().event_no == event["event_no"]


def test_event_validation_errors_name_the_field(client_for, district_officer, birds):
    bad = client_for(district_officer).post(
        f"{BASE}/events/", {"source": "citizen", "detected_at": "2026-04-16T07:30:00+08:00", "location": {"type": "Point", "coordinates": list(WANGCUN)}, "species": []}, content_type="application/json"
    )
    assert bad.status_code == 400 and "species" in bad.json()["errors"]


def test_alerts_and_notifications(client_for, district_officer, town_officer, other_town_officer, make_event, birds, cluster_rule):
    make_event(WANGCUN, local(2026, 4, 15, 8, 0), [(birds["斑嘴鸭"], 0, 2)])
    make_event((117.73, 36.77), local(2026, 4, 15, 9, 0), [(birds["绿翅鸭"], 0, 2)])
    alert = Alert.objects.get(kind="cluster")
    listing = client_for(town_officer).get(f"{BASE}/alerts/").json()
    row = listing["results"][0]
    assert (row["id"], row["kind"], row["level"], row["acknowledged_by"]) == (alert.pk, "cluster", "yellow", None) and len(row["events"]) == 2
    assert client_for(other_town_officer).post(f"{BASE}/alerts/{alert.pk}/acknowledge/").status_code == 404
    ack = client_for(town_officer).post(f"{BASE}/alerts/{alert.pk}/acknowledge/")
    assert ack.status_code == 200 and ack.json()["acknowledged_by"] == town_officer.pk
    assert client_for(district_officer).post(f"{BASE}/alerts/{alert.pk}/acknowledge/").status_code == 409
    follow = client_for(district_officer).post(f"{BASE}/alerts/{alert.pk}/follow-up/", {"note": "已核查", "close": True}, content_type="application/json")
    assert follow.status_code == 201 and follow.json()["status"] == "closed"
    mine = client_for(town_officer).get(f"{BASE}/notifications/?unread=1").json()
    assert mine["count"] == Notification.objects.filter(recipient=town_officer).count() >= 1
    other = Notification.objects.filter(recipient=district_officer).first()
    assert client_for(town_officer).post(f"{BASE}/notifications/{other.pk}/read/").status_code == 404
    first = mine["results"][0]["id"]
    assert client_for(town_officer).post(f"{BASE}/notifications/{first}/read/").json()["read_at"]


def test_schema_describes_the_disease_api(client_for, district_officer):
    schema = client_for(district_officer).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in ("/api/v1/disease/stations/", "/api/v1/disease/daily-reports/", "/api/v1/disease/compliance/", "/api/v1/disease/events/", "/api/v1/disease/alerts/"):
        assert path in paths
    assert "/api/v1/disease/events/{id}/lab-results/" in paths and dt.date  # the workflow actions are documented
