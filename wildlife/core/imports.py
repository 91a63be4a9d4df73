"""Register imports from Excel or CSV: a declarative spec per register, one reader, one runner.

A register declares its columns (Chinese headers, kinds, required ones), its natural key and the service that creates
one record. The runner reads every row, turns cells into typed values, and sends each row through that service, so
scope checks, validation and audit events stay in the app. Every problem is reported as
`第 N 行「列名」：原因`, N being the row number Excel shows (the header is row 1).

Two modes: all-or-nothing (one transaction; any error rolls every row back) and valid rows only (a savepoint per row).
A row whose natural key already exists within the user's scope is skipped, so importing the same file twice adds
nothing. Files are limited to MAX_IMPORT_BYTES and MAX_IMPORT_ROWS data rows; larger loads belong in a background job.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wildlife.core.exceptions import ConflictError, OutOfScopeError

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
# an .xlsx is a zip: refuse archives that would inflate far beyond what 5,000 rows of text need (zip bombs)
MAX_XLSX_UNCOMPRESSED = 60 * 1024 * 1024
MAX_CELL_CHARS = 10_000

MODE_ALL = "all"
MODE_VALID = "valid"
MODE_CHOICES = (
    (MODE_ALL, gettext_lazy("全部成功才导入（有任何错误则一行也不导入）")),
    (MODE_VALID, gettext_lazy("只导入正确的行（错误的行列入报告）")),
)

KINDS = ("text", "int", "decimal", "date", "bool", "choice", "email", "area", "department", "lookup")
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "有", "在用", "在岗", "在营", "启用"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "无", "停用"}
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


class ImportFileError(Exception):
    """The file cannot be read at all (type, size, encoding, structure); the message is for the user."""


@dataclass(frozen=True)
class ImportColumn:
    """One column of an import template.

    kind: text, int, decimal, date, bool, choice (`choices` as (value, label) pairs; the label or the value is
    accepted), email, area (a town/district name within the user's scope), department (a department of the user's
    areas) or lookup (`lookup(user, text)` returns the object or raises ValidationError; `options(user)` lists the
    drop-down values). A blank cell passes `default` when given, else leaves the service's default.
    """

    header: Any
    field: str
    required: bool = False
    kind: str = "text"
    choices: Sequence[tuple[Any, Any]] = ()
    lookup: Callable[[Any, str], Any] | None = None
    options: Callable[[Any], Sequence[str]] | None = None
    default: Any = None
    example: Any = None
    help: Any = ""
    max_length: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown import column kind {self.kind!r}")
        if self.kind == "lookup" and self.lookup is None:
            raise ValueError(f"lookup column {self.field!r} needs a lookup function")

    @property
    def title(self) -> str:
        return str(self.header)


@dataclass(frozen=True)
class RegisterImport:
    """How a register is imported.

    `create(actor=user, **values)` is the app's create service. `key` names the fields of the natural key: a row whose
    key already exists among the records the user can see is skipped (`find_existing(user, values)` replaces that
    lookup when the key needs more than a filter). `prepare(user, values)` may turn cells into service arguments
    (longitude and latitude into a point) and raise ValidationError({field: message}). `field_headers` names the
    column to blame when the service reports a field that is not a column (`location` → 经度).
    """

    model: type[models.Model]
    title: Any
    columns: Sequence[ImportColumn]
    key: Sequence[str]
    create: Callable[..., Any]
    find_existing: Callable[[Any, dict[str, Any]], bool] | None = None
    prepare: Callable[[Any, dict[str, Any]], dict[str, Any]] | None = None
    field_headers: Mapping[str, Any] = field(default_factory=dict)
    scope_field: str = "area"
    instructions: Sequence[Any] = ()
    filename: str = "import"

    @property
    def label(self) -> str:
        return f"{self.model._meta.app_label}.{self.model._meta.model_name}"

    def header_for(self, field_name: str) -> str:
        if field_name in self.field_headers:
            return str(self.field_headers[field_name])
        for column in self.columns:
            if column.field == field_name:
                return column.title
        return ""

    def key_headers(self) -> list[str]:
        return [self.header_for(name) or name for name in self.key]


@dataclass(frozen=True)
class ImportTable:
    """What was read from a file: the header texts (without the required-mark) and the non-blank data rows."""

    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    filename: str = ""


@dataclass(frozen=True)
class RowError:
    row: int
    header: str
    message: str

    def text(self) -> str:
        if self.header:
            return _("第 %(row)d 行「%(header)s」：%(message)s") % {"row": self.row, "header": self.header, "message": self.message}
        return _("第 %(row)d 行：%(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportReport:
    """The outcome. In all-or-nothing mode with errors, `created` is 0 and `valid` counts the rows that were fine."""

    mode: str
    total: int = 0
    created: int = 0
    valid: int = 0
    skipped: int = 0
    skipped_rows: list[int] = field(default_factory=list)
    examples_skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    rolled_back: bool = False

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})

    def as_detail(self, spec: RegisterImport, filename: str = "") -> dict[str, Any]:
        return {
            "model": spec.label,
            "mode": self.mode,
            "rows": self.total,
            "created": self.created,
            "skipped": self.skipped,
            "errors": len(self.errors),
            "error_rows": self.error_rows,
            "rolled_back": self.rolled_back,
            "file": filename[:200],
        }


# --- reading files ---------------------------------------------------------------------------------------------------


def normalise_header(value: Any) -> str:
    """Header text without the required-mark the template adds (" *", "*", "＊") and surrounding blanks."""
    text = "" if value is None else str(value).replace("\x00", "").strip()
    return re.sub(r"\s*[*＊]+$", "", text).strip()


def _clean_cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "").strip()
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def decode_text(raw: bytes) -> str | None:
    """Text from a Chinese office file or page: UTF-8 (with or without BOM), else GBK/GB18030; None when neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _decode(raw: bytes) -> str:
    text = decode_text(raw)
    if text is None:
        raise ImportFileError(_("无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV，或直接上传 Excel (.xlsx)。"))
    return text


def _table(raw_headers: Sequence[Any], rows: Any, filename: str) -> ImportTable:
    headers = [normalise_header(h) for h in raw_headers]
    if not any(headers):
        raise ImportFileError(_("第 1 行应为表头（列名），但它是空的。请使用下载的导入模板。"))
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            raise ImportFileError(_("表头「%(header)s」出现了两次，请删除或改名后重新上传。") % {"header": header})
        seen.add(header)
    data: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(_blank(v) for v in values):
            continue
        if len(data) >= MAX_IMPORT_ROWS:
            raise ImportFileError(
                _("数据超过 %(n)s 行，请拆分成多个文件后分别导入。") % {"n": f"{MAX_IMPORT_ROWS:,}"}
            )
        row: dict[str, Any] = {}
        for index, header in enumerate(headers):
            if header and index < len(values):
                value = _clean_cell(values[index])
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    value = value[:MAX_CELL_CHARS]
                row[header] = value
        data.append((number, row))
    return ImportTable(headers=[h for h in headers if h], rows=data, filename=filename)


def _read_xlsx(content: bytes, filename: str) -> ImportTable:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNCOMPRESSED:
                raise ImportFileError(_("Excel 文件解压后过大，请删除多余的工作表或格式后重试。"))
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("无法读取 Excel 文件：文件已损坏或不是 .xlsx 格式。")) from exc
    from openpyxl import load_workbook

    try:
        # data_only: a formula cell yields the value Excel last computed, never the formula text
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportFileError(_("无法读取 Excel 文件：文件已损坏或不是 .xlsx 格式。")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        try:
            headers = list(next(rows))
        except StopIteration as exc:
            raise ImportFileError(_("文件是空的。")) from exc
        return _table(headers, rows, filename)
    finally:
        workbook.close()


def _read_csv(content: bytes, filename: str) -> ImportTable:
    text = _decode(content)
    dialect: Any = csv.excel
    with contextlib.suppress(csv.Error):  # too little text to tell: the plain comma dialect
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    try:
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        try:
            headers = next(reader)
        except StopIteration as exc:
            raise ImportFileError(_("文件是空的。")) from exc
        return _table(headers, reader, filename)
    except csv.Error as exc:
        raise ImportFileError(_("CSV 格式错误：%(error)s") % {"error": exc}) from exc


def read_rows(uploaded: Any) -> ImportTable:
    """Read an uploaded .xlsx (first sheet, values only) or .csv (UTF-8, UTF-8 with BOM or GBK) into an ImportTable.

    The first row is the header; blank rows are skipped; row numbers are those Excel shows. Raises ImportFileError
    with a message for the user when the file is too big, of another type or unreadable.
    """
    filename = str(getattr(uploaded, "name", "") or "")
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_IMPORT_BYTES:
        raise ImportFileError(_("文件过大（上限 %(mb)d MB），请拆分后分别导入。") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    content = uploaded.read(MAX_IMPORT_BYTES + 1) if hasattr(uploaded, "read") else bytes(uploaded)
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportFileError(_("文件过大（上限 %(mb)d MB），请拆分后分别导入。") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
    if not content:
        raise ImportFileError(_("文件是空的。"))
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content, filename)
    if content.startswith(b"\xd0\xcf\x11\xe0") or suffix == "xls":
        raise ImportFileError(_("不支持旧版 Excel (.xls) 文件：请在 Excel 中另存为 .xlsx 后上传。"))
    if suffix in ("csv", "txt", ""):
        return _read_csv(content, filename)
    raise ImportFileError(_("不支持的文件类型“.%(suffix)s”：请上传 Excel (.xlsx) 或 CSV 文件。") % {"suffix": suffix})


# --- cells -----------------------------------------------------------------------------------------------------------


class _CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def scope_areas(user: Any, action: str = "add") -> list[Any]:
    """Active towns (and the district) within the user's scope for `action`, in display order."""
    from wildlife.core.scope import user_scope
    from wildlife.geo.choices import AreaLevel
    from wildlife.geo.models import AdminArea

    paths = user_scope(user).paths(action)
    if not paths:
        return []
    rows = AdminArea.objects.active().filter(level__in=[AreaLevel.DISTRICT, AreaLevel.TOWN]).order_by("sort_order", "path")
    return [area for area in rows if any(area.path.startswith(prefix) for prefix in paths)]


def scope_departments(user: Any) -> list[Any]:
    """Departments whose area lies within the user's scope (district bureaus for district users, the town
    government for town users)."""
    from wildlife.accounts.models import Department

    area_ids = [area.pk for area in scope_areas(user, "view")]
    return list(Department.objects.filter(area_id__in=area_ids).order_by("sort_order", "name"))


def located_point(user: Any, longitude: Decimal, latitude: Decimal) -> tuple[Any, Any]:
    """(point, town) for coordinates read from a row; ValidationError on `location` when they are out of range, outside
    the district or in a town outside the user's scope (the `prepare` hook of registers with coordinates)."""
    from django.contrib.gis.geos import Point

    from wildlife.geo.selectors import area_for_point

    if not (Decimal(-180) <= longitude <= Decimal(180) and Decimal(-90) <= latitude <= Decimal(90)):
        raise ValidationError({"location": _("经纬度超出范围（经度在前，纬度在后）")})
    point = Point(float(longitude), float(latitude), srid=4326)
    town = area_for_point(point)
    if town is None:
        raise ValidationError({"location": _("位置不在本区任何镇街范围内，请检查坐标（经度在前，纬度在后）")})
    if town.pk not in {area.pk for area in scope_areas(user, "add")}:
        raise ValidationError({"location": _("位置在“%(town)s”，不在您的管辖范围内") % {"town": town.name}})
    return point, town


class _Context:
    """Per-import caches of the lookups (areas, departments, lookup columns)."""

    def __init__(self, user: Any, spec: RegisterImport) -> None:
        self.user = user
        self.max_lengths = {c.field: column_max_length(spec, c) for c in spec.columns}
        self._areas: dict[str, Any] | None = None
        self._departments: dict[str, Any] | None = None
        self._lookups: dict[tuple[str, str], Any] = {}

    def areas(self) -> dict[str, Any]:
        if self._areas is None:
            self._areas = {area.name: area for area in scope_areas(self.user, "add")}
        return self._areas

    def departments(self) -> dict[str, Any]:
        if self._departments is None:
            self._departments = {d.name: d for d in scope_departments(self.user)}
        return self._departments

    def lookup(self, column: ImportColumn, text: str) -> Any:
        key = (column.field, text)
        if key not in self._lookups:
            assert column.lookup is not None
            try:
                self._lookups[key] = column.lookup(self.user, text)
            except ValidationError as exc:
                self._lookups[key] = exc
        result = self._lookups[key]
        if isinstance(result, ValidationError):
            raise _CellError("；".join(result.messages))
        return result


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                break
    raise _CellError(_("“%(value)s”不是有效日期，请写成 2024-03-01") % {"value": text})


def _parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise _CellError(_("“%(value)s”不是数字") % {"value": value})
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = _text(value).replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise _CellError(_("“%(value)s”不是数字") % {"value": _text(value)}) from exc
    if not number.is_finite():
        raise _CellError(_("“%(value)s”不是数字") % {"value": _text(value)})
    return number


def parse_cell(column: ImportColumn, value: Any, context: _Context) -> Any:
    """The typed value of one non-blank cell; raises _CellError with the reason."""
    kind = column.kind
    if kind == "text":
        text = _text(value)
        limit = context.max_lengths.get(column.field)
        if limit and len(text) > limit:
            raise _CellError(_("超过 %(n)d 个字符（现有 %(m)d 个）") % {"n": limit, "m": len(text)})
        return text
    if kind == "email":
        text = _text(value)
        try:
            validate_email(text)
        except ValidationError as exc:
            raise _CellError(_("“%(value)s”不是有效的邮箱地址") % {"value": text}) from exc
        return text
    if kind == "int":
        number = _parse_decimal(value)
        if number != number.to_integral_value():
            raise _CellError(_("“%(value)s”不是整数") % {"value": _text(value)})
        return int(number)
    if kind == "decimal":
        return _parse_decimal(value)
    if kind == "date":
        return _parse_date(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise _CellError(_("“%(value)s”应填“是”或“否”") % {"value": _text(value)})
    if kind == "choice":
        text = _text(value)
        for choice_value, label in column.choices:
            if text == str(label) or text.lower() == str(choice_value).lower():
                return choice_value
        allowed = "、".join(str(label) for _v, label in column.choices)
        raise _CellError(_("“%(value)s”不是有效的选项，可选：%(allowed)s") % {"value": text, "allowed": allowed})
    if kind == "area":
        text = _text(value)
        area = context.areas().get(text)
        if area is not None:
            return area
        from wildlife.geo.models import AdminArea

        if AdminArea.objects.active().filter(name=text).exists():
            raise _CellError(_("“%(value)s”不在您的管辖范围内") % {"value": text})
        raise _CellError(_("“%(value)s”不是本区的镇街名称") % {"value": text})
    if kind == "department":
        text = _text(value)
        department = context.departments().get(text)
        if department is not None:
            return department
        from wildlife.accounts.models import Department

        if Department.objects.filter(name=text).exists():
            raise _CellError(_("“%(value)s”不是您管辖范围内的单位") % {"value": text})
        raise _CellError(_("没有名为“%(value)s”的单位") % {"value": text})
    # lookup
    return context.lookup(column, _text(value))


def column_options(column: ImportColumn, user: Any) -> list[str]:
    """The drop-down list of a column in the template (empty: no list)."""
    if column.kind == "choice":
        return [str(label) for _v, label in column.choices]
    if column.kind == "bool":
        return [_("是"), _("否")]
    if column.kind == "area":
        return [area.name for area in scope_areas(user, "add")]
    if column.kind == "department":
        return [d.name for d in scope_departments(user)]
    if column.options is not None:
        return [str(v) for v in column.options(user)]
    return []


def column_max_length(spec: RegisterImport, column: ImportColumn) -> int | None:
    if column.max_length is not None or column.kind != "text":
        return column.max_length
    try:
        model_field = spec.model._meta.get_field(column.field)
    except Exception:
        return None
    return getattr(model_field, "max_length", None)


# --- the template ----------------------------------------------------------------------------------------------------


def template_bytes(spec: RegisterImport, user: Any) -> bytes:
    """The import template: Chinese headers (required ones marked *), drop-down lists, an example row, instructions."""
    from wildlife.core.excel import build_template

    headers = [c.title for c in spec.columns]
    required = [c.title for c in spec.columns if c.required]
    choices: dict[str, Sequence[str]] = {}
    for column in spec.columns:
        options = column_options(column, user)
        if options:
            choices[column.title] = options
    example = [c.example for c in spec.columns] if any(c.example is not None for c in spec.columns) else None
    lines = [
        _("%(title)s导入模板") % {"title": spec.title},
        _("1. 第 1 行是表头，请勿修改；带 * 的列为必填，其余可留空。"),
        _("2. 第 2 行灰色斜体是示例，导入时与示例完全相同的行会自动跳过；请在第 3 行起填写，或直接覆盖示例。"),
        _("3. 有下拉列表的列请从列表中选择（选项见「选项」工作表，请勿修改该工作表）。"),
        _("4. 日期写成 2024-03-01；“是/否”列填“是”或“否”。"),
        _("5. 每个文件最多 %(rows)s 行数据、%(mb)d MB；支持 .xlsx 和 .csv（UTF-8 或 GBK 编码）。")
        % {"rows": f"{MAX_IMPORT_ROWS:,}", "mb": MAX_IMPORT_BYTES // (1024 * 1024)},
        _("6. 按「%(key)s」判断是否已登记：已登记的记录会跳过，同一文件重复导入不会重复新增。") % {"key": "+".join(spec.key_headers())},
        _("7. 可以选择“全部成功才导入”（有任何错误则一行也不导入）或“只导入正确的行”；错误会写明行号和列名。"),
    ]
    lines.extend(str(line) for line in spec.instructions)
    described = [c for c in spec.columns if c.help]
    if described:
        lines.append("")
        lines.append(_("各列说明："))
        lines.extend(f"「{c.title}」{'*' if c.required else ''}：{c.help}" for c in described)
    return build_template(
        title=str(spec.title), headers=headers, required=required, choices=choices, example=example, instructions=lines
    )


def errors_bytes(spec: RegisterImport, errors: Sequence[RowError]) -> bytes:
    """The error report as a workbook (row, column, reason), for the user to fix the file."""
    from wildlife.core.excel import build_workbook

    return build_workbook(
        title=_("导入错误"),
        headers=[_("行号"), _("列"), _("原因"), _("说明")],
        rows=([e.row, e.header, e.message, e.text()] for e in errors),
        note=_("%(title)s导入错误报告 · 共 %(n)d 条") % {"title": spec.title, "n": len(errors)},
    )


# --- running ---------------------------------------------------------------------------------------------------------


class _Rollback(Exception):
    """Raised inside the all-or-nothing transaction to undo every row."""


def _validation_errors(spec: RegisterImport, row: int, exc: ValidationError) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        result: list[RowError] = []
        for name, errors in exc.error_dict.items():
            header = spec.header_for(name) if name != "__all__" else ""
            for error in errors:
                result.extend(RowError(row, header, message) for message in error.messages)
        return result
    return [RowError(row, "", message) for message in exc.messages]


def _example_values(spec: RegisterImport) -> dict[str, str] | None:
    values = {c.title: _text(c.example) for c in spec.columns if c.example is not None}
    return values or None


def _is_example(example: dict[str, str] | None, spec: RegisterImport, cells: dict[str, Any]) -> bool:
    if example is None:
        return False
    for column in spec.columns:
        value = cells.get(column.title)
        text = "" if _blank(value) else _text(value)
        if text != example.get(column.title, ""):
            return False
    return True


def _exists(spec: RegisterImport, user: Any, values: dict[str, Any]) -> bool:
    if spec.find_existing is not None:
        return spec.find_existing(user, values)
    if not spec.key or any(values.get(name) in (None, "") for name in spec.key):
        return False
    queryset = spec.model._default_manager.all().restrict(user, "view")  # type: ignore[attr-defined]
    return bool(queryset.filter(**{name: values[name] for name in spec.key}).exists())


def _key_of(spec: RegisterImport, values: dict[str, Any]) -> tuple[Any, ...] | None:
    if not spec.key:
        return None
    parts = []
    for name in spec.key:
        value = values.get(name)
        if value in (None, ""):
            return None
        parts.append(value.pk if isinstance(value, models.Model) else (value.strip().lower() if isinstance(value, str) else value))
    return tuple(parts)


def _import_row(spec: RegisterImport, user: Any, number: int, cells: dict[str, Any], context: _Context, report: ImportReport, seen: dict[tuple[Any, ...], int]) -> None:
    errors: list[RowError] = []
    values: dict[str, Any] = {}
    for column in spec.columns:
        raw = cells.get(column.title)
        if _blank(raw):
            if column.required:
                errors.append(RowError(number, column.title, _("必填，不能为空")))
            elif column.default is not None:
                values[column.field] = column.default
            continue
        try:
            values[column.field] = parse_cell(column, raw, context)
        except _CellError as exc:
            errors.append(RowError(number, column.title, exc.message))
    if errors:
        report.errors.extend(errors)
        return
    if spec.prepare is not None:
        try:
            values = spec.prepare(user, values)
        except ValidationError as exc:
            report.errors.extend(_validation_errors(spec, number, exc))
            return
    key = _key_of(spec, values)
    if key is not None and key in seen:
        header = spec.key_headers()[0] if spec.key else ""
        report.errors.append(RowError(number, header, _("与第 %(row)d 行重复") % {"row": seen[key]}))
        return
    if _exists(spec, user, values):
        report.skipped += 1
        report.skipped_rows.append(number)
        if key is not None:
            seen[key] = number
        return
    try:
        with transaction.atomic():
            spec.create(actor=user, **values)
    except ValidationError as exc:
        report.errors.extend(_validation_errors(spec, number, exc))
        return
    except OutOfScopeError as exc:
        report.errors.append(RowError(number, spec.header_for(spec.scope_field), str(exc)))
        return
    except ConflictError as exc:
        report.errors.append(RowError(number, "", exc.message))
        return
    except PermissionDenied as exc:
        report.errors.append(RowError(number, "", str(exc) or _("您没有权限登记此记录")))
        return
    except DatabaseError:
        # a constraint or a length the service did not check; the savepoint keeps the rest of the import usable
        report.errors.append(RowError(number, "", _("数据库拒绝保存此行（可能与已有记录重复或内容过长），请检查后重试")))
        return
    report.valid += 1
    report.created += 1
    if key is not None:
        seen[key] = number


def _run_rows(spec: RegisterImport, user: Any, table: ImportTable, report: ImportReport) -> None:
    context = _Context(user, spec)
    example = _example_values(spec)
    seen: dict[tuple[Any, ...], int] = {}
    for number, cells in table.rows:
        if _is_example(example, spec, cells):
            report.examples_skipped += 1
            continue
        _import_row(spec, user, number, cells, context, report, seen)


def run_import(spec: RegisterImport, user: Any, table: ImportTable, mode: str = MODE_ALL, *, audit: bool = True) -> ImportReport:
    """Import the rows of `table` through `spec.create`, in `mode` (MODE_ALL or MODE_VALID), and record one
    `register_import` audit event for the whole import (the service records one per created object)."""
    if mode not in (MODE_ALL, MODE_VALID):
        raise ValueError(f"unknown import mode {mode!r}")
    report = ImportReport(mode=mode, total=len(table.rows))
    headers = set(table.headers)
    missing = [c.title for c in spec.columns if c.required and c.title not in headers]
    if missing:
        report.errors.extend(RowError(1, title, _("缺少此必填列，请使用下载的导入模板")) for title in missing)
    elif not table.rows:
        report.errors.append(RowError(2, "", _("文件中没有数据行")))
    elif mode == MODE_VALID:
        _run_rows(spec, user, table, report)
    else:
        try:
            with transaction.atomic():
                _run_rows(spec, user, table, report)
                if report.errors:
                    raise _Rollback
        except _Rollback:
            report.rolled_back = True
            report.created = 0
    if audit:
        from wildlife.audit.models import Outcome
        from wildlife.audit.services import audit_record

        audit_record(
            action="register_import",
            actor=user,
            object_type=spec.label,
            outcome=Outcome.FAILURE if report.errors and not report.created else Outcome.SUCCESS,
            detail=report.as_detail(spec, table.filename),
        )
    return report


__all__ = [
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "MODE_ALL",
    "MODE_CHOICES",
    "MODE_VALID",
    "ImportColumn",
    "ImportFileError",
    "ImportReport",
    "ImportTable",
    "RegisterImport",
    "RowError",
    "errors_bytes",
    "read_rows",
    "run_import",
    "template_bytes",
]
