"""CSV and Excel observation files: the downloadable template, header matching, encodings, streaming reads.

Headers are matched by name, not position: the template's Chinese headers (a trailing “*” marks required columns),
a few common variants, and the Darwin Core term names (scientificName, eventDate, decimalLongitude ...), so a
“simple Darwin Core” CSV from another system imports as well. Note lines above the header are skipped.

CSV encodings: UTF-8 (with or without BOM), GBK/GB18030 (what Excel on a Chinese Windows saves), UTF-16 with BOM
(Excel's “Unicode text”); delimiters comma, tab or semicolon; line endings LF, CRLF or CR. Files are streamed:
a million-row file is never held in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from wildlife.surveys.choices import LifeStage, ObservationMethod, ObservationType, Sex
from wildlife.surveys.importers.base import FIELD_LABELS, ImportFileError, RawRow

TEMPLATE_HEADERS: tuple[str, ...] = (
    "记录编号",
    "物种",
    "数量",
    "观测时间",
    "经度",
    "纬度",
    "位点编号",
    "调查事件编号",
    "调查方法",
    "记录类型",
    "性别",
    "年龄阶段",
    "行为",
    "垂直距离(米)",
    "位置误差(米)",
    "重量(克)",
    "观测人",
    "备注",
)
TEMPLATE_REQUIRED = ("物种", "数量", "观测时间")

# normalised header → canonical field
HEADER_FIELDS: dict[str, str] = {}


def _register(field_name: str, *names: str) -> None:
    for name in names:
        HEADER_FIELDS[normalise_header(name)] = field_name


def normalise_header(value: Any) -> str:
    text = str(value or "").strip().lstrip("\ufeff").rstrip("*").strip().lower()
    for a, b in (("（", "("), ("）", ")"), (" ", ""), ("_", "")):
        text = text.replace(a, b)
    if ":" in text and text.split(":", 1)[0] in ("dwc", "dcterms", "eco"):
        text = text.split(":", 1)[1]
    return text


_register("occurrence_id", "记录编号", "记录id", "编号", "occurrenceID", "occurrence_id", "id", "gbifid")
_register("species", "物种", "物种名称", "物种名", "中文名", "学名", "scientificName", "species", "vernacularName", "物种(中文名或学名)")
_register("count", "数量", "个体数", "个体数量", "individualCount", "count", "organismQuantity")
_register("observed_at", "观测时间", "观测日期", "日期", "时间", "eventDate", "observed_at", "date")
_register("lon", "经度", "decimalLongitude", "lon", "lng", "longitude")
_register("lat", "纬度", "decimalLatitude", "lat", "latitude")
_register("site_code", "位点编号", "位点", "样线编号", "locationID", "site", "site_code")
_register("event_id", "调查事件编号", "事件编号", "eventID", "event_id")
_register("method", "调查方法", "方法", "samplingProtocol", "method")
_register("observation_type", "记录类型", "observationType", "observation_type")
_register("sex", "性别", "sex")
_register("life_stage", "年龄阶段", "年龄", "lifeStage", "life_stage")
_register("behaviour", "行为", "behavior", "behaviour")
_register("distance_m", "垂直距离(米)", "垂直距离", "perpendicularDistance", "distance_m")
_register("uncertainty_m", "位置误差(米)", "位置误差", "coordinateUncertaintyInMeters", "uncertainty_m")
_register("biomass_g", "重量(克)", "重量", "biomass_g")
_register("observer", "观测人", "记录人", "调查人", "recordedBy", "observer")
_register("remarks", "备注", "occurrenceRemarks", "remarks")
_register("media_id", "媒体编号", "mediaID", "media_id")

HEADER_SEARCH_LINES = 20
_MARKERS = {"species", "observed_at", "count", "lon", "lat"}


def match_headers(values: list[Any]) -> dict[int, tuple[str, str]] | None:
    """{column index: (field, the header as written)} when the row looks like a header (≥ 2 known columns)."""
    found: dict[int, tuple[str, str]] = {}
    taken: set[str] = set()
    for index, value in enumerate(values):
        field_name = HEADER_FIELDS.get(normalise_header(value))
        if field_name and field_name not in taken:
            found[index] = (field_name, str(value).strip().rstrip("*").strip())
            taken.add(field_name)
    if len(taken & _MARKERS) >= 2:
        return found
    return None


class TableSource:
    """Rows of a CSV or Excel sheet, matched to the canonical fields by header."""

    where = ""

    def __init__(self, path: str | Path, fmt: str) -> None:
        self.path = Path(path)
        self.fmt = fmt
        self.labels: dict[str, str] = {}
        self._header_line = 0
        if fmt not in ("csv", "xlsx"):
            raise ImportFileError(_("不支持的表格格式“%(fmt)s”") % {"fmt": fmt})
        self._columns = self._find_header()

    def label(self, field_name: str) -> str:
        return self.labels.get(field_name) or FIELD_LABELS.get(field_name, field_name)

    # --- reading -----------------------------------------------------------------------------------------------------

    def _records(self) -> Iterator[tuple[int, list[Any]]]:
        if self.fmt == "csv":
            yield from _csv_records(self.path)
        else:
            yield from _xlsx_records(self.path)

    def _find_header(self) -> dict[int, str]:
        for number, values in self._records():
            found = match_headers(values)
            if found:
                self._header_line = number
                self.labels = dict(found.values())
                return {index: field_name for index, (field_name, _label) in found.items()}
            if number >= HEADER_SEARCH_LINES:
                break
        raise ImportFileError(
            _("未找到表头：第一行应为“%(headers)s”等列（可下载导入模板）") % {"headers": "、".join(TEMPLATE_HEADERS[:6])}
        )

    def count(self) -> int | None:
        if self.fmt == "csv":
            return max(_count_lines(self.path) - self._header_line, 0)
        from openpyxl import load_workbook

        workbook = load_workbook(self.path, read_only=True, data_only=True)
        try:
            rows = workbook.worksheets[0].max_row
        finally:
            workbook.close()
        return max(rows - self._header_line, 0) if rows else None

    def rows(self) -> Iterator[RawRow]:
        columns = self._columns
        width = max(columns) + 1 if columns else 0
        for number, values in self._records():
            if number <= self._header_line:
                continue
            if not any(v is not None and str(v).strip() != "" for v in values):
                continue
            if len(values) < width:
                values = [*values, *([None] * (width - len(values)))]
            yield RawRow(line=number, values={field_name: values[index] for index, field_name in columns.items()})


def _count_lines(path: Path) -> int:
    lines = 0
    last = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk
    if lines == 0 and last:
        with path.open("rb") as handle:
            lines = handle.read().count(b"\r")  # old Mac line endings
    if last and not last.endswith((b"\n", b"\r")):
        lines += 1
    return lines


def detect_encoding(path: Path) -> str:
    """utf-8-sig, utf-16 (with BOM) or gb18030 (GBK is a subset), judged from the first megabyte."""
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        raise ImportFileError(_("CSV 文件编码无法识别，请另存为 UTF-8 或 GBK 编码")) from None


def _csv_records(path: Path) -> Iterator[tuple[int, list[Any]]]:
    encoding = detect_encoding(path)
    with path.open("r", encoding=encoding, newline="") as handle:
        sample = handle.read(64 * 1024)
        handle.seek(0)
        first_line = sample.splitlines()[0] if sample else ""
        delimiter = ","
        if first_line.count("\t") > first_line.count(","):
            delimiter = "\t"
        elif first_line.count(";") > first_line.count(","):
            delimiter = ";"
        reader = csv.reader(handle, delimiter=delimiter)
        number = 0
        try:
            for record in reader:
                number += 1
                yield number, record
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("第 %(line)d 行附近的文字编码有误（文件按 %(enc)s 读取），请把整个文件另存为 UTF-8") % {"line": number + 1, "enc": encoding}
            ) from exc
        except csv.Error as exc:
            raise ImportFileError(_("第 %(line)d 行 CSV 格式有误：%(error)s") % {"line": number + 1, "error": exc}) from exc


def _xlsx_records(path: Path) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many exception types for a broken or mislabelled file
        raise ImportFileError(_("Excel 文件无法打开（%(error)s），请确认是 .xlsx 文件") % {"error": exc.__class__.__name__}) from exc
    try:
        sheet = workbook["调查记录"] if "调查记录" in workbook.sheetnames else workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        workbook.close()


# --- the template ------------------------------------------------------------------------------------------------


def template_choices() -> dict[str, Sequence[str]]:
    """Drop-down lists of the template: species (catalogue names), methods, types, sex, life stage."""
    from wildlife.species.models import Species

    return {
        "物种": list(Species.objects.order_by("pinyin").values_list("name_zh", flat=True)),
        "调查方法": [str(label) for _value, label in ObservationMethod.choices],
        "记录类型": [str(label) for _value, label in ObservationType.choices],
        "性别": [str(label) for _value, label in Sex.choices],
        "年龄阶段": [str(label) for _value, label in LifeStage.choices],
    }


TEMPLATE_INSTRUCTIONS = (
    "每行一条观测记录；带 * 的列必填。第一行是表头，请勿修改表头文字（列的顺序可以调整）。",
    "记录编号：本项目内唯一的编号（如 2025-T03-0001）。重复导入同一编号不会重复新增；留空时按记录内容生成编号。",
    "物种：填写中文名、学名或别名（下拉列表为物种名录）；名录中没有的名称会列入错误报告并给出可能的物种。",
    "数量：不小于 0 的整数；0 表示调查了但未见个体（无记录也是记录）。",
    "观测时间：如 2025-05-10 08:30 或 2025-05-10（北京时间）；不能晚于当前时间。",
    "经度、纬度：WGS-84 十进制度，如 117.7312、36.7521；须在周村区范围内。不填坐标时须填写位点编号，取位点位置。",
    "位点编号、调查事件编号：须为本项目已有的位点和调查事件。",
    "调查方法、记录类型、性别、年龄阶段：从下拉列表选择。",
    "垂直距离(米)：样线法中个体到样线的垂直距离，用于密度估计。",
    "示例：2025-T03-0001 | 环颈雉 | 2 | 2025-05-10 08:30 | 117.7312 | 36.7521 | T03 | | 样线法 | 动物 | 雄 | 成体 | 觅食 | 35 | 10 | | 张三 |",
    "CSV 文件可用 UTF-8 或 GBK 编码保存（Excel“另存为 CSV”即可）。",
)


def build_observation_template() -> bytes:
    from wildlife.core.excel import build_template

    return build_template(
        title="调查记录",
        headers=list(TEMPLATE_HEADERS),
        required=list(TEMPLATE_REQUIRED),
        choices=template_choices(),
        instructions=TEMPLATE_INSTRUCTIONS,
    )


def build_csv_template() -> bytes:
    """The same columns as a UTF-8 CSV with BOM (Excel opens it with the Chinese headers intact)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([h + (" *" if h in TEMPLATE_REQUIRED else "") for h in TEMPLATE_HEADERS])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
