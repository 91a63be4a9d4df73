"""The map component in Chromium: scope of the home map, switcher, legend, scale, schematic note, no outside requests,
the boundary preview map and drawing a village boundary."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from wildlife.core.testing.browser import login
from wildlife.core.testing.cast import login_client
from wildlife.geo.models import AdminArea

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAP = "[data-testid=map]"


def watch_requests(page: Any) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def outside(urls: list[str], live_server: Any) -> list[str]:
    return [u for u in urls if not u.startswith(live_server.url) and not u.startswith("data:") and not u.startswith("blob:")]


def wait_ready(page: Any, selector: str = MAP) -> Any:
    page.wait_for_selector(f"{selector}[data-ready='1']")
    return page.locator(selector)


def features_on_map(page: Any, selector: str = MAP) -> int:
    return int(page.eval_on_selector(selector, "el => { let n = 0; el._platformMap.eachLayer(l => { if (l.feature) n++; }); return n; }"))


def admin_session(page: Any, user: Any, live_server: Any) -> None:
    """Administrators need a second factor to log in; the browser reuses a session that has passed it."""
    client = login_client(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def test_home_map_shows_only_the_town_for_a_town_officer(zhoucun, town_officer, page, live_server):
    urls = watch_requests(page)
    login(page, "town_officer")
    page.wait_for_url("**/")
    element = wait_ready(page)
    assert element.get_attribute("data-areas-loaded") == "1"
    assert features_on_map(page) == 1
    # the whole component: switcher, legend, scale bar, the schematic note
    assert "行政区划" in page.locator("[data-testid=map-layers]").inner_text()
    legend = page.locator("[data-testid=map-legend]")
    assert legend.is_visible() and "示意边界" in legend.inner_text()
    assert page.locator(f"{MAP} .leaflet-control-scale-line").is_visible()
    assert "示意边界" in page.locator("[data-testid=map-schematic-note]").inner_text()
    assert element.get_attribute("data-schematic") == "1"
    # no basemap without a key: no tile layer, and nothing requested outside the live server
    assert page.eval_on_selector(MAP, "el => { let n = 0; el._platformMap.eachLayer(l => { if (l instanceof L.TileLayer) n++; }); return n; }") == 0
    assert page.locator("[data-testid=map-no-basemap]").is_visible()
    assert "layers_url" not in page.inner_text("main")  # the component's own documentation stays out of the page
    assert outside(urls, live_server) == []


def test_home_map_shows_all_areas_for_a_district_officer(zhoucun, district_officer, page, live_server):
    urls = watch_requests(page)
    login(page, "district_officer")
    page.wait_for_url("**/")
    element = wait_ready(page)
    assert element.get_attribute("data-areas-loaded") == "13"
    assert features_on_map(page) == 13
    legend = page.locator("[data-testid=map-legend]").inner_text()
    assert "功能区" in legend and "示意边界" in legend
    # the switcher hides and shows the area layer
    switch = page.locator("[data-testid=map-layers] label", has_text="行政区划").locator("input")
    switch.uncheck()
    assert features_on_map(page) == 0
    switch.check()
    assert features_on_map(page) == 13
    assert outside(urls, live_server) == []


def test_area_detail_map_draws_the_area_over_its_neighbours(zhoucun, district_officer, page, live_server):
    urls = watch_requests(page)
    login(page, "district_officer")
    page.wait_for_url("**/")
    wangcun = AdminArea.objects.get(name="王村镇")
    page.goto(wangcun.get_absolute_url())
    element = wait_ready(page)
    assert element.get_attribute("data-layer-loaded") == "1"
    assert "王村镇" in page.locator("[data-testid=map-legend]").inner_text()
    # zoomed to the town: its boundary fills the view
    zoom = page.eval_on_selector(MAP, "el => el._platformMap.getZoom()")
    assert zoom >= 11
    assert outside(urls, live_server) == []


def test_no_schematic_note_once_official_boundaries_are_imported(zhoucun, town_officer, system_admin, page, live_server):
    from wildlife.geo.services import boundary_import_apply, boundary_import_stage
    from wildlife.geo.tests.helpers import two_towns, upload

    boundary_import_apply(actor=system_admin, staging=boundary_import_stage(actor=system_admin, upload=upload("t.geojson", two_towns()), crs="wgs84", match_field="XZQDM"))
    login(page, "town_officer")
    page.wait_for_url("**/")
    element = wait_ready(page)
    assert element.get_attribute("data-areas-loaded") == "1"
    assert element.get_attribute("data-schematic") is None
    assert page.locator("[data-testid=map-schematic-note]").count() == 0
    assert "行政区划边界" in page.locator("[data-testid=map-legend]").inner_text()


def test_boundary_preview_shows_new_over_current(zhoucun, system_admin, page, live_server):
    from wildlife.geo.services import boundary_import_stage
    from wildlife.geo.tests.helpers import two_towns, upload

    staging = boundary_import_stage(actor=system_admin, upload=upload("t.geojson", two_towns()), crs="wgs84")
    urls = watch_requests(page)
    admin_session(page, system_admin, live_server)
    page.goto(staging.get_absolute_url())
    element = wait_ready(page)
    assert element.get_attribute("data-areas-loaded") == "13"  # current boundaries (the whole tree)
    assert element.get_attribute("data-layer-loaded") == "2"  # the two new ones
    assert "新边界（待保存）" in page.locator("[data-testid=map-legend]").inner_text()
    assert page.locator("[data-testid=matched-areas] tr[data-area-code]").count() == 2
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=confirm-import]")
    page.wait_for_url("**/geo/areas/")
    assert "已更新 2 个区划的边界" in page.content()
    assert not AdminArea.objects.get(name="王村镇").boundary_is_schematic
    assert outside(urls, live_server) == []


def test_system_admin_draws_a_village_boundary(zhoucun, system_admin, page, live_server):
    admin_session(page, system_admin, live_server)
    town = AdminArea.objects.get(name="王村镇")
    page.goto(reverse("geo:area_create") + f"?parent={town.pk}")
    wait_ready(page, "#area-draw-map")
    page.select_option("#id_level", "village")
    page.fill("#id_code", "370306100201")
    page.fill("#id_name", "绘制村")
    page.select_option("#id_kind", "village")
    page.click("#area-draw-map .leaflet-draw-draw-rectangle")
    page.wait_for_selector("#area-draw-map .leaflet-draw-tooltip")
    box = page.locator("#area-draw-map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x - 40, y - 30)
    page.mouse.down()
    page.mouse.move(x, y, steps=5)
    page.mouse.move(x + 40, y + 30, steps=5)
    page.mouse.up()
    page.wait_for_function("() => document.getElementById('id_boundary').value !== ''")
    drawn = json.loads(page.input_value("#id_boundary"))
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 5
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=area-name]")
    village = AdminArea.objects.get(code="370306100201")
    assert village.boundary is not None and village.boundary_is_schematic and village.area_km2 > 0
    assert village.parent == town
