"""In Chromium: a station officer files a zero report on a phone; a district officer watches the compliance board turn
green; a dead-bird event entered in the browser is graded and a cluster alert appears on it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from wildlife.core.testing.browser import login
from wildlife.disease.models import DailyReport, MortalityEvent
from wildlife.disease.selectors import period_for_day

from .conftest import WANGCUN, offset

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def accept_confirmations(page):
    page.on("dialog", lambda dialog: dialog.accept())


def test_station_officer_files_a_zero_report_on_a_phone(page_factory, make_station, town_officer):
    from playwright.sync_api import expect

    station = make_station(name="南部山区站", responsible=town_officer)
    current = f"{station.pk}-{period_for_day(timezone.localdate()).start:%Y%m%d}"
    page = page_factory(viewport=(390, 844))
    accept_confirmations(page)
    login(page, "town_officer")
    page.goto("/disease/reports/new/")
    card = page.get_by_test_id(f"start-{current}")
    expect(card).to_contain_text("南部山区站")
    expect(page.get_by_test_id(f"start-status-{current}")).to_contain_text("未到截止时间")
    button = page.get_by_test_id(f"zero-report-{current}")
    box = button.bounding_box()
    assert box is not None and box["width"] > 300  # a full-width button on a phone
    button.click()
    expect(page.locator(".alert-success")).to_contain_text("已提交零报告")
    expect(page.get_by_test_id(f"start-status-{current}")).to_contain_text("按时上报")
    report = DailyReport.objects.get(station=station, date=period_for_day(timezone.localdate()).start)
    assert report.is_zero_report and not report.late and report.submitted_by == town_officer
    # nothing scrolls sideways on the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_district_officer_sees_the_compliance_board_turn_green(page_factory, make_station, district_officer, town_officer):
    from playwright.sync_api import expect

    station = make_station(name="孝妇河站", responsible=town_officer)
    today = timezone.localdate()
    board = page_factory()
    login(board, "district_officer")
    board.goto(f"/disease/compliance/?date={today.isoformat()}")
    status = board.get_by_test_id(f"status-{station.pk}")
    expect(status).to_contain_text("未到截止时间")
    expect(board.get_by_test_id("count-received")).to_have_text("0")
    phone = page_factory(viewport=(390, 844))
    accept_confirmations(phone)
    login(phone, "town_officer")
    phone.goto("/disease/reports/new/")
    phone.get_by_test_id(f"zero-report-{station.pk}-{period_for_day(today).start:%Y%m%d}").click()
    expect(phone.locator(".alert-success")).to_contain_text("已提交零报告")
    # the board refreshes itself (htmx polling), no reload
    expect(status).to_contain_text("按时上报", timeout=30_000)
    expect(status).to_have_class("badge bg-success")
    expect(board.get_by_test_id("count-received")).to_have_text("1")


def test_dead_bird_event_is_graded_and_a_cluster_alert_appears(page, make_station, make_event, district_officer, birds, grading_rules, cluster_rule, chain_rules):
    from playwright.sync_api import expect

    now = timezone.localtime()
    earlier = make_event(offset(WANGCUN, east_m=2500), now - dt.timedelta(hours=20), [(birds["绿翅鸭"], 0, 2)], now=now - dt.timedelta(hours=19))
    assert earlier.grade == ""
    login(page, "district_officer")
    page.goto("/disease/events/new/")
    page.select_option("#id_source", "patrol")
    seen = (now - dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    page.fill("#id_detected_at", seen.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_longitude", str(WANGCUN[0]))
    page.fill("#id_latitude", str(WANGCUN[1]))
    page.fill("#id_place_name", "王村镇南部水库")
    page.fill("#id_signs", "多只野鸭死亡，颈部扭曲")
    page.select_option("#id_species-0-species", label="斑嘴鸭")
    page.fill("#id_species-0-dead", "6")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("event-grade")).to_have_text("Ⅳ级（一般）")
    expect(page.get_by_test_id("grade-basis")).to_contain_text("雁形目")
    alert = page.get_by_test_id("event-alert").filter(has_text="聚集性死亡")
    expect(alert).to_contain_text("2 起报告")
    expect(alert).to_contain_text("黄色")
    # the reporting chain counts down in the page (deadline computed by the server)
    event = MortalityEvent.objects.exclude(pk=earlier.pk).get()
    step = event.steps.filter(done_at__isnull=True).first()
    countdown = page.get_by_test_id(f"countdown-{step.pk}")
    expect(countdown).to_contain_text("剩余")
    first = countdown.inner_text()
    page.wait_for_timeout(1500)
    assert countdown.inner_text() != first
    alert.get_by_role("link").click()
    expect(page.get_by_test_id("alert-events")).to_contain_text(earlier.event_no)
    page.get_by_test_id("acknowledge").click()
    expect(page.get_by_test_id("alert-status")).to_have_text("已确认")


def test_district_officer_fills_the_downloaded_template_and_imports_stations(page_factory, district_officer, tmp_path):
    """The register import end to end: the button on the list, the template download, the filled template uploaded,
    the result page, the new stations in the list."""
    import io

    from openpyxl import load_workbook
    from playwright.sync_api import expect

    from wildlife.disease.models import Station

    page = page_factory()
    login(page, "district_officer")
    page.goto("/disease/stations/")
    page.get_by_test_id("import").click()
    with page.expect_download() as download_info:
        page.get_by_test_id("import-template").click()
    workbook = load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    sheet = workbook.worksheets[0]
    headers = [str(cell.value).removesuffix(" *") for cell in sheet[1]]
    assert headers[:3] == ["站点名称", "站点编号", "级别"]
    sheet.delete_rows(2)  # the example row
    values = {"站点名称": "孝妇河口监测站", "级别": "县级", "经度": WANGCUN[0], "纬度": WANGCUN[1], "建站日期": "2024-04-01", "监测范围（镇街）": "王村镇、萌水镇"}
    sheet.append([values.get(header) for header in headers])
    filled = tmp_path / "stations.xlsx"
    workbook.save(filled)

    page.set_input_files("input[type=file]", str(filled))
    page.get_by_test_id("import-submit").click()
    expect(page.get_by_test_id("import-success")).to_be_visible()
    expect(page.get_by_test_id("import-created")).to_contain_text("1")
    station = Station.objects.get(name="孝妇河口监测站")
    assert {a.name for a in station.covered_areas.all()} == {"王村镇", "萌水镇"}
    page.goto("/disease/stations/")
    expect(page.get_by_test_id("object-table")).to_contain_text("孝妇河口监测站")
