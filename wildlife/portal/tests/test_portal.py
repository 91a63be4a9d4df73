"""The public report form and API: receipt and query code, status with the reply, honeypot, minimum fill time, and
rate limits per IP and per device that stop a flood without blocking other reporters."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from wildlife.enforcement.models import Tipoff, TipoffInformant
from wildlife.portal.forms import new_form_token

pytestmark = pytest.mark.django_db


def _form(client: Client, **extra: Any) -> dict[str, Any]:
    page = client.get("/public/report/")
    assert page.status_code == 200
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    data = {"kind": "illegal", "content": "孝妇河桥下有人张网捕鸟", "address": "孝妇河王村段", "anonymous": "on", "form_token": token, "website": ""}
    data.update(extra)
    return data


def _receipt(html: str) -> tuple[str, str]:
    receipt = re.search(r'data-testid="receipt-no">([^<]+)<', html).group(1)
    code = re.search(r'data-testid="query-code">([^<]+)<', html).group(1)
    return receipt, code


def test_report_gets_receipt_and_code_and_status_shows_the_reply(zhoucun: Any, district_officer: Any) -> None:
    client = Client(REMOTE_ADDR="10.0.0.1")
    response = client.post("/public/report/", _form(client, lon="", lat=""))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    receipt, code = _receipt(response.content.decode())
    tipoff = Tipoff.objects.get(receipt_no=receipt)
    assert tipoff.channel == "web" and tipoff.anonymous and not TipoffInformant.objects.filter(tipoff=tipoff).exists()
    assert code not in tipoff.query_code_hash
    status = client.post("/public/report/status/", {"receipt_no": receipt, "code": code})
    assert status.status_code == 200 and "已受理" in status.content.decode()
    from wildlife.enforcement import services

    services.tipoff_triage(actor=district_officer, tipoff=tipoff, category="hunting", area=zhoucun["王村镇"])
    services.tipoff_assign(actor=district_officer, tipoff=Tipoff.objects.get(pk=tipoff.pk), department=district_officer.departments().first(), town=zhoucun["王村镇"])
    services.tipoff_handle(actor=district_officer, tipoff=Tipoff.objects.get(pk=tipoff.pk), findings="属实")
    services.tipoff_reply(actor=district_officer, tipoff=Tipoff.objects.get(pk=tipoff.pk), reply="已拆除捕鸟网并放飞鸟类")
    html = client.post("/public/report/status/", {"receipt_no": receipt, "code": code}).content.decode()
    assert "已拆除捕鸟网并放飞鸟类" in html
    wrong = client.post("/public/report/status/", {"receipt_no": receipt, "code": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == 404 and "受理编号或查询码不正确" in wrong.content.decode()


def test_named_report_with_location_and_the_identity_is_stored_encrypted(zhoucun: Any) -> None:
    from wildlife.enforcement.tests.conftest import town_point

    point = town_point(zhoucun["北郊镇"])
    client = Client(REMOTE_ADDR="10.0.0.2")
    data = _form(client, anonymous="", name="李四", phone="13812345678", lon=f"{point.x:.6f}", lat=f"{point.y:.6f}")
    response = client.post("/public/report/", data)
    receipt, _code = _receipt(response.content.decode())
    tipoff = Tipoff.objects.get(receipt_no=receipt)
    assert tipoff.area.name == "北郊镇" and not tipoff.anonymous
    assert TipoffInformant.objects.get(tipoff=tipoff).phone == "13812345678"


def test_errors_name_the_field_and_do_not_echo_the_identity(zhoucun: Any) -> None:
    client = Client(REMOTE_ADDR="10.0.0.3")
    response = client.post("/public/report/", _form(client, content="短", anonymous="", name="王五", phone="13812340000", lon="200", lat="36"))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-field-error="content"' in html and 'data-field-error="lon"' in html
    assert "王五" not in html and "13812340000" not in html
    response = client.post("/public/report/", _form(client, anonymous=""))
    assert response.status_code == 400 and 'data-field-error="phone"' in response.content.decode()
    assert not Tipoff.objects.exists()


def test_honeypot_and_minimum_fill_time(zhoucun: Any, settings: Any) -> None:
    client = Client(REMOTE_ADDR="10.0.0.4")
    bot = client.post("/public/report/", _form(client, website="http://spam.example"))
    assert bot.status_code == 400 and "提交未通过校验" in bot.content.decode()
    no_token = client.post("/public/report/", {**_form(client), "form_token": "forged"})
    assert no_token.status_code == 400 and "页面已过期" in no_token.content.decode()
    settings.WILDLIFE_PUBLIC_MIN_FILL_SECONDS = 60
    fast = client.post("/public/report/", _form(client))
    assert fast.status_code == 400 and "提交过快" in fast.content.decode()
    assert not Tipoff.objects.exists()
    settings.WILDLIFE_PUBLIC_MIN_FILL_SECONDS = 0
    stale_token = new_form_token()
    ok = client.post("/public/report/", {**_form(client), "form_token": stale_token})
    assert ok.status_code == 200


def test_burst_from_one_ip_is_limited_while_another_ip_gets_through(zhoucun: Any, settings: Any) -> None:
    settings.WILDLIFE_PUBLIC_LIMITS = {"report:ip": (3, 3600), "report:device": (100, 3600)}
    flood = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [flood.post("/public/report/", _form(flood, content=f"第{i}条洪水测试举报内容")).status_code for i in range(6)]
    assert statuses == [200, 200, 200, 429, 429, 429]
    limited = flood.post("/public/report/", _form(flood))
    assert limited.status_code == 429 and "提交过于频繁" in limited.content.decode() and "分钟后再试" in limited.content.decode()
    assert int(limited["Retry-After"]) > 0
    real = Client(REMOTE_ADDR="198.51.100.7")
    response = real.post("/public/report/", _form(real, content="真实群众举报：有人贩卖野鸟"))
    assert response.status_code == 200
    assert Tipoff.objects.filter(content="真实群众举报：有人贩卖野鸟").exists()
    assert Tipoff.objects.count() == 4


def test_device_limit_follows_the_browser_across_addresses(zhoucun: Any, settings: Any) -> None:
    settings.WILDLIFE_PUBLIC_LIMITS = {"report:ip": (100, 3600), "report:device": (2, 3600)}
    browser = Client(REMOTE_ADDR="10.1.0.1")
    assert browser.post("/public/report/", _form(browser)).status_code == 200
    browser.defaults["REMOTE_ADDR"] = "10.1.0.2"
    assert browser.post("/public/report/", _form(browser)).status_code == 200
    browser.defaults["REMOTE_ADDR"] = "10.1.0.3"
    assert browser.post("/public/report/", _form(browser)).status_code == 429
    fresh = Client(REMOTE_ADDR="10.1.0.3")
    assert fresh.post("/public/report/", _form(fresh)).status_code == 200


def test_garbage_input_never_500(zhoucun: Any) -> None:
    client = Client(REMOTE_ADDR="10.0.0.5")
    for data in ({}, {"kind": "x" * 5000}, {"content": "\x00" * 10}, {"lon": "abc", "lat": "1e999"}, {"location": "{not json"}, {"occurred_at": "yesterday"}):
        response = client.post("/public/report/", data)
        assert response.status_code in (400, 429), data
    for data in ({"receipt_no": "", "code": ""}, {"receipt_no": "'; drop table", "code": "x" * 100}):
        assert client.post("/public/report/status/", data).status_code in (400, 404)


def test_status_guessing_is_cut_off(zhoucun: Any, settings: Any) -> None:
    settings.WILDLIFE_PUBLIC_LIMITS = {"status:fail:ip": (3, 600)}
    client = Client(REMOTE_ADDR="10.0.0.6")
    for _ in range(3):
        assert client.post("/public/report/status/", {"receipt_no": "JB20260101-0001", "code": "AAAA"}).status_code == 404
    blocked = client.post("/public/report/status/", {"receipt_no": "JB20260101-0001", "code": "AAAA"})
    assert blocked.status_code == 429 and "提交过于频繁" in blocked.content.decode()


def test_public_api_create_and_status(zhoucun: Any) -> None:
    client = Client(REMOTE_ADDR="10.0.0.7")
    response = client.post("/api/v1/public/reports/", {"kind": "injured", "content": "发现受伤的猫头鹰", "anonymous": False, "contact": {"name": "赵六", "phone": "13800138000"}, "location": {"type": "Point", "coordinates": [117.87, 36.80]}}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"receipt_no", "query_code"}
    tipoff = Tipoff.objects.get(receipt_no=body["receipt_no"])
    assert TipoffInformant.objects.get(tipoff=tipoff).name == "赵六"
    status = client.get(f"/api/v1/public/reports/{body['receipt_no']}/", {"code": body["query_code"]})
    assert status.status_code == 200 and status.json()["status"] == "registered" and status.json()["reply"] == ""
    assert "赵六" not in status.content.decode()
    wrong = client.get(f"/api/v1/public/reports/{body['receipt_no']}/", {"code": "nope"})
    assert wrong.status_code == 404 and wrong["Content-Type"].startswith("application/problem+json")
    bad = client.post("/api/v1/public/reports/", {"kind": "gossip", "content": "x"}, content_type="application/json")
    assert bad.status_code == 400 and {"kind", "content"} <= set(bad.json()["errors"])
    bot = client.post("/api/v1/public/reports/", {"kind": "illegal", "content": "正常内容足够长", "website": "x"}, content_type="application/json")
    assert bot.status_code == 400


def test_public_api_rate_limit(zhoucun: Any, settings: Any) -> None:
    settings.WILDLIFE_PUBLIC_LIMITS = {"report:ip": (2, 3600)}
    client = Client(REMOTE_ADDR="192.0.2.1")
    codes = [client.post("/api/v1/public/reports/", {"kind": "illegal", "content": f"测试举报内容{i}"}, content_type="application/json").status_code for i in range(4)]
    assert codes == [201, 201, 429, 429]
    limited = client.post("/api/v1/public/reports/", {"kind": "illegal", "content": "测试举报内容"}, content_type="application/json")
    assert limited.json()["code"] == "throttled" and "提交过于频繁" in limited.json()["title"]
    other = Client(REMOTE_ADDR="192.0.2.2")
    assert other.post("/api/v1/public/reports/", {"kind": "illegal", "content": "另一地址的举报"}, content_type="application/json").status_code == 201


def test_public_pages_need_no_login(zhoucun: Any) -> None:
    client = Client()
    for url in ("/public/", "/public/report/", "/public/report/status/", "/public/areas.geojson"):
        assert client.get(url).status_code == 200, url
    assert Client().get("/public/report/").cookies.get("wl_device") is not None
