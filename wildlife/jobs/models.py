"""Long-running work (imports, exports, scans, reports) tracked for the user who started it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class Job(models.Model):
    """One run of a registered job kind, with progress, a log, an error report and an optional result file.

    Only the owner (and nobody outside the owner's scope) may download the result or the report.
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
    log = models.TextField(_("日志"), blank=True)
    summary = models.JSONField(_("结果摘要"), default=dict, blank=True)
    input_file = models.FileField(_("输入文件"), upload_to="jobs/input/%Y/%m/", blank=True, max_length=300)
    result_file = models.FileField(_("结果文件"), upload_to="jobs/result/%Y/%m/", blank=True, max_length=300)
    report_file = models.FileField(_("错误报告"), upload_to="jobs/report/%Y/%m/", blank=True, max_length=300)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("心跳时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def progress(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.processed * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
