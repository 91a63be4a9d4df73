"""Pages: overview and live map, compliance board, stations with routes/points/import/equipment, the report entry
point and forms, events and their actions, files, alerts, notifications, rules — each with an out-of-scope or
no-permission case."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wildlife.audit.models import AuditEvent
from wildlife.disease import services
from wildlife.disease.models import (
    Alert,
    DailyReport,
    EventDocument,
    GradingRule,
    MortalityEvent,
    Notification,
    Station,
)

from .conftest import BEIJIAO, WANGCUN, local

pytestmark = pytest.mark.django_db
NOW = local(2026, 4, 16, 11, 0)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def stations(make_station, calendar_rules, town_officer, other_town_officer):
    return {"wangcun": make_station(name="王村站", responsible=town_officer), "beijiao": make_station(name="北郊站", at=BEIJIAO, responsible=other_town_officer)}


def on_time_report(actor, station, day=dt.date(2026, 4, 15)):
    with time_machine.travel(local(2026, 4, 16, 9, 0), tick=False):
        return services.daily_report_zero(actor=actor, station=station, date=day)


def test_overview_and_live_map_follow_scope(client_for, district_officer, town_officer, police_officer, stations, make_event, birds, grading_rules):
    on_time_report(district_officer, stations["wangcun"])
    make_event(WANGCUN, local(2026, 4, 16, 8, 0), [(birds["斑嘴鸭"], 0, 6)])
    page = client_for(district_officer).get(reverse("disease:overview"))
    assert page.status_code == 200 and "王村站" in page.content.decode() and "北郊站" in page.content.decode()
    layer = client_for(district_officer).get(reverse("disease:map_layer")).json()
    stations_on_map = {f["properties"]["name"]: f["properties"] for f in layer["features"] if f["properties"]["kind"] == "station"}
    assert stations_on_map["王村站"]["status"] == "on_time" and stations_on_map["北郊站"]["status"] == "missing"
    assert stations_on_map["北郊站"]["color"] == "#d7191c"
    events = [f for f in layer["features"] if f["properties"]["kind"] == "event"]
    assert len(events) == 1 and events[0]["properties"]["grade"] == "IV"
    town_layer = client_for(town_officer).get(reverse("disease:map_layer")).json()
    assert {f["properties"]["name"] for f in town_layer["features"] if f["properties"]["kind"] == "station"} == {"王村站"}
    assert client_for(police_officer).get(reverse("disease:overview")).status_code == 403


def test_compliance_page(client_for, district_officer, other_town_officer, stations):
    on_time_report(district_officer, stations["wangcun"])
    page = client_for(district_officer).get(reverse("disease:compliance") + "?date=2026-04-15")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-testid="row-{stations["wangcun"].pk}" data-status="on_time"' in html
    assert f'data-testid="row-{stations["beijiao"].pk}" data-status="missing"' in html
    assert 'data-chart="compliance-chart"' in html
    fragment = client_for(district_officer).get(reverse("disease:compliance") + "?date=2026-04-15", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="board")
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode() and 'id="board"' in fragment.content.decode()
    town = client_for(other_town_officer).get(reverse("disease:compliance") + "?date=2026-04-15").content.decode()
    assert "北郊站" in town and "王村站" not in town


def test_station_create_and_parts(client_for, district_officer, town_officer, other_town_officer, zhoucun, calendar_rules):
    client = client_for(district_officer)
    response = client.post(
        reverse("disease:station_create"),
        {"name": "文昌湖站", "level": "municipal", "established_on": "2026-01-01", "longitude": "117.82", "latitude": "36.67", "covered_areas": [zhoucun["萌水镇"].pk, zhoucun["商家镇"].pk], "is_active": "on"},
    )
    station = Station.objects.get(name="文昌湖站")
    assert response.status_code == 302 and station.area.name == "萌水镇"
    assert {a.name for a in station.covered_areas.all()} == {"萌水镇", "商家镇"}
    missing = client.post(reverse("disease:station_create"), {"name": "无位置站", "level": "county", "established_on": "2026-01-01"})
    assert "请在地图上点选位置" in missing.content.decode()
    assert client_for(town_officer).get(reverse("disease:station_create")).status_code == 403
    line = json.dumps({"type": "LineString", "coordinates": [[117.81, 36.66], [117.83, 36.68]]})
    client.post(reverse("disease:station_route_add", args=[station.pk]), {"name": "湖岸线", "geometry": line})
    assert station.routes.get().length_km > 2
    client.post(reverse("disease:station_point_add", args=[station.pk]), {"name": "湖心观测点", "location": json.dumps({"type": "Point", "coordinates": [117.82, 36.675]})})
    assert station.points.count() == 1
    geojson = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "导入线"}, "geometry": {"type": "LineString", "coordinates": [[117.80, 36.66], [117.81, 36.665]]}},
        {"type": "Feature", "properties": {"name": "导入点"}, "geometry": {"type": "Point", "coordinates": [117.805, 36.662]}},
    ]}).encode()
    ok = client.post(reverse("disease:station_import", args=[station.pk]), {"file": SimpleUploadedFile("r.geojson", geojson)}, follow=True)
    assert "已导入路线 1 条、监测点 1 个" in ok.content.decode()
    bad = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "好线"}, "geometry": {"type": "LineString", "coordinates": [[117.80, 36.66], [117.81, 36.665]]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": []}},
    ]}).encode()
    refused = client.post(reverse("disease:station_import", args=[station.pk]), {"file": SimpleUploadedFile("r.geojson", bad)}, follow=True)
    assert "第 2 个要素" in refused.content.decode() and not station.routes.filter(name="好线").exists()
    client.post(reverse("disease:station_equipment", args=[station.pk]), {"name": "望远镜", "quantity": "2", "unit": "台"})
    assert station.equipment.get().quantity == 2
    # another town cannot touch this station's parts
    route = station.routes.first()
    assert client_for(other_town_officer).post(reverse("disease:station_feature_remove", args=[station.pk, "route", route.pk])).status_code == 404
    assert client.post(reverse("disease:station_feature_remove", args=[station.pk, "route", route.pk])).status_code == 302
    assert not station.routes.filter(pk=route.pk).exists()


def test_report_entry_point_zero_report_and_full_form(client_for, town_officer, other_town_officer, stations, birds):
    client = client_for(town_officer)
    start = client.get(reverse("disease:report_start")).content.decode()
    wangcun = stations["wangcun"]
    assert f'data-testid="zero-report-{wangcun.pk}-20260416"' in start and "北郊站" not in start
    response = client.post(reverse("disease:report_zero", args=[wangcun.pk]), {"date": "2026-04-16"})
    assert response.status_code == 302 and DailyReport.objects.get(station=wangcun, date=dt.date(2026, 4, 16)).is_zero_report
    # the other town cannot file for this station
    assert client_for(other_town_officer).post(reverse("disease:report_zero", args=[wangcun.pk]), {"date": "2026-04-16"}).status_code == 404
    # a second form for the same period opens the existing report for correction
    again = client.get(reverse("disease:report_create", args=[wangcun.pk]) + "?date=2026-04-16")
    report = DailyReport.objects.get(station=wangcun, date=dt.date(2026, 4, 16))
    assert again.status_code == 302 and again["Location"] == reverse("disease:report_update", args=[report.pk])
    form = {
        "date": "2026-04-15", "route_km": "5.5", "notes": "发现死亡野鸭",
        "findings-TOTAL_FORMS": "3", "findings-INITIAL_FORMS": "0", "findings-MIN_NUM_FORMS": "0", "findings-MAX_NUM_FORMS": "50",
        "findings-0-group": "bird", "findings-0-species": str(birds["斑嘴鸭"].pk), "findings-0-count": "20", "findings-0-sick": "0", "findings-0-dead": "2",
        "findings-1-group": "bird", "findings-1-count": "0", "findings-1-sick": "0", "findings-1-dead": "0",
        "findings-2-group": "bird", "findings-2-count": "0", "findings-2-sick": "0", "findings-2-dead": "0",
    }
    created = client.post(reverse("disease:report_create", args=[wangcun.pk]), form)
    late = DailyReport.objects.get(station=wangcun, date=dt.date(2026, 4, 15))
    assert created.status_code == 302 and late.late and late.events.count() == 1
    stale = client.post(reverse("disease:report_update", args=[late.pk]), {**form, "version": "7"})
    assert "已被他人修改" in stale.content.decode()


def test_event_pages_and_actions(client_for, district_officer, agri_officer, town_officer, other_town_officer, birds, chain_rules, grading_rules, stations):
    client = client_for(town_officer)
    form = {
        "source": "patrol", "station": str(stations["wangcun"].pk), "detected_at": "2026-04-16T09:00", "longitude": "117.74", "latitude": "36.76",
        "signs": "站立不稳", "isolation": "on",
        "species-TOTAL_FORMS": "2", "species-INITIAL_FORMS": "0", "species-MIN_NUM_FORMS": "0", "species-MAX_NUM_FORMS": "30",
        "species-0-species": str(birds["斑嘴鸭"].pk), "species-0-sick": "1", "species-0-dead": "7",
        "species-1-sick": "0", "species-1-dead": "0",
    }
    response = client.post(reverse("disease:event_create"), form)
    event = MortalityEvent.objects.get()
    assert response.status_code == 302 and event.grade == "IV" and event.isolation
    detail = client.get(event.get_absolute_url()).content.decode()
    assert "data-countdown" in detail and 'data-deadline="2026-04-16T13:00:00+08:00"' in detail and "定级依据" in detail
    assert client_for(other_town_officer).get(event.get_absolute_url()).status_code == 404
    # towns may not take samples (agriculture and natural resources do)
    sample = {"sample_no": "S-1", "kind": "swab_op", "quantity": "2", "taken_by": "张磊", "taken_at": "2026-04-16T10:00", "biosafety_level": "bsl2"}
    assert client.post(reverse("disease:event_sample_add", args=[event.pk]), sample).status_code == 403
    assert client_for(agri_officer).post(reverse("disease:event_sample_add", args=[event.pk]), sample).status_code == 302
    assert event.samples.count() == 1
    client.post(reverse("disease:event_suspect", args=[event.pk]), {"reason": "神经症状"})
    document = EventDocument.objects.get(event=event)
    download = client_for(district_officer).get(reverse("disease:event_file", args=[event.pk, "document", document.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf" and b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_id=str(event.pk)).exists()
    assert client_for(other_town_officer).get(reverse("disease:event_file", args=[event.pk, "document", document.pk])).status_code == 404
    png = SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    client.post(reverse("disease:event_photo_add", args=[event.pk]), {"photo": png, "caption": "现场"})
    photo = event.photos.get()
    assert client.get(reverse("disease:event_file", args=[event.pk, "photo", photo.pk]))["Content-Type"] == "image/png"
    step = event.steps.filter(done_at__isnull=True).first()
    client.post(reverse("disease:event_step_complete", args=[event.pk, step.pk]), {"note": "电话"})
    step.refresh_from_db()
    assert step.done_at is not None
    closed = client.post(reverse("disease:event_close", args=[event.pk]), {"final_diagnosis": "禽流感 H5N1"}, follow=True)
    assert "事件已结案" in closed.content.decode()


def test_alerts_and_notifications_are_personal(client_for, district_officer, town_officer, other_town_officer, make_event, birds, cluster_rule):
    make_event(WANGCUN, local(2026, 4, 15, 8, 0), [(birds["斑嘴鸭"], 0, 2)])
    make_event((117.73, 36.77), local(2026, 4, 15, 9, 0), [(birds["绿翅鸭"], 0, 2)])
    alert = Alert.objects.get(kind="cluster")
    assert client_for(other_town_officer).get(alert.get_absolute_url()).status_code == 404
    client = client_for(town_officer)
    client.post(reverse("disease:alert_acknowledge", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.status == "acknowledged" and alert.acknowledged_by == town_officer
    mine = Notification.objects.filter(recipient=town_officer).first()
    theirs = Notification.objects.filter(recipient=district_officer).first()
    page = client.get(reverse("disease:notification_list")).content.decode()
    assert mine.title in page
    assert client.post(reverse("disease:notification_read", args=[theirs.pk])).status_code == 404
    read = client.post(reverse("disease:notification_read", args=[mine.pk]))
    assert read.status_code == 302 and read["Location"] == mine.url
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_rules_page_and_edits(client_for, district_officer, town_officer, grading_rules):
    assert "Ⅳ：同目鸟类" in client_for(town_officer).get(reverse("disease:rules")).content.decode()
    rule = grading_rules["IV"]
    url = reverse("disease:rule_update", args=["gradingrule", rule.pk])
    assert client_for(town_officer).get(url).status_code == 403
    data = {
        "name": rule.name, "grade": "IV", "kind": "dead_at_site", "taxon_rank": "order", "min_dead": "8", "window_hours": "24", "site_radius_m": "500",
        "effective_from": "2020-01-01", "birds_only": "on", "version": str(rule.version),
    }
    assert client_for(district_officer).post(url, data).status_code == 302
    rule.refresh_from_db()
    assert rule.min_dead == 8 and rule.version == 2
    stale = client_for(district_officer).post(url, {**data, "min_dead": "9", "version": "1"})
    assert "已被他人修改" in stale.content.decode()
    invalid = client_for(district_officer).post(reverse("disease:rule_create", args=["gradingrule"]), {**data, "kind": "population_share", "min_dead": ""})
    assert invalid.status_code == 200 and GradingRule.objects.count() == len(grading_rules)


def test_home_dashboard_cards_follow_permissions(client_for, district_officer, police_officer, town_officer, stations):
    services.notification_send(recipient=town_officer, kind="test", title="测试提醒")
    home = client_for(district_officer).get("/").content.decode()
    assert "疫源疫病日报（昨日）" in home and "0/2" in home and "未结疫情事件" in home
    town_home = client_for(town_officer).get("/").content.decode()
    assert "0/1" in town_home and "未读提醒" in town_home
    police_home = client_for(police_officer).get("/").content.decode()
    # no disease cards or menu for the police; the notification bell in the top bar is everyone's
    assert "疫源疫病" not in police_home and "/disease/" not in police_home.replace('href="/disease/notifications/"', "")


def test_responsible_officer_is_chosen_within_the_editors_areas(town_officer, other_town_officer, district_officer):
    from wildlife.disease.forms import StationForm

    town_choices = set(StationForm(user=town_officer).fields["responsible"].queryset)
    assert town_officer in town_choices and other_town_officer not in town_choices and district_officer not in town_choices
    assert {town_officer, other_town_officer, district_officer} <= set(StationForm(user=district_officer).fields["responsible"].queryset)
