"""Darwin Core Archive import: zip, tgz or a directory; meta.xml (default values, no-header files, quoting,
extensions) or a “simple” archive of one CSV file; Occurrence, Event and Taxon cores.

Reading is python-dwca-reader's (tested against every sample of its test suite, ../shared/data/peers/dwca/), behind
three guards: archives are unpacked here with path and size checks (archives.py), the whole core file is read once
before anything is stored (a descriptor that does not match its data -- “malformed descriptor” -- refuses the
archive instead of failing half-way), and its English exceptions become Chinese reasons.

What each core becomes:
- Occurrence core: one observation per core row (extensions are read and counted, not stored).
- Event core (our own export, IPT sampling-event datasets): one sampling event per core row -- effort from the
  Humboldt extension (eco:samplingEffortValue/Unit), sampleSizeValue/Unit or our dynamicProperties -- and one
  observation per Occurrence extension row, which inherits the event's date, place and protocol when it has none.
- Taxon core (a checklist, e.g. the star-schema samples): the taxa are counted and checked against the catalogue and
  listed in the report; a checklist holds no observations, so none are stored.

Names that are not in the catalogue are kept as written (species left empty) and listed in the report with
suggestions; rows are never dropped silently. Records without coordinates or dates, or outside 周村区, follow the
rules in base.py.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wildlife.surveys.importers.archives import unpack
from wildlife.surveys.importers.base import (
    EXTERNAL_TAG,
    FIELD_LABELS,
    METHOD_VALUES,
    ImportFileError,
    ImportOptions,
    ImportOutcome,
    ImportRejected,
    Issue,
    ObservationImport,
    ProjectContext,
    RawRow,
    ValueProblem,
    date_from_parts,
    parse_float,
    parse_when,
)

DWC = "http://rs.tdwg.org/dwc/terms/"
ECO = "http://rs.tdwg.org/eco/terms/"
ROW_OCCURRENCE = DWC + "Occurrence"
ROW_EVENT = DWC + "Event"
ROW_TAXON = DWC + "Taxon"
ROW_HUMBOLDT = ECO + "Event"

NOTHING_SEEN_REMARK = "未发现目标物种"

# Darwin Core term (lower-case local name) → canonical field
TERM_FIELDS: dict[str, str] = {
    "occurrenceid": "occurrence_id",
    "individualcount": "count",
    "decimallongitude": "lon",
    "decimallatitude": "lat",
    "coordinateuncertaintyinmeters": "uncertainty_m",
    "locationid": "site_code",
    "eventid": "event_id",
    "samplingprotocol": "method",
    "sex": "sex",
    "lifestage": "life_stage",
    "behavior": "behaviour",
    "recordedby": "observer",
    "occurrenceremarks": "remarks",
}


def local_terms(data: dict[str, Any]) -> dict[str, str]:
    """{lower-case local term name: value} for a row keyed by term URIs (meta.xml) or by bare headers (simple CSV)."""
    result: dict[str, str] = {}
    for key, value in data.items():
        name = str(key).rsplit("/", 1)[-1].rsplit(":", 1)[-1].strip().lower()
        if name not in result or (value and not result[name]):
            result[name] = "" if value is None else str(value)
    return result


def occurrence_values(terms: dict[str, str], *, core_id: str | None = None) -> dict[str, Any]:
    """Canonical field values of one Darwin Core occurrence record."""
    values: dict[str, Any] = {}
    for term, field_name in TERM_FIELDS.items():
        value = terms.get(term, "").strip()
        if value:
            values[field_name] = value
    name = terms.get("scientificname", "").strip() or terms.get("species", "").strip() or terms.get("vernacularname", "").strip()
    values["species"] = name
    if not values.get("occurrence_id"):
        values["occurrence_id"] = (core_id or "").strip() or terms.get("gbifid", "").strip()
    if "count" not in values:
        quantity = terms.get("organismquantity", "").strip()
        if quantity and terms.get("organismquantitytype", "individuals").strip().lower() in ("individuals", "individual", "个体", "只"):
            values["count"] = quantity
    if terms.get("occurrencestatus", "").strip().lower() == "absent":
        values["count"] = "0"
    when = terms.get("eventdate", "").strip()
    if not when:
        when = date_from_parts(terms.get("year"), terms.get("month"), terms.get("day"))
    elif terms.get("eventtime", "").strip() and re.fullmatch(r"\d{4}-\d{2}-\d{2}", when):
        when = f"{when}T{terms['eventtime'].strip()}"
    values["observed_at"] = when
    remarks = [values.get("remarks", "")]
    place = [terms.get(k, "").strip() for k in ("locality", "county", "stateprovince", "country", "countrycode")]
    place = [p for p in place if p]
    if place:
        remarks.append(_("地点：%(place)s") % {"place": "，".join(dict.fromkeys(place))})
    values["remarks"] = "；".join(r for r in remarks if r)
    return values


# --- opening ----------------------------------------------------------------------------------------------------


@dataclass
class OpenArchive:
    reader: Any
    root: Path
    core_type: str
    core_file: str
    ignore_lines: int
    title: str
    extension_files: list[tuple[str, str, int]]  # (row type, file, header lines)


def _translate(exc: Exception, root: Path | None = None) -> ImportFileError:
    message = str(exc)
    match = re.search(r"index=(\d+)", message)
    if "non-existent field" in message:
        column = _("第 %(n)d 列") % {"n": int(match.group(1)) + 1} if match else _("某一列")
        return ImportFileError(_("归档无效：meta.xml 描述的字段（%(col)s）在数据文件中不存在，描述文件与数据不符") % {"col": column})
    if "referenced in the archive descriptor but missing" in message:
        name = message.split(" is referenced", 1)[0]
        return ImportFileError(_("归档无效：meta.xml 声明的元数据文件“%(name)s”不存在") % {"name": name})
    if "path is not specified" in message:
        return ImportFileError(_("归档无效：meta.xml 中有一个扩展没有指定数据文件（缺少 <files><location>）"))
    if "multiple files" in message:
        files = sorted(p.name for p in root.iterdir() if p.is_file()) if root else []
        return ImportFileError(
            _("归档无效：没有 meta.xml 描述文件，却含有多个文件（%(files)s）；无描述文件的简单归档只能含一个数据文件，另可附一个 EML.xml")
            % {"files": "、".join(files[:10])}
        )
    if "cannot be read" in message:
        return ImportFileError(_("文件不是 zip 或 tgz 归档，无法读取"))
    return ImportFileError(_("归档无法读取：%(error)s") % {"error": message[:200]})


def _eml_title(metadata: Any) -> str:
    if metadata is None:
        return ""
    node = metadata.find(".//dataset/title")
    return (node.text or "").strip() if node is not None and node.text else ""


@contextmanager
def open_archive(path: str | Path) -> Iterator[OpenArchive]:
    """The archive opened for reading, with every structural problem raised as ImportFileError (Chinese)."""
    from dwca.exceptions import InvalidArchive
    from dwca.read import DwCAReader

    root, cleanup = unpack(path)
    reader = None
    try:
        try:
            reader = DwCAReader(str(root))
        except InvalidArchive as exc:
            raise _translate(exc, root) from exc
        except ET.ParseError as exc:
            raise ImportFileError(_("归档无效：meta.xml 或元数据文件不是有效的 XML（%(error)s）") % {"error": exc}) from exc
        except FileNotFoundError as exc:
            raise ImportFileError(_("归档无效：meta.xml 引用的数据文件“%(name)s”不存在") % {"name": Path(str(exc.filename)).name}) from exc
        except (UnicodeError, LookupError) as exc:
            raise ImportFileError(_("归档无效：文件编码与声明不符（%(error)s）") % {"error": exc.__class__.__name__}) from exc
        descriptor = reader.descriptor
        core = reader.core_file.file_descriptor
        archive = OpenArchive(
            reader=reader,
            root=root,
            core_type=(descriptor.core.type if descriptor else "") or ROW_OCCURRENCE,
            core_file=core.file_location,
            ignore_lines=core.lines_to_ignore,
            title=_eml_title(reader.metadata),
            extension_files=[(e.file_descriptor.type or "", e.file_descriptor.file_location, e.file_descriptor.lines_to_ignore) for e in reader.extension_files],
        )
        yield archive
    finally:
        if reader is not None:
            with suppress(OSError):
                reader.close()
        if cleanup is not None:
            shutil.rmtree(cleanup, ignore_errors=True)


def scan(archive: OpenArchive) -> tuple[int, int]:
    """Read every core row once (and each extension row through its core): (core rows, extension rows).
    A row the descriptor does not fit refuses the archive here, before anything is stored."""
    from dwca.exceptions import InvalidArchive

    rows = 0
    extension_rows = 0
    try:
        for row in archive.reader:
            rows += 1
            extension_rows += len(row.extensions)
    except InvalidArchive as exc:
        raise _translate(exc, archive.root) from exc
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("归档无效：%(file)s 第 %(line)d 行附近的编码与 meta.xml 声明的不符") % {"file": archive.core_file, "line": rows + archive.ignore_lines + 1}
        ) from exc
    except (IndexError, ValueError) as exc:
        raise ImportFileError(_("归档无效：%(file)s 第 %(line)d 行无法解析") % {"file": archive.core_file, "line": rows + archive.ignore_lines + 1}) from exc
    return rows, extension_rows


# --- row sources --------------------------------------------------------------------------------------------------


class _DwcLabels:
    def label(self, field_name: str) -> str:
        for term, mapped in TERM_FIELDS.items():
            if mapped == field_name:
                return _TERM_CASE.get(term, term)
        return {"species": "scientificName", "observed_at": "eventDate", "lon": "decimalLongitude", "lat": "decimalLatitude"}.get(
            field_name, FIELD_LABELS.get(field_name, field_name)
        )


_TERM_CASE = {
    "occurrenceid": "occurrenceID",
    "individualcount": "individualCount",
    "decimallongitude": "decimalLongitude",
    "decimallatitude": "decimalLatitude",
    "coordinateuncertaintyinmeters": "coordinateUncertaintyInMeters",
    "locationid": "locationID",
    "eventid": "eventID",
    "samplingprotocol": "samplingProtocol",
    "lifestage": "lifeStage",
    "recordedby": "recordedBy",
    "occurrenceremarks": "occurrenceRemarks",
}


class OccurrenceCoreSource(_DwcLabels):
    """Core rows of an Occurrence-core (or simple CSV) archive."""

    fmt = "dwca"

    def __init__(self, archive: OpenArchive, total: int) -> None:
        self.archive = archive
        self.where = archive.core_file
        self._total = total

    def count(self) -> int | None:
        return self._total

    def rows(self) -> Iterator[RawRow]:
        offset = self.archive.ignore_lines + 1
        for row in self.archive.reader:
            yield RawRow(line=row.position + offset, values=occurrence_values(local_terms(row.data), core_id=row.id))


class EventOccurrenceSource(_DwcLabels):
    """Occurrence extension rows of an Event-core archive, with their event's date, place and protocol."""

    fmt = "dwca"

    def __init__(self, archive: OpenArchive, total: int) -> None:
        self.archive = archive
        self._total = total
        files = [f for t, f, _n in archive.extension_files if t == ROW_OCCURRENCE]
        self.where = files[0] if files else ""
        self._ignore = next((n for t, _f, n in archive.extension_files if t == ROW_OCCURRENCE), 0)

    def count(self) -> int | None:
        return self._total

    def rows(self) -> Iterator[RawRow]:
        offset = self._ignore + 1
        for event in self.archive.reader:
            event_terms = local_terms(event.data)
            event_id = (event_terms.get("eventid") or event.id or "").strip()
            for ext in event.extensions:
                if ext.rowtype != ROW_OCCURRENCE:
                    continue
                terms = local_terms(ext.data)
                for inherited in ("eventdate", "year", "month", "day", "eventtime", "decimallatitude", "decimallongitude", "locationid", "samplingprotocol", "coordinateuncertaintyinmeters", "locality"):
                    if not terms.get(inherited) and event_terms.get(inherited):
                        terms[inherited] = event_terms[inherited]
                terms["eventid"] = event_id
                yield RawRow(line=ext.position + offset, values=occurrence_values(terms))


# --- events (Event core) ------------------------------------------------------------------------------------------

EFFORT_UNITS = {
    "km": "distance_km",
    "kilometre": "distance_km",
    "kilometres": "distance_km",
    "kilometer": "distance_km",
    "kilometers": "distance_km",
    "公里": "distance_km",
    "千米": "distance_km",
    "hour": "duration_hours",
    "hours": "duration_hours",
    "h": "duration_hours",
    "小时": "duration_hours",
    "trap-nights": "trap_nights",
    "trap nights": "trap_nights",
    "trapnights": "trap_nights",
    "camera-days": "trap_nights",
    "相机工作日": "trap_nights",
    "net hauls": "net_hauls",
    "net-hauls": "net_hauls",
    "hauls": "net_hauls",
    "网次": "net_hauls",
}


@dataclass
class EventPlan:
    line: int
    event_id: str
    values: dict[str, Any]
    lon: float | None
    lat: float | None
    site_id: int | None = None
    area_id: int | None = None


def plan_events(archive: OpenArchive, outcome: ImportOutcome, context: ProjectContext, *, external: bool) -> list[EventPlan]:
    """Check the event rows of an Event core; problems become row errors of the event file."""
    plans: list[EventPlan] = []
    offset = archive.ignore_lines + 1
    seen: set[str] = set()
    for row in archive.reader:
        line = row.position + offset
        terms = local_terms(row.data)
        humboldt = [local_terms(e.data) for e in row.extensions if e.rowtype == ROW_HUMBOLDT]
        event_id = (terms.get("eventid") or row.id or "").strip()

        def error(field_name: str, message: str, line: int = line) -> None:
            outcome.add_error(Issue(line=line, field=field_name, message=message, where=archive.core_file))

        if not event_id:
            error("eventID", _("缺少调查事件编号"))
            continue
        if event_id in seen:
            error("eventID", _("调查事件编号“%(id)s”重复") % {"id": event_id[:60]})
            continue
        seen.add(event_id)
        when_text = terms.get("eventdate", "").strip() or date_from_parts(terms.get("year"), terms.get("month"), terms.get("day"))
        end_text = when_text.split("/", 1)[1] if "/" in when_text else ""
        try:
            started = parse_when(when_text)
            ended = parse_when(end_text) if end_text else None
        except ValueProblem as exc:
            error("eventDate", str(exc))
            continue
        if started is None:
            error("eventDate", _("缺少调查日期"))
            continue
        try:
            lon = parse_float(terms.get("decimallongitude"), minimum=-180, maximum=180)
            lat = parse_float(terms.get("decimallatitude"), minimum=-90, maximum=90)
        except ValueProblem as exc:
            error("decimalLongitude", str(exc))
            continue
        efforts: dict[str, float] = {}
        dynamic = terms.get("dynamicproperties", "").strip()
        if dynamic.startswith("{"):
            try:
                data = json.loads(dynamic)
            except ValueError:
                data = {}
            for key in ("distance_km", "duration_hours", "trap_nights", "net_hauls"):
                if isinstance(data.get(key), (int, float)):
                    efforts[key] = float(data[key])
        for source in [*humboldt, terms]:
            for value_key, unit_key in (("samplingeffortvalue", "samplingeffortunit"), ("samplesizevalue", "samplesizeunit")):
                unit = EFFORT_UNITS.get(source.get(unit_key, "").strip().lower())
                if unit and unit not in efforts:
                    try:
                        number = parse_float(source.get(value_key), minimum=0)
                    except ValueProblem as exc:
                        error(value_key, str(exc))
                        number = None
                    if number is not None:
                        efforts[unit] = number
        protocol = terms.get("samplingprotocol", "").strip()
        remarks = terms.get("eventremarks", "").strip()
        site_code = terms.get("locationid", "").strip()
        site = (context.sites.get(site_code) or context.sites_by_external.get(site_code)) if site_code else None
        plans.append(
            EventPlan(
                line=line,
                event_id=event_id[:120],
                lon=lon,
                lat=lat,
                site_id=site.pk if site else None,
                area_id=site.area_id if site else None,
                values={
                    "started_at": started,
                    "ended_at": ended,
                    "method": METHOD_VALUES.get(protocol.lower(), ""),
                    "observers": terms.get("recordedby", "")[:300],
                    "team": terms.get("fieldteam", "")[:200] if terms.get("fieldteam") else "",
                    "nothing_seen": remarks.startswith(NOTHING_SEEN_REMARK),
                    "remarks": remarks,
                    "distance_km": efforts.get("distance_km"),
                    "duration_hours": efforts.get("duration_hours"),
                    "trap_nights": efforts.get("trap_nights"),
                    "net_hauls": int(efforts["net_hauls"]) if "net_hauls" in efforts else None,
                },
            )
        )
    return _place_events(plans, context=context, outcome=outcome, where=archive.core_file, external=external)


def _place_events(plans: list[EventPlan], *, context: ProjectContext, outcome: ImportOutcome, where: str, external: bool) -> list[EventPlan]:
    """The town of each event from its coordinates (else its site's, else the project's), with the scope rules."""
    from wildlife.surveys.bulk import assign_areas

    located = [p for p in plans if p.lon is not None and p.lat is not None]
    area_ids = assign_areas([p.lon for p in located], [p.lat for p in located]) if located else []  # type: ignore[misc]
    by_line = {p.line: a for p, a in zip(located, area_ids, strict=True)}
    placed: list[EventPlan] = []
    for plan in plans:
        if plan.line in by_line:
            area_id = by_line[plan.line]
            if area_id is None:
                if not (external and context.may_import_external):
                    outcome.add_error(
                        Issue(line=plan.line, field="decimalLongitude", message=_("调查地点不在周村区范围内；如为区外参考数据，请勾选“接收区外外部数据”"), where=where)
                    )
                    continue
                area_id = context.district_id
                plan.values["remarks"] = f"{EXTERNAL_TAG}{plan.values['remarks']}"
            elif not context.in_scope(area_id):
                outcome.add_error(
                    Issue(line=plan.line, field="decimalLongitude", message=_("调查地点在%(town)s，不在您的管辖范围内") % {"town": context.area_name(area_id)}, where=where)
                )
                continue
            plan.area_id = area_id
        elif plan.area_id is None:
            plan.area_id = context.project.area_id
        placed.append(plan)
    return placed


def store_events(plans: list[EventPlan], *, context: ProjectContext) -> int:
    """Create the planned sampling events that the project does not have yet (idempotent); returns how many."""
    from wildlife.surveys.models import SamplingEvent

    context.refresh_events_and_media()
    created = 0
    with transaction.atomic():
        for plan in plans:
            if plan.event_id in context.events:
                continue
            assert plan.area_id is not None  # placed by plan_events
            SamplingEvent.objects.create(
                project=context.project,
                site_id=plan.site_id,
                event_id=plan.event_id,
                area_id=plan.area_id,
                district_id=context.district_id,
                created_by=context.actor if getattr(context.actor, "pk", None) else None,
                **plan.values,
            )
            created += 1
    context.refresh_events_and_media()
    return created


# --- the import ---------------------------------------------------------------------------------------------------


def check_taxa(archive: OpenArchive, outcome: ImportOutcome) -> None:
    """A checklist (Taxon core): each taxon checked against the catalogue and listed as a notice."""
    from wildlife.surveys.importers.base import SpeciesResolver

    resolver = SpeciesResolver()
    offset = archive.ignore_lines + 1
    for row in archive.reader:
        terms = local_terms(row.data)
        name = terms.get("scientificname", "").strip()
        if not name:
            name = " ".join(p for p in (terms.get("genus", "").strip(), terms.get("specificepithet", "").strip()) if p)
        vernacular = [local_terms(e.data).get("vernacularname", "") for e in row.extensions]
        line = row.position + offset
        if not name:
            outcome.add_notice(Issue(line=line, field="scientificName", message=_("分类单元没有名称"), where=archive.core_file))
            continue
        resolution = resolver.resolve(name)
        if resolution.species_id is None:
            outcome.note_unresolved(name, line, list(resolution.suggestions))
            message = _("“%(name)s”不在物种名录中") % {"name": name}
        else:
            message = _("“%(name)s”已在物种名录中") % {"name": name}
        if vernacular:
            message += _("（俗名：%(names)s）") % {"names": "、".join(v for v in vernacular if v)}
        outcome.add_notice(Issue(line=line, field="scientificName", message=message, where=archive.core_file))


def import_dwca(
    *,
    path: str | Path,
    project: Any,
    actor: Any,
    options: ImportOptions,
    job_id: Any = None,
    progress: Any = None,
    checkpoint: Any = None,
    resume: dict[str, Any] | None = None,
    log: Any = None,
) -> ImportOutcome:
    """Import a Darwin Core Archive into `project`; see the module docstring for what each core becomes."""
    options.strict = False
    outcome = ImportOutcome(fmt="dwca", mode=options.mode)
    say = log or (lambda message: None)
    with open_archive(path) as archive:
        core_rows, extension_rows = scan(archive)
        outcome.extra[_("扩展记录")] = extension_rows
        for file_name, orphans in _orphans(archive).items():
            if orphans:
                outcome.add_notice(
                    Issue(line=None, field=file_name, message=_("有 %(n)d 条扩展记录找不到对应的核心记录（编号 %(ids)s），已忽略") % {"n": sum(len(v) for v in orphans.values()), "ids": "、".join(sorted(orphans)[:10])})
                )
        say(_("归档：%(title)s；核心 %(core)s，%(n)d 条记录，扩展记录 %(e)d 条") % {"title": archive.title or archive.core_file, "core": archive.core_type.rsplit("/", 1)[-1], "n": core_rows, "e": extension_rows})
        if archive.core_type == ROW_TAXON:
            outcome.total = core_rows
            outcome.extra[_("分类单元")] = core_rows
            check_taxa(archive, outcome)
            say(_("物种名录（Taxon 核心）归档不含观测记录：已与物种名录核对，未写入调查记录"))
            if progress:
                progress(core_rows, core_rows)
            return outcome
        context = ProjectContext(project=project, actor=actor)
        if archive.core_type == ROW_EVENT:
            plans = plan_events(archive, outcome, context, external=options.external)
            occurrences = sum(1 for t, _f, _n in archive.extension_files if t == ROW_OCCURRENCE)
            total = 0
            if occurrences:
                total = sum(1 for _row in EventOccurrenceSource(archive, 0).rows())
            source: Any = EventOccurrenceSource(archive, total)
            outcome.extra[_("调查事件")] = core_rows
            if options.mode == "all_or_nothing" and outcome.error_count:
                raise ImportRejected(outcome)
            # events that will exist once written, so that the checking pass accepts their occurrences
            for plan in plans:
                context.events.setdefault(plan.event_id, 0)

            def before_write() -> None:
                created = store_events(plans, context=context)
                outcome.extra[_("新增调查事件")] = created

            runner = ObservationImport(
                project=project, actor=actor, options=options, job_id=job_id, progress=progress, checkpoint=checkpoint,
                resume=resume, context=context, outcome=outcome, before_write=before_write,
            )
            runner.run(source)
            return outcome
        if archive.core_type != ROW_OCCURRENCE:
            raise ImportFileError(
                _("不支持核心类型为“%(type)s”的归档：请使用 Occurrence（观测记录）或 Event（调查事件）核心") % {"type": archive.core_type.rsplit("/", 1)[-1]}
            )
        runner = ObservationImport(
            project=project, actor=actor, options=options, job_id=job_id, progress=progress, checkpoint=checkpoint,
            resume=resume, context=context, outcome=outcome,
        )
        runner.run(OccurrenceCoreSource(archive, core_rows))
        return outcome


def _orphans(archive: OpenArchive) -> dict[str, dict[str, list[int]]]:
    if not archive.extension_files:
        return {}
    try:
        return dict(archive.reader.orphaned_extension_rows())
    except (ValueError, IndexError, KeyError):
        return {}
