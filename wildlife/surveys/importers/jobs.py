"""The import job: runs the uploaded file into its project, with progress, checkpoints and the Excel report.

Import this module where the process starts (the surveys AppConfig.ready(), the import views) so that both the web
process and the worker know the kind.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wildlife.jobs.context import JobContext, JobError
from wildlife.jobs.registry import job_handler
from wildlife.surveys.importers.base import ImportFileError, ImportOptions, ImportRejected, build_report
from wildlife.surveys.importers.services import JOB_KIND, audit_import, run_import
from wildlife.surveys.models import SurveyProject

REPORT_NAME = "导入报告.xlsx"


@job_handler(JOB_KIND, label=gettext_lazy("调查记录导入"), resumable=True)
def surveys_import(ctx: JobContext) -> None:
    """Import the job's file; resumable from the last committed batch (checkpoint) after a worker crash."""
    params = ctx.params
    project = SurveyProject.objects.filter(pk=int(params.get("project") or 0)).first()
    # the actor's scope is checked again when the job runs: assignments may have changed since it was queued
    if project is None or not SurveyProject.objects.restrict(ctx.actor, "view").filter(pk=project.pk).exists():
        raise JobError(_("调查项目不存在或不在您的权限范围内"))
    options = ImportOptions(mode=params.get("mode", "valid_rows"), external=bool(params.get("external")))
    resume = ctx.resume_state
    if resume:
        ctx.log(_("从上次提交的第 %(line)s 行之后继续写入") % {"line": resume.get("line", 0)})
    else:
        ctx.log(_("开始导入：%(file)s（%(fmt)s，%(mode)s）") % {"file": params.get("filename", ""), "fmt": params.get("format"), "mode": options.mode})
    filename = str(params.get("filename", ""))
    try:
        outcome = run_import(
            path=ctx.input_path(),
            fmt=params.get("format", ""),
            project=project,
            actor=ctx.actor,
            options=options,
            job_id=ctx.job.pk,
            progress=lambda done, total: ctx.progress(done, total),
            checkpoint=lambda **state: ctx.checkpoint(**state),
            resume=resume,
            log=ctx.log,
        )
    except ImportRejected as rejected:
        outcome = rejected.outcome
        ctx.job.error_count = outcome.error_count
        ctx.save_report(REPORT_NAME, build_report(outcome))
        ctx.set_summary(**outcome.summary())
        audit_import(actor=ctx.actor, project=project, outcome=outcome, job_id=ctx.job.pk, filename=filename, ok=False)
        raise JobError(str(rejected)) from rejected
    except ImportFileError as exc:
        raise JobError(str(exc)) from exc
    ctx.job.error_count = outcome.error_count
    if outcome.has_report:
        ctx.save_report(REPORT_NAME, build_report(outcome))
    ctx.set_summary(**outcome.summary())
    audit_import(actor=ctx.actor, project=project, outcome=outcome, job_id=ctx.job.pk, filename=filename, ok=True)
    final = ctx.job.total or outcome.total
    ctx.progress(final, final, force=True)
    ctx.log(outcome.summary_text())
