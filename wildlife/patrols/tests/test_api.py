"""API: /api/v1/enforcement/patrols/, inspections/, trainings/ — contract fields, writes, steps, errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wildlife.patrols.models import Inspection, Patrol
from wildlife.patrols.tests.factories import (
    BEIJIAO_LINE,
    WANGCUN_LINE,
    WANGCUN_LINE_M,
    gpx,
    make_target,
    make_template,
    make_training,
)

pytestmark = pytest.mark.django_db
PATROLS = "/api/v1/enforcement/patrols/"
INSPECTIONS = "/api/v1/enforcement/inspections/"
TODAY = timezone.localdate()


def line(points=WANGCUN_LINE):
    return {"type": "LineString", "coordinates": [list(p) for p in points]}


def test_patrol_create_with_geojson_track_and_contract_fields(zhoucun, town_officer, client_for):
    client = client_for(town_officer)
    payload = {"title": "API 巡护", "track": line(), "started_at": "2026-03-12T08:00:00+08:00", "ended_at": "2026-03-12T11:30:00+08:00", "member_names": "甲、乙", "members": [town_officer.pk]}
    response = client.post(PATROLS, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="patrol-1")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["track"]["type"] == "LineString" and body["track"]["coordinates"][0] == list(WANGCUN_LINE[0])
    assert body["distance_km"] == pytest.approx(WANGCUN_LINE_M / 1000, abs=0.01)
    assert body["team"] == ["town_officer", "甲", "乙"] and body["duration_hours"] == 3.5
    assert body["started_at"].startswith("2026-03-12T08:00:00") and body["ended_at"]
    again = client.post(PATROLS, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="patrol-1")
    assert again.json()["id"] == body["id"] and Patrol.objects.count() == 1
    geo = client.get(PATROLS + "?format=geojson").json()
    assert geo["type"] == "FeatureCollection" and geo["features"][0]["geometry"]["type"] == "LineString"


def test_patrol_create_with_gpx_file(zhoucun, town_officer, client_for):
    upload = SimpleUploadedFile("track.gpx", gpx(), content_type="application/gpx+xml")
    response = client_for(town_officer).post(PATROLS, {"track_file": upload, "kind": "mountain"})
    assert response.status_code == 201, response.content
    assert response.json()["track_source"] == "gpx" and response.json()["title"] == "测试轨迹"


def test_patrol_errors_are_problem_json_naming_the_field(zhoucun, town_officer, client_for):
    client = client_for(town_officer)
    bad = client.post(PATROLS, {"title": "x", "track": {"type": "LineString", "coordinates": [[117.7, 36.7], [117.7, "y"]]}}, content_type="application/json")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    assert "第 2 个坐标" in bad.json()["errors"]["track"][0]
    missing = client.post(PATROLS, {"title": "x"}, content_type="application/json")
    assert "track" in missing.json()["errors"]
    no_time = client.post(PATROLS, {"title": "x", "track": line()}, content_type="application/json")
    assert no_time.status_code == 400 and "started_at" in no_time.json()["errors"]
    outside = client.post(PATROLS, {"title": "x", "track": line(BEIJIAO_LINE), "started_at": "2026-03-12T08:00:00+08:00", "ended_at": "2026-03-12T09:00:00+08:00"}, content_type="application/json")
    assert outside.status_code == 403 and outside.json()["code"] == "out_of_scope"
    assert not Patrol.objects.exists()


def test_patrol_incident_and_update_version(zhoucun, town_officer, client_for):
    client = client_for(town_officer)
    created = client.post(PATROLS, {"title": "巡护", "track": line(), "started_at": "2026-03-12T08:00:00+08:00", "ended_at": "2026-03-12T11:00:00+08:00"}, content_type="application/json").json()
    incident = client.post(f"{PATROLS}{created['id']}/incidents/", {"kind": "hunting_tool", "location": {"type": "Point", "coordinates": [117.73, 36.67]}, "description": "猎夹"}, content_type="application/json")
    assert incident.status_code == 201 and incident.json()["kind"] == "hunting_tool"
    updated = client.patch(f"{PATROLS}{created['id']}/", {"weather": "晴", "version": 1}, content_type="application/json")
    assert updated.status_code == 200 and updated.json()["version"] == 2 and updated.json()["weather"] == "晴"
    stale = client.patch(f"{PATROLS}{created['id']}/", {"weather": "雨", "version": 1}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"


def test_police_read_only_and_market_without_patrols(zhoucun, police_officer, market_officer, client_for):
    assert client_for(police_officer).get(PATROLS).status_code == 200
    assert client_for(police_officer).post(PATROLS, {"title": "x", "track": line()}, content_type="application/json").status_code == 403
    assert client_for(market_officer).get(PATROLS).status_code == 403


def test_inspection_api_create_and_steps(zhoucun, town_officer, client_for):
    make_template(zhoucun["周村区"])
    target = make_target(zhoucun["王村镇"])
    client = client_for(town_officer)
    payload = {
        "target": target.pk, "inspected_on": TODAY.isoformat(), "inspector_names": "检查员",
        "answers": [{"order": 1, "answer": "fail", "note": "出售活体鸟"}, {"order": 2, "answer": "pass"}, {"order": 3, "answer": "na"}],
        "rectification_requirement": "清理", "rectify_by": (TODAY + dt.timedelta(days=5)).isoformat(),
    }
    created = client.post(INSPECTIONS, payload, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "rectifying" and body["failed_items"] == 1 and body["answers"][0]["item_text"] == "是否出售野生动物"
    unknown = client.post(INSPECTIONS, {**payload, "answers": [{"order": 9, "answer": "pass"}]}, content_type="application/json")
    assert unknown.status_code == 400 and "answers" in unknown.json()["errors"]
    step = f"{INSPECTIONS}{body['id']}/follow-up/"
    first = client.post(step, {"checked_on": TODAY.isoformat(), "result": "passed", "version": body["version"]}, content_type="application/json")
    second = client.post(step, {"checked_on": TODAY.isoformat(), "result": "passed", "version": body["version"]}, content_type="application/json")
    assert first.status_code == 200 and first.json()["status"] == "verified"
    assert second.status_code == 409 and second.json()["code"] == "invalid_state"
    assert Inspection.objects.get().follow_ups.count() == 1
    closed = client.post(f"{INSPECTIONS}{body['id']}/close/", {"note": "办结", "version": first.json()["version"]}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.delete(f"{INSPECTIONS}{body['id']}/").status_code == 403  # towns may not delete
    assert Inspection.objects.filter(pk=body["id"]).exists()


def test_inspections_are_never_deleted(zhoucun, district_officer, client_for):
    from wildlife.patrols.tests.factories import make_inspection

    inspection = make_inspection(zhoucun["王村镇"])
    assert client_for(district_officer).delete(f"{INSPECTIONS}{inspection.pk}/").status_code == 405
    assert Inspection.objects.filter(pk=inspection.pk).exists()


def test_inspection_for_target_out_of_scope_is_refused(zhoucun, town_officer, client_for):
    other = make_target(zhoucun["北郊镇"])
    response = client_for(town_officer).post(INSPECTIONS, {"target": other.pk, "inspected_on": TODAY.isoformat(), "inspector_names": "x"}, content_type="application/json")
    assert response.status_code == 400 and "target" in response.json()["errors"]


def test_training_api_trainees(zhoucun, district_officer, town_officer, client_for):
    session = make_training(zhoucun["王村镇"], hours="4.0")
    client = client_for(district_officer)
    added = client.post(f"/api/v1/enforcement/trainings/{session.pk}/trainees/", {"name": "护林员甲", "department": "王村镇"}, content_type="application/json")
    assert added.status_code == 201 and added.json()["hours"] == "4.0"
    detail = client.get(f"/api/v1/enforcement/trainings/{session.pk}/").json()
    assert detail["trainees"][0]["name"] == "护林员甲"
    assert client_for(town_officer).post(f"/api/v1/enforcement/trainings/{session.pk}/trainees/", {"name": "乙"}, content_type="application/json").status_code == 201
    created = client.post("/api/v1/enforcement/trainings/", {"title": "API 培训", "held_on": "2026-03-01", "hours": "2.5", "trainer": "专家", "place": "会议室"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["area"] == zhoucun["周村区"].pk


def test_schema_includes_the_resources(zhoucun, district_officer, client_for):
    schema = client_for(district_officer).get("/api/schema/?format=json").json()
    for path in ("/api/v1/enforcement/patrols/", "/api/v1/enforcement/inspections/{id}/follow-up/", "/api/v1/enforcement/trainings/hours/"):
        assert path in schema["paths"], path
