"""Exports of a project's observations: built at once when small, as a job (with a progress page and a checked
download) when they hold more than EXPORT_SYNC_LIMIT observations. Every export is an audit event."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wildlife.core.access import get_in_scope_or_404
from wildlife.core.excel import XLSX_CONTENT_TYPE
from wildlife.jobs.models import Job
from wildlife.surveys.exporters.base import audit_export, may_see_precise, observations_for
from wildlife.surveys.models import SurveyProject

EXPORT_SYNC_LIMIT = 20_000
JOB_KIND = "surveys_export"

FORMATS: dict[str, tuple[str, str, str]] = {
    # format → (label, file suffix, content type)
    "dwca": ("Darwin Core Archive", "dwca.zip", "application/zip"),
    "camtrap_dp": ("Camtrap DP", "camtrap-dp.zip", "application/zip"),
    "xlsx": ("Excel", "observations.xlsx", XLSX_CONTENT_TYPE),
    "geojson": ("GeoJSON", "observations.geojson", "application/geo+json"),
    "gpkg": ("GeoPackage", "observations.gpkg", "application/geopackage+sqlite3"),
}


@dataclass
class ExportFile:
    path: Path
    filename: str
    content_type: str
    rows: int


def build_export(*, project: SurveyProject, user: Any, fmt: str, core: str = "event") -> ExportFile:
    """Build the file in this process (a temporary file the caller removes)."""
    _label, suffix, content_type = FORMATS[fmt]
    filename = f"{project.code}-{suffix}"
    if fmt == "dwca":
        from wildlife.surveys.exporters.dwca import build_dwca

        result = build_dwca(project=project, user=user, core=core)
        return ExportFile(result.path, filename, content_type, result.occurrences)
    if fmt == "camtrap_dp":
        from wildlife.surveys.exporters.camtrap import build_camtrap_dp

        package = build_camtrap_dp(project=project, user=user)
        return ExportFile(package.path, filename, content_type, package.observations)
    from wildlife.surveys.exporters import tables

    builder = {"xlsx": tables.build_xlsx, "geojson": tables.build_geojson, "gpkg": tables.build_gpkg}[fmt]
    path, rows = builder(project=project, user=user)
    return ExportFile(path, filename, content_type, rows)


def observation_export(*, actor: Any, project_id: Any, fmt: str, core: str = "event") -> ExportFile | Job:
    """The export file (small exports), or the started job (large ones). A project outside scope is 404."""
    project = get_in_scope_or_404(SurveyProject, actor, project_id, action="view")
    if fmt not in FORMATS:
        raise ValidationError({"format": [_("不支持的导出格式")]})
    if core not in ("event", "occurrence"):
        raise ValidationError({"core": [_("核心类型应为 event 或 occurrence")]})
    rows = observations_for(user=actor, project=project).count()
    if rows > EXPORT_SYNC_LIMIT:
        from wildlife.jobs.services import job_start
        from wildlife.surveys.exporters import jobs  # noqa: F401  (registers the handler in this process)

        return job_start(
            actor=actor,
            kind=JOB_KIND,
            title=_("导出调查记录（%(fmt)s）：%(project)s") % {"fmt": FORMATS[fmt][0], "project": project.name[:80]},
            params={"project": project.pk, "format": fmt, "core": core},
        )
    result = build_export(project=project, user=actor, fmt=fmt, core=core)
    audit_export(actor=actor, project=project, fmt=fmt, rows=result.rows, precise=may_see_precise(actor))
    return result
