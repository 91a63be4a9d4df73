"""In Chromium on a phone screen (390×844): a survey lead creates a project, draws a transect on the map, enters an
observation (species autocomplete, map click for the place) and sees the species on the distribution map."""

from __future__ import annotations

import re
from typing import Any

import pytest

from wildlife.surveys.models import Observation, SurveyProject, SurveySite

pytestmark = pytest.mark.e2e
PHONE = (390, 844)


def click_map(page: Any, selector: str, dx: float, dy: float) -> None:
    """Click the map at an offset (pixels) from its centre, moving there first as a hand would (the drawing tool
    tracks the pointer between clicks)."""
    box = page.locator(selector).bounding_box()
    x, y = box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy
    page.mouse.move(x, y, steps=8)
    page.mouse.down()
    page.mouse.up()
    page.wait_for_timeout(120)  # leaflet-draw ignores a press within 50 ms of the previous one


def test_season_on_a_phone(page_factory: Any, district_officer: Any, catalogue: Any) -> None:
    from playwright.sync_api import expect

    from wildlife.core.testing.browser import login

    page = page_factory(viewport=PHONE, has_touch=False)
    login(page, "district_officer")

    # 1. a project
    page.goto("/surveys/projects/new/")
    page.fill("#id_name", "手机端演示项目")
    page.select_option("#id_kind", "terrestrial")
    page.fill("#id_start_date", "2025-03-01")
    page.fill("#id_end_date", "2026-12-31")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("project-name")).to_have_text("手机端演示项目")
    project = SurveyProject.objects.get(name="手机端演示项目")

    # 2. a transect drawn on the map (line tool: two clicks, then finish)
    page.goto(f"/surveys/sites/new/?kind=transect&project={project.pk}")
    expect(page.locator("#site-map")).to_have_attribute("data-ready", "1")
    page.fill("#id_name", "手机样线 1")
    page.locator(".leaflet-draw-draw-polyline").click()
    click_map(page, "#site-map", -60, 2)
    click_map(page, "#site-map", 10, 2)
    page.locator(".leaflet-draw-actions a", has_text="Finish").click()
    expect(page.locator("#id_geometry")).to_have_value(re.compile(r'"type":\s*"LineString"'))
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("site-name")).to_contain_text("手机样线 1")
    site = SurveySite.objects.get(name="手机样线 1")
    assert site.kind == "transect" and site.length_m and site.length_m > 100
    expect(page.get_by_test_id("length")).to_contain_text("米")

    # 3. an observation: species by pinyin initials, place by a map click
    page.goto(f"/surveys/observations/new/?project={project.pk}")
    expect(page.locator("#entry-map")).to_have_attribute("data-ready", "1")
    page.get_by_test_id("species-input").fill("hjz")
    option = page.get_by_test_id("species-option").filter(has_text="环颈雉").first
    expect(option).to_be_visible()
    option.click()
    expect(page.get_by_test_id("species-chosen")).to_contain_text("环颈雉")
    page.fill("#id_count", "3")
    page.fill("#id_observed_at", "2025-05-10T08:30")
    page.locator("#entry-map").scroll_into_view_if_needed()
    click_map(page, "#entry-map", 5, 5)
    expect(page.locator("#id_lon")).not_to_have_value("")
    expect(page.locator("#id_lat")).not_to_have_value("")
    # the form fits the phone: the save button is reachable and nothing overflows sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0] + 1
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("observation-title")).to_contain_text("环颈雉")
    observation = Observation.objects.get()
    assert observation.species.name_zh == "环颈雉" and observation.count == 3 and observation.project == project

    # 4. the species on the distribution map
    page.goto(f"/surveys/analysis/distribution/?species={observation.species_id}")
    expect(page.get_by_test_id("distribution-species")).to_have_text("环颈雉")
    expect(page.get_by_test_id("species-table")).to_contain_text("环颈雉")
    expect(page.locator("#distribution-map")).to_have_attribute("data-layer-loaded", "1")
    expect(page.locator("#grid-host")).to_have_attribute("data-grid-loaded", "1")


def test_gps_button_fills_the_coordinates(page_factory: Any, town_officer: Any, catalogue: Any) -> None:
    from playwright.sync_api import expect

    from wildlife.core.testing.browser import login
    from wildlife.surveys.tests.factories import SurveyProjectFactory

    project = SurveyProjectFactory()
    page = page_factory(viewport=PHONE, geolocation={"longitude": 117.7512, "latitude": 36.7601, "accuracy": 8}, permissions=["geolocation"])
    login(page, "town_officer")
    page.goto(f"/surveys/observations/new/?project={project.pk}")
    page.get_by_test_id("use-gps").click()
    expect(page.get_by_test_id("use-gps")).to_have_attribute("data-gps-state", "ok")
    expect(page.locator("#id_lon")).to_have_value("117.751200")
    expect(page.locator("#id_lat")).to_have_value("36.760100")
    expect(page.locator("#id_uncertainty_m")).to_have_value("8")
