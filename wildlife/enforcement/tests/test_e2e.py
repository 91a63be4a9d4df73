"""In Chromium: a citizen files a tip-off on the portal from a phone and follows it with the receipt number and query
code; an officer triages it into a case, adds a party and a seized live animal (handed to the rescue centre) and sees
the tracing graph, and the citizen then reads the reply."""

from __future__ import annotations

from typing import Any

import pytest

from wildlife.enforcement.models import Case, RescueHandover, Tipoff

pytestmark = pytest.mark.e2e

PHONE_VIEWPORT = (390, 844)


@pytest.fixture
def quick_form(settings: Any) -> None:
    settings.WILDLIFE_PUBLIC_MIN_FILL_SECONDS = 0


def _file_report(page: Any) -> tuple[str, str]:
    from playwright.sync_api import expect

    page.goto("/public/")
    page.get_by_test_id("go-report").click()
    expect(page.get_by_test_id("report-form")).to_be_visible()
    page.check("input[name=kind][value=illegal]")
    page.fill("#id_content", "王村镇孝妇河桥下有人张网捕鸟，网上挂着画眉")
    page.fill("#id_address", "孝妇河王村段桥下")
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("receipt")).to_be_visible()
    receipt = page.get_by_test_id("receipt-no").inner_text().strip()
    code = page.get_by_test_id("query-code").inner_text().strip()
    return receipt, code


def test_citizen_reports_from_a_phone_and_follows_it(page_factory: Any, zhoucun: Any, quick_form: None) -> None:
    from playwright.sync_api import expect

    phone = page_factory(viewport=PHONE_VIEWPORT)
    receipt, code = _file_report(phone)
    assert receipt.startswith("JB") and len(code) == 19
    assert Tipoff.objects.get(receipt_no=receipt).channel == "web"
    phone.get_by_test_id("go-status").click()
    expect(phone.locator("#id_receipt_no")).to_have_value(receipt)
    phone.fill("#id_code", code)
    phone.get_by_test_id("status-submit").click()
    expect(phone.get_by_test_id("public-status")).to_contain_text("已受理")
    phone.fill("#id_receipt_no", receipt)
    phone.fill("#id_code", "AAAA-BBBB-CCCC-DDDD")
    phone.get_by_test_id("status-submit").click()
    expect(phone.get_by_test_id("form-errors")).to_contain_text("受理编号或查询码不正确")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_VIEWPORT[0] + 1  # no horizontal scrolling on a phone


def _open_panel(page: Any, name: str) -> None:
    """Open a collapsed workflow panel and wait until Bootstrap has finished showing it (class `show`)."""
    from playwright.sync_api import expect

    page.get_by_test_id(f"open-{name}").click()
    expect(page.locator(f"#panel-{name}.collapse.show")).to_be_visible()


def _submit_panel(page: Any, name: str) -> None:
    """Submit a panel's form and wait for the page the server answers with."""
    with page.expect_navigation(wait_until="load"):
        page.get_by_test_id(f"submit-{name}").click()


def test_officer_triages_into_a_case_with_party_live_animal_and_graph(page_factory: Any, district_officer: Any, catalogue: Any, zhoucun: Any, quick_form: None) -> None:
    from playwright.sync_api import expect

    from wildlife.core.testing.browser import login
    from wildlife.enforcement import services
    from wildlife.enforcement.tests.conftest import make_case

    citizen = page_factory(viewport=PHONE_VIEWPORT)
    receipt, code = _file_report(citizen)
    tipoff = Tipoff.objects.get(receipt_no=receipt)
    # an earlier case in 北郊镇 shares the seller's phone: the graph must link them
    other = make_case(zhoucun["北郊镇"], title="北郊镇网络售鸟案", involved=())
    services.case_party_add(actor=district_officer, case=other, kind="account", role="seller", name="山货小店", identifier="闲鱼:bird_01", phone="13712345678")

    page = page_factory()
    login(page, "district_officer")
    page.goto("/enforcement/tipoffs/")
    expect(page.get_by_test_id("object-table")).to_contain_text(receipt)
    page.click(f"text={receipt}")
    page.wait_for_load_state("load")
    _open_panel(page, "triage")
    page.select_option("#panel-triage select[name=category]", "hunting")
    page.fill("#panel-triage input[name=species]", "画眉")
    page.select_option("#panel-triage select[name=area]", label="王村镇")
    _submit_panel(page, "triage")
    expect(page.get_by_test_id("tipoff-status")).to_have_text("已分类")
    expect(page.get_by_test_id("tipoff-area")).to_contain_text("王村镇")
    page.wait_for_load_state("load")
    _open_panel(page, "escalate")
    page.fill("#panel-escalate input[name=title]", "王村镇孝妇河张网捕鸟案")
    page.select_option("#panel-escalate select[name=offence_type]", "hunting")
    _submit_panel(page, "escalate")
    expect(page.get_by_test_id("case-title")).to_contain_text("王村镇孝妇河张网捕鸟案")
    case = Case.objects.get(tipoff=tipoff)

    page.wait_for_load_state("load")
    _open_panel(page, "party")
    page.select_option("#panel-party select[name=kind]", "person")
    page.select_option("#panel-party select[name=role]", "seller")
    page.fill("#panel-party input[name=name]", "张某")
    page.fill("#panel-party input[name=phone]", "13712345678")
    _submit_panel(page, "party")
    expect(page.locator(".alert-success")).to_contain_text("已添加当事人")
    expect(page.get_by_test_id("parties")).to_contain_text("137****5678")
    expect(page.get_by_test_id("parties")).not_to_contain_text("13712345678")

    page.wait_for_load_state("load")
    _open_panel(page, "item")
    page.fill("#panel-item input[name=species]", "画眉")
    page.fill("#panel-item input[name=count]", "3")
    page.select_option("#panel-item select[name=condition]", "alive")
    _submit_panel(page, "item")
    expect(page.locator(".alert-success")).to_contain_text("已添加扣押物品")
    expect(page.get_by_test_id("items")).to_contain_text("画眉 3只")
    page.get_by_test_id("handover-submit").click()
    expect(page.get_by_test_id("handover-receipt")).to_be_visible()
    expect(page.get_by_test_id("items")).to_contain_text("待接收")
    assert RescueHandover.objects.get(case=case).status == "pending_pickup"
    page.get_by_test_id("assess-submit").click()
    expect(page.get_by_test_id("assessed-total")).to_be_visible()

    page.get_by_test_id("graph-link").click()
    expect(page.get_by_test_id("chart-graph-option")).to_have_attribute("data-ready", "1")
    expect(page.locator('[data-chart="graph-option"]')).to_have_attribute("data-clickable", "1")
    expect(page.get_by_test_id("linked-cases")).to_contain_text("北郊镇网络售鸟案")
    canvas = page.locator('[data-chart="graph-option"] canvas').first
    expect(canvas).to_be_visible()

    # the officer answers; the citizen reads the reply on the phone
    services.tipoff_assign(actor=district_officer, tipoff=Tipoff.objects.get(pk=tipoff.pk), department=district_officer.departments().first(), town=zhoucun["王村镇"])
    services.tipoff_handle(actor=district_officer, tipoff=Tipoff.objects.get(pk=tipoff.pk), findings="现场拆除捕鸟网")
    services.tipoff_reply(actor=district_officer, tipoff=Tipoff.objects.get(pk=tipoff.pk), reply="已拆除捕鸟网，案件已立案查处。感谢您的举报！")
    citizen.goto("/public/report/status/")
    citizen.fill("#id_receipt_no", receipt)
    citizen.fill("#id_code", code)
    citizen.get_by_test_id("status-submit").click()
    expect(citizen.get_by_test_id("public-reply")).to_contain_text("已拆除捕鸟网")
