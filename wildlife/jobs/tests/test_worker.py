"""manage.py jobs_worker: the real django-tasks-db worker, preceded by the recovery sweep."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from wildlife.jobs import services
from wildlife.jobs.management.commands.jobs_worker import RecoverySweeper
from wildlife.jobs.models import Job, JobStatus
from wildlife.jobs.tests.factories import make_job

pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def keep_signal_handlers() -> Iterator[None]:
    """The worker installs its own SIGINT/SIGTERM handlers; give pytest its own back afterwards."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def _stale(owner: Any, **kwargs: Any) -> Job:
    then = timezone.now() - timedelta(minutes=30)
    return make_job(owner, status=JobStatus.RUNNING, started_at=then, heartbeat_at=then, attempts=1, worker="gone:1", **kwargs)


def test_worker_recovers_then_runs_queued_jobs(town_officer: Any, settings: Any, keep_signal_handlers: None) -> None:
    settings.TASKS = DB_TASKS
    abandoned = _stale(town_officer, kind="test.count")
    interrupted = _stale(town_officer, kind="test.resumable", params={"n": 30}, processed=20, total=30, summary={"checkpoint": {"row": 20}})
    fresh = services.job_start(actor=town_officer, kind="test.count", title="新任务", params={"n": 4})  # committed: enqueued now
    assert Job.objects.get(pk=fresh.pk).status == JobStatus.QUEUED  # the database backend does not run it inline

    call_command("jobs_worker", "--batch", "--no-startup-delay", "--no-reload", "--recover-every", "0", verbosity=0)

    abandoned.refresh_from_db()
    interrupted.refresh_from_db()
    fresh.refresh_from_db()
    assert abandoned.status == JobStatus.FAILED and abandoned.error_message == "任务中断（工作进程停止），请重新提交"
    assert interrupted.status == JobStatus.SUCCEEDED and interrupted.summary["本次起始行"] == 20
    assert fresh.status == JobStatus.SUCCEEDED and fresh.processed == 4


def test_sweeper_thread_recovers_while_the_worker_runs(town_officer: Any) -> None:
    job = _stale(town_officer)
    sweeper = RecoverySweeper(every_minutes=0.001, stale_minutes=10)
    sweeper.start()
    try:
        deadline = time.monotonic() + 5
        while Job.objects.get(pk=job.pk).status == JobStatus.RUNNING and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        sweeper.stop()
        sweeper.thread.join(timeout=5)
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED
