"""Camtrap DP 1.0 export of a project's camera-trap data: datapackage.json, deployments.csv, media.csv,
observations.csv and the media files the platform holds (under media/).

Deployments are the project's camera sites; media and observations are those the user may see. Camtrap DP
observation events are rebuilt from what is stored: a media-level observation's eventID is its media's sequence
(sequence_id); an event-level observation (no media) belongs to the sequence of its site whose first photo was taken
at the observation's start. Human observations carry scientificName “Homo sapiens”, as in Camtrap DP.

Sensitive species: for a user without the precise-location permission, the coordinates of a deployment that
recorded a class-I species are generalised (0.01° cell centre, coordinateUncertainty ≥ 800 m), and the photos of
such records are left out of the package (their EXIF may carry the place).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from wildlife.surveys.exporters.base import (
    local_iso,
    may_see_precise,
    observations_for,
    sensitive_sites,
    site_xy,
    sites_for,
)
from wildlife.surveys.exporters.dwca import temporary_file
from wildlife.surveys.importers.base import EXTERNAL_TAG
from wildlife.surveys.models import CameraMedia, SamplingEvent, SurveyProject

VERSION = "1.0.2"
SCHEMA = "https://raw.githubusercontent.com/tdwg/camtrap-dp/" + VERSION + "/{name}-table-schema.json"
PROFILE = "https://raw.githubusercontent.com/tdwg/camtrap-dp/" + VERSION + "/camtrap-dp-profile.json"

DEPLOYMENT_COLUMNS = (
    "deploymentID", "locationID", "locationName", "latitude", "longitude", "coordinateUncertainty", "deploymentStart",
    "deploymentEnd", "setupBy", "cameraID", "cameraModel", "cameraDelay", "cameraHeight", "cameraDepth", "cameraTilt",
    "cameraHeading", "detectionDistance", "timestampIssues", "baitUse", "featureType", "habitat", "deploymentGroups",
    "deploymentTags", "deploymentComments",
)  # fmt: skip
MEDIA_COLUMNS = (
    "mediaID", "deploymentID", "captureMethod", "timestamp", "filePath", "filePublic", "fileName", "fileMediatype",
    "exifData", "favorite", "mediaComments",
)  # fmt: skip
OBSERVATION_COLUMNS = (
    "observationID", "deploymentID", "mediaID", "eventID", "eventStart", "eventEnd", "observationLevel",
    "observationType", "cameraSetupType", "scientificName", "count", "lifeStage", "sex", "behavior", "individualID",
    "individualPositionRadius", "individualPositionAngle", "individualSpeed", "bboxX", "bboxY", "bboxWidth",
    "bboxHeight", "classificationMethod", "classifiedBy", "classificationTimestamp", "classificationProbability",
    "observationTags", "observationComments",
)  # fmt: skip
COUNTLESS_TYPES = {"blank", "vehicle", "unknown", "unclassified"}


def _strip_tag(text: str) -> str:
    return text[len(EXTERNAL_TAG) :] if text.startswith(EXTERNAL_TAG) else text


def _csv(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


@dataclass
class CamtrapResult:
    path: Path
    deployments: int
    media: int
    observations: int
    files: int

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


def build_camtrap_dp(*, project: SurveyProject, user: Any, target: Path | None = None) -> CamtrapResult:
    """Write the package (a zip) and return what it holds."""
    precise = may_see_precise(user)
    observations = observations_for(user=user, project=project)
    hidden_sites = set() if precise else sensitive_sites(queryset=observations)
    sites = [s for s in sites_for(user=user, project=project) if s.kind == "camera"]
    site_ids = {s.pk for s in sites}
    deployment_of = {s.pk: s.external_id or s.code for s in sites}
    periods = {e.site_id: e for e in SamplingEvent.objects.filter(project=project, site_id__in=site_ids, event_id__in=list(deployment_of.values()))}
    media = list(CameraMedia.objects.restrict(user, "view").filter(project=project, site_id__in=site_ids).order_by("captured_at", "media_id"))
    sensitive_media = set() if precise else set(observations.filter(is_sensitive=True, media__isnull=False).values_list("media_id", flat=True))
    # the sequences, to rebuild Camtrap DP events: (site, first photo time) → (sequence, last photo time)
    sequences: dict[str, list[CameraMedia]] = defaultdict(list)
    for item in media:
        if item.sequence_id:
            sequences[item.sequence_id].append(item)
    by_start: dict[tuple[int, str], tuple[str, str]] = {}
    sequence_span: dict[str, tuple[str, str]] = {}
    for sequence_id, items in sequences.items():
        start, end = local_iso(items[0].captured_at), local_iso(items[-1].captured_at)
        sequence_span[sequence_id] = (start, end)
        by_start[(items[0].site_id, _utc_key(items[0].captured_at))] = (sequence_id, end)

    deployment_rows: list[dict[str, Any]] = []
    bounds: list[tuple[float, float]] = []
    for site in sites:
        hidden = site.pk in hidden_sites
        lon, lat = site_xy(site, hidden=hidden)
        bounds.append((lon, lat))
        period = periods.get(site.pk)
        began = site.deployment_start or (period.started_at if period else None)
        ended = site.deployment_end or (period.ended_at if period else None)
        deployment_rows.append(
            {
                "deploymentID": deployment_of[site.pk],
                "locationID": site.code,
                "locationName": site.name,
                "latitude": f"{lat:.6f}" if hidden else f"{lat:g}",
                "longitude": f"{lon:.6f}" if hidden else f"{lon:g}",
                "coordinateUncertainty": 800 if hidden else "",
                "deploymentStart": local_iso(began),
                "deploymentEnd": local_iso(ended),
                "setupBy": period.observers if period else "",
                "cameraModel": site.camera_model,
                "cameraHeight": "" if site.camera_height_m is None else f"{site.camera_height_m:.2f}",
                "habitat": site.habitat,
                "deploymentComments": _strip_tag(site.remarks),
            }
        )

    files: list[tuple[str, CameraMedia]] = []
    media_rows: list[dict[str, Any]] = []
    for item in media:
        path = item.file_path
        public = "true" if path.startswith(("http://", "https://")) else "false"
        if item.file and item.pk not in sensitive_media:
            name = item.file_name or Path(item.file.name).name
            path = f"media/{name}"
            files.append((path, item))
        media_rows.append(
            {
                "mediaID": item.media_id,
                "deploymentID": deployment_of[item.site_id],
                "captureMethod": item.capture_method,
                "timestamp": local_iso(item.captured_at),
                "filePath": path,
                "filePublic": public,
                "fileName": item.file_name,
                "fileMediatype": item.media_type or "image/jpeg",
                "favorite": "true" if item.favorite else "",
            }
        )

    observation_rows: list[dict[str, Any]] = []
    taxa: dict[str, str] = {}
    rows = (
        observations.filter(site_id__in=site_ids)
        .select_related("species", "media")
        .order_by("observed_at", "occurrence_id")
        .only("occurrence_id", "site_id", "media__media_id", "media__sequence_id", "media__captured_at", "observed_at", "observation_type",
              "species__scientific_name", "species__name_zh", "verbatim_name", "count", "life_stage", "sex", "behaviour", "observer", "remarks")
    )  # fmt: skip
    for obs in rows.iterator(chunk_size=2000):
        site_id = obs.site_id or 0  # the filter above keeps observations of camera sites only
        start = local_iso(obs.observed_at)
        if obs.media is not None:
            level, event_id, end = "media", obs.media.sequence_id, start
        else:
            level = "event"
            event_id, end = by_start.get((site_id, _utc_key(obs.observed_at)), ("", start))
        name = obs.species.scientific_name if obs.species is not None else obs.verbatim_name
        if obs.observation_type == "human" and not name:
            name = "Homo sapiens"
        if name and obs.species is not None:
            taxa[name] = obs.species.name_zh
        elif name:
            taxa.setdefault(name, "")
        observation_rows.append(
            {
                "observationID": obs.occurrence_id,
                "deploymentID": deployment_of[site_id],
                "mediaID": obs.media.media_id if obs.media is not None else "",
                "eventID": event_id,
                "eventStart": start,
                "eventEnd": end,
                "observationLevel": level,
                "observationType": obs.observation_type,
                "scientificName": name,
                "count": "" if obs.count == 0 and obs.observation_type in COUNTLESS_TYPES else obs.count,
                "lifeStage": obs.life_stage,
                "sex": obs.sex,
                "behavior": obs.behaviour,
                "classifiedBy": obs.observer,
                "observationComments": _strip_tag(obs.remarks),
            }
        )

    package = _datapackage(project=project, media=media, bounds=bounds, observation_rows=observation_rows, taxa=taxa, generalised=bool(hidden_sites))
    target = target or temporary_file(".zip")
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2))
        archive.writestr("deployments.csv", _csv(DEPLOYMENT_COLUMNS, deployment_rows))
        archive.writestr("media.csv", _csv(MEDIA_COLUMNS, media_rows))
        archive.writestr("observations.csv", _csv(OBSERVATION_COLUMNS, observation_rows))
        for arcname, item in files:
            with item.file.open("rb") as source, archive.open(arcname, "w") as destination:
                destination.write(source.read())
    return CamtrapResult(path=target, deployments=len(deployment_rows), media=len(media_rows), observations=len(observation_rows), files=len(files))


def _utc_key(value: Any) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S") if value else ""


def _datapackage(*, project: SurveyProject, media: list[CameraMedia], bounds: list[tuple[float, float]], observation_rows: list[dict[str, Any]], taxa: dict[str, str], generalised: bool) -> dict[str, Any]:
    starts = [r["eventStart"] for r in observation_rows if r["eventStart"]]
    lons = [b[0] for b in bounds] or [117.695, 117.981]
    lats = [b[1] for b in bounds] or [36.641, 36.892]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    department = str(project.lead_department) if project.lead_department_id else "周村区"
    description = project.description or project.name
    if generalised:
        description += "（国家一级保护物种记录所在相机的坐标已概化至 0.01° 网格中心）"
    return {
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": SCHEMA.format(name=name),
            }
            for name in ("deployments", "media", "observations")
        ],
        "profile": PROFILE,
        "name": project.code.lower(),
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"zhoucun-wildlife/surveys/{project.code}")),
        "created": timezone.now().isoformat(timespec="seconds"),
        "title": project.name,
        "description": description,
        "version": "1.0",
        "contributors": [{"title": department, "role": "rightsHolder"}, {"title": department, "role": "publisher"}],
        "project": {
            "id": project.code,
            "title": project.name,
            "description": project.methodology or project.get_kind_display(),
            "samplingDesign": "targeted",
            "captureMethod": sorted({m.capture_method for m in media if m.capture_method}) or ["activityDetection"],
            "individualAnimals": False,
            "observationLevel": sorted({r["observationLevel"] for r in observation_rows}) or ["media"],
        },
        "coordinatePrecision": 0.001,
        "spatial": {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]]},
        "temporal": {"start": min(starts)[:10] if starts else str(project.start_date), "end": max(starts)[:10] if starts else str(project.end_date or project.start_date)},
        "taxonomic": [{"scientificName": name, **({"vernacularNames": {"zho": zh}} if zh else {})} for name, zh in sorted(taxa.items())],
    }
