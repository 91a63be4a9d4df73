"""What a job handler sees: its job, parameters, input file, progress reporting, checkpoints, result and report."""

from __future__ import annotations

import time
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from wildlife.jobs.models import Job

PROGRESS_INTERVAL_SECONDS = 0.5
LOG_LINES_KEPT = 500


class JobCancelled(Exception):
    pass


class JobError(Exception):
    """A failure the user should read: the message (Chinese, naming the row/field where it helps) is shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class JobContext:
    """The handler's view of its job.

    Progress writes are throttled (at most one every PROGRESS_INTERVAL_SECONDS) so a million-row import is not
    slowed by them; `force=True` writes at once. Report progress outside long transactions, or the bar only moves
    when they commit.
    """

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last_flush = 0.0
        # a resumed run continues the log of the interrupted one
        self._log: list[str] = job.log.splitlines() if job.log else []

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.job.params)

    @property
    def actor(self) -> Any:
        return self.job.owner

    def input_path(self) -> str:
        return str(self.job.input_file.path)

    def progress(self, processed: int, total: int | None = None, *, force: bool = False) -> bool:
        """Record progress; returns whether it was written now (throttled) or only kept for the next write."""
        self.job.processed = processed
        if total is not None:
            self.job.total = total
        now = time.monotonic()
        if not force and now - self._last_flush < PROGRESS_INTERVAL_SECONDS:
            return False
        self._last_flush = now
        self.job.heartbeat_at = timezone.now()
        Job.objects.filter(pk=self.job.pk).update(
            processed=self.job.processed,
            total=self.job.total,
            heartbeat_at=self.job.heartbeat_at,
            error_count=self.job.error_count,
        )
        return True

    def log(self, message: str) -> None:
        stamp = timezone.localtime().strftime("%H:%M:%S")
        self._log.append(f"[{stamp}] {message}")
        self._log = self._log[-LOG_LINES_KEPT:]
        self.job.log = "\n".join(self._log)
        Job.objects.filter(pk=self.job.pk).update(log=self.job.log)

    def add_errors(self, count: int = 1) -> None:
        self.job.error_count += count

    def set_summary(self, **summary: Any) -> None:
        self.job.summary = {**self.job.summary, **summary}
        Job.objects.filter(pk=self.job.pk).update(summary=self.job.summary)

    # --- resumable handlers -------------------------------------------------------------------------------------

    @property
    def resume_state(self) -> dict[str, Any]:
        """The last checkpoint of an interrupted run ({} on a first run)."""
        state = (self.job.summary or {}).get("checkpoint")
        return dict(state) if isinstance(state, dict) else {}

    @property
    def resumed(self) -> bool:
        return bool(self.resume_state)

    def checkpoint(self, **state: Any) -> None:
        """Store where a resumable handler may pick up after a crash (JSON values), with progress and heartbeat.

        Call it after the work up to that point is committed: a re-queued run trusts it.
        """
        self.job.summary = {**self.job.summary, "checkpoint": state}
        self.job.heartbeat_at = timezone.now()
        self._last_flush = time.monotonic()
        Job.objects.filter(pk=self.job.pk).update(
            summary=self.job.summary,
            processed=self.job.processed,
            total=self.job.total,
            error_count=self.job.error_count,
            heartbeat_at=self.job.heartbeat_at,
        )

    # --- files --------------------------------------------------------------------------------------------------

    def save_result(self, filename: str, content: bytes) -> None:
        self.job.result_file.save(filename, ContentFile(content), save=False)
        Job.objects.filter(pk=self.job.pk).update(result_file=self.job.result_file.name)

    def save_report(self, filename: str, content: bytes) -> None:
        self.job.report_file.save(filename, ContentFile(content), save=False)
        Job.objects.filter(pk=self.job.pk).update(report_file=self.job.report_file.name)
