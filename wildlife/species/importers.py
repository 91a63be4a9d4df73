"""Importer for official protection lists (JSON, CSV, Excel) with a conflict report instead of silent overwrites.

Reading (files → rows), checking (rows → issues, against the file itself and the catalogue) and storing are separate
steps, so a run in `all_or_nothing` mode stores nothing when any row has an error or a conflict, and a run in
`valid_rows` mode stores every clean row and reports the rest. Re-running the same file adds nothing.

Issues are reported as "第 N 行 字段: 原因" (CSV/Excel: the sheet row; JSON: the entry number).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wildlife.audit.services import audit_record
from wildlife.core.excel import build_workbook
from wildlife.species.choices import AliasKind, ImportMode, ListKind, Protection, StatusOrigin, TaxonRank
from wildlife.species.models import ListVersion, Species, SpeciesAlias, SpeciesStatus
from wildlife.species.names import (
    LevelError,
    clean_text,
    genus_of,
    has_han,
    looks_latin,
    normalize_scientific,
    parse_level,
    parse_notes,
    pinyin_of,
)

MAX_ROWS = 50_000
SUPPORTED_FORMATS = ("json", "csv", "xlsx")

# header → field; the official column names, English keys of the shared transcription and our export headers
HEADERS: dict[str, str] = {
    "中文名": "name_zh",
    "中文名称": "name_zh",
    "物种": "name_zh",
    "chinesename": "name_zh",
    "name_zh": "name_zh",
    "学名": "scientific_name",
    "拉丁名": "scientific_name",
    "拉丁学名": "scientific_name",
    "scientificname": "scientific_name",
    "scientific_name": "scientific_name",
    "保护级别": "level",
    "级别": "level",
    "level": "level",
    "protection": "level",
    "备注": "notes",
    "note": "notes",
    "notes": "notes",
    "水生": "aquatic",
    "aquatic": "aquatic",
    "纲": "taxon_class",
    "目": "taxon_order",
    "科": "taxon_family",
    "阶元": "rank",
    "类群阶元": "rank",
    "rank": "rank",
}
FIELD_LABELS = {
    "name_zh": "中文名",
    "scientific_name": "学名",
    "level": "保护级别",
    "notes": "备注",
    "aquatic": "水生",
    "rank": "阶元",
    "file": "文件",
}
RANKS = {"属": TaxonRank.GENUS, "genus": TaxonRank.GENUS, "科": TaxonRank.FAMILY, "family": TaxonRank.FAMILY, "目": TaxonRank.ORDER, "order": TaxonRank.ORDER}
TRUE_WORDS = {"是", "true", "1", "y", "yes", "水生", "*", "√"}

ERROR = "error"
CONFLICT = "conflict"
NOTICE = "notice"
SEVERITY_LABELS = {ERROR: "错误", CONFLICT: "冲突", NOTICE: "提示"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (wrong format, no header, too many rows)."""


class ImportRejected(Exception):
    """all_or_nothing: at least one row has an error or a conflict, so nothing was stored."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__(
            _("共有 %(errors)d 个错误、%(conflicts)d 处冲突，按“全部或全不”方式未写入任何数据，请查看报告。")
            % {"errors": result.error_count, "conflicts": result.conflict_count}
        )
        self.result = result


@dataclass
class Row:
    """One entry of a list file: a species, or a group rule ("闭壳龟属所有种") when `rank` is set."""

    number: int
    name_zh: str = ""
    scientific_name: str = ""
    level: str = ""
    notes: str = ""
    aquatic: bool | None = None
    taxon_class: str = ""
    taxon_order: str = ""
    taxon_family: str = ""
    rank: str = ""
    label: str = "行"  # "行" for sheets, "条" for JSON entries
    section: str = ""  # "taxonRules" for JSON rule entries

    @property
    def where(self) -> str:
        prefix = f"{self.section} " if self.section else ""
        return f"{prefix}第 {self.number} {self.label}"


@dataclass
class Issue:
    row: Row | None
    field: str
    message: str
    severity: str = ERROR

    @property
    def text(self) -> str:
        where = self.row.where if self.row else "文件"
        return f"{where} {FIELD_LABELS.get(self.field, self.field)}: {self.message}"


@dataclass
class ImportResult:
    version_code: str
    mode: str
    total: int = 0
    species_created: int = 0
    species_updated: int = 0
    statuses_created: int = 0
    statuses_updated: int = 0
    statuses_unchanged: int = 0
    rules_created: int = 0
    rules_statuses: int = 0
    aliases_added: int = 0
    stored: bool = False
    version_created: bool = False
    issues: list[Issue] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(1 for i in self.issues if i.severity == ERROR)

    @property
    def conflict_count(self) -> int:
        return sum(1 for i in self.issues if i.severity == CONFLICT)

    @property
    def notice_count(self) -> int:
        return sum(1 for i in self.issues if i.severity == NOTICE)

    def summary(self) -> dict[str, Any]:
        return {
            "version": self.version_code,
            "mode": self.mode,
            "total": self.total,
            "stored": self.stored,
            "species_created": self.species_created,
            "species_updated": self.species_updated,
            "statuses_created": self.statuses_created,
            "statuses_updated": self.statuses_updated,
            "statuses_unchanged": self.statuses_unchanged,
            "rules_created": self.rules_created,
            "rules_statuses": self.rules_statuses,
            "aliases_added": self.aliases_added,
            "errors": self.error_count,
            "conflicts": self.conflict_count,
            "notices": self.notice_count,
        }

    def summary_text(self) -> str:
        return _(
            "共 %(total)d 条；新增物种 %(sc)d，新增级别 %(st)d，更新级别 %(su)d，未变 %(sn)d，类群规则 %(rc)d（展开 %(rs)d 种），"
            "新增别名 %(al)d；错误 %(e)d，冲突 %(c)d，提示 %(n)d；%(stored)s"
        ) % {
            "total": self.total,
            "sc": self.species_created,
            "st": self.statuses_created,
            "su": self.statuses_updated,
            "sn": self.statuses_unchanged,
            "rc": self.rules_created,
            "rs": self.rules_statuses,
            "al": self.aliases_added,
            "e": self.error_count,
            "c": self.conflict_count,
            "n": self.notice_count,
            "stored": _("已写入") if self.stored else _("未写入"),
        }


@dataclass(frozen=True)
class VersionSpec:
    """The list version the rows belong to (created when its code is new)."""

    code: str
    kind: str
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    name: str = ""
    document: str = ""
    issued_by: str = ""
    source_note: str = ""


# --- reading -----------------------------------------------------------------------------------------------------


def detect_format(filename: str) -> str:
    suffix = Path(filename).suffix.lower().lstrip(".")
    if suffix in ("xlsx", "xlsm"):
        return "xlsx"
    if suffix in ("json", "csv"):
        return suffix
    raise ImportFileError(_("不支持的文件类型“%(suffix)s”，请上传 JSON、CSV 或 Excel（.xlsx）文件") % {"suffix": suffix or "?"})


def _bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    return clean_text(value).lower() in TRUE_WORDS


def read_rows(path: str | Path, fmt: str | None = None) -> tuple[list[Row], dict[str, Any]]:
    """Rows of a list file and its metadata (JSON "title", "source"...). Raises ImportFileError for unreadable files."""
    fmt = fmt or detect_format(str(path))
    try:
        if fmt == "json":
            return _read_json(Path(path))
        if fmt == "csv":
            return _read_table(_csv_records(Path(path))), {}
        if fmt == "xlsx":
            return _read_table(_xlsx_records(Path(path))), {}
    except ImportFileError:
        raise
    except (OSError, UnicodeError, ValueError, KeyError, TypeError) as exc:
        raise ImportFileError(_("文件无法读取：%(error)s") % {"error": exc}) from exc
    raise ImportFileError(_("不支持的文件格式“%(fmt)s”") % {"fmt": fmt})


def _read_json(path: Path) -> tuple[list[Row], dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise ImportFileError(_("JSON 格式错误（第 %(line)d 行）：%(msg)s") % {"line": exc.lineno, "msg": exc.msg}) from exc
    meta: dict[str, Any] = {}
    if isinstance(data, dict):
        meta = {k: v for k, v in data.items() if isinstance(v, (str, int, float))}
        entries = data.get("species")
        rules = data.get("taxonRules") or []
    else:
        entries, rules = data, []
    if not isinstance(entries, list) or not isinstance(rules, list):
        raise ImportFileError(_("JSON 文件应为条目数组，或含有 species 数组的对象"))
    if len(entries) + len(rules) > MAX_ROWS:
        raise ImportFileError(_("条目过多（上限 %(n)d 条）") % {"n": MAX_ROWS})
    rows: list[Row] = []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            rows.append(Row(number=index, label="条"))
            continue
        rows.append(_row_from_mapping(entry, number=index, label="条"))
    for index, entry in enumerate(rules, start=1):
        if not isinstance(entry, dict):
            continue
        rank = clean_text(entry.get("rank") or entry.get("match") or "")
        latin = clean_text(entry.get("genus") or entry.get("taxon") or "")
        rows.append(
            Row(
                number=index,
                label="条",
                section="taxonRules",
                name_zh=clean_text(entry.get("chineseName")),
                scientific_name=latin,
                level=clean_text(entry.get("level") or entry.get("status")),
                notes=clean_text(entry.get("note")),
                aquatic=_bool(entry.get("aquatic")),
                rank=rank or "?",
            )
        )
    return rows, meta


def _row_from_mapping(mapping: dict[str, Any], *, number: int, label: str) -> Row:
    row = Row(number=number, label=label)
    for key, value in mapping.items():
        target = HEADERS.get(clean_text(key).lower().replace(" ", "").rstrip("*").strip())
        if target is None:
            continue
        if target == "aquatic":
            row.aquatic = _bool(value)
        else:
            setattr(row, target, clean_text(value))
    return row


def _csv_records(path: Path) -> Iterable[tuple[int, list[Any]]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("CSV 文件编码无法识别，请保存为 UTF-8"))
    for number, record in enumerate(csv.reader(io.StringIO(text)), start=1):
        yield number, list(record)


def _xlsx_records(path: Path) -> Iterable[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken or mislabelled file
        raise ImportFileError(_("Excel 文件无法打开：%(error)s") % {"error": exc.__class__.__name__}) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        workbook.close()


def _read_table(records: Iterable[tuple[int, list[Any]]]) -> list[Row]:
    """Rows under the first line that carries a name column (note lines above the header are skipped)."""
    columns: dict[int, str] | None = None
    rows: list[Row] = []
    for number, values in records:
        if columns is None:
            found = {}
            for index, value in enumerate(values):
                key = clean_text(value).lower().replace(" ", "").rstrip("*").strip()
                if key in HEADERS:
                    found[index] = HEADERS[key]
            if {"name_zh", "scientific_name"} & set(found.values()):
                columns = found
            elif number > 20:
                break
            continue
        if all(clean_text(v) == "" for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(_("行数过多（上限 %(n)d 行）") % {"n": MAX_ROWS})
        mapping = {HEADERS_BY_FIELD[target]: values[index] for index, target in columns.items() if index < len(values)}
        rows.append(_row_from_mapping(mapping, number=number, label="行"))
    if columns is None:
        raise ImportFileError(_("未找到表头：第一行应包含“中文名”“学名”“保护级别”“备注”等列"))
    return rows


HEADERS_BY_FIELD = {v: k for k, v in reversed(list(HEADERS.items())) if not k.isascii()}


# --- checking ----------------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    """What a clean row will do once stored."""

    row: Row
    protection: str
    species: Species | None  # None: a new species
    wild_only: bool
    landlocked_only: bool
    aliases: list[tuple[str, str]]
    status: SpeciesStatus | None = None


@dataclass
class _Catalogue:
    by_sci: dict[str, Species]
    by_name: dict[str, Species]
    by_synonym: dict[str, Species]
    by_alias: dict[str, list[Species]]

    @classmethod
    def load(cls) -> _Catalogue:
        species = {s.pk: s for s in Species.objects.all()}
        by_synonym: dict[str, Species] = {}
        by_alias: dict[str, list[Species]] = {}
        for species_id, name, kind in SpeciesAlias.objects.values_list("species_id", "name", "kind"):
            if kind == AliasKind.SCIENTIFIC_SYNONYM:
                by_synonym[name.lower()] = species[species_id]
            by_alias.setdefault(name, []).append(species[species_id])
        return cls(
            by_sci={s.scientific_name.lower(): s for s in species.values()},
            by_name={s.name_zh: s for s in species.values()},
            by_synonym=by_synonym,
            by_alias=by_alias,
        )


def _expected_protections(kind: str) -> set[str]:
    if kind == ListKind.NATIONAL_KEY:
        return {Protection.NATIONAL_1, Protection.NATIONAL_2}
    if kind == ListKind.SANYOU:
        return {Protection.SANYOU}
    if kind == ListKind.PROVINCIAL:
        return {Protection.PROVINCIAL}
    return {Protection.NATIONAL_1, Protection.NATIONAL_2, Protection.SANYOU, Protection.PROVINCIAL}


def _row_protection(row: Row, kind: str, issues: list[Issue]) -> str | None:
    expected = _expected_protections(kind)
    if not row.level:
        if len(expected) == 1:
            return next(iter(expected))
        issues.append(Issue(row, "level", _("保护级别为空，国家重点名录的条目须为“国家一级”或“国家二级”")))
        return None
    try:
        protection = parse_level(row.level)
    except LevelError as exc:
        issues.append(Issue(row, "level", str(exc)))
        return None
    if protection not in expected:
        issues.append(
            Issue(
                row,
                "level",
                _("“%(level)s”与名录类型“%(kind)s”不符") % {"level": row.level, "kind": ListKind(kind).label},
            )
        )
        return None
    return protection


def _other_sources(version: ListVersion | None, spec: VersionSpec) -> dict[int, list[tuple[ListVersion, str]]]:
    """Statuses of the same species in other list versions of the same kind whose periods overlap this one."""
    start = version.effective_from if version else spec.effective_from
    end = version.effective_to if version else spec.effective_to
    others = ListVersion.objects.filter(kind=spec.kind).exclude(code=spec.code)
    result: dict[int, list[tuple[ListVersion, str]]] = {}
    for other in others:
        if start is None:
            continue
        if other.effective_to is not None and other.effective_to <= start:
            continue
        if end is not None and other.effective_from >= end:
            continue
        for species_id, protection in SpeciesStatus.objects.filter(list_version=other, origin=StatusOrigin.LISTED).values_list("species_id", "protection"):
            result.setdefault(species_id, []).append((other, protection))
    return result


def check_rows(rows: list[Row], spec: VersionSpec) -> tuple[list[_Plan], list[Row], list[Issue]]:
    """Validate every row against the file and the catalogue. Returns (species plans, rule rows, issues)."""
    issues: list[Issue] = []
    catalogue = _Catalogue.load()
    version = ListVersion.objects.filter(code=spec.code).first()
    existing_status = (
        {s.species_id: s for s in SpeciesStatus.objects.filter(list_version=version)} if version is not None else {}
    )
    other_sources = _other_sources(version, spec)
    seen_sci: dict[str, Row] = {}
    seen_name: dict[str, Row] = {}
    plans: list[_Plan] = []
    rule_rows: list[Row] = []
    for row in rows:
        if row.rank:
            if _check_rule_row(row, spec, issues):
                rule_rows.append(row)
            continue
        before = len(issues)
        name, sci = row.name_zh, normalize_scientific(row.scientific_name)
        if not name and not sci:
            issues.append(Issue(row, "name_zh", _("中文名和学名均为空")))
            continue
        if name and (looks_latin(name) or not has_han(name)):
            issues.append(
                Issue(row, "name_zh", _("“%(name)s”是拉丁学名而不是中文名，请在“中文名”列填写中文名称") % {"name": name})
            )
        if sci and (has_han(sci) or len(sci.split(" ")) < 2):
            issues.append(Issue(row, "scientific_name", _("“%(name)s”不是有效的学名（应为拉丁双名）") % {"name": row.scientific_name}))
        protection = _row_protection(row, spec.kind, issues)
        if sci:
            first = seen_sci.get(sci.lower())
            if first is not None:
                issues.append(Issue(row, "scientific_name", _("与%(where)s重复（学名 %(sci)s 相同）") % {"where": first.where, "sci": sci}))
            else:
                seen_sci[sci.lower()] = row
        if name:
            first = seen_name.get(name)
            if first is not None:
                issues.append(Issue(row, "name_zh", _("与%(where)s重复（中文名“%(name)s”相同）") % {"where": first.where, "name": name}))
            else:
                seen_name[name] = row
        if len(issues) > before or protection is None:
            continue
        # which species does the row mean?
        species: Species | None = None
        if sci:
            species = catalogue.by_sci.get(sci.lower()) or catalogue.by_synonym.get(sci.lower())
            holder = catalogue.by_name.get(name) if name else None
            if species is None and holder is not None:
                issues.append(
                    Issue(
                        row,
                        "scientific_name",
                        _("目录中“%(name)s”的学名为 %(ours)s，文件为 %(theirs)s；未写入，请核对原文后修正其中一方")
                        % {"name": name, "ours": holder.scientific_name, "theirs": sci},
                        CONFLICT,
                    )
                )
                continue
            if species is not None and holder is not None and holder.pk != species.pk:
                issues.append(
                    Issue(
                        row,
                        "name_zh",
                        _("中文名“%(name)s”在目录中属于另一物种（学名 %(other)s），而学名 %(sci)s 对应“%(ours)s”；未写入")
                        % {"name": name, "other": holder.scientific_name, "sci": sci, "ours": species.name_zh},
                        CONFLICT,
                    )
                )
                continue
            if species is None and not name:
                issues.append(Issue(row, "name_zh", _("中文名为空，且目录中没有学名为 %(sci)s 的物种，无法新增") % {"sci": sci}))
                continue
        else:
            species = catalogue.by_name.get(name)
            if species is None:
                owners = catalogue.by_alias.get(name, [])
                if len(owners) == 1:
                    species = owners[0]
            if species is None:
                from wildlife.species.selectors import species_suggest

                hints = "、".join(s.name_zh for s in species_suggest(name, limit=3))
                message = _("物种未知：目录中没有“%(name)s”，且未提供学名，无法新增") % {"name": name}
                if hints:
                    message += _("；您是否要找：%(hints)s") % {"hints": hints}
                issues.append(Issue(row, "name_zh", message))
                continue
        facts = parse_notes(row.notes)
        aliases = list(facts.aliases)
        if species is not None and name and name != species.name_zh and species not in catalogue.by_alias.get(name, []):
            # the same scientific name under another Chinese name: a renamed species, or a misaligned transcription
            # (a row that pairs 黄爪隼 with Falco tinnunculus); the operator decides, the importer does not guess
            issues.append(
                Issue(
                    row,
                    "name_zh",
                    _("学名 %(sci)s 在目录中为“%(ours)s”，文件中为“%(name)s”；未写入。如确为同一物种的另一名称，请先在目录中把“%(name)s”添加为别名")
                    % {"name": name, "ours": species.name_zh, "sci": species.scientific_name},
                    CONFLICT,
                )
            )
            continue
        if species is not None:
            current = existing_status.get(species.pk)
            if current is not None and current.origin == StatusOrigin.LISTED and current.protection != protection:
                issues.append(
                    Issue(
                        row,
                        "level",
                        _("目录中“%(name)s”在本名录版本中为%(ours)s，文件为%(theirs)s；保留目录中的级别，请核对原文")
                        % {"name": species.name_zh, "ours": Protection(current.protection).label, "theirs": Protection(protection).label},
                        CONFLICT,
                    )
                )
                continue
            clash = [(v, p) for v, p in other_sources.get(species.pk, []) if p != protection]
            if clash:
                other, other_protection = clash[0]
                issues.append(
                    Issue(
                        row,
                        "level",
                        _("“%(name)s”在同期的“%(other)s”中为%(ours)s，文件为%(theirs)s；两个来源不一致，未写入，请核对原文")
                        % {
                            "name": species.name_zh,
                            "other": other.name,
                            "ours": Protection(other_protection).label,
                            "theirs": Protection(protection).label,
                        },
                        CONFLICT,
                    )
                )
                continue
        plans.append(
            _Plan(
                row=row,
                protection=protection,
                species=species,
                wild_only=facts.wild_only,
                landlocked_only=facts.landlocked_only,
                aliases=aliases,
                status=existing_status.get(species.pk) if species is not None else None,
            )
        )
    return plans, rule_rows, issues


def _check_rule_row(row: Row, spec: VersionSpec, issues: list[Issue]) -> bool:
    before = len(issues)
    rank = RANKS.get(row.rank.lower()) or RANKS.get(row.rank)
    if rank is None:
        issues.append(Issue(row, "rank", _("阶元“%(rank)s”无效，应为属、科或目") % {"rank": row.rank}))
    if not row.name_zh:
        issues.append(Issue(row, "name_zh", _("类群名称为空")))
    protection = _row_protection(row, spec.kind, issues)
    if protection is None or len(issues) > before:
        return False
    row.rank = rank or ""
    row.level = protection
    return True


# --- storing -----------------------------------------------------------------------------------------------------


def _store(plans: list[_Plan], rule_rows: list[Row], spec: VersionSpec, result: ImportResult, source: str) -> set[int]:
    from wildlife.species.services import _alias_add, _apply_rules, _rule_create, _rule_expand, _version_ensure

    defaults = {
        "name": spec.name or spec.code,
        "kind": spec.kind,
        "effective_from": spec.effective_from,
        "effective_to": spec.effective_to,
        "document": spec.document,
        "issued_by": spec.issued_by,
        "source_note": spec.source_note,
    }
    version, result.version_created = _version_ensure(code=spec.code, defaults=defaults)
    touched: set[int] = set()
    new_species: list[Species] = []
    for plan in plans:
        if plan.species is not None:
            continue
        row = plan.row
        species = Species(
            name_zh=row.name_zh,
            scientific_name=normalize_scientific(row.scientific_name),
            genus=genus_of(row.scientific_name),
            taxon_class=row.taxon_class,
            taxon_order=row.taxon_order,
            taxon_family=row.taxon_family,
            aquatic=bool(row.aquatic),
            source=source[:300],
        )
        species.pinyin, species.pinyin_initials = pinyin_of(species.name_zh)
        new_species.append(species)
        plan.species = species
    Species.objects.bulk_create(new_species, batch_size=500)
    if new_species and new_species[0].pk is None:  # backends without RETURNING on bulk insert
        by_sci = {s.scientific_name: s.pk for s in Species.objects.filter(scientific_name__in=[n.scientific_name for n in new_species])}
        for species in new_species:
            species.pk = by_sci[species.scientific_name]
    result.species_created = len(new_species)
    new_ids = {s.pk for s in new_species}
    new_statuses: list[SpeciesStatus] = []
    for plan in plans:
        target = plan.species
        assert target is not None and target.pk is not None
        touched.add(target.pk)
        row = plan.row
        if plan.status is None or plan.status.origin == StatusOrigin.GROUP_RULE:
            if plan.status is not None:
                plan.status.delete()  # an explicit listing replaces the rule-derived status of the same version
            new_statuses.append(
                SpeciesStatus(
                    species=target,
                    list_version=version,
                    protection=plan.protection,
                    notes=row.notes[:500],
                    wild_only=plan.wild_only,
                    landlocked_only=plan.landlocked_only,
                    origin=StatusOrigin.LISTED,
                )
            )
        else:
            status = plan.status
            values = {"notes": row.notes[:500], "wild_only": plan.wild_only, "landlocked_only": plan.landlocked_only}
            if any(getattr(status, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(status, key, value)
                status.save()
                result.statuses_updated += 1
            else:
                result.statuses_unchanged += 1
        if target.pk in new_ids:
            continue
        # fill taxonomy the catalogue does not have yet; never overwrite what it has
        filled = False
        for attr in ("taxon_class", "taxon_order", "taxon_family"):
            value = getattr(row, attr)
            if value and not getattr(target, attr):
                setattr(target, attr, value)
                filled = True
        if filled:
            target.save(update_fields=["taxon_class", "taxon_order", "taxon_family", "updated_at"])
            result.species_updated += 1
    SpeciesStatus.objects.bulk_create(new_statuses, batch_size=500)
    result.statuses_created = len(new_statuses)
    for plan in plans:
        owner = plan.species
        assert owner is not None
        for name, kind in plan.aliases:
            if name == owner.name_zh or name.lower() == owner.scientific_name.lower():
                continue
            try:
                _alias, created = _alias_add(species=owner, name=name, kind=kind, note=_("来自%(v)s") % {"v": version.name})
            except ValidationError:
                continue
            result.aliases_added += int(created)
    for row in rule_rows:
        facts = parse_notes(row.notes)
        rule, created = _rule_create(
            list_version=version,
            rank=row.rank,
            taxon_name=row.name_zh,
            taxon_latin=row.scientific_name,
            protection=row.level,
            wild_only=facts.wild_only,
            landlocked_only=facts.landlocked_only,
            notes=row.notes,
        )
        result.rules_created += int(created)
        result.rules_statuses += _rule_expand(rule)
        touched.update(rule.statuses.values_list("species_id", flat=True))
    # rules of other versions cover new species too (a genus rule reaches a species first imported today)
    from wildlife.species.models import GroupRule

    all_rules = list(GroupRule.objects.all())
    for species in new_species:
        if any(rule.covers(species) for rule in all_rules):
            _apply_rules(species)
    return touched


def import_species_list(
    *,
    actor: Any,
    path: str | Path,
    spec: VersionSpec,
    mode: str = ImportMode.VALID_ROWS,
    fmt: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import a list file into a list version. all_or_nothing raises ImportRejected (nothing stored) when any row
    has an error or a conflict; valid_rows stores the clean rows. Either way the result carries every issue."""
    from wildlife.species.services import _refresh_many

    if mode not in ImportMode.values:
        raise ValidationError({"mode": _("无效的导入方式")})
    if spec.kind not in ListKind.values:
        raise ValidationError({"kind": _("无效的名录类型")})
    result = ImportResult(version_code=spec.code, mode=mode)
    rows, meta = read_rows(path, fmt)
    result.total = len(rows)
    if not rows:
        result.issues.append(Issue(None, "file", _("文件中没有数据行")))
        raise ImportRejected(result) if mode == ImportMode.ALL_OR_NOTHING else ImportRejectedEmpty(result)
    plans, rule_rows, issues = check_rows(rows, spec)
    result.issues.extend(issues)
    if progress:
        progress(len(rows) // 2, len(rows))
    blocking = result.error_count + result.conflict_count
    if mode == ImportMode.ALL_OR_NOTHING and blocking:
        raise ImportRejected(result)
    source = clean_text(meta.get("source") or spec.document or spec.name or spec.code)
    with transaction.atomic():
        touched = _store(plans, rule_rows, spec, result, source)
        _refresh_many(touched)
        result.stored = True
        audit_record(
            action="species_import",
            actor=actor,
            object_type="species.listversion",
            object_id=spec.code,
            object_repr=spec.name or spec.code,
            detail=result.summary(),
        )
    if progress:
        progress(len(rows), len(rows))
    return result


class ImportRejectedEmpty(ImportRejected):
    """An empty file stores nothing in either mode."""


def build_report(result: ImportResult) -> bytes:
    """The Excel report: one line per issue ("第 N 行 字段: 原因") under a summary note."""
    rows = [
        (
            issue.row.where if issue.row else "文件",
            FIELD_LABELS.get(issue.field, issue.field),
            SEVERITY_LABELS[issue.severity],
            (issue.row.name_zh or issue.row.scientific_name) if issue.row else "",
            issue.message,
            issue.text,
        )
        for issue in sorted(result.issues, key=lambda i: ({ERROR: 0, CONFLICT: 1, NOTICE: 2}[i.severity], i.row.number if i.row else 0))
    ]
    return build_workbook(
        title="导入报告",
        headers=["位置", "字段", "类型", "名称", "原因", "说明"],
        rows=rows,
        note=result.summary_text(),
    )
