"""The collector against a local fixture site (an http.server thread on 127.0.0.1): JSON and HTML microdata
parsers, next pages, the host allow list (redirects included), and a run as a job. Nothing reaches the internet."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from wildlife.trade import services
from wildlife.trade.choices import CollectorRunStatus, ListingSource, ScanStatus
from wildlife.trade.collector import (
    CollectorError,
    collector_run,
    fetch,
    host_allowed,
    parse_html_microdata,
    parse_json_items,
)
from wildlife.trade.models import CollectorSource, Listing

HTML_PAGE_1 = """<!doctype html><html><head><meta charset="utf-8"><link rel="next" href="/shop?page=2"></head><body>
<div itemscope itemtype="https://schema.org/Product">
  <h2 itemprop="name">出售 画眉 活体</h2>
  <p itemprop="description">南部山区野生，可寄</p>
  <a itemprop="url" href="/item/101">详情</a><meta itemprop="sku" content="101">
  <img itemprop="image" src="/img/101.jpg">
  <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <span itemprop="price" content="380">¥380</span>
    <div itemprop="seller" itemscope itemtype="https://schema.org/Person"><span itemprop="name">周村鸟友</span><meta itemprop="identifier" content="niaoyou_zc"></div>
  </div>
</div>
<div itemscope itemtype="https://schema.org/Product"><h2 itemprop="name">周村烧饼礼盒</h2><meta itemprop="sku" content="102"><span itemprop="offers" itemscope itemtype="https://schema.org/Offer"><meta itemprop="price" content="58"></span></div>
</body></html>"""
HTML_PAGE_2 = """<html><body><div itemscope itemtype="http://schema.org/Product"><span itemprop="name">捕鸟网 50米 现货</span><meta itemprop="sku" content="103"></div></body></html>"""
JSON_PAGE = {"data": {"items": [{"id": "J1", "name": "白料手串", "desc": "老料 包邮", "price": "12000", "shop": {"id": "wenwan"}}, {"id": "J2", "name": "", "desc": ""}]}, "next": None}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        routes: dict[str, tuple[int, str, bytes]] = {
            "/shop?page=1": (200, "text/html; charset=utf-8", HTML_PAGE_1.encode()),
            "/shop?page=2": (200, "text/html; charset=utf-8", HTML_PAGE_2.encode()),
            "/api/items": (200, "application/json", json.dumps(JSON_PAGE, ensure_ascii=False).encode()),
            "/broken": (500, "text/plain", b"error"),
        }
        if self.path == "/redirect-out":
            self.send_response(302)
            self.send_header("Location", "http://example.com/elsewhere")
            self.end_headers()
            return
        status, content_type, body = routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # keep the test output clean
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host = f"127.0.0.1:{server.server_address[1]}"
    with override_settings(WILDLIFE_TRADE_COLLECTOR_HOSTS=[host]):
        yield f"http://{host}"
    server.shutdown()
    server.server_close()


def test_allow_list() -> None:
    with override_settings(WILDLIFE_TRADE_COLLECTOR_HOSTS=["shop.example", "127.0.0.1:8123"]):
        assert host_allowed("https://shop.example/list")
        assert host_allowed("http://127.0.0.1:8123/x")
        assert not host_allowed("http://127.0.0.1:9999/x")
        assert not host_allowed("https://evil.example/list")
        assert not host_allowed("file:///etc/passwd")
        assert not host_allowed("ftp://shop.example/")
    with override_settings(WILDLIFE_TRADE_COLLECTOR_HOSTS=[]):
        assert not host_allowed("https://shop.example/list")


def test_fetch_refuses_hosts_off_the_list_and_redirects_out(site: str) -> None:
    assert b"itemscope" in fetch(f"{site}/shop?page=1")
    with pytest.raises(CollectorError):
        fetch("http://127.0.0.2:1/")
    with pytest.raises(CollectorError) as info:
        fetch(f"{site}/redirect-out")
    assert "example.com" in str(info.value)
    with pytest.raises(CollectorError):
        fetch(f"{site}/broken")


def test_microdata_parser_reads_products_and_the_next_page() -> None:
    rows, next_url = parse_html_microdata(HTML_PAGE_1.encode(), "http://shop.test/shop?page=1")
    assert next_url == "http://shop.test/shop?page=2"
    assert rows[0] == {
        "title": "出售 画眉 活体",
        "text": "南部山区野生，可寄",
        "url": "http://shop.test/item/101",
        "external_id": "101",
        "price": "380",
        "seller_name": "周村鸟友",
        "seller_account": "niaoyou_zc",
        "image_urls": ["http://shop.test/img/101.jpg"],
    }
    assert rows[1]["title"] == "周村烧饼礼盒" and rows[1]["price"] == "58"


def test_json_parser_follows_the_configured_paths() -> None:
    rows, next_url = parse_json_items(json.dumps(JSON_PAGE).encode(), {"items": "data.items", "fields": {"external_id": "id", "title": "name", "text": "desc", "price": "price", "seller_account": "shop.id"}, "next": "next"})
    assert rows[0] == {"external_id": "J1", "title": "白料手串", "text": "老料 包邮", "price": "12000", "seller_account": "wenwan"}
    assert next_url == ""
    with pytest.raises(CollectorError):
        parse_json_items(b"[1,2", {})
    with pytest.raises(CollectorError):
        parse_json_items(b'{"a": 1}', {"items": "data.items"})


def test_a_run_stores_and_scans_the_fixture_site(site: str, term_table: Any, platform: Any, market_officer: Any) -> None:
    source = services.collector_source_save(actor=market_officer, name="本地测试店", platform=platform, parser="html_microdata", urls=f"{site}/shop?page=1")
    outcome = collector_run(actor=market_officer, source_id=source.pk)
    assert (outcome.pages, outcome.items, outcome.created) == (2, 3, 3)
    bird = Listing.objects.get(external_id="101")
    assert bird.source == ListingSource.COLLECTOR and bird.flagged and bird.seller_account == "niaoyou_zc"
    assert Listing.objects.get(external_id="103").flagged  # 捕鸟网 on the next page
    assert not Listing.objects.get(external_id="102").flagged
    source.refresh_from_db()
    assert source.last_status == CollectorRunStatus.OK
    # a second run finds the same listings again and stores nothing twice
    assert collector_run(actor=market_officer, source_id=source.pk).duplicates == 3


def test_a_json_source_runs_as_a_job_with_row_errors(site: str, term_table: Any, platform: Any, market_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    source = services.collector_source_save(
        actor=market_officer, name="本地接口", platform=platform, parser="json_items", urls=f"{site}/api/items\n{site}/broken",
        config={"items": "data.items", "fields": {"external_id": "id", "title": "name", "text": "desc", "price": "price", "seller_account": "shop.id"}},
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.collector_source_run(actor=market_officer, source=source)
    batch.refresh_from_db()
    assert batch.status == ScanStatus.SUCCEEDED
    assert (batch.created_count, batch.flagged_count, batch.error_count) == (1, 1, 2)  # the empty item, the broken page
    source.refresh_from_db()
    assert source.last_status == CollectorRunStatus.PARTIAL and "第 2 项 标题: 不能为空" in source.last_message
    assert "HTTP 500" in batch.job.log


def test_sources_must_use_allowed_hosts(site: str, platform: Any, market_officer: Any) -> None:
    with pytest.raises(ValidationError) as info:
        services.collector_source_save(actor=market_officer, name="外网", platform=platform, parser="html_microdata", urls="https://shop.example.com/list")
    assert "urls" in info.value.message_dict
    assert not CollectorSource.objects.exists()


def test_periodic_task_runs_due_sources_only(site: str, term_table: Any, platform: Any, market_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    source = services.collector_source_save(actor=market_officer, name="本地测试店", platform=platform, parser="html_microdata", urls=f"{site}/shop?page=1", interval_minutes=60)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.collect_due() == [source.pk]
    assert Listing.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert services.collect_due() == []  # ran a moment ago
