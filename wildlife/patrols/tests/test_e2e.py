"""In Chromium: a town officer records a patrol by uploading a GPX track and finds it on the coverage map; then
records an inspection with a failed checklist item and a rectification deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from wildlife.patrols.models import Inspection, Patrol
from wildlife.patrols.tests.factories import gpx, make_target, make_template

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_patrol_from_gpx_appears_on_the_coverage_map(zhoucun: Any, town_officer: Any, page: Any, tmp_path: Any) -> None:
    from playwright.sync_api import expect

    from wildlife.core.testing.browser import login

    year = timezone.localdate().year
    track_file = tmp_path / "王村镇巡护.gpx"
    track_file.write_bytes(gpx(start=f"{year}-01-12T00:30:00Z", name="王村镇西南山区巡护"))
    login(page, "town_officer")
    page.goto("/patrols/")
    expect(page.get_by_test_id("sidebar")).to_contain_text("巡护覆盖")
    page.get_by_test_id("create").click()
    page.set_input_files("#id_track_file", str(track_file))
    page.fill("#id_member_names", "护林员甲、护林员乙")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("patrol-title")).to_contain_text("王村镇西南山区巡护")
    expect(page.get_by_test_id("patrol-distance")).to_contain_text("8.09")
    expect(page.get_by_test_id("patrol-area")).to_have_text("王村镇")
    expect(page.locator("#patrol-map")).to_have_attribute("data-layer-loaded", "1")
    patrol = Patrol.objects.get()
    assert patrol.track_source == "gpx" and patrol.point_count == 4

    page.goto(f"/patrols/coverage/?year={year}")
    row = page.locator("[data-testid=coverage-table] tr[data-town=王村镇]")
    expect(row.get_by_test_id("town-total")).to_have_text("1 / 8.1")
    expect(row.locator("td").first).to_have_text("1 / 8.1")  # January
    expect(page.get_by_test_id("chart-coverage-chart")).to_have_attribute("data-ready", "1")
    coverage_map = page.locator("#coverage-map")
    expect(coverage_map).to_have_attribute("data-ready", "1")
    expect(coverage_map).to_have_attribute("data-layer-loaded", "2")  # the town shaded by its km + the track
    page.locator("#coverage-map").click(position={"x": 5, "y": 5})
    expect(page.get_by_test_id("map-legend")).to_contain_text("巡护覆盖")


def test_inspection_with_a_failed_item_and_a_deadline(zhoucun: Any, town_officer: Any, page: Any) -> None:
    from playwright.sync_api import expect

    from wildlife.core.testing.browser import login

    make_template(zhoucun["周村区"])
    make_target(zhoucun["王村镇"], name="王村镇集贸市场")
    deadline = timezone.localdate() + dt.timedelta(days=10)
    login(page, "town_officer")
    page.goto("/patrols/inspections/")
    page.get_by_test_id("create").click()
    page.get_by_test_id("target-choices").get_by_text("王村镇集贸市场").click()
    checklist = page.get_by_test_id("checklist")
    expect(checklist).to_contain_text("是否出售野生动物")
    checklist.locator("[data-item='1'] input[value=fail]").check()
    checklist.locator("[data-item='2'] input[value=pass]").check()
    checklist.locator("[data-item='3'] input[value=na]").check()
    page.fill("#id_inspector_names", "检查员甲")
    page.fill("#id_findings", "摊位出售画眉活体")
    page.fill("#id_rectification_requirement", "清理在售野生鸟类并建立来源台账")
    page.fill("#id_rectify_by", deadline.isoformat())
    page.get_by_test_id("save").click()
    # a failed item needs its note: the page says so next to the checklist and keeps what was typed
    expect(page.locator("[data-field-error=answers]")).to_contain_text("第 1 项不符合：请写明具体问题")
    expect(page.locator("#id_findings")).to_have_value("摊位出售画眉活体")
    page.locator("[data-item='1'] input[name=note_1]").fill("两个摊位出售画眉活体，无来源证明")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("inspection-status")).to_have_text("整改中")
    expect(page.get_by_test_id("rectify-by")).to_contain_text(f"{deadline.year}年{deadline.month}月{deadline.day}日")
    expect(page.get_by_test_id("answers")).to_contain_text("两个摊位出售画眉活体")
    expect(page.get_by_test_id("failed-items")).to_have_text("1")
    inspection = Inspection.objects.get()
    assert inspection.status == "rectifying" and inspection.rectify_by == deadline and inspection.failed_items == 1
    page.goto("/patrols/inspections/?status=rectifying")
    expect(page.get_by_test_id("object-table")).to_contain_text(inspection.inspection_no)
