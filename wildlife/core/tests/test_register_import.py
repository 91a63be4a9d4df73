"""The generic register import (wildlife/core/imports.py): reading files, typed cells, both modes, idempotency, scope,
the template; run on the real inspection-target spec of the patrols app."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from wildlife.audit.models import AuditEvent
from wildlife.core.imports import (
    MAX_IMPORT_ROWS,
    MODE_ALL,
    MODE_VALID,
    ImportColumn,
    ImportFileError,
    ImportTable,
    RegisterImport,
    read_rows,
    run_import,
    template_bytes,
)
from wildlife.core.testing.data import xlsx_upload
from wildlife.patrols.imports import TARGET_IMPORT
from wildlife.patrols.models import InspectionTarget

pytestmark = pytest.mark.django_db

HEADERS = ["名称 *", "类型 *", "地址 *", "所属镇街", "经营者/负责人"]


def xlsx(rows, headers=HEADERS, name="targets.xlsx"):
    return xlsx_upload(headers, rows, name)


def csv_file(text, encoding, name="targets.csv"):
    return SimpleUploadedFile(name, text.encode(encoding))


def table(rows, headers=("名称", "类型", "地址", "所属镇街")):
    return ImportTable(headers=list(headers), rows=[(n, dict(zip(headers, r, strict=False))) for n, r in enumerate(rows, start=2)])


# --- reading ----------------------------------------------------------------------------------------------------------


def test_read_xlsx_strips_required_marks_and_skips_blank_rows():
    upload = xlsx([["甲市场", "农贸/花鸟市场", "甲路 1 号", "王村镇", None], [None, None, None, None, None], ["乙店", "宠物店", "乙路", "王村镇", "  李四  "]])
    result = read_rows(upload)
    assert result.headers == ["名称", "类型", "地址", "所属镇街", "经营者/负责人"]
    assert [n for n, _row in result.rows] == [2, 4]  # Excel's row numbers, the blank row 3 skipped
    assert result.rows[1][1]["经营者/负责人"] == "李四"
    assert result.filename == "targets.xlsx"


def test_read_csv_utf8_bom_and_gbk():
    text = "名称 *,类型 *,地址 *,所属镇街,备用列\n甲市场,农贸/花鸟市场,甲路,王村镇,x\n,,,,\n乙店,宠物店,乙路,王村镇,\n"
    for encoding in ("utf-8-sig", "gbk"):
        result = read_rows(csv_file(text, encoding))
        assert result.headers[:4] == ["名称", "类型", "地址", "所属镇街"], encoding
        assert [(n, r["名称"]) for n, r in result.rows] == [(2, "甲市场"), (4, "乙店")], encoding


def test_read_refuses_big_long_and_foreign_files(settings):
    big = SimpleUploadedFile("big.csv", b"a\n" + b"x" * (5 * 1024 * 1024 + 10))
    with pytest.raises(ImportFileError, match="文件过大"):
        read_rows(big)
    many = "名称\n" + "".join(f"行{i}\n" for i in range(MAX_IMPORT_ROWS + 1))
    with pytest.raises(ImportFileError, match="5,000"):
        read_rows(csv_file(many, "utf-8"))
    with pytest.raises(ImportFileError, match=r"\.xls"):
        read_rows(SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100))
    with pytest.raises(ImportFileError, match="Excel"):
        read_rows(SimpleUploadedFile("broken.xlsx", b"PK\x03\x04 not really a zip"))
    with pytest.raises(ImportFileError, match="两次"):
        read_rows(csv_file("名称,名称 *\n甲,乙\n", "utf-8"))
    with pytest.raises(ImportFileError, match="不支持的文件类型"):
        read_rows(SimpleUploadedFile("a.pdf", b"%PDF-1.4"))


def test_formulas_are_read_as_values_never_as_formula_text():
    upload = xlsx([["=HYPERLINK(\"http://x\",\"y\")", "宠物店", "乙路", "王村镇", None]])
    result = read_rows(upload)
    # openpyxl has no cached value for a formula it wrote: data_only gives None, never the formula itself
    assert not str(result.rows[0][1].get("名称") or "").startswith("=")


# --- running ----------------------------------------------------------------------------------------------------------


def test_all_or_nothing_rolls_back_every_row_and_names_row_and_column(town_officer):
    rows = [["甲市场", "农贸/花鸟市场", "甲路", "王村镇"], ["乙店", "宠物商店", "乙路", "王村镇"], ["丙店", "宠物店", "", "王村镇"]]
    report = run_import(TARGET_IMPORT, town_officer, table(rows), MODE_ALL)
    assert report.rolled_back and report.created == 0 and report.valid == 1
    assert not InspectionTarget.objects.exists()
    texts = [e.text() for e in report.errors]
    assert texts[0].startswith("第 3 行「类型」：“宠物商店”不是有效的选项，可选：农贸/花鸟市场、")
    assert texts[1] == "第 4 行「地址」：必填，不能为空"
    # the services' events are rolled back with the rows; the import itself is recorded
    assert not AuditEvent.objects.filter(action="inspection_target_create").exists()
    event = AuditEvent.objects.get(action="register_import")
    assert event.outcome == "failure"
    assert event.detail["model"] == "patrols.inspectiontarget" and event.detail["mode"] == "all"
    assert (event.detail["created"], event.detail["errors"], event.detail["rolled_back"]) == (0, 2, True)


def test_valid_rows_only_stores_the_good_rows(town_officer):
    rows = [["甲市场", "农贸/花鸟市场", "甲路", "王村镇"], ["乙店", "宠物店", "乙路", "王村镇"], ["丙店", "宠物店", "丙路", "火星镇"]]
    report = run_import(TARGET_IMPORT, town_officer, table(rows), MODE_VALID)
    assert (report.created, report.skipped, report.rolled_back) == (2, 0, False)
    assert sorted(InspectionTarget.objects.values_list("name", flat=True)) == ["乙店", "甲市场"]
    assert [e.text() for e in report.errors] == ["第 4 行「所属镇街」：“火星镇”不是本区的镇街名称"]
    assert AuditEvent.objects.filter(action="inspection_target_create").count() == 2
    assert AuditEvent.objects.get(action="register_import").detail["created"] == 2


def test_town_outside_the_users_scope_is_refused(town_officer, other_town_officer):
    rows = [["甲市场", "农贸/花鸟市场", "甲路", "王村镇"]]
    report = run_import(TARGET_IMPORT, other_town_officer, table(rows), MODE_VALID)
    assert report.created == 0
    assert [e.text() for e in report.errors] == ["第 2 行「所属镇街」：“王村镇”不在您的管辖范围内"]
    assert not InspectionTarget.objects.exists()


def test_second_import_of_the_same_file_adds_nothing(town_officer):
    rows = [["甲市场", "农贸/花鸟市场", "甲路", "王村镇"], ["乙店", "宠物店", "乙路", ""]]  # blank town: the officer's only one
    first = run_import(TARGET_IMPORT, town_officer, table(rows), MODE_ALL)
    assert (first.created, first.errors) == (2, [])
    second = run_import(TARGET_IMPORT, town_officer, table(rows), MODE_ALL)
    assert (second.created, second.skipped, second.skipped_rows, second.errors) == (0, 2, [2, 3], [])
    assert InspectionTarget.objects.count() == 2


def test_duplicate_within_the_file_and_the_template_example_row(town_officer):
    rows = [
        ["王村镇花鸟市场", "农贸/花鸟市场", "王村镇政府路 8 号", "王村镇"],  # the template's example row, untouched
        ["甲市场", "农贸/花鸟市场", "甲路", "王村镇"],
        ["甲市场", "农贸/花鸟市场", "另一条路", "王村镇"],
    ]
    t = ImportTable(
        headers=["名称", "类型", "地址", "所属镇街", "在营"],
        rows=[(n, dict(zip(["名称", "类型", "地址", "所属镇街"], r, strict=True), **({"在营": "是"} if n == 2 else {}))) for n, r in enumerate(rows, start=2)],
    )
    report = run_import(TARGET_IMPORT, town_officer, t, MODE_VALID)
    assert report.examples_skipped == 1 and report.created == 1
    assert [e.text() for e in report.errors] == ["第 4 行「名称」：与第 3 行重复"]


def test_service_errors_are_mapped_to_columns(town_officer):
    t = ImportTable(
        headers=["名称", "类型", "地址", "经度", "纬度"],
        rows=[
            (2, {"名称": "远处", "类型": "宠物店", "地址": "x", "经度": "0", "纬度": "0"}),
            (3, {"名称": "北郊的店", "类型": "宠物店", "地址": "x", "经度": 117.90, "纬度": 36.85}),
            (4, {"名称": "半个坐标", "类型": "宠物店", "地址": "x", "经度": "117.72"}),
            (5, {"名称": "坐标写错", "类型": "宠物店", "地址": "x", "经度": "东经117", "纬度": "36.7"}),
        ],
    )
    report = run_import(TARGET_IMPORT, town_officer, t, MODE_VALID)
    assert [e.text() for e in report.errors] == [
        "第 2 行「经度/纬度」：位置不在本区任何镇街范围内，请检查坐标（经度在前，纬度在后）",
        "第 3 行「经度/纬度」：位置在“北郊镇”，不在您的管辖范围内",
        "第 4 行「经度/纬度」：经度和纬度要同时填写（或同时留空）",
        "第 5 行「经度」：“东经117”不是数字",
    ]


def test_missing_required_column_is_reported_on_row_1(town_officer):
    t = ImportTable(headers=["名称", "地址"], rows=[(2, {"名称": "甲", "地址": "乙"})])
    report = run_import(TARGET_IMPORT, town_officer, t, MODE_ALL)
    assert [e.text() for e in report.errors] == ["第 1 行「类型」：缺少此必填列，请使用下载的导入模板"]
    assert not InspectionTarget.objects.exists()


def test_cell_kinds(district_officer):
    calls = []

    def create(*, actor, **values):
        calls.append(values)

    spec = RegisterImport(
        model=InspectionTarget,
        title="测试",
        columns=(
            ImportColumn("名称", "name", required=True),
            ImportColumn("数量", "count", kind="int"),
            ImportColumn("金额", "amount", kind="decimal"),
            ImportColumn("日期", "day", kind="date"),
            ImportColumn("在营", "is_active", kind="bool", default=True),
            ImportColumn("邮箱", "email", kind="email"),
        ),
        key=(),
        create=create,
    )
    import datetime as dt

    t = ImportTable(
        headers=["名称", "数量", "金额", "日期", "在营", "邮箱"],
        rows=[
            (2, {"名称": "a", "数量": 3.0, "金额": "1,234.50", "日期": "2024年3月1日", "在营": "否", "邮箱": "a@b.cn"}),
            (3, {"名称": "b", "数量": "2", "日期": dt.datetime(2024, 3, 2)}),
            (4, {"名称": "c", "数量": "2.5", "金额": "abc", "日期": "2024-02-30", "在营": "也许", "邮箱": "not-mail"}),
            (5, {"名称": "d" * 300}),
        ],
    )
    report = run_import(spec, district_officer, t, MODE_VALID, audit=False)
    assert calls == [
        {"name": "a", "count": 3, "amount": Decimal("1234.50"), "day": dt.date(2024, 3, 1), "is_active": False, "email": "a@b.cn"},
        {"name": "b", "count": 2, "day": dt.date(2024, 3, 2), "is_active": True},
    ]
    assert [e.text() for e in report.errors] == [
        "第 4 行「数量」：“2.5”不是整数",
        "第 4 行「金额」：“abc”不是数字",
        "第 4 行「日期」：“2024-02-30”不是有效日期，请写成 2024-03-01",
        "第 4 行「在营」：“也许”应填“是”或“否”",
        "第 4 行「邮箱」：“not-mail”不是有效的邮箱地址",
        "第 5 行「名称」：超过 200 个字符（现有 300 个）",
    ]


# --- the template -----------------------------------------------------------------------------------------------------


def test_template_has_chinese_headers_lists_in_scope_and_instructions(town_officer):
    wb = load_workbook(io.BytesIO(template_bytes(TARGET_IMPORT, town_officer)))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["名称 *", "类型 *", "地址 *", "所属镇街"]
    assert ws["A2"].value == "王村镇花鸟市场"  # the example row
    lists = wb["选项"]
    columns = {lists.cell(row=1, column=c).value: [lists.cell(row=r, column=c).value for r in range(2, lists.max_row + 1)] for c in range(1, lists.max_column + 1)}
    assert columns["所属镇街"][0] == "王村镇" and "北郊镇" not in columns["所属镇街"]
    assert "宠物店" in columns["类型"] and columns["在营"][:2] == ["是", "否"]
    validations = ws.data_validations.dataValidation
    assert {str(v.sqref).split(":")[0] for v in validations} >= {"B2", "D2"}
    assert all(v.type == "list" for v in validations)
    help_text = "\n".join(str(c.value) for c in wb["填写说明"]["A"] if c.value)
    assert "带 * 的列为必填" in help_text and "名称+类型+所属镇街" in help_text


def test_a_filled_template_imports(town_officer):
    wb = load_workbook(io.BytesIO(template_bytes(TARGET_IMPORT, town_officer)))
    ws = wb.worksheets[0]
    ws.append(["甲市场", "农贸/花鸟市场", "甲路 1 号", "王村镇"])
    buffer = io.BytesIO()
    wb.save(buffer)
    report = run_import(TARGET_IMPORT, town_officer, read_rows(SimpleUploadedFile("t.xlsx", buffer.getvalue())), MODE_ALL)
    assert (report.created, report.examples_skipped, report.errors) == (1, 1, [])
    assert InspectionTarget.objects.get().area.name == "王村镇"
