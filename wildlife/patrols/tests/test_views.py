"""Pages: forms with uploads and maps, workflow actions, files, and wrong input shown next to the field."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wildlife.patrols import services
from wildlife.patrols.models import ChecklistTemplate, Inspection, InspectionTarget, Patrol, PatrolIncident
from wildlife.patrols.tests.factories import (
    BEIJIAO_LINE,
    WANGCUN_LINE,
    gpx,
    make_inspection,
    make_target,
    make_template,
    png_bytes,
    track,
)
from wildlife.patrols.tests.test_tracks import BILLION_LAUGHS

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_patrol_create_by_gpx_upload(zhoucun, town_officer, client_for):
    client = client_for(town_officer)
    assert client.get(reverse("patrols:patrol_create")).status_code == 200
    upload = SimpleUploadedFile("巡护.gpx", gpx(), content_type="application/gpx+xml")
    response = client.post(reverse("patrols:patrol_create"), {"kind": "mountain", "track_file": upload, "track_crs": "wgs84", "member_names": "甲、乙"})
    patrol = Patrol.objects.get()
    assert response.status_code == 302 and response["Location"] == patrol.get_absolute_url()
    assert patrol.track_source == "gpx" and patrol.track_file_name == "巡护.gpx" and patrol.title == "测试轨迹"
    detail = client.get(patrol.get_absolute_url()).content.decode()
    assert "8.09" in detail and "王村镇" in detail
    layer = client.get(reverse("patrols:patrol_detail_layer", args=[patrol.pk])).json()
    assert layer["features"][0]["geometry"]["type"] == "LineString"
    listing = client.get(reverse("patrols:patrol_layer")).json()
    assert [f["id"] for f in listing["features"]] == [patrol.pk]


def test_patrol_create_by_drawing(zhoucun, town_officer, client_for):
    drawn = json.dumps({"type": "LineString", "coordinates": [list(p) for p in WANGCUN_LINE]})
    data = {"title": "绘制的巡护", "kind": "mountain", "started_at": "2026-03-12T08:00", "ended_at": "2026-03-12T11:00", "track_crs": "gcj02", "track_drawn": drawn}
    response = client_for(town_officer).post(reverse("patrols:patrol_create"), data)
    assert response.status_code == 302
    patrol = Patrol.objects.get()
    assert patrol.track_source == "drawn" and patrol.track.coords[0] == WANGCUN_LINE[0]  # drawn on the map: not converted


def test_patrol_form_errors_next_to_fields(zhoucun, town_officer, client_for):
    client = client_for(town_officer)
    url = reverse("patrols:patrol_create")
    missing = client.post(url, {"kind": "mountain", "track_crs": "wgs84"}).content.decode()
    assert 'data-field-error="track_file"' in missing and "请上传轨迹文件" in missing
    hostile = client.post(url, {"kind": "mountain", "track_crs": "wgs84", "track_file": SimpleUploadedFile("x.gpx", BILLION_LAUGHS)}).content.decode()
    assert 'data-field-error="track_file"' in hostile and "安全原因拒绝" in hostile
    bad = gpx().replace(b'lat="36.68"', 'lat="北纬"'.encode())
    broken = client.post(url, {"kind": "mountain", "track_crs": "wgs84", "track_file": SimpleUploadedFile("x.gpx", bad)}).content.decode()
    assert "第 2 个点：纬度 lat「北纬」不是数字" in broken
    other_town = client.post(url, {"kind": "mountain", "track_crs": "wgs84", "track_file": SimpleUploadedFile("x.gpx", gpx(BEIJIAO_LINE))}).content.decode()
    assert "不在您的管辖范围内" in other_town
    assert not Patrol.objects.exists()


def test_incident_with_photo_and_download_scope(zhoucun, town_officer, other_town_officer, client_for):
    patrol = services.patrol_record(
        actor=town_officer, title="巡护", track=track(), track_source="drawn",
        started_at=timezone.now() - dt.timedelta(hours=3), ended_at=timezone.now() - dt.timedelta(hours=1),
    )
    client = client_for(town_officer)
    url = reverse("patrols:incident_create", args=[patrol.pk])
    assert client.get(url).status_code == 200
    photo = SimpleUploadedFile("猎夹.png", png_bytes(), content_type="image/png")
    response = client.post(url, {"kind": "hunting_tool", "location": "117.73, 36.67", "description": "猎夹两副", "photos": [photo]})
    assert response.status_code == 302
    incident = PatrolIncident.objects.get()
    attachment = services.attachments_of(incident)[0]
    image = client.get(attachment.get_absolute_url())
    assert image.status_code == 200 and image["Content-Type"] == "image/png" and image["X-Content-Type-Options"] == "nosniff"
    assert client_for(other_town_officer).get(attachment.get_absolute_url()).status_code == 404
    bad = client.post(url, {"kind": "sighting", "location": "abc", "description": "x", "species_name": "不存在的鸟"}).content.decode()
    assert 'data-field-error="location"' in bad and 'data-field-error="species_name"' in bad
    assert client_for(other_town_officer).get(url).status_code == 404


def test_inspection_pick_target_then_checklist_then_workflow(zhoucun, town_officer, client_for):
    make_template(zhoucun["周村区"])
    target = make_target(zhoucun["王村镇"], name="王村集市")
    client = client_for(town_officer)
    picker = client.get(reverse("patrols:inspection_create")).content.decode()
    assert "王村集市" in picker
    url = reverse("patrols:inspection_create") + f"?target={target.pk}"
    form = client.get(url).content.decode()
    assert 'name="answer_1"' in form and 'name="note_3"' in form
    data = {
        "target": target.pk, "inspected_on": TODAY.isoformat(), "inspector_names": "检查员甲",
        "answer_1": "fail", "note_1": "", "answer_2": "pass", "answer_3": "na",
        "rectification_requirement": "清理在售野生鸟类", "rectify_by": (TODAY + dt.timedelta(days=7)).isoformat(),
    }
    missing_note = client.post(url, data).content.decode()
    checklist_part = missing_note.split('data-testid="checklist"')[0]
    assert 'data-field-error="answers"' in checklist_part and "第 1 项不符合：请写明具体问题" in checklist_part
    assert not Inspection.objects.exists()
    data["note_1"] = "出售画眉活体"
    response = client.post(url, data)
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and inspection.status == "rectifying" and inspection.failed_items == 1
    detail = client.get(inspection.get_absolute_url()).content.decode()
    assert 'data-testid="follow-up-form"' in detail and "出售画眉活体" in detail
    follow_up = reverse("patrols:inspection_follow_up", args=[inspection.pk])
    client.post(follow_up, {"checked_on": TODAY.isoformat(), "result": "passed", "version": inspection.version})
    again = client.post(follow_up, {"checked_on": TODAY.isoformat(), "result": "passed", "version": inspection.version}, follow=True)
    assert "不能登记复查" in again.content.decode()
    inspection.refresh_from_db()
    assert inspection.status == "verified" and inspection.follow_ups.count() == 1


def test_inspection_photos_and_wrong_type(zhoucun, town_officer, client_for):
    inspection = make_inspection(zhoucun["王村镇"])
    client = client_for(town_officer)
    url = reverse("patrols:inspection_photos", args=[inspection.pk])
    client.post(url, {"upload": [SimpleUploadedFile("现场.png", png_bytes())]})
    assert len(services.attachments_of(inspection)) == 1
    page = client.post(url, {"upload": [SimpleUploadedFile("现场.jpg", b"GIF89a....")]}, follow=True).content.decode()
    assert "内容与扩展名不符" in page and len(services.attachments_of(inspection)) == 1


def test_target_form_with_point_and_area(zhoucun, town_officer, client_for):
    client = client_for(town_officer)
    url = reverse("patrols:target_create")
    response = client.post(url, {"name": "新集市", "kind": "market", "address": "王村镇", "location": '{"type":"Point","coordinates":[117.75,36.75]}', "is_active": "on"})
    assert response.status_code == 302
    target = InspectionTarget.objects.get()
    assert target.area == zhoucun["王村镇"]
    outside = client.post(url, {"name": "北郊集市", "kind": "market", "address": "北郊镇", "location": "117.85,36.86", "is_active": "on"}).content.decode()
    assert "不在您的管辖范围内" in outside
    detail = client.get(target.get_absolute_url()).content.decode()
    assert f"layer.geojson?id={target.pk}" in detail


def test_lists_render_for_each_role(zhoucun, district_officer, town_officer, market_officer, police_officer, client_for):
    names = ["patrol_list", "coverage", "inspection_list", "target_list", "template_list", "training_list", "training_hours", "officer_list", "equipment_list"]
    for name in names:
        assert client_for(district_officer).get(reverse(f"patrols:{name}")).status_code == 200, name
        assert client_for(town_officer).get(reverse(f"patrols:{name}")).status_code == 200, name
    assert client_for(market_officer).get(reverse("patrols:inspection_list")).status_code == 200
    assert client_for(market_officer).get(reverse("patrols:patrol_list")).status_code == 403
    assert client_for(police_officer).get(reverse("patrols:patrol_create")).status_code == 403
    assert client_for(police_officer).get(reverse("patrols:officer_list")).status_code == 403


def test_template_pages(zhoucun, district_officer, town_officer, client_for):
    client = client_for(district_officer)
    response = client.post(reverse("patrols:template_create"), {"name": "市场检查表", "target_kind": "market", "items": "是否出售野生动物｜第二十八条\n是否张贴公告", "is_active": "on"})
    assert response.status_code == 302
    template = ChecklistTemplate.objects.get()
    assert client_for(town_officer).get(template.get_absolute_url()).status_code == 200
    assert client_for(town_officer).get(reverse("patrols:template_update", args=[template.pk])).status_code == 403  # towns only read templates
    edit = client.get(reverse("patrols:template_update", args=[template.pk])).content.decode()
    assert "是否出售野生动物｜第二十八条" in edit


def test_map_layers_obey_scope_and_filters(zhoucun, town_officer, market_officer, client_for):
    own = make_target(zhoucun["王村镇"], name="王村集市")
    other = make_target(zhoucun["北郊镇"], name="北郊集市")
    breeding = make_target(zhoucun["王村镇"], kind="breeding", name="王村养殖场")
    ids = {f["id"] for f in client_for(town_officer).get(reverse("patrols:target_layer")).json()["features"]}
    assert ids == {own.pk, breeding.pk}
    ids = {f["id"] for f in client_for(town_officer).get(reverse("patrols:target_layer") + "?kind=market").json()["features"]}
    assert ids == {own.pk}
    ids = {f["id"] for f in client_for(market_officer).get(reverse("patrols:target_layer")).json()["features"]}
    assert ids == {own.pk, other.pk}
    inspection = make_inspection(zhoucun["王村镇"], status="rectifying", rectify_by=TODAY - dt.timedelta(days=1))
    feature = client_for(town_officer).get(reverse("patrols:inspection_layer")).json()["features"][0]
    assert feature["id"] == inspection.pk and "逾期" in feature["properties"]["summary"]


def test_patrol_edit_keeps_the_track_unless_redrawn(zhoucun, town_officer, client_for):
    patrol = services.patrol_record(actor=town_officer, title="巡护", track=track(), track_source="gpx", track_file_name="a.gpx",
                                    started_at=timezone.now() - dt.timedelta(hours=3), ended_at=timezone.now() - dt.timedelta(hours=1))
    client = client_for(town_officer)
    url = reverse("patrols:patrol_update", args=[patrol.pk])
    page = client.get(url).content.decode()
    assert "LineString" in page  # the stored track is on the map
    form = {"title": "改名", "kind": "mountain", "started_at": "", "ended_at": "", "track_crs": "wgs84", "version": 1, "track_drawn": patrol.track.geojson}
    assert client.post(url, form).status_code == 302
    patrol.refresh_from_db()
    assert patrol.title == "改名" and patrol.track_source == "gpx" and patrol.version == 2
    redrawn = json.dumps({"type": "LineString", "coordinates": [[117.72, 36.76], [117.74, 36.78]]})
    assert client.post(url, {**form, "version": 2, "track_drawn": redrawn}).status_code == 302
    patrol.refresh_from_db()
    assert patrol.track_source == "drawn" and patrol.point_count == 2
    stale = client.post(url, {**form, "version": 1, "title": "旧表单"}).content.decode()
    assert "已被他人修改" in stale
