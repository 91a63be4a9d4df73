"""Users, departments, area assignments and the live security policy."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from wildlife.accounts.choices import AdminRole, AssignmentRole, DepartmentKind


class PlatformUserManager(UserManager["User"]):
    """Usernames are case-insensitive: `Demo_Town` and `demo_town` are the same account."""

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A person who logs in: a business user (department + area assignments) or one of the three administrators."""

    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    admin_role = models.CharField(
        _("管理员角色"), max_length=10, choices=AdminRole.choices, blank=True, default=AdminRole.NONE
    )
    mfa_required = models.BooleanField(
        _("要求双因素认证"), default=False, help_text=_("管理员角色始终要求；业务用户可由安全管理员开启")
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示账号"), default=False)

    objects = PlatformUserManager()  # type: ignore[misc]  # the stubs declare `objects` as a ClassVar

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_admin_role(self) -> bool:
        return bool(self.admin_role)

    @property
    def needs_mfa(self) -> bool:
        return self.is_admin_role or self.mfa_required

    def departments(self) -> models.QuerySet[Department]:
        return Department.objects.filter(group__user=self)


class Department(models.Model):
    """A department or town government; its Group grants the model permissions (what kind of records)."""

    group = models.OneToOneField(Group, verbose_name=_("权限组"), on_delete=models.CASCADE, related_name="department")
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    kind = models.CharField(_("类型"), max_length=30, choices=DepartmentKind.choices)
    area = models.ForeignKey(
        "geo.AdminArea", verbose_name=_("所在区划"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class AreaAssignment(models.Model):
    """Where a user works: an area (and everything below it) with a role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="area_assignments"
    )
    area = models.ForeignKey("geo.AdminArea", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("角色"), max_length=10, choices=AssignmentRole.choices, default=AssignmentRole.OFFICER)
    created_at = models.DateTimeField(_("分配时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("区域分配")
        verbose_name_plural = _("区域分配")
        constraints = [models.UniqueConstraint(fields=["user", "area"], name="accounts_assignment_user_area_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.area} ({self.get_role_display()})"


class LoginAttempt(models.Model):
    """One login attempt, kept for lockout decisions (per account, whatever the IP) and the audit trail."""

    username = models.CharField(_("用户名(小写)"), max_length=150, db_index=True)
    attempted_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    succeeded = models.BooleanField(_("成功"), default=False)

    class Meta:
        verbose_name = _("登录尝试")
        verbose_name_plural = _("登录尝试")
        indexes = [models.Index(fields=["username", "attempted_at"], name="accounts_attempt_user_time")]

    def __str__(self) -> str:
        return f"{self.username} {self.attempted_at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'failed'}"


class AccountLock(models.Model):
    """An account locked after too many failures, until `locked_until` or an administrator unlocks it."""

    username = models.CharField(_("用户名(小写)"), max_length=150, unique=True)
    locked_at = models.DateTimeField(_("锁定时间"))
    locked_until = models.DateTimeField(_("解锁时间"))

    class Meta:
        verbose_name = _("账号锁定")
        verbose_name_plural = _("账号锁定")

    def __str__(self) -> str:
        return f"{self.username} → {self.locked_until:%Y-%m-%d %H:%M}"


class SecurityPolicy(models.Model):
    """The live security policy (one row), edited by the security administrator; defaults from settings."""

    password_min_length = models.PositiveSmallIntegerField(_("密码最短长度"), default=8)
    password_min_classes = models.PositiveSmallIntegerField(
        _("密码至少包含的字符类别数"), default=3, help_text=_("大写字母、小写字母、数字、符号四类中至少几类")
    )
    lockout_threshold = models.PositiveSmallIntegerField(_("连续失败锁定次数"), default=5)
    lockout_window_minutes = models.PositiveSmallIntegerField(_("失败计数时间窗(分钟)"), default=15)
    lockout_minutes = models.PositiveSmallIntegerField(_("锁定时长(分钟)"), default=30)
    idle_timeout_minutes = models.PositiveSmallIntegerField(_("空闲超时(分钟)"), default=30)
    absolute_timeout_hours = models.PositiveSmallIntegerField(_("会话最长时长(小时)"), default=12)
    mfa_required_for_all = models.BooleanField(_("所有用户均要求双因素认证"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更新人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("安全策略")
        verbose_name_plural = _("安全策略")

    def __str__(self) -> str:
        return str(_("安全策略"))

    @classmethod
    def current(cls) -> SecurityPolicy:
        """The saved policy, or (before the security administrator first saves one) the defaults from settings."""
        saved = SecurityPolicy.objects.order_by("pk").first()
        if saved is not None:
            return saved
        defaults: dict[str, Any] = dict(getattr(settings, "WILDLIFE_SECURITY_DEFAULTS", {}))
        return SecurityPolicy(**defaults)


class ApiToken(models.Model):
    """An expiring, revocable API token. Only a SHA-256 hash of the key is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    prefix = models.CharField(_("令牌前缀"), max_length=8)
    name = models.CharField(_("用途"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
