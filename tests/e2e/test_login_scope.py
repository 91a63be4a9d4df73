"""Foundation in a real browser: login, scope, lockout, HTMX POST with CSRF, Excel export."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from wildlife.core.testing.browser import login
from wildlife.core.tests.sample.models import SampleRecord

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _records(zhoucun):
    for town, name in (("王村镇", "王村观测点"), ("北郊镇", "北郊观测点")):
        area = zhoucun[town]
        SampleRecord.objects.create(name=name, area=area, district=area.district_ancestor())


def test_town_and_district_officers_see_different_scopes(zhoucun, town_officer, district_officer, page_factory):
    _records(zhoucun)
    town_page = page_factory()
    login(town_page, "town_officer")
    town_page.wait_for_url("**/")
    assert "王村镇" in town_page.locator("[data-testid=scope-label]").inner_text()
    town_page.goto("/sample/")
    assert town_page.locator("text=王村观测点").count() == 1
    assert town_page.locator("text=北郊观测点").count() == 0
    assert "共 1 条" in town_page.locator("[data-testid=result-count]").inner_text()

    district_page = page_factory()
    login(district_page, "DISTRICT_OFFICER")  # usernames are case-insensitive
    district_page.wait_for_url("**/")
    district_page.goto("/sample/")
    assert "共 2 条" in district_page.locator("[data-testid=result-count]").inner_text()


def test_five_wrong_passwords_lock_the_account(zhoucun, town_officer, page):
    for _ in range(5):
        login(page, "town_officer", "wrong-password-1A")
        expect(page.locator("[data-testid=login-error]")).to_be_visible()
    # the right password is now refused too
    login(page, "town_officer")
    expect(page.locator("[data-testid=login-error]")).to_contain_text("锁定")
    assert page.url.endswith("/accounts/login/")


def test_excel_export_downloads_and_reads_back(zhoucun, town_officer, page):
    _records(zhoucun)
    login(page, "town_officer")
    page.wait_for_url("**/")
    page.goto("/sample/")
    with page.expect_download() as info:
        page.click("[data-testid=export-xlsx]")
    content = Path(info.value.path()).read_bytes()
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "名称"
    assert [r[0] for r in rows[2:]] == ["王村观测点"]


def test_htmx_filter_and_logout_post(zhoucun, town_officer, page):
    _records(zhoucun)
    SampleRecord.objects.create(name="王村第二点", area=zhoucun["王村镇"], district=zhoucun["周村区"])
    login(page, "town_officer")
    page.wait_for_url("**/")
    page.goto("/sample/")
    page.fill("#id_q", "第二")
    page.press("#id_q", "Enter")
    expect(page.locator("[data-testid=result-count]")).to_contain_text("共 1 条")
    assert "q=" in page.url  # hx-push-url keeps the filter in the address
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url("**/accounts/login/")
