"""The export job: builds a large export file and keeps it as the job's result (downloaded through the checked,
audited download of the jobs module)."""

from __future__ import annotations

from django.core.files import File
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wildlife.jobs.context import JobContext, JobError
from wildlife.jobs.models import Job
from wildlife.jobs.registry import job_handler
from wildlife.surveys.exporters.base import audit_export, may_see_precise
from wildlife.surveys.exporters.services import FORMATS, JOB_KIND, build_export
from wildlife.surveys.models import SurveyProject


@job_handler(JOB_KIND, label=gettext_lazy("调查记录导出"), resumable=True)
def surveys_export(ctx: JobContext) -> None:
    """Build the file again from the start after a crash (nothing is written but the result file)."""
    params = ctx.params
    project = SurveyProject.objects.restrict(ctx.actor, "view").filter(pk=int(params.get("project") or 0)).first()
    if project is None:
        raise JobError(_("调查项目不存在或不在您的权限范围内"))
    fmt = params.get("format", "")
    if fmt not in FORMATS:
        raise JobError(_("不支持的导出格式"))
    ctx.progress(0, None, force=True)
    ctx.log(_("开始导出：%(fmt)s") % {"fmt": FORMATS[fmt][0]})
    result = build_export(project=project, user=ctx.actor, fmt=fmt, core=params.get("core", "event"))
    try:
        with result.path.open("rb") as handle:
            ctx.job.result_file.save(result.filename, File(handle), save=False)
        Job.objects.filter(pk=ctx.job.pk).update(result_file=ctx.job.result_file.name)
    finally:
        result.path.unlink(missing_ok=True)
    audit_export(actor=ctx.actor, project=project, fmt=fmt, rows=result.rows, precise=may_see_precise(ctx.actor), via_job=str(ctx.job.pk))
    ctx.set_summary(导出记录=result.rows)
    ctx.progress(result.rows, result.rows, force=True)
    ctx.log(_("导出完成：%(n)d 条") % {"n": result.rows})
