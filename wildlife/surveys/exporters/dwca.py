"""Darwin Core Archive export (what GBIF's IPT publishes): meta.xml, eml.xml and tab-separated data files.

Two shapes, both read back by python-dwca-reader in the tests:
- `core="event"` (default, a sampling-event dataset): event.txt is the core -- one row per sampling event with its
  date, place, protocol and effort -- with two extensions joined by eventID: humboldt.txt (the Humboldt extension,
  rowType eco:Event: samplingEffortValue/Unit/Protocol, isSamplingEffortReported, isAbsenceReported) and
  occurrence.txt (one row per observation; count 0 is occurrenceStatus “absent”). Observations that belong to no
  sampling event are grouped into one event per site (or “incidental”) and day, so every occurrence has an event.
- `core="occurrence"`: occurrence.txt alone, one row per observation, with its eventID and protocol.

Every file is UTF-8, tab-separated, one header line, no quoting (tabs and line breaks inside values become spaces).
Locations of class-I records are generalised for users without the precise-location permission
(dataGeneralizations, informationWithheld, coordinateUncertaintyInMeters ≥ 800 m), and so are the coordinates of
the events and sites where such a record was made.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils import timezone

from wildlife.surveys.exporters.base import (
    GENERALISATION_NOTE,
    ExportObservation,
    clean,
    events_for,
    iter_observations,
    local_iso,
    may_see_precise,
    observations_for,
    sensitive_sites,
    site_xy,
    sites_for,
)
from wildlife.surveys.models import SurveyProject

DWC = "http://rs.tdwg.org/dwc/terms/"
DC = "http://purl.org/dc/terms/"
ECO = "http://rs.tdwg.org/eco/terms/"

PROTOCOLS = {
    "transect": "line transect",
    "point_count": "point count",
    "plot": "quadrat",
    "camera_trap": "camera trap",
    "net": "net",
    "electrofishing": "electrofishing",
    "acoustic": "acoustic survey",
    "sign": "sign survey",
    "incidental": "opportunistic",
}
EFFORT_UNITS = (("distance_km", "km"), ("trap_nights", "trap-nights"), ("net_hauls", "net hauls"), ("duration_hours", "hours"))
NOTHING_SEEN = "未发现目标物种"
INFORMATION_WITHHELD = "精确坐标不公开（国家一级保护物种）"

EVENT_TERMS: tuple[tuple[str, str], ...] = (
    ("eventID", DWC),
    ("parentEventID", DWC),
    ("eventDate", DWC),
    ("samplingProtocol", DWC),
    ("sampleSizeValue", DWC),
    ("sampleSizeUnit", DWC),
    ("samplingEffort", DWC),
    ("locationID", DWC),
    ("locality", DWC),
    ("municipality", DWC),
    ("county", DWC),
    ("stateProvince", DWC),
    ("countryCode", DWC),
    ("decimalLatitude", DWC),
    ("decimalLongitude", DWC),
    ("geodeticDatum", DWC),
    ("coordinateUncertaintyInMeters", DWC),
    ("dataGeneralizations", DWC),
    ("recordedBy", DWC),
    ("eventRemarks", DWC),
    ("dynamicProperties", DWC),
)
HUMBOLDT_TERMS: tuple[tuple[str, str], ...] = (
    ("eventID", DWC),
    ("samplingEffortValue", ECO),
    ("samplingEffortUnit", ECO),
    ("samplingEffortProtocol", ECO),
    ("isSamplingEffortReported", ECO),
    ("isAbsenceReported", ECO),
)
OCCURRENCE_TERMS: tuple[tuple[str, str], ...] = (
    ("occurrenceID", DWC),
    ("eventID", DWC),
    ("basisOfRecord", DWC),
    ("occurrenceStatus", DWC),
    ("individualCount", DWC),
    ("organismQuantity", DWC),
    ("organismQuantityType", DWC),
    ("scientificName", DWC),
    ("vernacularName", DWC),
    ("kingdom", DWC),
    ("order", DWC),
    ("family", DWC),
    ("genus", DWC),
    ("taxonRank", DWC),
    ("sex", DWC),
    ("lifeStage", DWC),
    ("behavior", DWC),
    ("eventDate", DWC),
    ("samplingProtocol", DWC),
    ("locationID", DWC),
    ("municipality", DWC),
    ("county", DWC),
    ("stateProvince", DWC),
    ("countryCode", DWC),
    ("decimalLatitude", DWC),
    ("decimalLongitude", DWC),
    ("geodeticDatum", DWC),
    ("coordinateUncertaintyInMeters", DWC),
    ("dataGeneralizations", DWC),
    ("informationWithheld", DWC),
    ("recordedBy", DWC),
    ("occurrenceRemarks", DWC),
    ("associatedMedia", DWC),
)


@dataclass
class EventRow:
    event_id: str
    started_at: dt.datetime | None
    ended_at: dt.datetime | None = None
    method: str = ""
    efforts: dict[str, float] = field(default_factory=dict)
    site_code: str = ""
    site_name: str = ""
    town: str = ""
    lon: float | None = None
    lat: float | None = None
    generalised: bool = False
    observers: str = ""
    remarks: str = ""
    synthetic: bool = False


def _event_date(row: EventRow) -> str:
    start = local_iso(row.started_at)
    if row.ended_at and row.started_at and row.ended_at > row.started_at:
        return f"{start}/{local_iso(row.ended_at)}"
    return start


def _effort_text(efforts: dict[str, float]) -> str:
    return "; ".join(f"{value:g} {unit}" for key, unit in EFFORT_UNITS if (value := efforts.get(key)) is not None)


def _primary_effort(efforts: dict[str, float]) -> tuple[str, str]:
    for key, unit in EFFORT_UNITS:
        if efforts.get(key) is not None:
            return f"{efforts[key]:g}", unit
    return "", ""


def _occurrence_values(obs: ExportObservation, event_id: str, *, camera: bool) -> dict[str, Any]:
    return {
        "occurrenceID": obs.occurrence_id,
        "eventID": event_id,
        "basisOfRecord": "MachineObservation" if camera else "HumanObservation",
        "occurrenceStatus": "absent" if obs.count == 0 else "present",
        "individualCount": obs.count,
        "organismQuantity": obs.count,
        "organismQuantityType": "individuals",
        "scientificName": obs.scientific,
        "vernacularName": obs.name_zh,
        "kingdom": "Animalia" if obs.species_id else "",
        "order": obs.taxon_order,
        "family": obs.taxon_family,
        "genus": obs.genus,
        "taxonRank": "species" if obs.species_id else "",
        "sex": obs.sex,
        "lifeStage": obs.life_stage,
        "behavior": obs.behaviour,
        "eventDate": local_iso(obs.observed_at),
        "samplingProtocol": PROTOCOLS.get(obs.method, obs.method),
        "locationID": obs.site_code,
        "municipality": obs.area_name,
        "county": "周村区",
        "stateProvince": "山东省",
        "countryCode": "CN",
        "decimalLatitude": f"{obs.lat:.6f}",
        "decimalLongitude": f"{obs.lon:.6f}",
        "geodeticDatum": "WGS84",
        "coordinateUncertaintyInMeters": "" if obs.uncertainty_m is None else f"{obs.uncertainty_m:g}",
        "dataGeneralizations": GENERALISATION_NOTE if obs.generalised else "",
        "informationWithheld": INFORMATION_WITHHELD if obs.generalised else "",
        "recordedBy": obs.observer,
        "occurrenceRemarks": obs.remarks,
        "associatedMedia": obs.media_key,
    }


def _event_values(row: EventRow) -> dict[str, Any]:
    value, unit = _primary_effort(row.efforts)
    dynamic = json.dumps({k: v for k, v in row.efforts.items() if v is not None}, ensure_ascii=False) if row.efforts else ""
    remarks = row.remarks
    return {
        "eventID": row.event_id,
        "parentEventID": "",
        "eventDate": _event_date(row),
        "samplingProtocol": PROTOCOLS.get(row.method, row.method),
        "sampleSizeValue": value,
        "sampleSizeUnit": unit,
        "samplingEffort": _effort_text(row.efforts),
        "locationID": row.site_code,
        "locality": row.site_name,
        "municipality": row.town,
        "county": "周村区",
        "stateProvince": "山东省",
        "countryCode": "CN",
        "decimalLatitude": "" if row.lat is None else f"{row.lat:.6f}",
        "decimalLongitude": "" if row.lon is None else f"{row.lon:.6f}",
        "geodeticDatum": "WGS84" if row.lat is not None else "",
        "coordinateUncertaintyInMeters": "800" if row.generalised else "",
        "dataGeneralizations": GENERALISATION_NOTE if row.generalised else "",
        "recordedBy": row.observers,
        "eventRemarks": remarks,
        "dynamicProperties": dynamic,
    }


class _TsvWriter:
    def __init__(self, handle: IO[bytes], terms: Sequence[tuple[str, str]]) -> None:
        self.handle = handle
        self.names = [name for name, _ns in terms]
        self.rows = 0
        handle.write(("\t".join(self.names) + "\n").encode("utf-8"))

    def write(self, values: dict[str, Any]) -> None:
        self.handle.write(("\t".join(clean(values.get(name, "")) for name in self.names) + "\n").encode("utf-8"))
        self.rows += 1


def _meta_section(tag: str, row_type: str, location: str, terms: Sequence[tuple[str, str]], *, id_tag: str) -> ET.Element:
    section = ET.Element(
        tag,
        {
            "encoding": "UTF-8",
            "fieldsTerminatedBy": "\\t",
            "linesTerminatedBy": "\\n",
            "fieldsEnclosedBy": "",
            "ignoreHeaderLines": "1",
            "rowType": row_type,
        },
    )
    files = ET.SubElement(section, "files")
    ET.SubElement(files, "location").text = location
    ET.SubElement(section, id_tag, {"index": "0"})
    for index, (name, namespace) in enumerate(terms):
        ET.SubElement(section, "field", {"index": str(index), "term": namespace + name})
    return section


def meta_xml(core: str) -> bytes:
    root = ET.Element("archive", {"xmlns": "http://rs.tdwg.org/dwc/text/", "metadata": "eml.xml"})
    if core == "event":
        root.append(_meta_section("core", DWC + "Event", "event.txt", EVENT_TERMS, id_tag="id"))
        root.append(_meta_section("extension", ECO + "Event", "humboldt.txt", HUMBOLDT_TERMS, id_tag="coreid"))
        occurrence_terms = (("eventID", DWC), *[t for t in OCCURRENCE_TERMS if t[0] != "eventID"])
        root.append(_meta_section("extension", DWC + "Occurrence", "occurrence.txt", occurrence_terms, id_tag="coreid"))
    else:
        root.append(_meta_section("core", DWC + "Occurrence", "occurrence.txt", OCCURRENCE_TERMS, id_tag="id"))
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def eml_xml(*, project: SurveyProject, generalised: bool, period: tuple[dt.date | None, dt.date | None]) -> bytes:
    """EML 2.1.1 metadata of the dataset: title, creator, abstract, coverage, methods, rights."""
    ns = "eml://ecoinformatics.org/eml-2.1.1"
    ET.register_namespace("eml", ns)
    root = ET.Element(f"{{{ns}}}eml", {"packageId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"zhoucun-wildlife/surveys/{project.code}")), "system": "zhoucun-wildlife", "xml:lang": "zho"})
    dataset = ET.SubElement(root, "dataset")
    ET.SubElement(dataset, "alternateIdentifier").text = project.code
    ET.SubElement(dataset, "title", {"xml:lang": "zho"}).text = project.name
    department = str(project.lead_department) if project.lead_department_id else "周村区"
    for tag in ("creator", "metadataProvider", "contact"):
        party = ET.SubElement(dataset, tag)
        ET.SubElement(party, "organizationName").text = department
        address = ET.SubElement(party, "address")
        ET.SubElement(address, "city").text = "淄博市周村区"
        ET.SubElement(address, "administrativeArea").text = "山东省"
        ET.SubElement(address, "country").text = "CN"
    ET.SubElement(dataset, "pubDate").text = timezone.localdate().isoformat()
    ET.SubElement(dataset, "language").text = "zho"
    abstract = ET.SubElement(dataset, "abstract")
    ET.SubElement(abstract, "para").text = project.description or project.name
    if generalised:
        ET.SubElement(abstract, "para").text = GENERALISATION_NOTE
    rights = ET.SubElement(dataset, "intellectualRights")
    ET.SubElement(rights, "para").text = f"{department} 版权所有；使用须经同意并注明出处。"
    coverage = ET.SubElement(dataset, "coverage")
    geographic = ET.SubElement(coverage, "geographicCoverage")
    ET.SubElement(geographic, "geographicDescription").text = "山东省淄博市周村区"
    bounds = ET.SubElement(geographic, "boundingCoordinates")
    for tag, value in (("westBoundingCoordinate", "117.695"), ("eastBoundingCoordinate", "117.981"), ("northBoundingCoordinate", "36.892"), ("southBoundingCoordinate", "36.641")):
        ET.SubElement(bounds, tag).text = value
    begin, end = period
    if begin is not None:
        temporal = ET.SubElement(coverage, "temporalCoverage")
        dates = ET.SubElement(temporal, "rangeOfDates")
        ET.SubElement(ET.SubElement(dates, "beginDate"), "calendarDate").text = begin.isoformat()
        ET.SubElement(ET.SubElement(dates, "endDate"), "calendarDate").text = (end or begin).isoformat()
    methods = ET.SubElement(dataset, "methods")
    step = ET.SubElement(ET.SubElement(methods, "methodStep"), "description")
    ET.SubElement(step, "para").text = project.methodology or project.get_kind_display()
    sampling = ET.SubElement(methods, "sampling")
    ET.SubElement(ET.SubElement(sampling, "studyExtent"), "description").append(_para("周村区（山东省淄博市）"))
    ET.SubElement(sampling, "samplingDescription").append(_para(project.methodology or project.get_kind_display()))
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _para(text: str) -> ET.Element:
    element = ET.Element("para")
    element.text = text
    return element


def temporary_file(suffix: str) -> Path:
    handle, name = tempfile.mkstemp(prefix="surveys-export-", suffix=suffix)
    os.close(handle)
    return Path(name)


@dataclass
class DwcaResult:
    path: Path
    events: int
    occurrences: int
    generalised: int

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


def build_dwca(*, project: SurveyProject, user: Any, core: str = "event", target: Path | None = None) -> DwcaResult:
    """Write the archive to `target` (a new temporary file by default) and return what it holds."""
    if core not in ("event", "occurrence"):
        raise ValueError("core must be 'event' or 'occurrence'")
    precise = may_see_precise(user)
    observations = observations_for(user=user, project=project)
    hidden_sites = set() if precise else sensitive_sites(queryset=observations)
    camera = project.kind == "camera_trap"
    if target is None:
        target = temporary_file(".zip")
    generalised = 0
    first: dt.date | None = None
    last: dt.date | None = None
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if core == "occurrence":
            with archive.open("occurrence.txt", "w", force_zip64=True) as handle:
                writer = _TsvWriter(handle, OCCURRENCE_TERMS)
                for obs in iter_observations(observations, precise=precise):
                    writer.write(_occurrence_values(obs, obs.event_key, camera=camera or bool(obs.media_key)))
                    generalised += obs.generalised
                    day = timezone.localtime(obs.observed_at).date()
                    first = day if first is None or day < first else first
                    last = day if last is None or day > last else last
            events = 0
            occurrences = writer.rows
        else:
            events, occurrences, generalised, first, last = _write_event_core(archive, project=project, user=user, observations=observations, precise=precise, hidden_sites=hidden_sites, camera=camera)
        archive.writestr("meta.xml", meta_xml(core))
        archive.writestr("eml.xml", eml_xml(project=project, generalised=bool(generalised), period=(first, last)))
    return DwcaResult(path=target, events=events, occurrences=occurrences, generalised=generalised)


def _write_event_core(
    archive: zipfile.ZipFile, *, project: SurveyProject, user: Any, observations: Any, precise: bool, hidden_sites: set[int], camera: bool
) -> tuple[int, int, int, dt.date | None, dt.date | None]:
    events: dict[str, EventRow] = {}
    for event in events_for(user=user, project=project):
        site = event.site
        lon = lat = None
        hidden = False
        if site is not None:
            hidden = site.pk in hidden_sites
            lon, lat = site_xy(site, hidden=hidden)
        events[event.event_id] = EventRow(
            event_id=event.event_id,
            started_at=event.started_at,
            ended_at=event.ended_at,
            method=event.method,
            efforts={k: float(v) for k, v in (("distance_km", event.distance_km), ("duration_hours", event.duration_hours), ("trap_nights", event.trap_nights), ("net_hauls", event.net_hauls)) if v is not None},
            site_code=site.code if site else "",
            site_name=site.name if site else "",
            town=event.area.name if event.area_id else "",
            lon=lon,
            lat=lat,
            generalised=hidden,
            observers=event.observers or event.team,
            remarks=(NOTHING_SEEN + ("；" + event.remarks if event.remarks else "")) if event.nothing_seen else event.remarks,
        )
    sites = {s.code: s for s in sites_for(user=user, project=project)}
    absence = False
    generalised = 0
    first: dt.date | None = None
    last: dt.date | None = None
    # occurrences are written while events are collected; the event file is written afterwards from `events`
    with archive.open("occurrence.txt", "w", force_zip64=True) as handle:
        terms = (("eventID", DWC), *[t for t in OCCURRENCE_TERMS if t[0] != "eventID"])
        writer = _TsvWriter(handle, terms)
        for obs in iter_observations(observations, precise=precise):
            event_id = obs.event_key if obs.event_key in events else ""
            day = timezone.localtime(obs.observed_at).date()
            if not event_id:
                event_id = f"{project.code}:{obs.site_code or 'incidental'}:{day.isoformat()}"
                if event_id not in events:
                    site = sites.get(obs.site_code)
                    hidden = bool(site is not None and site.pk in hidden_sites)
                    lon, lat = site_xy(site, hidden=hidden) if site is not None else (None, None)
                    events[event_id] = EventRow(
                        event_id=event_id,
                        started_at=timezone.make_aware(dt.datetime.combine(day, dt.time())),
                        method=obs.method,
                        site_code=obs.site_code,
                        site_name=obs.site_name,
                        lon=lon,
                        lat=lat,
                        generalised=hidden,
                        synthetic=True,
                        remarks="随机记录（未关联调查事件），按位点和日期归组",
                    )
            if not events[event_id].town:
                events[event_id].town = obs.area_name
            writer.write(_occurrence_values(obs, event_id, camera=camera or bool(obs.media_key)))
            absence = absence or obs.count == 0
            generalised += obs.generalised
            first = day if first is None or day < first else first
            last = day if last is None or day > last else last
    with archive.open("event.txt", "w", force_zip64=True) as handle:
        event_writer = _TsvWriter(handle, EVENT_TERMS)
        for row in events.values():
            event_writer.write(_event_values(row))
    with archive.open("humboldt.txt", "w", force_zip64=True) as handle:
        humboldt = _TsvWriter(handle, HUMBOLDT_TERMS)
        for row in events.values():
            value, unit = _primary_effort(row.efforts)
            humboldt.write(
                {
                    "eventID": row.event_id,
                    "samplingEffortValue": value,
                    "samplingEffortUnit": unit,
                    "samplingEffortProtocol": PROTOCOLS.get(row.method, row.method),
                    "isSamplingEffortReported": "true" if value else "false",
                    "isAbsenceReported": "true" if (absence or "未发现" in row.remarks) else "false",
                }
            )
    return len(events), writer.rows, generalised, first, last

