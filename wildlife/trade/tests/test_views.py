"""Pages: lists with filters, the listing page with highlights and review actions, manual capture, the two-step
import, the keyword table and its versions, scans, letters, collector sources and platforms."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from wildlife.audit.models import AuditEvent
from wildlife.trade import services
from wildlife.trade.choices import ListingStatus, ScanStatus
from wildlife.trade.models import Listing, ScanBatch, TakedownLetter, TermVersion, TradeTerm

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_list_filters_and_sort(make_listing: Any, market_officer: Any, client_for: Any) -> None:
    high = make_listing("出售 穿山甲 活体", "野生 包邮")
    low = make_listing("周村烧饼 礼盒")
    client = client_for(market_officer)
    page = client.get(reverse("trade:listing_list"), {"risk": "high"}).content.decode()
    assert high.get_absolute_url() in page and low.get_absolute_url() not in page
    page = client.get(reverse("trade:listing_list"), {"term": "穿山甲"}).content.decode()
    assert high.get_absolute_url() in page and low.get_absolute_url() not in page
    page = client.get(reverse("trade:listing_list"), {"sort": "-risk_score"}).content.decode()
    assert page.index(high.get_absolute_url()) < page.index(low.get_absolute_url())
    page = client.get(reverse("trade:listing_list"), {"date_from": "2000-01-01", "status": "new"}).content.decode()
    assert high.get_absolute_url() in page
    queue = client.get(reverse("trade:queue")).content.decode()
    assert high.get_absolute_url() in queue and low.get_absolute_url() not in queue


def test_export_masks_nothing_it_should_not_show(make_listing: Any, market_officer: Any, client_for: Any) -> None:
    make_listing("出售画眉鸟", seller_phone="13705339876")
    response = client_for(market_officer).get(reverse("trade:listing_list") + "?export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert any("出售画眉鸟" in str(cell) for row in rows for cell in row)
    assert not any("13705339876" in str(cell) for row in rows for cell in row)


def test_detail_highlights_the_words_where_they_stand(make_listing: Any, market_officer: Any, client_for: Any) -> None:
    listing = make_listing("急出 穿*山*甲", "野生 活体 包邮，人工繁育证没有", seller_phone="13705339876")
    page = client_for(market_officer).get(listing.get_absolute_url()).content.decode()
    assert '<mark class="hit hit-species" title="穿山甲">穿*山*甲</mark>' in page
    assert '<mark class="hit hit-context" title="活体">活体</mark>' in page
    assert '<mark class="hit hit-mitigating" title="人工繁育">人工繁育</mark>' in page
    assert "137****9876" in page and "13705339876" not in page
    assert 'data-testid="takedown-form"' in page and 'data-testid="escalate-form"' in page


def test_review_actions_from_the_page(make_listing: Any, market_officer: Any, client_for: Any) -> None:
    listing = make_listing("出售画眉鸟活体")
    client = client_for(market_officer)
    client.post(reverse("trade:listing_review_start", args=[listing.pk]))
    listing.refresh_from_db()
    assert listing.status == ListingStatus.REVIEWING
    response = client.post(reverse("trade:listing_takedown", args=[listing.pk]), {"reason": "出售国家二级保护动物"}, follow=True)
    assert "已生成下架通知函" in response.content.decode()
    letter = TakedownLetter.objects.get(listing=listing)
    # a second click: one letter, a clear message
    response = client.post(reverse("trade:listing_takedown", args=[listing.pk]), {"reason": "再次"}, follow=True)
    assert "不能执行此操作" in response.content.decode()
    assert TakedownLetter.objects.count() == 1
    pdf = client.get(reverse("trade:letter_download", args=[letter.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_type="trade.takedownletter", object_id=str(letter.pk)).exists()


def test_false_positive_needs_a_note_on_the_page(make_listing: Any, market_officer: Any, client_for: Any) -> None:
    listing = make_listing("出售画眉鸟活体")
    response = client_for(market_officer).post(reverse("trade:listing_false_positive", args=[listing.pk]), {"note": ""}, follow=True)
    assert "误报理由" in response.content.decode()
    listing.refresh_from_db()
    assert listing.status == ListingStatus.NEW


def test_escalate_from_the_page(make_listing: Any, market_officer: Any, client_for: Any) -> None:
    listing = make_listing("出售画眉鸟活体")
    response = client_for(market_officer).post(reverse("trade:listing_escalate", args=[listing.pk]), {"title": "网络出售画眉案", "note": ""}, follow=True)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.ESCALATED and listing.case_no
    assert listing.case_no in response.content.decode()


def test_readers_cannot_post_review_actions(make_listing: Any, police_officer: Any, client_for: Any) -> None:
    listing = make_listing("出售画眉鸟活体")
    client = client_for(police_officer)
    page = client.get(listing.get_absolute_url()).content.decode()
    assert 'data-testid="takedown-form"' not in page and "审核由区市场监管局办理" in page
    assert client.post(reverse("trade:listing_takedown", args=[listing.pk]), {"reason": "x"}).status_code == 403
    assert client.post(reverse("trade:listing_rescan", args=[listing.pk])).status_code == 403
    listing.refresh_from_db()
    assert listing.status == ListingStatus.NEW


def test_screenshots_are_checked_and_served_within_scope(make_listing: Any, market_officer: Any, town_officer: Any, client_for: Any) -> None:
    listing = make_listing("出售画眉鸟活体")
    client = client_for(market_officer)
    client.post(reverse("trade:listing_image_add", args=[listing.pk]), {"image": SimpleUploadedFile("s.png", PNG), "caption": "首页截图"})
    image = listing.images.get()
    assert image.content_type == "image/png"
    url = reverse("trade:listing_image", args=[listing.pk, image.pk])
    assert client.get(url).status_code == 200
    assert client_for(town_officer).get(url).status_code in (403, 404)
    response = client.post(reverse("trade:listing_image_add", args=[listing.pk]), {"image": SimpleUploadedFile("s.png", b"<script>")}, follow=True)
    assert "不是 PNG" in response.content.decode()
    assert listing.images.count() == 1


def test_manual_capture(term_table: Any, platform: Any, market_officer: Any, client_for: Any) -> None:
    client = client_for(market_officer)
    assert client.get(reverse("trade:capture")).status_code == 200
    response = client.post(
        reverse("trade:capture"),
        {
            "platform": platform.pk, "url": "https://shop.example/item/9", "title": "出售 禾花雀 十只", "text": "冷链可寄",
            "seller_account": "yewei_lao", "seller_phone": "139 0533 1234", "price": "260", "lon": "117.75", "lat": "36.75",
            "images": [SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.png", PNG)],
        },
    )
    assert response.status_code == 302
    listing = Listing.objects.get(url="https://shop.example/item/9")
    assert listing.flagged and listing.seller_phone == "13905331234" and listing.images.count() == 2
    assert listing.area.name == "王村镇"  # the location put it in its town
    # the same URL again is refused with the field named
    again = client.post(reverse("trade:capture"), {"platform": platform.pk, "url": "https://shop.example/item/9", "title": "x"})
    assert "该商品信息已登记" in again.content.decode()
    bad = client.post(reverse("trade:capture"), {"platform": platform.pk, "title": "x", "lon": "117.8"})
    assert "经度和纬度需同时填写" in bad.content.decode()


def test_manual_capture_refused_to_readers(term_table: Any, police_officer: Any, client_for: Any) -> None:
    assert client_for(police_officer).get(reverse("trade:capture")).status_code == 403


def test_import_in_two_steps(term_table: Any, platform: Any, market_officer: Any, client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(market_officer)
    csv = "商品编号,商品标题,商品描述,价格\nP1,出售画眉鸟活体,可寄,380\nP2,二手书,,20\n".encode()
    response = client.post(reverse("trade:import"), {"platform": platform.pk, "file": SimpleUploadedFile("e.csv", csv), "mode": "valid_rows"})
    batch = ScanBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("trade:import_mapping", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "出售画眉鸟活体" in page and '<option value="商品标题" selected>' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("trade:import_mapping", args=[batch.pk]),
            {"map_title": "商品标题", "map_text": "商品描述", "map_external_id": "商品编号", "map_price": "价格", "mode": "valid_rows", "save_mapping": "on"},
        )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ScanStatus.SUCCEEDED and batch.flagged_count == 1
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'data-testid="job-progress"' in page and "出售画眉鸟活体" in page
    # the upload belongs to its uploader
    other = services.scan_upload_create(actor=market_officer, platform=platform, upload=SimpleUploadedFile("f.csv", csv))
    from wildlife.core.testing.cast import make_business_user
    from wildlife.geo.models import AdminArea

    colleague = make_business_user("market2", department_code="market", area=AdminArea.objects.get(name="周村区"))
    assert client_for(colleague).get(reverse("trade:import_mapping", args=[other.pk])).status_code == 404


def test_mapping_errors_show_next_to_the_fields(term_table: Any, platform: Any, market_officer: Any, client_for: Any) -> None:
    client = client_for(market_officer)
    client.post(reverse("trade:import"), {"platform": platform.pk, "file": SimpleUploadedFile("e.csv", "列甲,列乙\n1,2\n".encode()), "mode": "valid_rows"})
    batch = ScanBatch.objects.get()
    page = client.post(reverse("trade:import_mapping", args=[batch.pk]), {"map_title": "", "map_text": "列甲", "mode": "valid_rows"}).content.decode()
    assert 'data-field-error="map_title"' in page
    batch.refresh_from_db()
    assert batch.status == ScanStatus.DRAFT


def test_import_page_reports_a_bad_file(platform: Any, market_officer: Any, client_for: Any) -> None:
    page = client_for(market_officer).post(reverse("trade:import"), {"platform": platform.pk, "file": SimpleUploadedFile("e.doc", b"x"), "mode": "valid_rows"}).content.decode()
    assert 'data-field-error="file"' in page and "不支持的文件类型" in page


def test_term_pages_edit_and_versions(term_table: Any, market_officer: Any, police_officer: Any, client_for: Any) -> None:
    client = client_for(market_officer)
    page = client.get(reverse("trade:term_list"), {"category": "tool"}).content.decode()
    assert "捕鸟网" in page and "白料" not in page and 'data-testid="current-version">v1<' in page
    response = client.post(reverse("trade:term_create"), {"base_version": 1, "term": "金丝猴", "category": "species", "weight": 60, "variants": "金丝候", "enabled": "on"})
    assert response.status_code == 302
    row = TradeTerm.objects.get(term="金丝猴")
    edit = client.get(reverse("trade:term_edit", args=[row.pk])).content.decode()
    assert "金丝候" in edit
    # a stale form (base version 1 while the table is at 2) is refused and shows what was typed
    stale = client.post(reverse("trade:term_edit", args=[row.pk]), {"base_version": 1, "term": "金丝猴", "category": "species", "weight": 50, "variants": "jinsihou"}).content.decode()
    assert "已被他人修改" in stale and "jinsihou" in stale
    client.post(reverse("trade:term_edit", args=[row.pk]), {"base_version": 2, "term": "金丝猴", "category": "species", "weight": 50, "variants": "jinsihou"})
    assert TermVersion.objects.count() == 3
    version_page = client.get(reverse("trade:term_version_detail", args=[TermVersion.objects.get(number=3).pk])).content.decode()
    assert "金丝猴" in version_page and "<del>60</del>" in version_page
    assert client.get(reverse("trade:term_versions")).status_code == 200
    client.post(reverse("trade:term_settings"), {"base_version": 3, "threshold": 55, "context_window": 25})
    assert TermVersion.objects.order_by("-number").first().threshold == 55
    readers = client_for(police_officer)
    assert readers.get(reverse("trade:term_list")).status_code == 200
    assert readers.post(reverse("trade:term_create"), {"term": "x", "category": "slang", "weight": 5}).status_code == 403
    assert readers.post(reverse("trade:term_settings"), {"threshold": 1, "context_window": 1}).status_code == 403


def test_sync_button_seeds_an_empty_table(catalogue: Any, zhoucun: Any, market_officer: Any, client_for: Any) -> None:
    client = client_for(market_officer)
    client.post(reverse("trade:term_sync"))
    assert TradeTerm.objects.filter(term="穿山甲", category="species").exists()
    response = client.post(reverse("trade:term_sync"), follow=True)
    assert "无需更新" in response.content.decode()


def test_scan_and_letter_lists(make_listing: Any, market_officer: Any, town_officer: Any, client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    listing = make_listing("白料手串 出售")
    services.listing_request_takedown(actor=market_officer, listing=listing, reason="象牙制品")
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.term_rescan_start(actor=market_officer)
    client = client_for(market_officer)
    assert batch.title in client.get(reverse("trade:scan_list")).content.decode()
    assert "周网交监函" in client.get(reverse("trade:letter_list")).content.decode()
    towns = client_for(town_officer)
    assert towns.get(reverse("trade:scan_list")).status_code == 403
    assert towns.get(reverse("trade:scan_detail", args=[batch.pk])).status_code == 403
    assert towns.get(reverse("trade:letter_list")).status_code == 403


def test_platform_and_collector_pages(platform: Any, market_officer: Any, police_officer: Any, client_for: Any) -> None:
    from django.test import override_settings

    client = client_for(market_officer)
    assert platform.name in client.get(reverse("trade:platform_list")).content.decode()
    client.post(reverse("trade:platform_edit", args=[platform.pk]), {"code": platform.code, "name": "闲置平台", "operator": "新运营主体", "is_active": "on"})
    platform.refresh_from_db()
    assert platform.operator == "新运营主体"
    with override_settings(WILDLIFE_TRADE_COLLECTOR_HOSTS=["shop.example"]):
        response = client.post(reverse("trade:collector_create"), {"name": "测试源", "platform": platform.pk, "parser": "html_microdata", "urls": "https://shop.example/list", "enabled": "on", "interval_minutes": 60, "config_text": ""})
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert "shop.example" in page
        bad = client.post(reverse("trade:collector_create"), {"name": "外网", "platform": platform.pk, "parser": "html_microdata", "urls": "https://shop.example/", "interval_minutes": 60, "config_text": "{bad"}).content.decode()
        assert 'data-field-error="config_text"' in bad
        bad = client.post(reverse("trade:collector_create"), {"name": "外网", "platform": platform.pk, "parser": "html_microdata", "urls": "https://evil.example/", "interval_minutes": 60, "config_text": ""}).content.decode()
        assert 'data-field-error="urls"' in bad and "evil.example" in bad
    assert client_for(police_officer).get(reverse("trade:collector_list")).status_code == 403
    assert client_for(police_officer).get(reverse("trade:platform_create")).status_code == 403


def test_home_cards(make_listing: Any, market_officer: Any, town_officer: Any, client_for: Any) -> None:
    make_listing("出售 穿山甲 活体")
    page = client_for(market_officer).get("/").content.decode()
    assert 'data-testid="card-trade-queue"' in page
    assert 'data-testid="card-trade-queue"' not in client_for(town_officer).get("/").content.decode()


def test_listings_of_one_scan(term_table: Any, platform: Any, market_officer: Any, client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.scan_api_submit(actor=market_officer, platform=platform, items=[{"title": "出售画眉鸟", "external_id": "S1"}])
    other = Listing.objects.create(
        platform=platform, fingerprint="x", title="别的批次", captured_at="2026-03-01T10:00:00+08:00", source="manual",
        area=batch.platform and Listing.objects.get().area, district=Listing.objects.get().district,
    )
    page = client_for(market_officer).get(reverse("trade:listing_list"), {"scan_batch": batch.pk}).content.decode()
    assert "出售画眉鸟" in page and other.get_absolute_url() not in page
