"""The observation import pipeline every format shares: rows → checked observations → batches → the bulk writer.

A format reader (tabular.py, dwca.py, camtrap.py) yields `RawRow`s whose values are keyed by the field names below
(`FIELDS`). The pipeline checks each row, reports problems as "第 N 行 字段: 原因", gives each row its town from its
location, and writes batches of `BATCH_SIZE` rows in one transaction each through wildlife.surveys.bulk.

Modes (the user's choice):
- `valid_rows`: one pass; every clean row is stored, the rest are listed in the report.
- `all_or_nothing`: a checking pass that writes nothing, then -- only when no row has an error -- a writing pass.
  Nothing is half-written: a file with one bad row stores no row at all.

Idempotence: rows are keyed by occurrence_id within the project (a blank id gets a stable id derived from the row's
content), so importing the same file twice adds nothing and a resumed job does not duplicate the rows it had
committed. Resuming: after each committed batch the job records a checkpoint (the last file line written); a
re-run re-reads the file (to rebuild the report) and writes only the batches after the checkpoint.

Where rows are (documented choice, tested in test_import_*):
- inside 周村区: the row belongs to the town containing it; it must be in the importing user's scope;
- outside the district (most peer Darwin Core / Camtrap DP samples: Borneo, Belgium ...): refused with a clear
  reason, unless the user ticks “接收区外外部数据” (`external`). External rows are then kept at district level
  (area = the project's district, so no town's figures include them), marked “【区外外部数据】” in the remarks,
  and only a user whose scope covers the whole district may import them;
- without coordinates: the row takes its site's location (位点编号 / locationID); with neither it is refused.
  Coordinates and dates are never invented.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.core.scope import user_scope
from wildlife.surveys.bulk import ObservationBulkWriter, ObservationRow, assign_areas, sensitive_species_ids
from wildlife.surveys.choices import ImportMode, LifeStage, ObservationMethod, ObservationType, Sex

BATCH_SIZE = 10_000  # rows per transaction: memory stays small, commits stay few
MAX_REPORTED_ISSUES = 100_000  # the report lists the first 100,000 problems (the count is always exact)
FUTURE_TOLERANCE = dt.timedelta(minutes=10)  # clocks of field devices drift a little
EXTERNAL_TAG = "【区外外部数据】"

# canonical field → label used in messages when the reader has no column name for it
FIELD_LABELS: dict[str, str] = {
    "occurrence_id": "记录编号",
    "species": "物种",
    "count": "数量",
    "observed_at": "观测时间",
    "lon": "经度",
    "lat": "纬度",
    "site_code": "位点编号",
    "event_id": "调查事件编号",
    "method": "调查方法",
    "observation_type": "记录类型",
    "sex": "性别",
    "life_stage": "年龄阶段",
    "behaviour": "行为",
    "distance_m": "垂直距离(米)",
    "uncertainty_m": "位置误差(米)",
    "biomass_g": "重量(克)",
    "observer": "观测人",
    "remarks": "备注",
    "media_id": "媒体编号",
    "location": "位置",
    "file": "文件",
}
FIELDS = tuple(k for k in FIELD_LABELS if k not in ("location", "file"))


def _choice_map(choices: Any, extra: dict[str, str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value, label in choices:
        mapping[str(value).lower()] = str(value)
        mapping[str(label).lower()] = str(value)
    mapping.update({k.lower(): v for k, v in extra.items()})
    return mapping


SEX_VALUES = _choice_map(
    Sex.choices,
    {"雌性": "female", "母": "female", "f": "female", "雄性": "male", "公": "male", "m": "male", "unknown": "", "undetermined": "", "不详": ""},
)
LIFE_STAGE_VALUES = _choice_map(
    LifeStage.choices,
    {
        "成年": "adult",
        "成鸟": "adult",
        "亚成年": "subadult",
        "幼年": "juvenile",
        "幼鸟": "juvenile",
        "幼崽": "juvenile",
        "young": "juvenile",
        "immature": "subadult",
        "larva": "juvenile",
        "unknown": "",
        "不详": "",
    },
)
METHOD_VALUES = _choice_map(
    ObservationMethod.choices,
    {
        "样线": "transect",
        "line transect": "transect",
        "transect count": "transect",
        "样点": "point_count",
        "point count": "point_count",
        "样方": "plot",
        "quadrat": "plot",
        "红外相机": "camera_trap",
        "camera trap": "camera_trap",
        "camera trapping": "camera_trap",
        "网捕": "net",
        "渔获": "net",
        "gill net": "net",
        "net": "net",
        "电捕": "electrofishing",
        "声音": "acoustic",
        "acoustic survey": "acoustic",
        "痕迹": "sign",
        "随机": "incidental",
        "opportunistic": "incidental",
        "observation": "incidental",
        "humanobservation": "incidental",
    },
)
TYPE_VALUES = _choice_map(ObservationType.choices, {"空拍": "blank", "无动物": "blank"})
# records that are not an identified animal: no species needed, and an empty count means 0
NON_ANIMAL_TYPES = {ObservationType.BLANK, ObservationType.HUMAN, ObservationType.VEHICLE, ObservationType.UNKNOWN, ObservationType.UNCLASSIFIED}


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (unreadable, not this format, an invalid archive); nothing is stored."""


class ImportRejected(Exception):
    """all_or_nothing: at least one row has an error, so nothing was stored."""

    def __init__(self, outcome: ImportOutcome) -> None:
        super().__init__(
            _("共有 %(n)d 个错误，按“全部正确才导入”方式未写入任何数据，请下载错误报告修改后重新导入。") % {"n": outcome.error_count}
        )
        self.outcome = outcome


# --- report ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """One problem: where (“第 12 行”), which field (its column label) and why."""

    line: int | None
    field: str
    message: str
    where: str = ""  # a file name for archives with several files

    @property
    def text(self) -> str:
        place = f"{self.where} " if self.where else ""
        if self.line is None:
            return f"{place}{self.field}: {self.message}".strip()
        return f"{place}第 {self.line} 行 {self.field}: {self.message}"


@dataclass
class UnresolvedName:
    name: str
    count: int = 0
    first_line: int | None = None
    suggestions: list[str] = field(default_factory=list)


@dataclass
class ImportOutcome:
    """What an import did: counts, the errors (first MAX_REPORTED_ISSUES), unresolved names and notices."""

    fmt: str
    mode: str
    total: int = 0  # records read (core rows of an archive)
    valid: int = 0  # rows that passed every check
    created: int = 0
    skipped_existing: int = 0
    error_count: int = 0
    external: int = 0  # valid rows kept as out-of-district external data
    errors: list[Issue] = field(default_factory=list)
    notices: list[Issue] = field(default_factory=list)
    unresolved: dict[str, UnresolvedName] = field(default_factory=dict)
    stored: bool = False
    extra: dict[str, int] = field(default_factory=dict)  # format-specific counts (sites, media, events ...)

    def add_error(self, issue: Issue) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ISSUES:
            self.errors.append(issue)

    def add_notice(self, issue: Issue) -> None:
        if len(self.notices) < MAX_REPORTED_ISSUES:
            self.notices.append(issue)

    def note_unresolved(self, name: str, line: int | None, suggestions: list[str]) -> None:
        entry = self.unresolved.get(name)
        if entry is None:
            entry = self.unresolved[name] = UnresolvedName(name=name, first_line=line, suggestions=suggestions)
        entry.count += 1

    @property
    def rejected(self) -> int:
        """Rows read but not stored because of an error."""
        return max(self.total - self.valid, 0)

    @property
    def has_report(self) -> bool:
        return bool(self.error_count or self.unresolved or self.notices)

    def summary(self) -> dict[str, Any]:
        """Labels → figures for the job page (keys are shown to the user)."""
        data: dict[str, Any] = {
            "读取记录": self.total,
            "新增记录": self.created,
            "已存在跳过": self.skipped_existing,
            "错误": self.error_count,
            "未导入的行": self.rejected,
            "未识别物种名": len(self.unresolved),
        }
        if self.external:
            data["区外外部数据"] = self.external
        data.update(self.extra)
        return data

    def summary_text(self) -> str:
        return _("共读取 %(total)d 条，新增 %(created)d 条，已存在跳过 %(skipped)d 条，%(rejected)d 条有错误未导入（错误 %(errors)d 处），未识别物种名 %(names)d 个。") % {
            "rejected": self.rejected,
            "total": self.total,
            "created": self.created,
            "skipped": self.skipped_existing,
            "errors": self.error_count,
            "names": len(self.unresolved),
        }


def build_report(outcome: ImportOutcome) -> bytes:
    """The error report workbook: 错误 (row, field, reason), 未识别物种 (with suggestions), 提示."""
    from openpyxl import Workbook

    from wildlife.core.excel import safe_cell

    workbook = Workbook(write_only=True)
    errors = workbook.create_sheet("错误")
    errors.append(["行号", "字段", "原因", "说明"])
    for issue in outcome.errors:
        errors.append([issue.line, safe_cell(issue.field), safe_cell(issue.message), safe_cell(issue.text)])
    if outcome.error_count > len(outcome.errors):
        errors.append([None, None, None, _("另有 %(n)d 个错误未列出") % {"n": outcome.error_count - len(outcome.errors)}])
    names = workbook.create_sheet("未识别物种")
    names.append(["原始名称", "出现次数", "首次出现行", "可能是"])
    for entry in sorted(outcome.unresolved.values(), key=lambda e: -e.count):
        names.append([safe_cell(entry.name), entry.count, entry.first_line, safe_cell("、".join(entry.suggestions))])
    notices = workbook.create_sheet("提示")
    notices.append(["行号", "字段", "说明"])
    for issue in outcome.notices:
        notices.append([issue.line, safe_cell(issue.field), safe_cell(issue.text)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- values ------------------------------------------------------------------------------------------------------


class ValueProblem(ValueError):
    """A cell that cannot be read; the message (Chinese) says why."""


def text(value: Any) -> str:
    if value.__class__ is str:
        return str(value).strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_float(value: Any, *, minimum: float | None = None, maximum: float | None = None) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        raw = str(value).strip().replace("°", "").replace("，", ".")
        if not raw:
            return None
        try:
            number = float(raw)
        except ValueError:
            raise ValueProblem(_("应为数字，实际为“%(v)s”") % {"v": raw[:40]}) from None
    if math.isnan(number) or math.isinf(number):
        raise ValueProblem(_("应为数字，实际为“%(v)s”") % {"v": value})
    if minimum is not None and number < minimum:
        raise ValueProblem(_("不能小于 %(min)s，实际为 %(v)s") % {"min": minimum, "v": number})
    if maximum is not None and number > maximum:
        raise ValueProblem(_("不能大于 %(max)s，实际为 %(v)s") % {"max": maximum, "v": number})
    return number


def parse_count(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem(_("应为不小于 0 的整数"))
    if isinstance(value, int):
        number = value
    else:
        raw = str(value).strip()
        if raw == "":
            return None
        try:
            as_float = float(raw)
        except ValueError:
            raise ValueProblem(_("应为不小于 0 的整数，实际为“%(v)s”") % {"v": raw[:40]}) from None
        if not as_float.is_integer():
            raise ValueProblem(_("应为整数，实际为“%(v)s”") % {"v": raw[:40]})
        number = int(as_float)
    if number < 0:
        raise ValueProblem(_("不能为负数，实际为 %(v)d") % {"v": number})
    if number > 1_000_000:
        raise ValueProblem(_("数值过大（%(v)d），请检查") % {"v": number})
    return number


_JAVA_DATE = re.compile(r"^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) [A-Z]{2,5} (\d{4})$")
_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}
_CN_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(\d{1,2})[:：时](\d{1,2})分?)?$")
_LOOSE = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$")


def _local_tz() -> dt.tzinfo:
    return ZoneInfo(settings.TIME_ZONE)


def parse_when(value: Any, *, tz: dt.tzinfo | None = None) -> dt.datetime | None:
    """A point in time from a cell: ISO 8601 (with or without zone, date only, year-month, year, an interval's
    start), 2025/5/10 8:30, 2025年5月10日, Excel dates, and the Java form GBIF downloads carry
    ("Fri Mar 01 00:00:00 CET 1935"). Times without a zone are local (Asia/Shanghai)."""
    tz = tz or _local_tz()
    if value.__class__ is str and len(value) >= 10 and value[4] == "-":
        try:  # the common case (ISO text from CSV files and archives), without the slower fallbacks
            quick = dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return quick.replace(tzinfo=tz) if quick.tzinfo is None else quick
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    raw = str(value).strip()
    if not raw:
        return None
    if "/" in raw and re.match(r"^\d{4}-", raw):  # an ISO interval: its start
        raw = raw.split("/", 1)[0]
    parsed: dt.datetime | None
    try:
        parsed = dt.datetime.fromisoformat(raw)
    except ValueError:
        parsed = None
    if parsed is None:
        match = _LOOSE.match(raw)
        if match:
            y, mo, d, h, mi, s = match.groups()
            parsed = _build(y, mo, d, h, mi, s)
    if parsed is None:
        match = _CN_DATE.match(raw)
        if match:
            y, mo, d, h, mi = match.groups()
            parsed = _build(y, mo, d, h, mi, None)
    if parsed is None:
        match = _JAVA_DATE.match(raw)
        if match and match.group(1) in _MONTHS:
            mon, d, h, mi, s, y = match.groups()
            # the zone (CET/CEST) is the exporter's; the calendar day is what the record means
            parsed = _build(y, str(_MONTHS[mon]), d, h, mi, s)
    if parsed is None and re.fullmatch(r"\d{4}-\d{1,2}", raw):
        y, mo = raw.split("-")
        parsed = _build(y, mo, "1", None, None, None)
    if parsed is None and re.fullmatch(r"\d{4}", raw):
        parsed = _build(raw, "1", "1", None, None, None)
    if parsed is None:
        raise ValueProblem(_("无法识别的日期时间“%(v)s”，请使用 2025-05-10 08:30 的格式") % {"v": raw[:40]})
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=tz)


def _build(y: str, mo: str, d: str, h: str | None, mi: str | None, s: str | None) -> dt.datetime:
    try:
        return dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        raise ValueProblem(_("日期不存在：%(y)s-%(m)s-%(d)s") % {"y": y, "m": mo, "d": d}) from None


def date_from_parts(year: Any, month: Any, day: Any) -> str:
    """Darwin Core year/month/day (used when eventDate is empty) as an ISO date, year or year-month."""
    y, m, d = text(year), text(month), text(day)
    if not y:
        return ""
    if m and d:
        return f"{y}-{int(m):02d}-{int(d):02d}" if m.isdigit() and d.isdigit() else f"{y}-{m}-{d}"
    if m:
        return f"{y}-{int(m):02d}" if m.isdigit() else f"{y}-{m}"
    return y


# --- species -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    species_id: int | None
    suggestions: tuple[str, ...] = ()


class SpeciesResolver:
    """Names → catalogue species through species_resolve (scientific name, Chinese name, alias), once per distinct
    name. Scientific names with an author ("Tetraodon fluviatilis Hamilton, 1822") also try the bare binomial."""

    def __init__(self) -> None:
        self._cache: dict[str, Resolution] = {}

    def resolve(self, name: str) -> Resolution:
        hit = self._cache.get(name)
        if hit is None:
            hit = self._cache[name] = self._lookup(name)
        return hit

    def _lookup(self, name: str) -> Resolution:
        from wildlife.species.selectors import species_resolve

        species, suggestions = species_resolve(name)
        if species is None:
            words = name.replace("(", " ").split()
            if len(words) >= 2 and words[0][:1].isalpha() and words[0].isascii():
                for candidate in (" ".join(words[:3]), " ".join(words[:2])):
                    if candidate != name:
                        species, more = species_resolve(candidate)
                        if species is not None:
                            break
                        suggestions = suggestions or more
        if species is not None:
            return Resolution(species_id=species.pk)
        return Resolution(species_id=None, suggestions=tuple(f"{s.name_zh}（{s.scientific_name}）" for s in suggestions[:5]))


# --- the project a file is imported into -------------------------------------------------------------------------


@dataclass
class SitePoint:
    pk: int
    lon: float
    lat: float
    area_id: int


class ProjectContext:
    """What row checks need about the project and the actor, loaded once per import."""

    def __init__(self, *, project: Any, actor: Any) -> None:
        from wildlife.geo.models import AdminArea
        from wildlife.surveys.models import CameraMedia, SamplingEvent

        self.project = project
        self.actor = actor
        self.district_id: int = project.district_id
        self.sites: dict[str, SitePoint] = {}
        self.sites_by_external: dict[str, SitePoint] = {}
        self.refresh_sites()
        self.events: dict[str, int] = dict(SamplingEvent.objects.filter(project=project).values_list("event_id", "pk"))
        self.media: dict[str, int] = dict(CameraMedia.objects.filter(project=project).values_list("media_id", "pk"))
        self.area_info: dict[int, tuple[str, str]] = {pk: (path, name) for pk, path, name in AdminArea.objects.values_list("pk", "path", "name")}
        self.add_paths = user_scope(actor).paths("add")
        self.sensitive_ids = sensitive_species_ids()
        district_path = self.area_info.get(self.district_id, ("", ""))[0]
        self.may_import_external = any(district_path.startswith(prefix) for prefix in self.add_paths)

    def refresh_events_and_media(self) -> None:
        from wildlife.surveys.models import CameraMedia, SamplingEvent

        self.events = dict(SamplingEvent.objects.filter(project=self.project).values_list("event_id", "pk"))
        self.media = dict(CameraMedia.objects.filter(project=self.project).values_list("media_id", "pk"))

    def refresh_sites(self) -> None:
        from wildlife.surveys.models import SurveySite

        self.sites.clear()
        self.sites_by_external.clear()
        for site in SurveySite.objects.filter(project=self.project).only("pk", "code", "external_id", "geometry", "area_id"):
            point = site.geometry if site.geometry.geom_type == "Point" else site.geometry.point_on_surface
            entry = SitePoint(pk=site.pk, lon=float(point.x), lat=float(point.y), area_id=site.area_id)
            self.sites[site.code] = entry
            if site.external_id:
                self.sites_by_external[site.external_id] = entry

    def in_scope(self, area_id: int) -> bool:
        path = self.area_info.get(area_id, ("", ""))[0]
        return bool(path) and any(path.startswith(prefix) for prefix in self.add_paths)

    def area_name(self, area_id: int) -> str:
        return self.area_info.get(area_id, ("", str(area_id)))[1]


# --- rows --------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class RawRow:
    """A record as read: canonical field → cell value, its line number, and per-row defaults of the reader."""

    line: int
    values: dict[str, Any]


class RowSource(Protocol):
    """What the pipeline reads: rows, how to name their fields in messages, and (when cheap) how many there are."""

    fmt: str
    where: str

    def label(self, field_name: str) -> str: ...

    def count(self) -> int | None: ...

    def rows(self) -> Iterator[RawRow]: ...


@dataclass(slots=True)
class _Pending:
    line: int
    row: ObservationRow
    external: bool = False
    site_area: int | None = None


@dataclass
class ImportOptions:
    mode: str = ImportMode.VALID_ROWS
    external: bool = False  # accept out-of-district records as external data
    # our own template (CSV/Excel): unknown species names and unknown choice values are row errors. Archives from
    # other systems (strict=False) keep an unknown name verbatim (species left empty, listed in the report with
    # suggestions) and leave an unknown vocabulary value empty with a notice.
    strict: bool = True
    default_method: str = ""
    default_observation_type: str = ObservationType.ANIMAL


Progress = Callable[[int, int | None], Any]
Checkpoint = Callable[..., Any]


class ObservationImport:
    """Runs one row source into one project: checks, batches, writes, counts."""

    def __init__(
        self,
        *,
        project: Any,
        actor: Any,
        options: ImportOptions,
        job_id: Any = None,
        progress: Progress | None = None,
        checkpoint: Checkpoint | None = None,
        resume: dict[str, Any] | None = None,
        context: ProjectContext | None = None,
        outcome: ImportOutcome | None = None,
        before_write: Callable[[], Any] | None = None,
    ) -> None:
        self.project = project
        self.before_write = before_write
        self.actor = actor
        self.options = options
        self.job_id = job_id
        self._progress = progress or (lambda done, total: None)
        self._checkpoint = checkpoint or (lambda **state: None)
        self.resume = resume or {}
        self.context = context or ProjectContext(project=project, actor=actor)
        self.species = SpeciesResolver()
        self.writer = ObservationBulkWriter(
            project_id=project.pk, district_id=project.district_id, actor_id=getattr(actor, "pk", None), job_id=job_id
        )
        self.outcome = outcome or ImportOutcome(fmt="", mode=options.mode)
        self.now = timezone.now()
        self.latest = self.now + FUTURE_TOLERANCE
        self.tz = _local_tz()
        self._seen: dict[str, int] = {}
        self._total: int | None = None
        self._processed_offset = 0

    # --- public ----------------------------------------------------------------------------------------------------

    def run(self, source: RowSource) -> ImportOutcome:
        outcome = self.outcome
        outcome.fmt = outcome.fmt or source.fmt
        total = source.count()
        two_pass = self.options.mode == ImportMode.ALL_OR_NOTHING
        self._total = (total * 2 if two_pass else total) if total is not None else None
        if two_pass and self.resume.get("phase") != "write":
            self._pass(source, write=False)
            if outcome.error_count:
                raise ImportRejected(outcome)
            self._seen.clear()
            self._processed_offset = total or outcome.total
            outcome.total = 0
            outcome.valid = 0
            outcome.external = 0
            outcome.unresolved.clear()
            outcome.notices.clear()
        elif two_pass:
            self._processed_offset = total or 0
        if self.before_write is not None:
            self.before_write()  # records the rows refer to (sampling events, media); idempotent on a resumed run
        self._pass(source, write=True)
        outcome.stored = True
        if self.job_id:
            from wildlife.surveys.models import Observation

            outcome.created = Observation.objects.filter(project=self.project, import_job=self.job_id).count()
            outcome.skipped_existing = max(outcome.valid - outcome.created, 0)
        self._progress(self._processed_offset + outcome.total, self._total)
        return outcome

    # --- passes ----------------------------------------------------------------------------------------------------

    def _pass(self, source: RowSource, *, write: bool) -> None:
        skip_until = int(self.resume.get("line", 0)) if write and self.resume.get("phase") == "write" else 0
        batch: list[_Pending] = []
        last_line = 0
        for raw in source.rows():
            self.outcome.total += 1
            last_line = raw.line
            pending = self._check(raw, source)
            if pending is not None:
                batch.append(pending)
            if self.outcome.total % BATCH_SIZE == 0:
                self._flush(batch, source, write=write, last_line=last_line, skip_until=skip_until)
                batch = []
        self._flush(batch, source, write=write, last_line=last_line, skip_until=skip_until)

    def _flush(self, batch: list[_Pending], source: RowSource, *, write: bool, last_line: int, skip_until: int) -> None:
        rows = self._place(batch, source)
        if write and last_line > skip_until and rows:
            with transaction.atomic():
                inserted = self.writer.write(rows)
            if not self.job_id:
                self.outcome.created += inserted
                self.outcome.skipped_existing += len(rows) - inserted
        if write and last_line > skip_until:
            self._checkpoint(phase="write", line=last_line)
        self._progress(self._processed_offset + self.outcome.total, self._total)

    # --- checks ----------------------------------------------------------------------------------------------------

    def _error(self, raw: RawRow, source: RowSource, field_name: str, message: str) -> None:
        self.outcome.add_error(Issue(line=raw.line, field=source.label(field_name), message=message, where=source.where))

    def _check(self, raw: RawRow, source: RowSource) -> _Pending | None:
        """One row → a pending observation (town not yet known), or None with its errors recorded."""
        values = raw.values
        ok = True
        ctx = self.context

        def fail(field_name: str, message: str) -> None:
            nonlocal ok
            ok = False
            self._error(raw, source, field_name, message)

        # record type, count
        obs_type = self.options.default_observation_type
        raw_type = text(values.get("observation_type"))
        if raw_type:
            mapped = TYPE_VALUES.get(raw_type.lower())
            if mapped is None:
                fail("observation_type", _("未知的记录类型“%(v)s”") % {"v": raw_type[:30]})
            else:
                obs_type = mapped
        count: int | None = None
        try:
            count = parse_count(values.get("count"))
        except ValueProblem as exc:
            fail("count", str(exc))
        if count is None:
            count = 0 if obs_type in NON_ANIMAL_TYPES else 1

        # species
        name = text(values.get("species"))
        species_id: int | None = None
        if name:
            if len(name) > 200:
                fail("species", _("名称过长（最多 200 字）"))
            else:
                resolution = self.species.resolve(name)
                species_id = resolution.species_id
                if species_id is None:
                    self.outcome.note_unresolved(name, raw.line, list(resolution.suggestions))
                    if self.options.strict:
                        hint = "、".join(resolution.suggestions)
                        message = _("物种名录中没有“%(name)s”") % {"name": name}
                        if hint:
                            message += _("，是否为：%(hint)s") % {"hint": hint}
                        fail("species", message)
        elif obs_type == ObservationType.ANIMAL and count > 0:
            fail("species", _("缺少物种名称（未见个体的记录请把数量填 0）"))

        # when
        observed_at: dt.datetime | None = None
        try:
            observed_at = parse_when(values.get("observed_at"), tz=self.tz)
        except ValueProblem as exc:
            fail("observed_at", str(exc))
        else:
            if observed_at is None:
                fail("observed_at", _("缺少观测日期"))
            elif observed_at > self.latest:
                fail(
                    "observed_at",
                    _("观测时间 %(when)s 晚于当前时间") % {"when": timezone.localtime(observed_at, self.tz).strftime("%Y-%m-%d %H:%M")},
                )
            elif observed_at.year < 1800:
                fail("observed_at", _("观测时间 %(y)d 年早于 1800 年，请检查") % {"y": observed_at.year})

        # where
        lon = lat = None
        try:
            lon = parse_float(values.get("lon"))
        except ValueProblem as exc:
            fail("lon", str(exc))
        try:
            lat = parse_float(values.get("lat"))
        except ValueProblem as exc:
            fail("lat", str(exc))
        site: SitePoint | None = None
        site_code = text(values.get("site_code"))
        if site_code:
            site = ctx.sites.get(site_code) or ctx.sites_by_external.get(site_code)
            if site is None:
                fail("site_code", _("项目中没有编号为“%(code)s”的位点") % {"code": site_code[:60]})
        if (lon is None) != (lat is None):
            fail("lon" if lon is None else "lat", _("经度和纬度须同时填写"))
        elif lon is not None and lat is not None:
            if not (-180 <= lon <= 180) or not (-90 <= lat <= 90):
                hint = _("（经纬度可能填反）") if (-90 <= lon <= 90 and -180 <= lat <= 180) else ""
                fail("lon", _("坐标超出范围：经度 %(lon)s，纬度 %(lat)s%(hint)s") % {"lon": lon, "lat": lat, "hint": hint})
        elif site is None:
            fail("location", _("缺少坐标：请填写经度、纬度，或填写位点编号"))
        if lon is None and lat is None and site is not None:
            lon, lat = site.lon, site.lat

        # relations
        event_pk = None
        event_key = text(values.get("event_id"))
        if event_key:
            event_pk = ctx.events.get(event_key)
            if event_pk is None:
                fail("event_id", _("项目中没有编号为“%(code)s”的调查事件") % {"code": event_key[:60]})
        media_pk = None
        media_key = text(values.get("media_id"))
        if media_key:
            media_pk = ctx.media.get(media_key)
            if media_pk is None:
                fail("media_id", _("没有编号为“%(code)s”的相机媒体") % {"code": media_key[:60]})

        # choices and measures
        method = self.options.default_method
        raw_method = text(values.get("method"))
        if raw_method:
            mapped = METHOD_VALUES.get(raw_method.lower())
            if mapped is None:
                if self.options.strict:
                    fail("method", _("未知的调查方法“%(v)s”，可选：%(choices)s") % {"v": raw_method[:30], "choices": "、".join(str(label) for _v, label in ObservationMethod.choices)})
            else:
                method = mapped
        sex = self._choice(values, "sex", SEX_VALUES, raw, source, fail)
        life_stage = self._choice(values, "life_stage", LIFE_STAGE_VALUES, raw, source, fail)
        measures: dict[str, float | None] = {}
        for key, maximum in (("distance_m", 100_000.0), ("uncertainty_m", 1_000_000.0), ("biomass_g", 10_000_000.0)):
            try:
                measures[key] = parse_float(values.get(key), minimum=0, maximum=maximum)
            except ValueProblem as exc:
                fail(key, str(exc))

        occurrence_id = text(values.get("occurrence_id"))
        if len(occurrence_id) > 120:
            fail("occurrence_id", _("过长（最多 120 个字符）"))
        if not ok or observed_at is None or lon is None or lat is None:
            return None
        if not occurrence_id:
            occurrence_id = derived_occurrence_id(name, observed_at, lon, lat, count, text(values.get("observer")), site_code, text(values.get("remarks")))
        first = self._seen.get(occurrence_id)
        if first is not None:
            fail("occurrence_id", _("记录编号“%(id)s”与第 %(line)d 行重复") % {"id": occurrence_id[:60], "line": first})
            return None
        self._seen[occurrence_id] = raw.line
        row = ObservationRow(
            occurrence_id=occurrence_id,
            observed_at=observed_at,
            lon=lon,
            lat=lat,
            area_id=0,
            species_id=species_id,
            verbatim_name=name,
            observation_type=obs_type,
            count=count,
            sex=sex,
            life_stage=life_stage,
            behaviour=text(values.get("behaviour"))[:100],
            uncertainty_m=measures.get("uncertainty_m"),
            method=method,
            observer=text(values.get("observer"))[:100],
            distance_m=measures.get("distance_m"),
            biomass_g=measures.get("biomass_g"),
            is_sensitive=species_id in ctx.sensitive_ids if species_id else False,
            remarks=text(values.get("remarks")),
            site_id=site.pk if site else None,
            event_id=event_pk,
            media_id=media_pk,
        )
        return _Pending(line=raw.line, row=row)

    def _choice(
        self, values: dict[str, Any], key: str, mapping: dict[str, str], raw: RawRow, source: RowSource, fail: Callable[[str, str], None]
    ) -> str:
        value = text(values.get(key))
        if not value:
            return ""
        mapped = mapping.get(value.lower())
        if mapped is None:
            if self.options.strict:
                allowed = sorted({k for k in mapping if not k.isascii()})
                fail(key, _("无法识别“%(v)s”，可选：%(choices)s") % {"v": value[:30], "choices": "、".join(allowed)})
            else:
                self.outcome.add_notice(Issue(line=raw.line, field=source.label(key), message=_("无法识别“%(v)s”，已留空") % {"v": value[:30]}, where=source.where))
            return ""
        return mapped

    def _place(self, batch: list[_Pending], source: RowSource) -> list[ObservationRow]:
        """Give each pending row its town (one vectorised lookup per batch) and apply the location rules."""
        if not batch:
            return []
        ctx = self.context
        area_ids = assign_areas([p.row.lon for p in batch], [p.row.lat for p in batch])
        rows: list[ObservationRow] = []
        for pending, area_id in zip(batch, area_ids, strict=True):
            row = pending.row
            raw = RawRow(line=pending.line, values={})
            if area_id is None:
                if not self.options.external:
                    self._error(
                        raw,
                        source,
                        "lon",
                        _("坐标（经度 %(lon)s，纬度 %(lat)s）不在周村区范围内；如为区外参考数据，请勾选“接收区外外部数据”")
                        % {"lon": round(row.lon, 6), "lat": round(row.lat, 6)},
                    )
                    self._seen.pop(row.occurrence_id, None)
                    continue
                if not ctx.may_import_external:
                    self._error(raw, source, "lon", _("坐标不在周村区范围内；只有全区范围的用户可以导入区外外部数据"))
                    self._seen.pop(row.occurrence_id, None)
                    continue
                row.area_id = ctx.district_id
                row.remarks = f"{EXTERNAL_TAG}{row.remarks}"
                self.outcome.external += 1
            else:
                if not ctx.in_scope(area_id):
                    self._error(
                        raw,
                        source,
                        "lon",
                        _("位置在%(town)s，不在您的管辖范围内") % {"town": ctx.area_name(area_id)},
                    )
                    self._seen.pop(row.occurrence_id, None)
                    continue
                row.area_id = area_id
            rows.append(row)
        self.outcome.valid += len(rows)
        return rows


def derived_occurrence_id(species: str, observed_at: dt.datetime, lon: float, lat: float, count: int, observer: str, site: str, remarks: str) -> str:
    """A stable id for a row without one, from its content: re-importing the same row adds nothing."""
    key = "|".join(
        (species, observed_at.astimezone(dt.UTC).isoformat(), f"{lon:.7f}", f"{lat:.7f}", str(count), observer, site, remarks)
    )
    return "auto-" + hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:24]


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
