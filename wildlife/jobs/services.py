"""Starting, running, recovering jobs and handing out their files."""

from __future__ import annotations

import logging
import os
import re
import socket
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from types import TracebackType
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.audit.models import Outcome
from wildlife.audit.services import audit_record
from wildlife.jobs.context import JobContext, JobError
from wildlife.jobs.models import Job, JobStatus
from wildlife.jobs.registry import get_handler, is_resumable

logger = logging.getLogger(__name__)

DEFAULT_STALE_MINUTES = 10
MAX_ATTEMPTS = 3  # runs of a resumable job before an interrupted one is failed instead of re-queued
RECOVERY_ACTOR = "system:jobs_recover"

JobFileKind = Literal["result", "report"]


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


def worker_identity() -> str:
    """host:pid of this process; recovery uses it to see at once that a job's worker on this host has died."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


_CJK = re.compile(r"[\u4e00-\u9fff]")


def failure_message(exc: BaseException, job: Job) -> str:
    """What the user reads when a handler raised: its own Chinese message, or a generic one (never a traceback).

    JobError and ValidationError are meant for users. Other exceptions are shown only when their text is plainly a
    sentence written for people -- one line of Chinese -- and they are not database, lookup or OS errors (whose
    text can carry SQL, data or paths); everything else becomes a generic message with the job number.
    """
    if isinstance(exc, JobError):
        return exc.message[:1000]
    if isinstance(exc, ValidationError):
        return "；".join(str(m) for m in exc.messages)[:1000]
    text = str(exc).strip()
    if (
        text
        and _CJK.search(text)
        and "\n" not in text
        and "Traceback" not in text
        and len(text) <= 500
        and not isinstance(exc, (DatabaseError, LookupError, OSError))
    ):
        return text
    return _("任务执行出错（系统内部错误），已记录供管理员排查，请稍后重试或联系管理员。任务编号：%(id)s") % {"id": job.pk}


class _Heartbeat:
    """Refreshes heartbeat_at from a side thread while the handler runs, so a long step without progress reports
    (a big query, a PDF) is not mistaken for a dead worker. Uses its own database connection, closed at the end."""

    def __init__(self, job_id: Any, interval: float) -> None:
        self.job_id = job_id
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> _Heartbeat:
        if self.interval > 0:
            self._thread = threading.Thread(target=self._run, name=f"job-heartbeat-{self.job_id}", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        touched = False
        try:
            while not self._stop.wait(self.interval):
                touched = True
                try:
                    Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())
                except DatabaseError:  # a busy SQLite file; the next beat tries again
                    logger.warning("heartbeat of job %s not written", self.job_id, exc_info=True)
        finally:
            if touched:
                connections.close_all()  # this thread's connections only (they are thread-local)


def job_run(*, job_id: str) -> str:
    """Run the handler of a queued job; record success or a clear failure. Safe to call twice.

    Returns "succeeded", "failed", "skipped" (not queued: already run or running elsewhere) or "superseded"
    (recovery took the job over while this run was still going; its outcome is not recorded).
    """
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        finished_at=None,
        worker=worker_identity(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return "skipped"
    job = Job.objects.select_related("owner").get(pk=job_id)
    context = JobContext(job)
    if job.attempts > 1:
        context.log(_("工作进程中断后继续运行（第 %(n)d 次）") % {"n": job.attempts})
    interval = float(getattr(settings, "WILDLIFE_JOB_HEARTBEAT_SECONDS", 30))
    try:
        with _Heartbeat(job.pk, interval):
            get_handler(job.kind)(context)
    except Exception as exc:  # the job fails with its reason; the worker keeps running
        message = failure_message(exc, job)
        if isinstance(exc, (JobError, ValidationError)):
            logger.info("job %s (%s) failed: %s", job.pk, job.kind, message)
        else:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
        context.log(_("失败：%(message)s") % {"message": message})
        updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            processed=context.job.processed,
            total=context.job.total,
            error_count=max(context.job.error_count, 1),
            error_message=message,
        )
        if not updated:
            return "superseded"
        audit_record(
            action="job_failed",
            actor=job.owner,
            obj=job,
            outcome=Outcome.FAILURE,
            detail={"kind": job.kind, "error": exc.__class__.__name__},
        )
        return "failed"
    summary = {k: v for k, v in context.job.summary.items() if k != "checkpoint"}
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.SUCCEEDED,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        processed=context.job.processed,
        total=context.job.total,
        error_count=context.job.error_count,
        summary=summary,
    )
    if not updated:
        logger.warning("job %s finished after recovery had taken it over", job.pk)
        return "superseded"
    return "succeeded"


# --- recovery ----------------------------------------------------------------------------------------------------


@dataclass
class RecoveryResult:
    failed: list[str] = field(default_factory=list)
    requeued: list[str] = field(default_factory=list)


def _worker_is_dead(worker: str) -> bool:
    """True only when the job's worker ran on this host and its process is gone (other hosts: unknown → False)."""
    host, _sep, pid_text = worker.rpartition(":")
    if not host or host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by another user
        return False
    return False


def job_recover_stale(*, stale_minutes: int = DEFAULT_STALE_MINUTES) -> RecoveryResult:
    """Jobs left "running" by a dead worker: re-queue resumable ones (up to MAX_ATTEMPTS runs), fail the rest.

    A job counts as abandoned when its heartbeat is older than `stale_minutes`, or at once when its worker ran on
    this host and that process no longer exists. Each change is a checked update (status and heartbeat unchanged
    since read), so a job whose worker is alive and beating is never touched.
    """
    if stale_minutes < 1:
        raise ValueError("stale_minutes must be at least 1")
    now = timezone.now()
    cutoff = now - timedelta(minutes=stale_minutes)
    result = RecoveryResult()
    running = Job.objects.filter(status=JobStatus.RUNNING).only(
        "id", "kind", "title", "owner", "heartbeat_at", "started_at", "created_at", "attempts", "worker", "log", "error_count"
    )
    for job in running:
        last_sign = job.heartbeat_at or job.started_at or job.created_at
        if last_sign >= cutoff and not _worker_is_dead(job.worker):
            continue
        with transaction.atomic():
            unchanged = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING)
            unchanged = unchanged.filter(heartbeat_at=job.heartbeat_at) if job.heartbeat_at else unchanged.filter(heartbeat_at__isnull=True)
            stamp = timezone.localtime(now).strftime("%H:%M:%S")
            if is_resumable(job.kind) and job.attempts < MAX_ATTEMPTS:
                line = _("工作进程停止，任务已重新排队，将从上次的进度继续")
                count = unchanged.update(status=JobStatus.QUEUED, worker="", log=_append(job.log, f"[{stamp}] {line}"))
                if not count:
                    continue
                audit_record(action="job_requeued", username=RECOVERY_ACTOR, obj=job, detail={"kind": job.kind, "attempts": job.attempts})
                transaction.on_commit(lambda job=job: _enqueue(job))  # type: ignore[misc]
                result.requeued.append(str(job.pk))
            else:
                reason = _("任务中断（工作进程停止），请重新提交")
                if job.attempts >= MAX_ATTEMPTS and is_resumable(job.kind):
                    reason = _("任务多次中断（工作进程停止），请重新提交")
                count = unchanged.update(
                    status=JobStatus.FAILED,
                    finished_at=now,
                    error_message=reason,
                    error_count=max(job.error_count, 1),
                    log=_append(job.log, f"[{stamp}] {reason}"),
                )
                if not count:
                    continue
                audit_record(
                    action="job_recovered",
                    username=RECOVERY_ACTOR,
                    obj=job,
                    outcome=Outcome.FAILURE,
                    detail={"kind": job.kind, "attempts": job.attempts, "worker": job.worker},
                )
                result.failed.append(str(job.pk))
    return result


def _append(log: str, line: str) -> str:
    return f"{log}\n{line}" if log else line




# --- files -------------------------------------------------------------------------------------------------------


def job_file_open(*, actor: Any, job: Job, which: JobFileKind) -> tuple[File[bytes], str]:
    """Open the job's result or error report for download by its owner (checked by the caller) and audit it."""
    fieldfile = job.result_file if which == "result" else job.report_file
    name = os.path.basename(fieldfile.name or "")
    with transaction.atomic():
        handle = fieldfile.storage.open(fieldfile.name, "rb")
        audit_record(action="export", actor=actor, obj=job, detail={"file": which, "name": name, "kind": job.kind})
    return handle, name
