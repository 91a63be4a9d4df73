"""Starting, running, failing, throttling, idempotence and recovery of jobs."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wildlife.audit.models import AuditEvent
from wildlife.jobs import context as context_module
from wildlife.jobs import services
from wildlife.jobs.context import JobContext
from wildlife.jobs.models import Job, JobStatus
from wildlife.jobs.registry import get_handler, is_resumable, kind_label, registered_kinds
from wildlife.jobs.tests.conftest import CALLS
from wildlife.jobs.tests.factories import make_job

pytestmark = pytest.mark.django_db

INTERRUPTED = "任务中断（工作进程停止），请重新提交"


def start(user: Any, kind: str, capture: Any, **params: Any) -> Job:
    with capture(execute=True):
        job = services.job_start(actor=user, kind=kind, title="测试", params=params)
    job.refresh_from_db()
    return job


# --- registry ----------------------------------------------------------------------------------------------------


def test_registry_knows_labels_and_resumable_flag() -> None:
    assert kind_label("test.count") == "测试计数任务"
    assert kind_label("nobody.registered") == "nobody.registered"
    assert is_resumable("test.resumable") and not is_resumable("test.count")
    assert ("test.count", "测试计数任务") in registered_kinds()
    with pytest.raises(LookupError):
        get_handler("nobody.registered")


def test_job_start_rejects_an_unknown_kind(town_officer: Any) -> None:
    with pytest.raises(LookupError):
        services.job_start(actor=town_officer, kind="nobody.registered", title="x")
    assert not Job.objects.exists()


# --- start and run -----------------------------------------------------------------------------------------------


def test_job_start_queues_and_runs_only_after_commit(town_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.job_start(actor=town_officer, kind="test.count", title="计数", params={"n": 5})
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    assert CALLS.get("test.count") is None  # nothing ran inside the transaction
    assert len(callbacks) == 1
    assert AuditEvent.objects.filter(action="job_start", object_id=str(job.pk), user=town_officer).exists()
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


def test_successful_job_records_progress_result_and_summary(town_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    job = start(town_officer, "test.count", django_capture_on_commit_callbacks, n=250, errors=2)
    assert job.status == JobStatus.SUCCEEDED
    assert (job.processed, job.total, job.progress) == (250, 250, 100)
    assert job.error_count == 2
    assert job.attempts == 1 and job.worker
    assert job.started_at and job.finished_at and job.finished_at >= job.started_at
    assert job.result_file.read() == "序号\n250\n".encode()
    assert job.report_file.name.endswith(".csv")
    assert job.summary == {"新增": 250, "跳过": 0}
    assert "处理 250 行" in job.log
    assert job.error_message == ""


def test_failure_shows_the_handlers_chinese_message(town_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    job = start(town_officer, "test.user_error", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert job.error_message == "第 3 行 物种：未找到“东北虎”"
    assert "失败：第 3 行" in job.log
    assert job.error_count == 1
    assert (job.processed, job.total) == (3, 10)
    assert job.finished_at is not None
    event = AuditEvent.objects.get(action="job_failed", object_id=str(job.pk))
    assert event.outcome == "failure"


def test_internal_error_never_reaches_the_user(town_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    job = start(town_officer, "test.crash", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert "系统内部错误" in job.error_message
    assert str(job.pk) in job.error_message  # a reference the operators can look up in the logs
    for leak in ("Traceback", "KeyError", "db_password_hint", "File \""):
        assert leak not in job.error_message
        assert leak not in job.log


def test_validation_error_messages_are_shown(town_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    job = start(town_officer, "test.invalid", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert job.error_message == "文件不是有效的 Excel 工作簿"


class _Rejected(Exception):
    """Like an importer's own exception with a message written for users."""


@pytest.mark.parametrize(
    ("exc", "shown"),
    [
        (_Rejected("共有 2 个错误，按“全部或全不”方式未写入任何数据，请查看报告。"), True),
        (ValueError("invalid literal for int() with base 10: 'abc'"), False),
        (KeyError("东北虎"), False),
        (_Rejected("第一行\n  File \"/srv/app.py\", line 3"), False),
        (IntegrityError("重复键违反唯一约束 DETAIL: Key (name)=(东北虎)"), False),
        (RuntimeError(""), False),
    ],
)
def test_failure_message_passes_only_plain_chinese_sentences(town_officer: Any, exc: Exception, shown: bool) -> None:
    job = make_job(town_officer)
    message = services.failure_message(exc, job)
    assert (message == str(exc)) is shown
    if not shown:
        assert "系统内部错误" in message and str(job.pk) in message


def test_job_run_is_idempotent(town_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    job = start(town_officer, "test.count", django_capture_on_commit_callbacks, n=3)
    assert CALLS["test.count"] == 1
    assert services.job_run(job_id=str(job.pk)) == "skipped"
    assert CALLS["test.count"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 1


def test_running_job_is_not_claimed_twice(town_officer: Any) -> None:
    job = make_job(town_officer, status=JobStatus.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now())
    assert services.job_run(job_id=str(job.pk)) == "skipped"
    assert not CALLS


def test_outcome_is_not_recorded_once_recovery_took_the_job(town_officer: Any, monkeypatch: Any) -> None:
    job = make_job(town_officer, kind="test.plain")

    def taken_over(ctx: JobContext) -> None:
        Job.objects.filter(pk=ctx.job.pk).update(status=JobStatus.FAILED, finished_at=timezone.now(), error_message=INTERRUPTED)

    from wildlife.jobs import registry

    monkeypatch.setitem(registry._HANDLERS, "test.plain", registry.HandlerSpec(func=taken_over, label="x"))
    assert services.job_run(job_id=str(job.pk)) == "superseded"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error_message == INTERRUPTED


# --- progress throttling -----------------------------------------------------------------------------------------


def test_progress_writes_are_throttled(town_officer: Any, monkeypatch: Any) -> None:
    job = make_job(town_officer, status=JobStatus.RUNNING)
    ctx = JobContext(job)
    clock = [1000.0]
    monkeypatch.setattr(context_module.time, "monotonic", lambda: clock[0])
    with CaptureQueriesContext(connection) as queries:
        written = [ctx.progress(i, 10_000) for i in range(1, 10_001)]
    assert written.count(True) == 1  # the first call writes, the next 9,999 within 0.5 s do not
    assert len([q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]) == 1
    job.refresh_from_db()
    assert job.processed == 1  # the database holds the last written value
    clock[0] += 0.6
    assert ctx.progress(10_000) is True
    job.refresh_from_db()
    assert job.processed == 10_000 and job.heartbeat_at is not None
    assert ctx.progress(10_000) is False
    assert ctx.progress(10_000, force=True) is True


def test_checkpoint_is_stored_and_hidden_from_the_public_summary(town_officer: Any) -> None:
    job = make_job(town_officer, status=JobStatus.RUNNING, summary={"新增": 1})
    ctx = JobContext(job)
    assert ctx.resume_state == {} and not ctx.resumed
    ctx.progress(40, 100)
    ctx.checkpoint(row=40)
    job.refresh_from_db()
    assert job.summary["checkpoint"] == {"row": 40}
    assert job.processed == 40
    assert job.public_summary == {"新增": 1}
    assert JobContext(job).resume_state == {"row": 40}


# --- recovery ----------------------------------------------------------------------------------------------------


def _stale_running(owner: Any, minutes: int = 30, **kwargs: Any) -> Job:
    then = timezone.now() - timedelta(minutes=minutes)
    return make_job(owner, status=JobStatus.RUNNING, started_at=then, heartbeat_at=then, attempts=1, worker="elsewhere:1", **kwargs)


def test_jobs_recover_fails_a_stale_job_with_a_clear_reason(town_officer: Any, capsys: Any) -> None:
    stale = _stale_running(town_officer, minutes=30)
    fresh = _stale_running(town_officer, minutes=2)
    call_command("jobs_recover", "--stale-minutes", "10")
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == JobStatus.FAILED
    assert stale.error_message == INTERRUPTED
    assert stale.finished_at is not None and stale.error_count == 1
    assert INTERRUPTED in stale.log
    assert fresh.status == JobStatus.RUNNING
    assert AuditEvent.objects.filter(action="job_recovered", object_id=str(stale.pk), outcome="failure").exists()
    assert "标记失败 1 个" in capsys.readouterr().out
    # a second sweep has nothing left to do
    assert services.job_recover_stale(stale_minutes=10).failed == []


def test_stale_minutes_threshold_is_honoured(town_officer: Any) -> None:
    job = _stale_running(town_officer, minutes=30)
    assert services.job_recover_stale(stale_minutes=60).failed == []
    assert services.job_recover_stale(stale_minutes=20).failed == [str(job.pk)]


def test_resumable_job_is_requeued_and_continues_from_its_checkpoint(town_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    job = _stale_running(town_officer, kind="test.resumable", params={"n": 100}, processed=40, total=100, summary={"checkpoint": {"row": 40}}, log="[10:00:00] 开始")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = services.job_recover_stale(stale_minutes=10)
    assert result.requeued == [str(job.pk)] and result.failed == []
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert "重新排队" in job.log
    assert AuditEvent.objects.filter(action="job_requeued", object_id=str(job.pk)).exists()
    assert len(callbacks) == 1
    callbacks[0]()  # the enqueue: the immediate backend runs the job again
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 2
    assert job.summary == {"本次起始行": 40, "本次处理": 60}  # continued, and the checkpoint is gone
    assert job.log.startswith("[10:00:00] 开始")
    assert "继续运行（第 2 次）" in job.log


def test_resumable_job_fails_after_too_many_interruptions(town_officer: Any) -> None:
    job = _stale_running(town_officer, kind="test.resumable", summary={"checkpoint": {"row": 10}})
    Job.objects.filter(pk=job.pk).update(attempts=services.MAX_ATTEMPTS)
    result = services.job_recover_stale(stale_minutes=10)
    assert result.failed == [str(job.pk)]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "多次中断" in job.error_message and "请重新提交" in job.error_message


def test_a_dead_worker_on_this_host_is_recovered_at_once(town_officer: Any) -> None:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    dead = f"{services.worker_identity().rsplit(':', 1)[0]}:{process.pid}"
    alive = services.worker_identity()
    now = timezone.now()
    gone = make_job(town_officer, status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, worker=dead)
    mine = make_job(town_officer, status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, worker=alive)
    other_host = make_job(town_officer, status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, worker="another-host:1")
    result = services.job_recover_stale(stale_minutes=10)
    assert result.failed == [str(gone.pk)]
    assert Job.objects.get(pk=mine.pk).status == JobStatus.RUNNING
    assert Job.objects.get(pk=other_host.pk).status == JobStatus.RUNNING


def test_finished_and_queued_jobs_are_left_alone(town_officer: Any) -> None:
    old = timezone.now() - timedelta(hours=5)
    done = make_job(town_officer, status=JobStatus.SUCCEEDED, heartbeat_at=old, finished_at=old)
    queued = make_job(town_officer, status=JobStatus.QUEUED)
    assert services.job_recover_stale(stale_minutes=10).failed == []
    assert Job.objects.get(pk=done.pk).status == JobStatus.SUCCEEDED
    assert Job.objects.get(pk=queued.pk).status == JobStatus.QUEUED


def test_jobs_recover_rejects_a_bad_threshold() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("jobs_recover", "--stale-minutes", "0")


@pytest.mark.django_db(transaction=True)
def test_heartbeat_thread_keeps_a_long_step_fresh(town_officer: Any, settings: Any, monkeypatch: Any) -> None:
    import time

    settings.WILDLIFE_JOB_HEARTBEAT_SECONDS = 0.05
    job = make_job(town_officer, kind="test.plain")
    seen: list[Any] = []

    def slow(ctx: JobContext) -> None:
        first = Job.objects.get(pk=ctx.job.pk).heartbeat_at
        time.sleep(0.6)  # one long step that reports no progress
        seen.extend([first, Job.objects.get(pk=ctx.job.pk).heartbeat_at])

    from wildlife.jobs import registry

    monkeypatch.setitem(registry._HANDLERS, "test.plain", registry.HandlerSpec(func=slow, label="x"))
    assert services.job_run(job_id=str(job.pk)) == "succeeded"
    assert seen[1] > seen[0]
