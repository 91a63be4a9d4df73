"""Long-running work (imports, exports, scans, reports) tracked for the user who started it."""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


FINISHED_STATUSES = (JobStatus.SUCCEEDED, JobStatus.FAILED)


class JobQuerySet(models.QuerySet["Job"]):
    """Jobs are private to the user who started them: no department, area or administrator role widens that."""

    def owned_by(self, user: Any) -> JobQuerySet:
        if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return self.none()
        return self.filter(owner=user)

    def restrict(self, user: Any, action: str = "view") -> JobQuerySet:
        """The user-facing queryset (the same name as ScopedQuerySet.restrict): the user's own jobs, for any action."""
        return self.owned_by(user)

    def unfinished(self) -> JobQuerySet:
        return self.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))


class Job(models.Model):
    """One run of a registered job kind, with progress, a log, an error report and an optional result file.

    Only the owner sees the job and downloads its files (through the checked views in jobs.views; the files are
    never served from a public media URL). `heartbeat_at` is refreshed while a worker runs the job, so a job left
    "running" by a dead worker can be told apart (`manage.py jobs_recover`).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("任务类型"), max_length=60, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="jobs"
    )
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    processed = models.PositiveBigIntegerField(_("已处理"), default=0)
    total = models.PositiveBigIntegerField(_("总数"), null=True, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    error_message = models.CharField(_("失败原因"), max_length=1000, blank=True)
    log = models.TextField(_("日志"), blank=True)
    summary = models.JSONField(_("结果摘要"), default=dict, blank=True)
    input_file = models.FileField(_("输入文件"), upload_to="jobs/input/%Y/%m/", blank=True, max_length=300)
    result_file = models.FileField(_("结果文件"), upload_to="jobs/result/%Y/%m/", blank=True, max_length=300)
    report_file = models.FileField(_("错误报告"), upload_to="jobs/report/%Y/%m/", blank=True, max_length=300)
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)
    worker = models.CharField(_("工作进程"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("心跳时间"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="jobs_job_owner_created_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="jobs_job_status_heartbeat_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=JobStatus.values), name="jobs_job_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(status__in=[s.value for s in FINISHED_STATUSES]),
                name="jobs_job_finished_only_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def progress(self) -> int:
        """0–100; a finished job is 100 when it succeeded, its real share otherwise."""
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.processed * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def kind_label(self) -> str:
        from wildlife.jobs.registry import kind_label

        return kind_label(self.kind)

    @property
    def result_download_url(self) -> str:
        return reverse("jobs:download", args=[self.pk, "result"]) if self.result_file else ""

    @property
    def report_download_url(self) -> str:
        return reverse("jobs:download", args=[self.pk, "report"]) if self.report_file else ""

    @property
    def input_filename(self) -> str:
        return os.path.basename(self.input_file.name or "")

    @property
    def public_summary(self) -> dict[str, Any]:
        """The summary without the handler's private checkpoint."""
        return {k: v for k, v in (self.summary or {}).items() if k != "checkpoint"}

    @property
    def summary_items(self) -> list[tuple[str, str]]:
        """(label, text) pairs of the public summary for display: numbers grouped, lists joined."""
        return [(str(key), _display(value)) for key, value in self.public_summary.items()]


def _display(value: Any) -> str:
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, (int, float)):
        return number_format(value, force_grouping=True)
    if isinstance(value, (list, tuple)):
        return "、".join(_display(item) for item in value)
    if isinstance(value, dict):
        return "；".join(f"{k}: {_display(v)}" for k, v in value.items())
    return "" if value is None else str(value)


class ScheduledRun(models.Model):
    """When a periodic task last ran. Workers claim a due run with a checked update, so it runs once per period
    however many workers there are."""

    name = models.CharField(_("计划任务"), max_length=100, unique=True)
    last_started_at = models.DateTimeField(_("上次开始"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("上次结束"), null=True, blank=True)
    last_outcome = models.CharField(_("上次结果"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("计划任务运行记录")
        verbose_name_plural = _("计划任务运行记录")

    def __str__(self) -> str:
        return self.name
