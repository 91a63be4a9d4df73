"""Starting and running jobs."""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from wildlife.audit.models import Outcome
from wildlife.audit.services import audit_record
from wildlife.jobs.context import JobContext
from wildlife.jobs.models import Job, JobStatus
from wildlife.jobs.registry import get_handler

logger = logging.getLogger(__name__)


def job_start(
    *,
    actor: Any,
    kind: str,
    title: str,
    params: dict[str, Any] | None = None,
    input_file: UploadedFile | None = None,
) -> Job:
    """Create a queued job and enqueue it once the surrounding transaction commits."""
    get_handler(kind)  # fail now, not in the worker, for an unknown kind
    with transaction.atomic():
        job = Job(kind=kind, title=title[:200], owner=actor, params=params or {})
        if input_file is not None:
            job.input_file.save(input_file.name or "upload", input_file, save=False)
        job.save()
        audit_record(action="job_start", actor=actor, obj=job, detail={"kind": kind})
        transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: Job) -> None:
    from wildlife.jobs.tasks import run_job

    run_job.enqueue(str(job.pk))


def job_run(*, job_id: str) -> str:
    """Run the handler of a queued job; record success or a clear failure. Safe to call twice."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    job = Job.objects.select_related("owner").get(pk=job_id)
    context = JobContext(job)
    try:
        get_handler(job.kind)(context)
    except Exception as exc:  # the job fails with its reason; the worker keeps running
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        message = str(exc) or exc.__class__.__name__
        context.log(f"失败: {message}")
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error_count=max(context.job.error_count, 1),
            summary={**context.job.summary, "error": message[:1000]},
        )
        audit_record(action="job_failed", actor=job.owner, obj=job, outcome=Outcome.FAILURE, detail={"kind": job.kind})
        return "failed"
    context.progress(context.job.processed, context.job.total, force=True)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, finished_at=timezone.now(), error_count=context.job.error_count)
    return "succeeded"
