"""Platform exports: reading CSV/Excel/JSON, the mapping step (saved per platform, guessed from headers), row
errors naming row and field, all-or-nothing vs valid rows, idempotent re-imports, the scan job and the scan API."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from wildlife.core.exceptions import ConflictError
from wildlife.jobs.models import Job, JobStatus
from wildlife.trade import services
from wildlife.trade.choices import ScanStatus
from wildlife.trade.importers import (
    guess_mapping,
    parse_datetime,
    parse_price,
    read_rows,
    row_to_input,
    validate_mapping,
)
from wildlife.trade.models import ColumnMapping, Listing, ScanBatch

pytestmark = pytest.mark.django_db

CSV = (
    "宝贝ID,宝贝名称,详情描述,卖家,联系电话,售价,发布时间,发货地\n"
    "A1,出售画眉鸟活体,野生现抓 可寄,niaoyou,137 0533 9876,¥380,2026-03-01 10:00,淄博周村\n"
    "A2,二手自行车,九成新,bike,,300,2026-03-02,周村\n"
    "A3,白料手串,老料 包邮,wenwan,,\"12,000元\",2026/03/03 09:30,潍坊\n"
)
MAPPING = {"external_id": "宝贝ID", "title": "宝贝名称", "text": "详情描述", "seller_account": "卖家", "seller_phone": "联系电话", "price": "售价", "captured_at": "发布时间", "location_text": "发货地"}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def run_import(actor: Any, platform: Any, name: str, content: bytes, mapping: dict[str, str] | None = None, mode: str = "valid_rows", capture: Any = None) -> ScanBatch:
    batch = services.scan_upload_create(actor=actor, platform=platform, upload=upload(name, content), mode=mode)
    with capture(execute=True):
        services.scan_mapping_submit(actor=actor, batch=batch, mapping=mapping or batch.mapping, mode=mode)
    batch.refresh_from_db()
    return batch


def test_mapping_is_guessed_from_header_names() -> None:
    headers = ["宝贝ID", "宝贝名称", "详情描述", "卖家", "联系电话", "售价", "发布时间", "发货地", "无关列"]
    assert guess_mapping(headers) == MAPPING


def test_saved_mapping_wins_over_the_guess() -> None:
    headers = ["标题", "正文", "备用标题"]
    assert guess_mapping(headers, {"title": "备用标题"})["title"] == "备用标题"
    assert guess_mapping(headers, {"title": "不存在的列"})["title"] == "标题"


def test_mapping_problems_name_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        validate_mapping({"text": "正文"}, ["正文"])
    assert "title" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        validate_mapping({"title": "标题", "text": "标题"}, ["标题"])
    assert "mapping" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        validate_mapping({"title": "没有这列"}, ["标题"])
    assert "title" in info.value.message_dict


@pytest.mark.parametrize(("raw", "expected"), [("¥1,200.00", "1200.00"), ("380元", "380.00"), (99, "99.00"), ("面议", None), ("", None)])
def test_prices(raw: Any, expected: str | None) -> None:
    value = parse_price(raw)
    assert (str(value) if value is not None else None) == expected


@pytest.mark.parametrize("raw", ["-5", "abc"])
def test_bad_prices(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_price(raw)


def test_times() -> None:
    assert parse_datetime("2026-03-01 10:00").isoformat().startswith("2026-03-01T10:00:00+08:00")
    assert parse_datetime("2026年3月1日").day == 1
    with pytest.raises(ValueError):
        parse_datetime("明天")
    with pytest.raises(ValueError):
        parse_datetime("2099-01-01")


def test_row_errors_name_the_row_and_the_field() -> None:
    item, errors = row_to_input({"t": "", "u": "ftp://x", "p": "abc", "ph": "12ab"}, {"title": "t", "url": "u", "price": "p", "seller_phone": "ph"}, 7)
    assert item is None
    texts = [e.text() for e in errors]
    assert "第 7 行 标题: 不能为空" in texts
    assert any(t.startswith("第 7 行 链接:") for t in texts)
    assert any(t.startswith("第 7 行 价格（元）:") for t in texts)
    assert any(t.startswith("第 7 行 卖家电话:") for t in texts)


def test_csv_in_gbk_and_excel_and_json_read_the_same(tmp_path: Any) -> None:
    gbk = tmp_path / "a.csv"
    gbk.write_bytes(CSV.encode("gb18030"))
    headers, rows = read_rows(gbk, "csv")
    csv_rows = [row for _n, row in rows]
    workbook = Workbook()
    sheet = workbook.active
    for line in CSV.strip().splitlines():
        import csv as csvmod

        sheet.append(next(csvmod.reader([line])))
    xlsx = tmp_path / "a.xlsx"
    workbook.save(xlsx)
    _h, rows = read_rows(xlsx, "xlsx")
    xlsx_rows = [row for _n, row in rows]
    data = tmp_path / "a.json"
    data.write_text(json.dumps({"items": csv_rows}, ensure_ascii=False), encoding="utf-8")
    _h, rows = read_rows(data, "json")
    json_rows = [row for _n, row in rows]
    assert headers[1] == "宝贝名称"
    assert [r["宝贝名称"] for r in csv_rows] == [r["宝贝名称"] for r in xlsx_rows] == [r["宝贝名称"] for r in json_rows]


def test_upload_refuses_unreadable_files(platform: Any, market_officer: Any) -> None:
    with pytest.raises(ValidationError) as info:
        services.scan_upload_create(actor=market_officer, platform=platform, upload=upload("x.pdf", b"%PDF"))
    assert "file" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.scan_upload_create(actor=market_officer, platform=platform, upload=upload("x.csv", b"a,a\n1,2\n"))
    assert "两次" in info.value.messages[0]
    with pytest.raises(ValidationError):
        services.scan_upload_create(actor=market_officer, platform=platform, upload=upload("x.json", b"{not json"))
    assert not ScanBatch.objects.exists()


def test_import_stores_scans_and_queues_hits(term_table: Any, platform: Any, market_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    batch = services.scan_upload_create(actor=market_officer, platform=platform, upload=upload("export.csv", CSV.encode("utf-8")))
    assert batch.status == ScanStatus.DRAFT and batch.headers[:2] == ["宝贝ID", "宝贝名称"] and len(batch.sample) == 3
    assert batch.mapping == MAPPING
    with django_capture_on_commit_callbacks(execute=True):
        services.scan_mapping_submit(actor=market_officer, batch=batch, mapping=MAPPING, mode="valid_rows", save_mapping=True)
    batch.refresh_from_db()
    assert batch.status == ScanStatus.SUCCEEDED, batch.message
    assert (batch.total, batch.created_count, batch.error_count, batch.flagged_count) == (3, 3, 0, 2)
    assert batch.job.status == JobStatus.SUCCEEDED
    bird = Listing.objects.get(external_id="A1")
    assert bird.flagged and bird.price == 380 and bird.seller_phone == "13705339876" and bird.captured_at.day == 1
    assert bird.seller_phone_index and bird.term_version == term_table and bird.scan_batch == batch
    assert [m["term"] for m in bird.matched_terms][:1] == ["画眉鸟"]
    assert Listing.objects.get(external_id="A3").price == 12000
    assert not Listing.objects.get(external_id="A2").flagged
    assert ColumnMapping.objects.get(platform=platform).mapping == MAPPING
    # the next export of the platform is pre-mapped even with its columns in another order
    reordered = "发货地,宝贝名称,宝贝ID\n周村,出售野鸡,B1\n"
    second = services.scan_upload_create(actor=market_officer, platform=platform, upload=upload("b.csv", reordered.encode()))
    assert second.mapping == {"location_text": "发货地", "title": "宝贝名称", "external_id": "宝贝ID"}


def test_reimport_adds_nothing(term_table: Any, platform: Any, market_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    run_import(market_officer, platform, "a.csv", CSV.encode(), MAPPING, capture=django_capture_on_commit_callbacks)
    again = run_import(market_officer, platform, "a.csv", CSV.encode(), MAPPING, capture=django_capture_on_commit_callbacks)
    assert (again.created_count, again.duplicate_count) == (0, 3)
    assert Listing.objects.count() == 3


def test_all_or_nothing_stores_nothing_when_a_row_is_bad(term_table: Any, platform: Any, market_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    bad = CSV + "A4,,没有标题也没有,x,,abc,2026-03-04,周村\n"
    batch = run_import(market_officer, platform, "bad.csv", bad.encode(), MAPPING, mode="all_or_nothing", capture=django_capture_on_commit_callbacks)
    assert batch.status == ScanStatus.FAILED and "第 5 行" in batch.message
    assert not Listing.objects.exists()
    job = Job.objects.get(pk=batch.job_id)
    assert job.status == JobStatus.FAILED and job.report_file
    report = load_workbook(io.BytesIO(job.report_file.read())).active
    texts = [row[3] for row in report.iter_rows(min_row=3, values_only=True)]
    assert "第 5 行 价格（元）: 不是有效的价格" in texts


def test_valid_rows_stores_the_good_ones_and_reports_the_rest(term_table: Any, platform: Any, market_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    bad = CSV + "A4,出售刺猬,,x,,abc,2026-03-04,周村\n"
    batch = run_import(market_officer, platform, "bad.csv", bad.encode(), MAPPING, capture=django_capture_on_commit_callbacks)
    assert batch.status == ScanStatus.SUCCEEDED
    assert (batch.created_count, batch.error_count) == (3, 1)
    assert not Listing.objects.filter(external_id="A4").exists()
    assert Job.objects.get(pk=batch.job_id).report_file


def test_a_mapping_is_submitted_once(term_table: Any, platform: Any, market_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    batch = services.scan_upload_create(actor=market_officer, platform=platform, upload=upload("a.csv", CSV.encode()))
    with django_capture_on_commit_callbacks(execute=True):
        services.scan_mapping_submit(actor=market_officer, batch=batch, mapping=MAPPING, mode="valid_rows")
    with pytest.raises(ConflictError):
        services.scan_mapping_submit(actor=market_officer, batch=batch, mapping=MAPPING, mode="valid_rows")
    assert Listing.objects.count() == 3 and Job.objects.count() == 1


def test_rescan_job_uses_the_new_version(make_listing: Any, market_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    listing = make_listing("黄胸鹀 十只")
    assert listing.risk_score == 0
    services.trade_term_add(actor=market_officer, base_version=None, term="黄胸鹀", category="species", weight=60)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.term_rescan_start(actor=market_officer)
    batch.refresh_from_db()
    listing.refresh_from_db()
    assert batch.status == ScanStatus.SUCCEEDED and batch.flagged_count == 1
    assert listing.flagged and listing.term_version.number == 2


# --- the scan API -----------------------------------------------------------------------------------------------


def test_api_scan_of_a_batch_of_listings(term_table: Any, platform: Any, market_officer: Any, client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(market_officer)
    body = {"platform": platform.code, "listings": [{"title": "出售禾花雀", "text": "冷链可寄", "external_id": "X1"}, {"title": "二手书", "external_id": "X2"}]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/enforcement/listings/scan/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="scan-1")
    assert response.status_code == 202, response.content
    data = response.json()
    assert data["job_url"] == f"/api/v1/jobs/{data['job']}/"
    job = client.get(data["job_url"]).json()
    assert job["status"] == "succeeded" and job["processed"] == 2
    assert Listing.objects.get(external_id="X1").flagged
    # a retry with the same key returns the first answer and starts nothing
    again = client.post("/api/v1/enforcement/listings/scan/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="scan-1")
    assert again.status_code == 202 and again.json()["job"] == data["job"]
    assert Job.objects.count() == 1


def test_api_scan_of_a_file(term_table: Any, platform: Any, market_officer: Any, client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(market_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/enforcement/listings/scan/", {"platform": platform.code, "file": upload("e.csv", CSV.encode()), "mode": "valid_rows"})
    assert response.status_code == 202, response.content
    assert Listing.objects.count() == 3
    assert ScanBatch.objects.get(pk=response.json()["scan_batch"]).flagged_count == 2


def test_api_scan_refuses_bad_requests(term_table: Any, platform: Any, market_officer: Any, client_for: Any, police_officer: Any) -> None:
    client = client_for(market_officer)
    response = client.post("/api/v1/enforcement/listings/scan/", {"platform": platform.code}, content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/problem+json")
    assert "listings" in response.json()["errors"]
    response = client.post("/api/v1/enforcement/listings/scan/", {"platform": "nope", "listings": [{"title": "x"}]}, content_type="application/json")
    assert response.status_code == 400 and "platform" in response.json()["errors"]
    response = client.post("/api/v1/enforcement/listings/scan/", {"platform": platform.code, "file": upload("e.csv", b"x,y\n1,2\n")})
    assert response.status_code == 400 and "title" in response.json()["errors"]
    # a department that only reads listings cannot start scans
    refused = client_for(police_officer).post("/api/v1/enforcement/listings/scan/", {"platform": platform.code, "listings": [{"title": "x"}]}, content_type="application/json")
    assert refused.status_code == 403
    assert not Listing.objects.exists()


def test_an_interrupted_import_continues_from_its_checkpoint(term_table: Any, platform: Any, market_officer: Any) -> None:
    """A worker that died after the first chunk: the re-queued run skips the rows already stored."""
    from wildlife.jobs.context import JobContext
    from wildlife.jobs.models import Job
    from wildlife.trade.jobs import SCAN_IMPORT, scan_import

    batch = services.scan_upload_create(actor=market_officer, platform=platform, upload=upload("a.csv", CSV.encode()))
    ScanBatch.objects.filter(pk=batch.pk).update(mapping=MAPPING, status=ScanStatus.QUEUED)
    job = Job.objects.create(kind=SCAN_IMPORT, title="t", owner=market_officer, params={"batch": batch.pk}, status="running", summary={"checkpoint": {"row_index": 2, "created": 2, "duplicates": 0, "flagged": 1}})
    scan_import(JobContext(job))
    batch.refresh_from_db()
    assert list(Listing.objects.values_list("external_id", flat=True)) == ["A3"]  # rows 1–2 were stored by the first run
    assert (batch.created_count, batch.flagged_count, batch.status) == (3, 2, ScanStatus.SUCCEEDED)


def test_listings_of_an_operation(make_listing: Any, market_officer: Any, town_officer: Any, zhoucun: Any) -> None:
    import datetime as dt

    from wildlife.accounts.models import Department
    from wildlife.enforcement.models import Operation
    from wildlife.trade.selectors import listing_list_for_operation

    district = zhoucun["周村区"]
    operation = Operation.objects.create(code="qingfeng-2026", name="清风行动2026", start_date=dt.date(2026, 2, 1), lead_department=Department.objects.get(code="market"), area=district, district=district)
    listing = make_listing("出售画眉鸟")
    Listing.objects.filter(pk=listing.pk).update(operation=operation)
    assert list(listing_list_for_operation(user=market_officer, operation=operation)) == [listing]
    assert not listing_list_for_operation(user=town_officer, operation=operation).exists()
