"""Excel/CSV import of monitoring stations: the button, the template, an upload with its audit events, idempotency, the
out-of-scope case and the permission checks."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from wildlife.audit.models import AuditEvent
from wildlife.core.testing.cast import make_business_user
from wildlife.core.testing.data import xlsx_upload
from wildlife.disease.models import Station

from .conftest import BEIJIAO, WANGCUN

pytestmark = pytest.mark.django_db
URL = "disease:station_excel_import"
HEADERS = ["站点名称 *", "站点编号", "级别 *", "经度 *", "纬度 *", "建站日期 *", "地址/地点描述", "在用"]


def upload(rows, headers=HEADERS, name="stations.xlsx"):
    return xlsx_upload(headers, rows, name)


ROWS = [
    ["孝妇河监测站", "ZC-01", "县级", WANGCUN[0], WANGCUN[1], "2021-03-01", "孝妇河东岸", "是"],
    ["北郊湿地监测站", "", "市级", BEIJIAO[0], BEIJIAO[1], "2022/5/6", "", ""],
]


def test_button_only_for_users_who_may_add_stations(client_for, district_officer, town_officer):
    page = client_for(district_officer).get(reverse("disease:station_list")).content.decode()
    assert reverse(URL) in page and "导入 Excel" in page
    # towns may edit their stations but not register new ones
    page = client_for(town_officer).get(reverse("disease:station_list")).content.decode()
    assert reverse(URL) not in page
    assert client_for(town_officer).get(reverse(URL)).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and "login" in response["Location"]


def test_page_and_template(client_for, district_officer):
    client = client_for(district_officer)
    page = client.get(reverse(URL))
    assert page.status_code == 200
    html = page.content.decode()
    assert "下载导入模板" in html and "全部成功才导入" in html and "只导入正确的行" in html and 'name="viewport"' in html
    response = client.get(reverse(URL) + "?template=1")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]][:6] == ["站点名称 *", "站点编号", "级别 *", "经度 *", "纬度 *", "建站日期 *"]
    assert wb.worksheets[0].data_validations.dataValidation  # 级别 and 在用 lists
    assert "填写说明" in wb.sheetnames


def test_upload_creates_stations_with_audit_events_and_is_idempotent(client_for, district_officer):
    client = client_for(district_officer)
    response = client.post(reverse(URL), {"file": upload(ROWS), "mode": "all"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="import-success"' in html
    stations = {s.name: s for s in Station.objects.select_related("area")}
    assert stations["孝妇河监测站"].area.name == "王村镇" and stations["孝妇河监测站"].code == "ZC-01"
    assert stations["北郊湿地监测站"].area.name == "北郊镇" and stations["北郊湿地监测站"].is_active
    assert stations["北郊湿地监测站"].established_on.isoformat() == "2022-05-06"
    assert AuditEvent.objects.filter(action="disease_station_create").count() == 2
    event = AuditEvent.objects.get(action="register_import")
    assert event.user == district_officer and event.object_type == "disease.station"
    assert (event.detail["created"], event.detail["skipped"], event.detail["errors"]) == (2, 0, 0)

    again = client.post(reverse(URL), {"file": upload(ROWS), "mode": "all"}).content.decode()
    assert 'data-testid="import-skipped">2<' in again
    assert Station.objects.count() == 2 and AuditEvent.objects.filter(action="register_import").count() == 2


def test_all_or_nothing_reports_errors_and_offers_the_report(client_for, district_officer):
    client = client_for(district_officer)
    rows = [*ROWS, ["坏站", "", "乡级", "117.7", "36.7", "明天", "", ""]]
    html = client.post(reverse(URL), {"file": upload(rows), "mode": "all"}).content.decode()
    assert "第 4 行「级别」：“乡级”不是有效的选项" in html
    assert "第 4 行「建站日期」：“明天”不是有效日期" in html
    assert 'data-testid="import-rolled-back"' in html
    assert not Station.objects.exists()
    report = client.get(reverse(URL) + "?errors=1")
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(report.content)).worksheets[0]
    assert [c.value for c in sheet[2]] == ["行号", "列", "原因", "说明"]
    assert sheet["B3"].value == "级别"

    client.post(reverse(URL), {"file": upload(rows), "mode": "valid"})
    assert Station.objects.count() == 2


def test_station_in_a_town_outside_the_importers_scope_is_refused(client_for, zhoucun):
    # a natural-resources officer posted to 北郊镇 only: may add stations, but not in 王村镇
    officer = make_business_user("beijiao_forester", department_code="natural_resources", area=zhoucun["北郊镇"])
    html = client_for(officer).post(reverse(URL), {"file": upload(ROWS), "mode": "all"}).content.decode()
    assert "第 2 行「经度/纬度」：位置在“王村镇”，不在您的管辖范围内" in html
    assert not Station.objects.exists()


def test_gbk_csv_upload(client_for, district_officer):
    text = "站点名称,级别,经度,纬度,建站日期\n文昌湖监测站,省级,117.72,36.765,2020-01-01\n"
    file = SimpleUploadedFile("stations.csv", text.encode("gbk"))
    client_for(district_officer).post(reverse(URL), {"file": file, "mode": "valid"})
    assert Station.objects.get().level == "provincial"


def test_unreadable_file_is_explained(client_for, district_officer):
    file = SimpleUploadedFile("stations.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    html = client_for(district_officer).post(reverse(URL), {"file": file, "mode": "all"}).content.decode()
    assert "另存为 .xlsx" in html
    assert not AuditEvent.objects.filter(action="register_import").exists()


def test_covered_towns_and_responsible_person(client_for, district_officer, town_officer, other_town_officer):
    headers = [*HEADERS, "监测范围（镇街）", "责任人"]
    rows = [
        ["孝妇河监测站", "", "县级", WANGCUN[0], WANGCUN[1], "2021-03-01", "", "", "萌水镇，南郊镇", "town_officer"],
        ["北郊湿地监测站", "", "县级", BEIJIAO[0], BEIJIAO[1], "2021-03-01", "", "", "", "other_town_officer"],
    ]
    html = client_for(district_officer).post(reverse(URL), {"file": upload(rows, headers), "mode": "all"}).content.decode()
    assert 'data-testid="import-success"' in html, html
    station = Station.objects.get(name="孝妇河监测站")
    assert {a.name for a in station.covered_areas.all()} == {"王村镇", "萌水镇", "南郊镇"}  # its own town is always in
    assert station.responsible == town_officer
    assert Station.objects.get(name="北郊湿地监测站").responsible == other_town_officer


def test_unknown_town_and_unknown_responsible_name_the_row(client_for, district_officer):
    headers = [*HEADERS, "监测范围（镇街）", "责任人"]
    rows = [["孝妇河监测站", "", "县级", WANGCUN[0], WANGCUN[1], "2021-03-01", "", "", "王村镇、火星镇", "nobody_here"]]
    html = client_for(district_officer).post(reverse(URL), {"file": upload(rows, headers), "mode": "all"}).content.decode()
    assert "第 2 行「监测范围（镇街）」" in html and "火星镇" in html
    assert "第 2 行「责任人」" in html and "nobody_here" in html
    assert not Station.objects.filter(name="孝妇河监测站").exists()


def test_responsible_must_work_within_the_importers_areas(client_for, zhoucun, town_officer):
    # a 自然资源局 officer posted to 北郊镇 only cannot make a 王村镇 officer responsible for a 北郊镇 station
    officer = make_business_user("beijiao_nr", department_code="natural_resources", area=zhoucun["北郊镇"])
    headers = [*HEADERS, "监测范围（镇街）", "责任人"]
    rows = [["北郊湿地监测站", "", "县级", BEIJIAO[0], BEIJIAO[1], "2021-03-01", "", "", "", town_officer.username]]
    html = client_for(officer).post(reverse(URL), {"file": upload(rows, headers), "mode": "all"}).content.decode()
    assert "第 2 行「责任人」" in html and "没有账号或姓名" in html
    assert not Station.objects.filter(name="北郊湿地监测站").exists()
