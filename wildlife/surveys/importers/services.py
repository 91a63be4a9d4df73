"""Starting and running observation imports (CSV, Excel, Darwin Core Archive, Camtrap DP) as jobs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from wildlife.audit.models import Outcome
from wildlife.audit.services import audit_record
from wildlife.core.access import get_in_scope_or_404
from wildlife.jobs.models import Job
from wildlife.surveys.choices import ImportFormat, ImportMode
from wildlife.surveys.importers.base import (
    ImportFileError,
    ImportOptions,
    ImportOutcome,
    ImportRejected,
    ObservationImport,
    ProjectContext,
    build_report,
)
from wildlife.surveys.models import SurveyProject

JOB_KIND = "surveys_import"
IMPORT_PERMISSION = "surveys.add_observation"
SUFFIXES: dict[str, tuple[str, ...]] = {
    ImportFormat.CSV: (".csv", ".txt"),
    ImportFormat.XLSX: (".xlsx", ".xlsm"),
    ImportFormat.DWCA: (".zip", ".tgz", ".gz", ".tar"),
    ImportFormat.CAMTRAP_DP: (".zip",),
}


def importable_projects(user: Any) -> Any:
    """Projects the user may import observations into (visible to them, and they hold the add permission)."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm(IMPORT_PERMISSION):
        return SurveyProject.objects.none()
    return SurveyProject.objects.restrict(user, "view").order_by("-start_date", "name")


def observation_import_start(
    *,
    actor: Any,
    project_id: Any,
    fmt: str,
    mode: str,
    external: bool,
    upload: UploadedFile,
) -> Job:
    """Check the request and start the import job. A project outside the actor's scope is 404 (Http404)."""
    project = get_in_scope_or_404(SurveyProject, actor, project_id, action="view")
    if getattr(actor, "is_admin_role", False) or not actor.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied(_("您没有导入调查记录的权限"))
    errors: dict[str, list[str]] = {}
    if fmt not in ImportFormat.values:
        errors["format"] = [_("请选择文件格式：CSV、Excel、Darwin Core Archive 或 Camtrap DP")]
    if mode not in ImportMode.values:
        errors["mode"] = [_("请选择导入方式")]
    name = upload.name or ""
    lowered = name.lower()
    if fmt in SUFFIXES and not lowered.endswith(SUFFIXES[fmt]):
        errors["file"] = [_("“%(name)s”不是%(fmt)s文件（应为 %(suffixes)s）") % {"name": name, "fmt": ImportFormat(fmt).label, "suffixes": "、".join(SUFFIXES[fmt])}]
    limit = int(getattr(settings, "WILDLIFE_MAX_UPLOAD_MB", 200)) * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        errors["file"] = [_("文件过大（上限 %(mb)d MB）") % {"mb": limit // 1024 // 1024}]
    if upload.size == 0:
        errors["file"] = [_("文件是空的")]
    if external and not ProjectContext(project=project, actor=actor).may_import_external:
        errors["external"] = [_("只有全区范围的用户可以导入区外外部数据")]
    if errors:
        raise ValidationError(errors)
    from wildlife.jobs.services import job_start
    from wildlife.surveys.importers import jobs  # noqa: F401  (registers the handler in this process)

    return job_start(
        actor=actor,
        kind=JOB_KIND,
        title=_("导入调查记录：%(file)s → %(project)s") % {"file": name[:80], "project": project.name[:80]},
        params={"project": project.pk, "format": fmt, "mode": mode, "external": bool(external), "filename": name},
        input_file=upload,
    )


def run_import(
    *,
    path: str | Path,
    fmt: str,
    project: SurveyProject,
    actor: Any,
    options: ImportOptions,
    job_id: Any = None,
    progress: Any = None,
    checkpoint: Any = None,
    resume: dict[str, Any] | None = None,
    log: Any = None,
) -> ImportOutcome:
    """Run one import in this process (the job handler calls it; tests may too). Raises ImportFileError for a file
    that cannot be imported at all and ImportRejected for an all_or_nothing import with errors."""
    hooks = {"job_id": job_id, "progress": progress, "checkpoint": checkpoint, "resume": resume}
    if fmt in (ImportFormat.CSV, ImportFormat.XLSX):
        from wildlife.surveys.importers.tabular import TableSource

        source = TableSource(path, fmt)
        outcome = ImportOutcome(fmt=fmt, mode=options.mode)
        ObservationImport(project=project, actor=actor, options=options, outcome=outcome, **hooks).run(source)
        return outcome
    if fmt == ImportFormat.DWCA:
        from wildlife.surveys.importers.dwca import import_dwca

        return import_dwca(path=path, project=project, actor=actor, options=options, log=log, **hooks)
    if fmt == ImportFormat.CAMTRAP_DP:
        from wildlife.surveys.importers.camtrap import import_camtrap

        return import_camtrap(path=path, project=project, actor=actor, options=options, log=log, **hooks)
    raise ImportFileError(_("不支持的格式“%(fmt)s”") % {"fmt": fmt})


def audit_import(*, actor: Any, project: SurveyProject, outcome: ImportOutcome, job_id: Any, filename: str, ok: bool) -> None:
    audit_record(
        action="import",
        actor=actor,
        obj=project,
        outcome=Outcome.SUCCESS if ok else Outcome.FAILURE,
        detail={
            "format": outcome.fmt,
            "mode": outcome.mode,
            "file": filename[:200],
            "job": str(job_id) if job_id else "",
            "total": outcome.total,
            "created": outcome.created,
            "skipped": outcome.skipped_existing,
            "errors": outcome.error_count,
            "external": outcome.external,
        },
    )


__all__ = ["JOB_KIND", "ImportRejected", "build_report", "importable_projects", "observation_import_start", "run_import"]
