"""The append-only, hash-chained audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """How an audited action ended."""

    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")


class AuditEvent(models.Model):
    """One audited action. Rows are only ever inserted: database triggers refuse UPDATE, DELETE and TRUNCATE.

    `entry_hmac` = HMAC-SHA256(key, previous entry_hmac ‖ canonical fields); the key comes from the environment
    (WILDLIFE_AUDIT_KEY), so someone with database access alone cannot rewrite history without `audit_verify`
    noticing. `seq` is a gap-free sequence: a deleted or inserted row breaks it.

    Retention: events are kept at least 180 days (等保 2.0); the platform has no command that deletes them.
    """

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    occurred_at = models.DateTimeField(_("时间"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        # an account with history is disabled, never deleted (SET_NULL would need an UPDATE the trigger refuses)
        on_delete=models.PROTECT,
        related_name="+",
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    role = models.CharField(_("角色"), max_length=60, blank=True)
    ip = models.CharField(_("IP 地址"), max_length=64, blank=True)
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    before_digest = models.CharField(_("变更前摘要"), max_length=64, blank=True)
    after_digest = models.CharField(_("变更后摘要"), max_length=64, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hmac = models.CharField(_("前一条校验值"), max_length=64)
    entry_hmac = models.CharField(_("校验值"), max_length=64)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-seq"]
        permissions = [("export_auditevent", _("可导出审计日志"))]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.username}"
