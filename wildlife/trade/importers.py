"""Platform export files (CSV, Excel, JSON): reading, the column-mapping step and row validation.

Each platform names its columns differently ("商品标题", "宝贝名称", "title"), so an import is two steps: the file is
read once for its headers and a few sample rows, the user maps columns to listing fields (a saved mapping of the
platform, or our guess from the header names, is pre-selected), then the job reads every row with that mapping.
Every problem is reported as "第 N 行 字段: 原因" (N counts the header as row 1, as a spreadsheet shows it).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_TITLE = 300
MAX_TEXT = 20_000
SAMPLE_ROWS = 5
JSON_MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class TargetField:
    name: str
    label: Any
    required: bool = False
    synonyms: tuple[str, ...] = ()


# the listing fields an export column can fill, with the header names platforms and users commonly give them
TARGET_FIELDS: tuple[TargetField, ...] = (
    TargetField("title", gettext_lazy("标题"), True, ("标题", "商品标题", "宝贝标题", "宝贝名称", "商品名称", "名称", "title", "name", "item_title")),
    TargetField("text", gettext_lazy("描述文字"), False, ("描述", "商品描述", "详情", "详情描述", "商品详情", "宝贝描述", "正文", "内容", "文字", "description", "desc", "content", "text")),
    TargetField("url", gettext_lazy("链接"), False, ("链接", "商品链接", "网址", "地址链接", "url", "link", "item_url")),
    TargetField("external_id", gettext_lazy("平台商品编号"), False, ("商品id", "商品编号", "宝贝id", "编号", "id", "item_id", "listing_id")),
    TargetField("seller_account", gettext_lazy("卖家账号"), False, ("卖家账号", "卖家id", "卖家", "店铺id", "账号", "seller_id", "seller", "account", "shop_id")),
    TargetField("seller_name", gettext_lazy("卖家昵称"), False, ("卖家昵称", "卖家名称", "店铺名称", "店铺", "昵称", "seller_name", "shop_name", "nickname")),
    TargetField("seller_phone", gettext_lazy("卖家电话"), False, ("电话", "手机", "联系电话", "卖家电话", "phone", "mobile", "tel")),
    TargetField("price", gettext_lazy("价格（元）"), False, ("价格", "售价", "单价", "金额", "price", "amount")),
    TargetField("captured_at", gettext_lazy("采集/发布时间"), False, ("采集时间", "发布时间", "时间", "日期", "上架时间", "captured_at", "published_at", "time", "date")),
    TargetField("location_text", gettext_lazy("所在地"), False, ("所在地", "发货地", "地区", "地址", "城市", "location", "city", "region")),
    TargetField("image_urls", gettext_lazy("图片链接"), False, ("图片", "图片链接", "主图", "images", "image", "image_url", "pic")),
)
FIELD_NAMES = tuple(f.name for f in TARGET_FIELDS)
FIELD_LABELS = {f.name: f.label for f in TARGET_FIELDS}


class ExportFileError(Exception):
    """The file cannot be read at all (format, encoding, structure); the message is for the user."""


@dataclass
class ListingInput:
    """One listing read from a file, a form, the API or a collector, before it is stored."""

    title: str
    text: str = ""
    url: str = ""
    external_id: str = ""
    seller_account: str = ""
    seller_name: str = ""
    seller_phone: str = ""
    price: Decimal | None = None
    captured_at: dt.datetime | None = None
    location_text: str = ""
    image_urls: list[str] = field(default_factory=list)
    row: int | None = None


@dataclass
class RowError:
    row: int
    field: str
    message: str

    def text(self) -> str:
        label = str(FIELD_LABELS.get(self.field, self.field))
        return _("第 %(row)d 行 %(field)s: %(message)s") % {"row": self.row, "field": label, "message": self.message}


# --- reading files ------------------------------------------------------------------------------------------------


def detect_format(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".json", ".jsonl", ".ndjson"):
        return "json"
    raise ExportFileError(_("不支持的文件类型“%(suffix)s”：请上传 CSV、Excel (xlsx) 或 JSON 文件。") % {"suffix": suffix or "—"})


def _decode(raw: bytes) -> str:
    from wildlife.core.imports import decode_text

    text = decode_text(raw)
    if text is None:
        raise ExportFileError(_("无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV。"))
    return text


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "").strip()
    return value


def read_rows(path: str | Path, fmt: str) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """(headers, iterator of (row number, {header: value})). Row numbers are what a spreadsheet shows."""
    path = Path(path)
    if fmt == "csv":
        text = _decode(path.read_bytes())
        dialect: Any = csv.excel
        with contextlib.suppress(csv.Error):  # not enough text to tell: the plain comma dialect
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        try:
            headers = [_cell(h) for h in next(reader)]
        except StopIteration as exc:
            raise ExportFileError(_("文件是空的。")) from exc
        _check_headers(headers)

        def csv_rows() -> Iterator[tuple[int, dict[str, Any]]]:
            for number, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                yield number, {h: _cell(values[i]) if i < len(values) else "" for i, h in enumerate(headers) if h}

        return headers, csv_rows()
    if fmt == "xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
            raise ExportFileError(_("无法读取 Excel 文件：文件已损坏或不是 xlsx 格式。")) from exc
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        try:
            headers = ["" if h is None else str(h).strip() for h in next(rows)]
        except StopIteration as exc:
            raise ExportFileError(_("文件是空的。")) from exc
        _check_headers(headers)

        def xlsx_rows() -> Iterator[tuple[int, dict[str, Any]]]:
            try:
                for number, values in enumerate(rows, start=2):
                    if values is None or all(v is None or str(v).strip() == "" for v in values):
                        continue
                    yield number, {h: _cell(values[i]) if i < len(values) else None for i, h in enumerate(headers) if h}
            finally:
                workbook.close()

        return headers, xlsx_rows()
    if fmt == "json":
        if path.stat().st_size > JSON_MAX_BYTES:
            raise ExportFileError(_("JSON 文件过大（上限 200 MB），请改用 CSV。"))
        text = _decode(path.read_bytes())
        items = _json_items(text)
        headers = []
        for item in items[:200]:
            for key in item:
                if key not in headers:
                    headers.append(key)
        _check_headers(headers)

        def json_rows() -> Iterator[tuple[int, dict[str, Any]]]:
            # JSON has no rows: item 1 is reported as 第 2 行 like the first data row of a spreadsheet
            for number, item in enumerate(items, start=2):
                yield number, {k: _cell(v) for k, v in item.items()}

        return headers, json_rows()
    raise ExportFileError(_("不支持的文件格式。"))


def _json_items(text: str) -> list[dict[str, Any]]:
    stripped = text.lstrip()
    try:
        if stripped.startswith("[") or stripped.startswith("{"):
            data = json.loads(stripped)
        else:
            data = [json.loads(line) for line in stripped.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise ExportFileError(_("JSON 格式错误：第 %(line)d 行第 %(col)d 列附近。") % {"line": exc.lineno, "col": exc.colno}) from exc
    if isinstance(data, dict):
        for key in ("items", "listings", "data", "results", "records"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            raise ExportFileError(_("JSON 中没有找到商品列表（应为数组，或含 items/listings/data 数组的对象）。"))
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ExportFileError(_("JSON 的每一项都应是一个对象（字段名: 值）。"))
    return data


def _check_headers(headers: list[str]) -> None:
    if not any(headers):
        raise ExportFileError(_("第 1 行应为表头（列名），但它是空的。"))
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            raise ExportFileError(_("表头“%(header)s”出现了两次，请改名后重新上传。") % {"header": header})
        seen.add(header)


def preview(path: str | Path, fmt: str) -> tuple[list[str], list[dict[str, Any]]]:
    """Headers and the first few rows (for the mapping step)."""
    headers, rows = read_rows(path, fmt)
    sample: list[dict[str, Any]] = []
    for _number, row in rows:
        sample.append({k: _preview_value(v) for k, v in row.items()})
        if len(sample) >= SAMPLE_ROWS:
            break
    return headers, sample


def _preview_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)[:200]
    text = str(value)
    return text[:200]


# --- mapping --------------------------------------------------------------------------------------------------------


def _key(header: str) -> str:
    return re.sub(r"[\s_\-（）()*]", "", header).lower()


def guess_mapping(headers: list[str], saved: dict[str, str] | None = None) -> dict[str, str]:
    """{field: header}: the saved mapping where its headers are present, else the synonyms."""
    present = set(headers)
    result: dict[str, str] = {}
    for name, header in (saved or {}).items():
        if name in FIELD_NAMES and header in present:
            result[name] = header
    used = set(result.values())
    keyed = {_key(h): h for h in headers if h}
    for target in TARGET_FIELDS:
        if target.name in result:
            continue
        for synonym in target.synonyms:
            found = keyed.get(_key(synonym))
            if found and found not in used:
                header = found
                result[target.name] = header
                used.add(header)
                break
    # second pass: a header that contains a synonym ("宝贝详情描述" contains "描述")
    for target in TARGET_FIELDS:
        if target.name in result:
            continue
        for synonym in target.synonyms:
            key = _key(synonym)
            if len(key) < 2 or key.isascii():
                continue
            contained = next((h for k, h in keyed.items() if key in k and h not in used), None)
            if contained:
                header = contained
                result[target.name] = header
                used.add(header)
                break
    return result


def validate_mapping(mapping: dict[str, str], headers: list[str]) -> dict[str, str]:
    """The mapping without blanks; ValidationError naming the field when it is unusable."""
    cleaned = {k: v for k, v in mapping.items() if v}
    errors: dict[str, list[str]] = {}
    unknown = [k for k in cleaned if k not in FIELD_NAMES]
    if unknown:
        errors["mapping"] = [_("未知字段：%(names)s") % {"names": "、".join(unknown)}]
    for name, header in cleaned.items():
        if name in FIELD_NAMES and header not in headers:
            errors.setdefault(name, []).append(_("文件中没有列“%(header)s”") % {"header": header})
    for target in TARGET_FIELDS:
        if target.required and target.name not in cleaned:
            errors.setdefault(target.name, []).append(_("必须指定对应的列"))
    headers_used = list(cleaned.values())
    duplicates = {h for h in headers_used if headers_used.count(h) > 1}
    if duplicates:
        errors.setdefault("mapping", []).append(_("同一列不能对应两个字段：%(h)s") % {"h": "、".join(sorted(duplicates))})
    if errors:
        raise ValidationError(errors)
    return cleaned


# --- rows → listings ------------------------------------------------------------------------------------------------

_url_validator = URLValidator(schemes=["http", "https"])
_PRICE_RE = re.compile(r"-?\d+(?:\.\d+)?")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\x00", "").strip()


def parse_price(value: Any) -> Decimal | None:
    """"¥1,200.00", "1200元", 1200 → Decimal; "面议" and blanks → None; raises ValueError for nonsense."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        text = str(value).replace(",", "").replace("，", "").strip()
        if text in ("面议", "议价", "私聊", "-", "—"):
            return None
        match = _PRICE_RE.search(text)
        if not match:
            raise ValueError(_("不是有效的价格"))
        amount = Decimal(match.group())
    if amount < 0:
        raise ValueError(_("价格不能为负数"))
    if amount >= Decimal("10000000000"):
        raise ValueError(_("价格过大"))
    return amount.quantize(Decimal("0.01"))


_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日")


def parse_datetime(value: Any) -> dt.datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime.combine(value, dt.time())
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        stamp = float(value) / (1000 if value > 10_000_000_000 else 1)
        return dt.datetime.fromtimestamp(stamp, tz=dt.UTC)
    else:
        text = str(value).strip()
        try:
            result = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            for fmt in _DATE_FORMATS:
                try:
                    result = dt.datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
            else:
                raise ValueError(_("无法识别的时间（示例：2026-04-02 10:30）")) from None
    if timezone.is_naive(result):
        result = timezone.make_aware(result)
    if result > timezone.now() + dt.timedelta(days=1):
        raise ValueError(_("时间在将来"))
    return result


def parse_image_urls(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    items = value if isinstance(value, list) else re.split(r"[\s,;|，；]+", str(value))
    return [str(item).strip() for item in items if str(item).strip()][:20]


def row_to_input(row: dict[str, Any], mapping: dict[str, str], number: int) -> tuple[ListingInput | None, list[RowError]]:
    """Read one mapped row; errors name the row and the field."""
    errors: list[RowError] = []

    def get(name: str) -> Any:
        header = mapping.get(name)
        return row.get(header) if header else None

    title = _text(get("title"))
    text = _text(get("text"))
    if not title and text:
        title = text[:60]  # some exports carry only the description
    if not title:
        errors.append(RowError(number, "title", _("不能为空")))
    elif len(title) > MAX_TITLE:
        errors.append(RowError(number, "title", _("超过 %(n)d 个字") % {"n": MAX_TITLE}))
    if len(text) > MAX_TEXT:
        errors.append(RowError(number, "text", _("超过 %(n)d 个字") % {"n": MAX_TEXT}))
    url = _text(get("url"))
    if url:
        try:
            _url_validator(url)
        except ValidationError:
            errors.append(RowError(number, "url", _("不是有效的网址（应以 http:// 或 https:// 开头）")))
        if len(url) > 1000:
            errors.append(RowError(number, "url", _("超过 1000 个字符")))
    try:
        price = parse_price(get("price"))
    except (ValueError, InvalidOperation) as exc:
        errors.append(RowError(number, "price", str(exc) or _("不是有效的价格")))
        price = None
    try:
        captured_at = parse_datetime(get("captured_at"))
    except (ValueError, OverflowError, OSError) as exc:
        errors.append(RowError(number, "captured_at", str(exc)))
        captured_at = None
    phone = re.sub(r"[\s\-]", "", _text(get("seller_phone")))
    if phone and not re.fullmatch(r"\+?\d{5,20}", phone):
        errors.append(RowError(number, "seller_phone", _("不是有效的电话号码")))
    values = {
        "external_id": _text(get("external_id"))[:100],
        "seller_account": _text(get("seller_account"))[:200],
        "seller_name": _text(get("seller_name"))[:200],
        "location_text": _text(get("location_text"))[:200],
    }
    if errors:
        return None, errors
    return (
        ListingInput(
            title=title,
            text=text,
            url=url,
            seller_phone=phone,
            price=price,
            captured_at=captured_at,
            image_urls=parse_image_urls(get("image_urls")),
            row=number,
            **values,
        ),
        [],
    )
