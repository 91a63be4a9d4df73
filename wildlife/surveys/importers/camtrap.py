"""Camtrap DP (camera-trap data package, TDWG, version 1.0) import: a zip or a directory with datapackage.json,
deployments.csv, media.csv and observations.csv (and, optionally, the media files).

- deployments → camera sites (SurveySite kind “camera”, code and external_id = deploymentID, camera model, height,
  period, habitat) plus one sampling event per deployment (event_id = deploymentID, effort in trap-nights);
- media → CameraMedia (files stored when the package contains them -- matched by fileName or a relative filePath;
  remote URLs are kept as the original path, never fetched);
- observations → Observation linked to media (media-level) or to the deployment only (event-level); the species is
  resolved from scientificName (unresolved names kept as written and listed in the report); observation types
  blank / human / vehicle / unknown / unclassified are kept as such with no species and their count (0 when empty).

Sites, media and observations are idempotent on deploymentID, mediaID and observationID within the project.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from django.contrib.gis.geos import Point
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from wildlife.surveys.choices import ObservationMethod, ObservationType, SiteKind
from wildlife.surveys.importers.archives import unpack
from wildlife.surveys.importers.base import (
    EXTERNAL_TAG,
    FIELD_LABELS,
    ImportFileError,
    ImportOptions,
    ImportOutcome,
    ImportRejected,
    Issue,
    ObservationImport,
    ProjectContext,
    RawRow,
    ValueProblem,
    parse_float,
    parse_when,
)

PROFILE_MARK = "camtrap-dp"
RESOURCES = ("deployments", "media", "observations")
MEDIA_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".mp4", ".avi", ".mov"}
MAX_MEDIA_FILE_BYTES = 200 * 1024 * 1024


def _find_root(root: Path) -> Path:
    if (root / "datapackage.json").is_file():
        return root
    for child in root.iterdir():
        if child.is_dir() and (child / "datapackage.json").is_file():
            return child
    raise ImportFileError(_("不是 Camtrap DP 数据包：找不到 datapackage.json"))


def read_package(root: Path) -> dict[str, Any]:
    try:
        package = json.loads((root / "datapackage.json").read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeError) as exc:
        raise ImportFileError(_("datapackage.json 不是有效的 JSON：%(error)s") % {"error": str(exc)[:120]}) from exc
    if not isinstance(package, dict):
        raise ImportFileError(_("datapackage.json 的内容应为对象"))
    profile = str(package.get("profile", ""))
    if PROFILE_MARK not in profile:
        raise ImportFileError(_("不是 Camtrap DP 数据包：datapackage.json 的 profile 为“%(p)s”") % {"p": profile[:100] or "—"})
    return package


def resource_path(root: Path, package: dict[str, Any], name: str) -> Path:
    for resource in package.get("resources", []):
        if isinstance(resource, dict) and resource.get("name") == name:
            raw = resource.get("path")
            if isinstance(raw, list):
                raw = raw[0] if raw else None
            if not isinstance(raw, str) or not raw:
                break
            if "://" in raw:
                raise ImportFileError(_("资源“%(name)s”位于网络地址，请把数据文件放入数据包后再导入") % {"name": name})
            relative = PurePosixPath(raw)
            if relative.is_absolute() or ".." in relative.parts:
                raise ImportFileError(_("资源“%(name)s”的路径不安全：%(path)s") % {"name": name, "path": raw[:100]})
            path = root.joinpath(*relative.parts)
            if not path.is_file():
                raise ImportFileError(_("数据包缺少文件“%(path)s”（资源 %(name)s）") % {"path": raw, "name": name})
            return path
    raise ImportFileError(_("datapackage.json 中没有“%(name)s”资源") % {"name": name})


def read_table(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) of a Camtrap DP CSV table (UTF-8, header on line 1)."""
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("%(file)s 不是 UTF-8 编码") % {"file": path.name}) from exc
    except csv.Error as exc:
        raise ImportFileError(_("%(file)s 格式有误：%(error)s") % {"file": path.name, "error": exc}) from exc


def require_columns(path: Path, columns: tuple[str, ...]) -> None:
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    missing = [c for c in columns if c not in header]
    if missing:
        raise ImportFileError(_("%(file)s 缺少必需的列：%(cols)s") % {"file": path.name, "cols": "、".join(missing)})


class CamtrapObservationSource:
    """observations.csv as canonical rows (location and site from the deployment)."""

    fmt = "camtrap_dp"

    def __init__(self, path: Path, deployments: dict[str, tuple[float, float]], total: int) -> None:
        self.path = path
        self.where = path.name
        self.deployments = deployments
        self._total = total

    def label(self, field_name: str) -> str:
        return {
            "occurrence_id": "observationID",
            "species": "scientificName",
            "count": "count",
            "observed_at": "eventStart",
            "site_code": "deploymentID",
            "event_id": "deploymentID",
            "media_id": "mediaID",
            "observation_type": "observationType",
            "sex": "sex",
            "life_stage": "lifeStage",
            "behaviour": "behavior",
            "lon": "longitude",
            "lat": "latitude",
        }.get(field_name, FIELD_LABELS.get(field_name, field_name))

    def count(self) -> int | None:
        return self._total

    def rows(self) -> Iterator[RawRow]:
        for line, row in read_table(self.path):
            deployment = row.get("deploymentID", "")
            obs_type = row.get("observationType", "")
            name = row.get("scientificName", "")
            if obs_type in (ObservationType.BLANK, ObservationType.HUMAN, ObservationType.VEHICLE):
                name = ""  # “Homo sapiens” on a human observation is the type, not a species record
            values: dict[str, Any] = {
                "occurrence_id": row.get("observationID", ""),
                "species": name,
                "count": row.get("count", ""),
                "observed_at": row.get("eventStart", ""),
                "site_code": deployment,
                "event_id": deployment if deployment in self.deployments else "",
                "media_id": row.get("mediaID", ""),
                "observation_type": obs_type,
                "sex": row.get("sex", ""),
                "life_stage": row.get("lifeStage", ""),
                "behaviour": row.get("behavior", ""),
                "observer": row.get("classifiedBy", ""),
                "remarks": row.get("observationComments", ""),
            }
            yield RawRow(line=line, values=values)


def _media_file(root: Path, row: dict[str, str]) -> Path | None:
    """The media file inside the package, when it is there (by relative filePath, else media/<fileName>)."""
    candidates: list[PurePosixPath] = []
    file_path = row.get("filePath", "")
    if file_path and "://" not in file_path:
        candidates.append(PurePosixPath(file_path))
    name = row.get("fileName", "")
    if name:
        candidates += [PurePosixPath("media") / name, PurePosixPath(name)]
    for candidate in candidates:
        if candidate.is_absolute() or ".." in candidate.parts:
            continue
        path = root.joinpath(*candidate.parts)
        if path.is_file() and path.suffix.lower() in MEDIA_EXTENSIONS and path.stat().st_size <= MAX_MEDIA_FILE_BYTES:
            return path
    return None


def import_camtrap(
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
    """Import a Camtrap DP package into `project` (see the module docstring)."""
    options.strict = False
    options.default_method = ObservationMethod.CAMERA_TRAP
    outcome = ImportOutcome(fmt="camtrap_dp", mode=options.mode)
    say = log or (lambda message: None)
    unpacked, cleanup = unpack(path)
    try:
        root = _find_root(unpacked)
        package = read_package(root)
        paths = {name: resource_path(root, package, name) for name in RESOURCES}
        require_columns(paths["deployments"], ("deploymentID", "latitude", "longitude", "deploymentStart", "deploymentEnd"))
        require_columns(paths["media"], ("mediaID", "deploymentID", "timestamp"))
        require_columns(paths["observations"], ("observationID", "deploymentID", "eventStart", "observationType"))
        say(_("数据包：%(title)s") % {"title": str(package.get("title") or package.get("name") or "")[:200]})
        context = ProjectContext(project=project, actor=actor)
        deployments = _plan_deployments(paths["deployments"], context=context, options=options, outcome=outcome)
        media = _plan_media(root, paths["media"], paths["observations"], deployments=deployments, outcome=outcome)
        total = sum(1 for _row in read_table(paths["observations"]))
        outcome.extra[_("相机位点")] = len(deployments)
        outcome.extra[_("媒体")] = len(media)
        if options.mode == "all_or_nothing" and outcome.error_count:
            raise ImportRejected(outcome)
        for deployment_id in deployments:
            context.events.setdefault(deployment_id, 0)
            context.sites.setdefault(deployment_id, _placeholder_site(deployments[deployment_id]))
        for media_id in media:
            context.media.setdefault(media_id, 0)

        def before_write() -> None:
            sites, events = _store_deployments(deployments, context=context)
            stored_media, files = _store_media(media, context=context)
            outcome.extra[_("新增相机位点")] = sites
            outcome.extra[_("新增布设事件")] = events
            outcome.extra[_("新增媒体")] = stored_media
            outcome.extra[_("保存的媒体文件")] = files

        source = CamtrapObservationSource(paths["observations"], {k: (v["lon"], v["lat"]) for k, v in deployments.items()}, total)
        ObservationImport(
            project=project, actor=actor, options=options, job_id=job_id, progress=progress, checkpoint=checkpoint,
            resume=resume, context=context, outcome=outcome, before_write=before_write,
        ).run(source)
        return outcome
    finally:
        if cleanup is not None:
            shutil.rmtree(cleanup, ignore_errors=True)


def _placeholder_site(plan: dict[str, Any]) -> Any:
    from wildlife.surveys.importers.base import SitePoint

    return SitePoint(pk=0, lon=plan["lon"], lat=plan["lat"], area_id=plan["area_id"])


def _plan_deployments(path: Path, *, context: ProjectContext, options: ImportOptions, outcome: ImportOutcome) -> dict[str, dict[str, Any]]:
    from wildlife.surveys.bulk import assign_areas

    rows: list[tuple[int, dict[str, str], float, float]] = []
    seen: set[str] = set()
    for line, row in read_table(path):
        def error(field_name: str, message: str, line: int = line) -> None:
            outcome.add_error(Issue(line=line, field=field_name, message=message, where=path.name))

        deployment_id = row.get("deploymentID", "")
        if not deployment_id:
            error("deploymentID", _("缺少布设编号"))
            continue
        if deployment_id in seen:
            error("deploymentID", _("布设编号“%(id)s”重复") % {"id": deployment_id[:60]})
            continue
        seen.add(deployment_id)
        try:
            lat = parse_float(row.get("latitude"), minimum=-90, maximum=90)
            lon = parse_float(row.get("longitude"), minimum=-180, maximum=180)
        except ValueProblem as exc:
            error("latitude", str(exc))
            continue
        if lat is None or lon is None:
            error("latitude", _("缺少坐标"))
            continue
        rows.append((line, row, lon, lat))
    area_ids = assign_areas([r[2] for r in rows], [r[3] for r in rows]) if rows else []
    plans: dict[str, dict[str, Any]] = {}
    for (line, row, lon, lat), area_id in zip(rows, area_ids, strict=True):
        remarks = row.get("deploymentComments", "")
        if area_id is None:
            if not (options.external and context.may_import_external):
                outcome.add_error(
                    Issue(
                        line=line,
                        field="latitude",
                        message=_("相机位置（经度 %(lon)s，纬度 %(lat)s）不在周村区范围内；如为区外参考数据，请勾选“接收区外外部数据”") % {"lon": lon, "lat": lat},
                        where=path.name,
                    )
                )
                continue
            area_id = context.district_id
            remarks = f"{EXTERNAL_TAG}{remarks}"
        elif not context.in_scope(area_id):
            outcome.add_error(Issue(line=line, field="latitude", message=_("相机位置在%(town)s，不在您的管辖范围内") % {"town": context.area_name(area_id)}, where=path.name))
            continue
        try:
            start = parse_when(row.get("deploymentStart"))
            end = parse_when(row.get("deploymentEnd"))
        except ValueProblem as exc:
            outcome.add_error(Issue(line=line, field="deploymentStart", message=str(exc), where=path.name))
            continue
        if start is None or end is None or end < start:
            outcome.add_error(Issue(line=line, field="deploymentEnd", message=_("布设起止时间缺失或结束早于开始"), where=path.name))
            continue
        try:
            height = parse_float(row.get("cameraHeight"), minimum=0, maximum=100)
        except ValueProblem:
            height = None
        plans[row["deploymentID"]] = {
            "line": line,
            "lon": lon,
            "lat": lat,
            "area_id": area_id,
            "name": (row.get("locationName") or row.get("locationID") or row["deploymentID"])[:200],
            "camera_model": row.get("cameraModel", "")[:100],
            "camera_height_m": height,
            "start": start,
            "end": end,
            "habitat": row.get("habitat", "")[:100],
            "remarks": remarks,
            "setup_by": row.get("setupBy", "")[:300],
        }
    return plans


def _plan_media(root: Path, path: Path, observations: Path, *, deployments: dict[str, Any], outcome: ImportOutcome) -> dict[str, dict[str, Any]]:
    # the Camtrap DP event (sequence) of each media file, from the media-level observations
    sequence: dict[str, str] = {}
    for _line, row in read_table(observations):
        if row.get("mediaID") and row.get("eventID"):
            sequence.setdefault(row["mediaID"], row["eventID"])
    plans: dict[str, dict[str, Any]] = {}
    for line, row in read_table(path):
        media_id = row.get("mediaID", "")
        deployment = row.get("deploymentID", "")
        if not media_id:
            outcome.add_error(Issue(line=line, field="mediaID", message=_("缺少媒体编号"), where=path.name))
            continue
        if deployment not in deployments:
            outcome.add_error(Issue(line=line, field="deploymentID", message=_("布设“%(id)s”不存在或未导入") % {"id": deployment[:60]}, where=path.name))
            continue
        try:
            when = parse_when(row.get("timestamp"))
        except ValueProblem as exc:
            outcome.add_error(Issue(line=line, field="timestamp", message=str(exc), where=path.name))
            continue
        if when is None:
            outcome.add_error(Issue(line=line, field="timestamp", message=_("缺少拍摄时间"), where=path.name))
            continue
        plans[media_id] = {
            "deployment": deployment,
            "captured_at": when,
            "file_name": row.get("fileName", "")[:255],
            "file_path": row.get("filePath", "")[:500],
            "media_type": row.get("fileMediatype", "")[:60],
            "capture_method": row.get("captureMethod", "")[:40],
            "sequence_id": sequence.get(media_id, "")[:120],
            "favorite": row.get("favorite", "").lower() == "true",
            "local_file": _media_file(root, row),
        }
    return plans


def _store_deployments(plans: dict[str, dict[str, Any]], *, context: ProjectContext) -> tuple[int, int]:
    from wildlife.surveys.models import SamplingEvent, SurveySite

    project = context.project
    actor = context.actor if getattr(context.actor, "pk", None) else None
    sites = events = 0
    existing = set(SurveySite.objects.filter(project=project, code__in=list(plans)).values_list("code", flat=True))
    with transaction.atomic():
        for deployment_id, plan in plans.items():
            if deployment_id not in existing:
                SurveySite.objects.create(
                    project=project,
                    code=deployment_id[:80],
                    name=plan["name"],
                    kind=SiteKind.CAMERA,
                    geometry=Point(plan["lon"], plan["lat"], srid=4326),
                    camera_model=plan["camera_model"],
                    camera_height_m=plan["camera_height_m"],
                    deployment_start=plan["start"],
                    deployment_end=plan["end"],
                    habitat=plan["habitat"],
                    external_id=deployment_id[:120],
                    remarks=plan["remarks"],
                    area_id=plan["area_id"],
                    district_id=context.district_id,
                    created_by=actor,
                )
                sites += 1
        context.refresh_sites()
        have_events = set(SamplingEvent.objects.filter(project=project, event_id__in=list(plans)).values_list("event_id", flat=True))
        for deployment_id, plan in plans.items():
            if deployment_id in have_events:
                continue
            site = context.sites[deployment_id[:80]]
            SamplingEvent.objects.create(
                project=project,
                site_id=site.pk,
                event_id=deployment_id[:120],
                started_at=plan["start"],
                ended_at=plan["end"],
                method=ObservationMethod.CAMERA_TRAP,
                observers=plan["setup_by"],
                trap_nights=round((plan["end"] - plan["start"]).total_seconds() / 86400, 2),
                remarks=EXTERNAL_TAG if plan["remarks"].startswith(EXTERNAL_TAG) else "",
                area_id=plan["area_id"],
                district_id=context.district_id,
                created_by=actor,
            )
            events += 1
    context.refresh_events_and_media()
    return sites, events


def _store_media(plans: dict[str, dict[str, Any]], *, context: ProjectContext) -> tuple[int, int]:
    from wildlife.surveys.models import CameraMedia

    project = context.project
    actor = context.actor if getattr(context.actor, "pk", None) else None
    have = set(CameraMedia.objects.filter(project=project).values_list("media_id", flat=True))
    # media stored by an interrupted run before their file was saved get the file now
    without_file = set(CameraMedia.objects.filter(project=project, file="").values_list("media_id", flat=True))
    created = files = 0
    batch: list[CameraMedia] = []
    with_files: list[tuple[str, Path]] = [
        (media_id[:120], plan["local_file"]) for media_id, plan in plans.items() if media_id in without_file and plan["local_file"] is not None
    ]

    def flush() -> None:
        if batch:
            with transaction.atomic():
                CameraMedia.objects.bulk_create(batch, batch_size=1000)
            batch.clear()

    for media_id, plan in plans.items():
        if media_id in have:
            continue
        site = context.sites[plan["deployment"][:80]]
        batch.append(
            CameraMedia(
                project=project,
                site_id=site.pk,
                media_id=media_id[:120],
                captured_at=plan["captured_at"],
                file_name=plan["file_name"],
                file_path=plan["file_path"],
                media_type=plan["media_type"],
                capture_method=plan["capture_method"],
                sequence_id=plan["sequence_id"],
                favorite=plan["favorite"],
                area_id=site.area_id,
                district_id=context.district_id,
                created_by=actor,
            )
        )
        created += 1
        if plan["local_file"] is not None:
            with_files.append((media_id[:120], plan["local_file"]))
        if len(batch) >= 1000:
            flush()
    flush()
    # files one by one, each saved before its row is updated (a crash leaves a row without a file, never the reverse)
    for media_id, local in with_files:
        media = CameraMedia.objects.get(project=project, media_id=media_id)
        with local.open("rb") as handle:
            media.file.save(local.name, File(handle), save=False)
        CameraMedia.objects.filter(pk=media.pk).update(file=media.file.name)
        files += 1
    context.refresh_events_and_media()
    return created, files

