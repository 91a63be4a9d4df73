"""In-app notifications (the bell) and the record of SMS/e-mail messages sent through the pluggable senders.

Generic on purpose: any app may call `wildlife.disease.notify.notification_send()`; the model knows nothing of
disease work beyond the optional link to the object it is about.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wildlife.disease.choices import MessageChannel, MessageStatus


class Notification(models.Model):
    """A message to one user, shown under the bell until read. `dedupe_key` (when set) is unique per recipient, so
    a job that runs twice notifies once."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~Q(dedupe_key=""), name="disease_notification_recipient_key_unique"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="disease_notification_unread")]

    def __str__(self) -> str:
        return self.title


class OutboundMessage(models.Model):
    """An SMS or e-mail handed to a sender, with the outcome (kept for the record and for retries by operators)."""

    channel = models.CharField(_("渠道"), max_length=10, choices=MessageChannel.choices)
    to = models.CharField(_("接收地址"), max_length=200)
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    status = models.CharField(_("状态"), max_length=10, choices=MessageStatus.choices)
    provider_id = models.CharField(_("发送凭据"), max_length=100, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    notification = models.ForeignKey(Notification, verbose_name=_("站内通知"), on_delete=models.SET_NULL, null=True, blank=True, related_name="messages")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("外发消息")
        verbose_name_plural = _("外发消息")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.to}"
