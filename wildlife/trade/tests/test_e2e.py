"""In Chromium: a market officer imports a platform export (upload, map the columns, the job runs), reviews a hit
from the queue and generates the takedown letter; another hit is marked a false positive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wildlife.trade.choices import ListingStatus
from wildlife.trade.models import Listing, TakedownLetter

pytestmark = pytest.mark.e2e

EXPORT = (
    "商品编号,宝贝名称,宝贝描述,卖家账号,价格,发布时间\n"
    "E1,出售 画 眉 鸟 活体,南部山区野生，可寄,niaoyou_zc,380,2026-03-01 10:00\n"
    "E2,捕鸟网 50米 现货,粘网，包邮,yubei_sd,65,2026-03-02 09:00\n"
    "E3,周村烧饼 礼盒装,周村特产，包邮,shaobing,58,2026-03-02 11:00\n"
)


def test_import_review_and_takedown_letter(page: Any, market_officer: Any, term_table: Any, platform: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    from wildlife.core.testing.browser import login

    export = tmp_path / "闲置平台导出.csv"
    export.write_text(EXPORT, encoding="utf-8")
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "market_officer")
    expect(page.get_by_test_id("sidebar")).to_contain_text("网络交易监测")

    # step 1: upload the export
    page.goto("/trade/import/")
    page.select_option("#id_platform", str(platform.pk))
    page.set_input_files("#id_file", str(export))
    page.click("[data-testid=upload-submit]")
    # step 2: the columns are pre-mapped from their names; the user confirms
    expect(page.get_by_test_id("mapping-sample")).to_contain_text("出售 画 眉 鸟 活体")
    expect(page.locator("#id_map_title")).to_have_value("宝贝名称")
    expect(page.locator("#id_map_text")).to_have_value("宝贝描述")
    page.select_option("#id_map_external_id", "商品编号")
    page.click("[data-testid=mapping-submit]")
    expect(page.get_by_test_id("job-status")).to_have_text("已完成")
    expect(page.get_by_test_id("scan-flagged")).to_have_text("2")
    expect(page.get_by_test_id("scan-created")).to_have_text("3")

    # the queue, riskiest first; open the bird listing
    page.goto("/trade/queue/")
    table = page.get_by_test_id("object-table")
    expect(table).to_contain_text("出售 画 眉 鸟 活体")
    expect(table).not_to_contain_text("周村烧饼")
    page.click("text=出售 画 眉 鸟 活体")
    expect(page.locator("[data-testid=listing-title] mark.hit-species")).to_have_text("画 眉 鸟")
    expect(page.get_by_test_id("matched-terms")).to_contain_text("国家二级")
    page.get_by_test_id("review-start").click()
    expect(page.get_by_test_id("listing-status")).to_have_text("审核中")
    expect(page.locator("#takedown-reason")).to_contain_text("画眉鸟")
    page.get_by_test_id("takedown-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("已生成下架通知函")
    expect(page.get_by_test_id("listing-status")).to_have_text("已发下架通知")
    letter = TakedownLetter.objects.get()
    link = page.get_by_test_id("letter-link")
    expect(link).to_contain_text(letter.number)
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    # the net listing: marked a false positive with a reason
    page.goto("/trade/queue/")
    page.click("text=捕鸟网 50米 现货")
    page.fill("#fp-note", "经核实为果园防鸟网，演示误报")
    page.get_by_test_id("false-positive-submit").click()
    expect(page.get_by_test_id("listing-status")).to_have_text("误报")
    assert Listing.objects.get(external_id="E2").status == ListingStatus.FALSE_POSITIVE
    page.goto("/trade/letters/")
    expect(page.get_by_test_id("object-table")).to_contain_text(letter.number)


def test_town_officer_finds_no_trade_pages(page: Any, town_officer: Any, term_table: Any) -> None:
    from playwright.sync_api import expect

    from wildlife.core.testing.browser import login

    login(page, "town_officer")
    expect(page.get_by_test_id("sidebar")).not_to_contain_text("网络交易监测")
    response = page.goto("/trade/queue/")
    assert response is not None and response.status == 403
