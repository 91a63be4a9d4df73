"""Abstract models every scoped register builds on. No concrete domain models live in core."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wildlife.core.querysets import ScopedManager


class TimeStampedModel(models.Model):
    """Creation and last-change times."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class ScopedModel(TimeStampedModel):
    """A record that belongs to a town (`area`) and its district, set at write time by a service.

    `objects.restrict(user, action)` limits it to the user's department permissions and assigned areas.
    `version` supports optimistic locking of concurrent edits.
    """

    area = models.ForeignKey(
        "geo.AdminArea", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "geo.AdminArea", verbose_name=_("所属区"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = ScopedManager()
    scope_area_field = "area"

    class Meta:
        abstract = True


class IdempotencyRecord(models.Model):
    """The stored answer to a write sent with an Idempotency-Key, so a retry returns the first result."""

    key = models.CharField(_("幂等键"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+")
    method = models.CharField(_("方法"), max_length=10)
    path = models.CharField(_("路径"), max_length=300)
    body_hash = models.CharField(_("请求摘要"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("状态码"))
    response_body = models.JSONField(_("响应"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("幂等记录")
        verbose_name_plural = _("幂等记录")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_user_key_unique")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
