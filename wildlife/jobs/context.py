"""What a job handler sees: its job, parameters, input file, progress reporting, result and error report."""

from __future__ import annotations

import time
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from wildlife.jobs.models import Job


class JobCancelled(Exception):
    pass


class JobContext:
    """Progress writes are throttled (at most ~2 per second) so a million-row import is not slowed by them."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last_flush = 0.0
        self._log: list[str] = []

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.job.params)

    @property
    def actor(self) -> Any:
        return self.job.owner

    def input_path(self) -> str:
        return self.job.input_file.path

    def progress(self, processed: int, total: int | None = None, *, force: bool = False) -> None:
        self.job.processed = processed
        if total is not None:
            self.job.total = total
        now = time.monotonic()
        if force or now - self._last_flush >= 0.5:
            self._last_flush = now
            Job.objects.filter(pk=self.job.pk).update(
                processed=self.job.processed, total=self.job.total, heartbeat_at=timezone.now(), error_count=self.job.error_count
            )

    def log(self, message: str) -> None:
        stamp = timezone.localtime().strftime("%H:%M:%S")
        self._log.append(f"[{stamp}] {message}")
        self.job.log = "\n".join(self._log[-500:])
        Job.objects.filter(pk=self.job.pk).update(log=self.job.log)

    def add_errors(self, count: int = 1) -> None:
        self.job.error_count += count

    def set_summary(self, **summary: Any) -> None:
        self.job.summary = {**self.job.summary, **summary}
        Job.objects.filter(pk=self.job.pk).update(summary=self.job.summary)

    def save_result(self, filename: str, content: bytes) -> None:
        self.job.result_file.save(filename, ContentFile(content), save=False)
        Job.objects.filter(pk=self.job.pk).update(result_file=self.job.result_file.name)

    def save_report(self, filename: str, content: bytes) -> None:
        self.job.report_file.save(filename, ContentFile(content), save=False)
        Job.objects.filter(pk=self.job.pk).update(report_file=self.job.report_file.name)
