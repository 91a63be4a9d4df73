"""Excel in and out: exports with Chinese headers and neutralised formulas; import templates with validation lists."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    """Make a value safe for a spreadsheet cell: text that Excel would run as a formula gets a leading quote."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, (int, float, Decimal, dt.date)):
        return value
    text = str(value)
    if text.startswith(_FORMULA_PREFIXES):
        # a negative number is a number, not a formula
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def build_workbook(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    note: str | None = None,
) -> bytes:
    """A single-sheet workbook: optional note row, bold frozen header, autofilter, sensible column widths."""
    wb = Workbook(write_only=False)
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    start = 1
    if note:
        ws.cell(row=1, column=1, value=safe_cell(note)).font = Font(italic=True, color="666666")
        start = 2
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=start, column=col, value=str(header))
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
    widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
    count = 0
    for r, row in enumerate(rows, start=start + 1):
        count += 1
        for c, value in enumerate(row, start=1):
            safe = safe_cell(value)
            cell = ws.cell(row=r, column=c, value=safe)
            if isinstance(safe, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(safe, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if c <= len(widths) and safe is not None:
                widths[c - 1] = min(60, max(widths[c - 1], len(str(safe)) + 2))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    if headers:
        ws.auto_filter.ref = f"A{start}:{get_column_letter(len(headers))}{start + max(count, 1)}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def build_template(
    *,
    title: str,
    headers: Sequence[str],
    required: Sequence[str] = (),
    choices: dict[str, Sequence[str]] | None = None,
    example: Sequence[Any] | None = None,
    instructions: Sequence[str] = (),
) -> bytes:
    """An import template: Chinese headers (required ones marked *), drop-down validation lists, an example row."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col, value=header + (" *" if header in required else ""))
        cell.font = Font(bold=True, color="C00000" if header in required else "000000")
        ws.column_dimensions[get_column_letter(col)].width = max(12, len(header) * 2 + 4)
    if example:
        for col, value in enumerate(example, start=1):
            ws.cell(row=2, column=col, value=safe_cell(value)).font = Font(italic=True, color="808080")
    lists = wb.create_sheet("选项")
    for index, (header, values) in enumerate((choices or {}).items(), start=1):
        if header not in headers:
            continue
        lists.cell(row=1, column=index, value=header)
        for r, value in enumerate(values, start=2):
            lists.cell(row=r, column=index, value=value)
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1=f"'选项'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=header not in required,
            showErrorMessage=True,
            errorTitle="无效的值",
            error=f"请从下拉列表中选择「{header}」",
        )
        col_letter = get_column_letter(list(headers).index(header) + 1)
        validation.add(f"{col_letter}2:{col_letter}10000")
        ws.add_data_validation(validation)
    if instructions:
        help_sheet = wb.create_sheet("填写说明")
        for r, line in enumerate(instructions, start=1):
            help_sheet.cell(row=r, column=1, value=line)
        help_sheet.column_dimensions["A"].width = 100
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
