"""In Chromium: a town officer finds 禾花雀 in the catalogue and checks its status on a date; an officer of the
natural resources bureau adds a trade name (a POST from the page) and exports the list."""

from __future__ import annotations

from typing import Any

import pytest

from wildlife.species.models import SpeciesAlias

pytestmark = pytest.mark.e2e


def test_town_officer_searches_and_checks_a_past_date(page: Any, town_officer: Any, catalogue: Any) -> None:
    from playwright.sync_api import expect

    from wildlife.core.testing.browser import login

    login(page, "town_officer")
    page.goto("/species/")
    expect(page.get_by_test_id("sidebar")).to_contain_text("物种")
    page.fill("#id_q", "禾花雀")
    page.keyboard.press("Enter")
    table = page.get_by_test_id("object-table")
    expect(table).to_contain_text("黄胸鹀")
    expect(table).to_contain_text("国家一级")
    page.click("text=黄胸鹀")
    expect(page.get_by_test_id("current-protection")).to_have_text("国家一级")
    expect(page.get_by_test_id("aliases")).to_contain_text("禾花雀")
    page.fill("#id_on", "2020-05-01")
    page.click("[data-testid=status-on-date] button[type=submit]")
    expect(page.get_by_test_id("on-result")).to_contain_text("三有")
    expect(page.get_by_test_id("on-result")).to_contain_text("国家林业局令第7号")


def test_district_officer_adds_a_trade_name_and_exports(page: Any, district_officer: Any, catalogue: Any) -> None:
    from playwright.sync_api import expect

    from wildlife.core.testing.browser import login

    login(page, "district_officer")
    page.goto(catalogue["穿山甲"].get_absolute_url())
    page.fill("#alias-name", "穿山甲鳞片")
    page.select_option("#alias-kind", "trade")
    page.click("[data-testid=alias-form] button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("已添加别名")
    expect(page.get_by_test_id("aliases")).to_contain_text("穿山甲鳞片")
    assert SpeciesAlias.objects.filter(name="穿山甲鳞片", kind="trade").exists()
    page.goto("/species/?protection=national_1")
    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
