"""Writes on accounts, departments, area assignments, second factors, the security policy and API tokens.

Every service checks who may call it (三员分立: each administrator holds only their own powers), runs in one
transaction and records an audit event. Business users never hold an administrator role and administrators never
hold departments or areas; both rules are checked here, whatever the caller.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from wildlife.accounts import lockout
from wildlife.accounts.choices import AdminRole, AssignmentRole
from wildlife.accounts.models import ApiToken, AreaAssignment, Department, SecurityPolicy, User
from wildlife.accounts.roles import ADMIN_GROUPS, ensure_admin_group
from wildlife.audit.models import Outcome
from wildlife.audit.services import audit_record
from wildlife.core.api.authentication import hash_token
from wildlife.core.scope import forget_scope
from wildlife.geo.models import AdminArea

USER_TYPE = "accounts.user"
POLICY_FIELDS = (
    "password_min_length",
    "password_min_classes",
    "lockout_threshold",
    "lockout_window_minutes",
    "lockout_minutes",
    "idle_timeout_minutes",
    "absolute_timeout_hours",
    "mfa_required_for_all",
)
# bounds the security administrator may choose within; the floor is the 等保 level-3 baseline
POLICY_BOUNDS: dict[str, tuple[int, int]] = {
    "password_min_length": (8, 64),
    "password_min_classes": (2, 4),
    "lockout_threshold": (3, 10),
    "lockout_window_minutes": (5, 120),
    "lockout_minutes": (10, 1440),
    "idle_timeout_minutes": (5, 30),
    "absolute_timeout_hours": (1, 24),
}
_PASSWORD_ALPHABETS = (
    "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "abcdefghijkmnopqrstuvwxyz",
    "23456789",
    "!#%+-=?@_",
)


# --- guards ---------------------------------------------------------------------------------------------------------


def require_admin_role(actor: Any, role: str) -> None:
    """Refuse unless `actor` is the administrator holding `role` (PermissionDenied)."""
    if not getattr(actor, "is_authenticated", False) or getattr(actor, "admin_role", "") != role or not actor.is_active:
        raise PermissionDenied(_("只有%(role)s可以执行此操作。") % {"role": AdminRole(role).label})


def _require_business_user(user: User) -> None:
    if user.admin_role:
        raise ValidationError(_("管理员账号（%(role)s）不能分配部门或区域，也不能由系统管理员修改。") % {"role": user.get_admin_role_display()})


def is_business_user(user: User) -> bool:
    """A user with a department or an area assignment (and so, never an administrator)."""
    return user.groups.filter(department__isnull=False).exists() or AreaAssignment.objects.filter(user=user).exists()


def user_snapshot(user: User) -> dict[str, Any]:
    """The account facts whose change is audited (as before/after digests)."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "phone": user.phone,
        "email": user.email,
        "is_active": user.is_active,
        "admin_role": user.admin_role,
        "mfa_required": user.mfa_required,
        "departments": sorted(Department.objects.filter(group__user=user).values_list("code", flat=True)) if user.pk else [],
        "areas": sorted(
            f"{code}:{role}" for code, role in AreaAssignment.objects.filter(user=user).values_list("area__code", "role")
        )
        if user.pk
        else [],
    }


# --- passwords ------------------------------------------------------------------------------------------------------


def generate_password(length: int = 14) -> str:
    """A random password that satisfies any policy the security administrator can choose (all four classes)."""
    length = max(length, SecurityPolicy.current().password_min_length + 2)
    while True:
        chars = [secrets.choice(alphabet) for alphabet in _PASSWORD_ALPHABETS]
        everything = "".join(_PASSWORD_ALPHABETS)
        chars += [secrets.choice(everything) for _i in range(length - len(chars))]
        secrets.SystemRandom().shuffle(chars)
        candidate = "".join(chars)
        if candidate[0] in string.ascii_letters + string.digits:
            return candidate


def _set_password(user: User, password: str | None) -> str | None:
    """Validate and set `password`, or generate one; returns the generated password (shown once) or None."""
    generated = None
    if not password:
        generated = password = generate_password()
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.password_changed_at = timezone.now()
    return generated


def _clean_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not name:
        raise ValidationError({"username": _("请填写用户名。")})
    try:
        UnicodeUsernameValidator()(name)
    except ValidationError as exc:
        raise ValidationError({"username": _("用户名只能包含字母、数字和 @ . + - _ 字符。")}) from exc
    if len(name) > 150:
        raise ValidationError({"username": _("用户名不能超过 150 个字符。")})
    if User.objects.filter(username__iexact=name).exists():
        raise ValidationError({"username": _("用户名“%(name)s”已存在（用户名不区分大小写）。") % {"name": name}})
    return name


# --- business users (system administrator) ---------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    display_name: str,
    phone: str = "",
    email: str = "",
    departments: Iterable[Department] = (),
    area: AdminArea | None = None,
    area_role: str = AssignmentRole.OFFICER,
    password: str | None = None,
) -> tuple[User, str | None]:
    """Create a business user (never an administrator). Returns the user and the generated password, if any."""
    require_admin_role(actor, AdminRole.SYSTEM)
    user = User(
        username=_clean_username(username), display_name=display_name.strip(), phone=phone.strip(), email=email.strip()
    )
    generated = _set_password(user, password)
    user.save()
    user.groups.set([d.group for d in departments])
    if area is not None:
        AreaAssignment.objects.create(user=user, area=area, role=area_role)
    audit_record(
        action="user_created",
        actor=actor,
        obj=user,
        after=user_snapshot(user),
        detail={"departments": user_snapshot(user)["departments"], "password": "generated" if generated else "set"},
    )
    return user, generated


@transaction.atomic
def user_update(*, actor: Any, user: User, display_name: str, phone: str = "", email: str = "") -> User:
    """Edit a business user's name and contact details."""
    require_admin_role(actor, AdminRole.SYSTEM)
    _require_business_user(user)
    before = user_snapshot(user)
    user.display_name, user.phone, user.email = display_name.strip(), phone.strip(), email.strip()
    user.save(update_fields=["display_name", "phone", "email"])
    changed = sorted(k for k, v in user_snapshot(user).items() if before[k] != v)
    audit_record(action="user_updated", actor=actor, obj=user, before=before, after=user_snapshot(user), detail={"changed": changed})
    return user


@transaction.atomic
def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    """Disable (or enable again) a business user. Disabling also revokes the user's API tokens."""
    require_admin_role(actor, AdminRole.SYSTEM)
    _require_business_user(user)
    if user.pk == actor.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    before = user_snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    revoked = 0
    if not active:
        revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(
        action="user_enabled" if active else "user_disabled",
        actor=actor,
        obj=user,
        before=before,
        after=user_snapshot(user),
        detail={"tokens_revoked": revoked},
    )
    return user


@transaction.atomic
def user_departments_set(*, actor: Any, user: User, departments: Iterable[Department]) -> User:
    """Set the departments (permission groups) of a business user."""
    require_admin_role(actor, AdminRole.SYSTEM)
    _require_business_user(user)
    before = user_snapshot(user)
    wanted = {d.group_id for d in departments}
    kept_other = list(user.groups.filter(department__isnull=True))  # groups that are not departments stay
    user.groups.set([*kept_other, *(d.group for d in Department.objects.filter(group_id__in=wanted))])
    after = user_snapshot(user)
    audit_record(
        action="user_departments_changed",
        actor=actor,
        obj=user,
        before=before,
        after=after,
        detail={"from": before["departments"], "to": after["departments"]},
    )
    return user


@transaction.atomic
def user_area_assign(*, actor: Any, user: User, area: AdminArea, role: str) -> AreaAssignment:
    """Assign an area (and everything below it) to a business user with a role; re-assigning changes the role."""
    require_admin_role(actor, AdminRole.SYSTEM)
    _require_business_user(user)
    if role not in AssignmentRole.values:
        raise ValidationError({"role": _("未知的区域角色。")})
    before = user_snapshot(user)
    assignment, created = AreaAssignment.objects.update_or_create(user=user, area=area, defaults={"role": role})
    forget_scope(user)
    audit_record(
        action="user_area_assigned" if created else "user_area_role_changed",
        actor=actor,
        obj=user,
        before=before,
        after=user_snapshot(user),
        detail={"area": area.code, "area_name": area.name, "role": role},
    )
    return assignment


@transaction.atomic
def user_area_unassign(*, actor: Any, assignment: AreaAssignment) -> None:
    """Remove one area assignment."""
    require_admin_role(actor, AdminRole.SYSTEM)
    user = assignment.user
    before = user_snapshot(user)
    area = assignment.area
    assignment.delete()
    forget_scope(user)
    audit_record(
        action="user_area_removed",
        actor=actor,
        obj=user,
        before=before,
        after=user_snapshot(user),
        detail={"area": area.code, "area_name": area.name},
    )


@transaction.atomic
def user_unlock(*, actor: Any, username: str) -> bool:
    """Lift a lockout before it ends (any account; unlocking grants no power)."""
    require_admin_role(actor, AdminRole.SYSTEM)
    return lockout.unlock_account(actor=actor, username=username)


@transaction.atomic
def user_mfa_reset(*, actor: Any, user: User) -> int:
    """Delete a business user's second-factor devices (lost phone); they enrol again at the next login."""
    require_admin_role(actor, AdminRole.SYSTEM)
    _require_business_user(user)
    deleted, _details = TOTPDevice.objects.filter(user=user).delete()
    audit_record(action="mfa_reset", actor=actor, obj=user, detail={"devices_deleted": deleted})
    return deleted


@transaction.atomic
def user_password_reset(*, actor: Any, user: User, password: str | None = None) -> str | None:
    """Set a new password for a business user (validated), or generate one that is shown once."""
    require_admin_role(actor, AdminRole.SYSTEM)
    _require_business_user(user)
    generated = _set_password(user, password)
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(action="password_reset", actor=actor, obj=user, detail={"password": "generated" if generated else "set"})
    return generated


# --- the user's own account -------------------------------------------------------------------------------------------


def password_change_own(*, actor: User, old_password: str, new_password: str) -> None:
    """Change one's own password: the old one must be right and the new one must satisfy the policy."""
    if not actor.check_password(old_password):
        # recorded outside any transaction that the refusal rolls back
        audit_record(action="password_changed", actor=actor, obj=actor, outcome=Outcome.FAILURE, detail={"reason": "bad_old_password"})
        raise ValidationError({"old_password": _("当前密码不正确。")})
    if old_password == new_password:
        raise ValidationError({"new_password1": _("新密码不能与当前密码相同。")})
    with transaction.atomic():
        _set_password(actor, new_password)
        actor.save(update_fields=["password", "password_changed_at"])
        audit_record(action="password_changed", actor=actor, obj=actor)


def mfa_pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (created on first use; its secret is shown until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("手机令牌"), confirmed=False)
    return device


@transaction.atomic
def mfa_enrol_confirm(*, actor: User, device: TOTPDevice, token: str) -> bool:
    """Confirm an enrolment with a code from the authenticator app. A wrong code counts toward the lockout."""
    if device.user_id != actor.pk or device.confirmed:
        raise PermissionDenied(_("令牌不属于当前用户。"))
    if not device.verify_token(token.strip()):
        audit_record(action="mfa_enrol", actor=actor, obj=actor, outcome=Outcome.FAILURE, detail={"reason": "bad_code"})
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    audit_record(action="mfa_enrolled", actor=actor, obj=actor, detail={"device": device.persistent_id})
    return True


def mfa_disable_own(*, actor: User, password: str, required: bool) -> int:
    """Switch off one's own optional second factor (password confirmed); refused where the policy requires it."""
    if required:
        raise ValidationError(_("您的账号必须使用双因素认证，不能关闭。"))
    if not actor.check_password(password):
        audit_record(action="mfa_disabled", actor=actor, obj=actor, outcome=Outcome.FAILURE, detail={"reason": "bad_password"})
        raise ValidationError({"password": _("密码不正确。")})
    with transaction.atomic():
        deleted, _details = TOTPDevice.objects.filter(user=actor).delete()
        audit_record(action="mfa_disabled", actor=actor, obj=actor, detail={"devices_deleted": deleted})
    return deleted


# --- administrators (management command only) --------------------------------------------------------------------------


@transaction.atomic
def admin_create(*, username: str, role: str, display_name: str = "", password: str | None = None, operator: str = "") -> tuple[User, str | None]:
    """Create one of the three administrators. Only the `create_admin` command calls this: nobody grants powers in the UI."""
    if role not in (AdminRole.SYSTEM, AdminRole.SECURITY, AdminRole.AUDIT):
        raise ValidationError({"role": _("管理员角色只能是 system、security 或 audit。")})
    user = User(username=_clean_username(username), display_name=display_name or str(AdminRole(role).label), admin_role=role)
    generated = _set_password(user, password)
    user.save()
    user.groups.set([ensure_admin_group(role)])
    audit_record(
        action="admin_created",
        username=operator or "manage.py",
        obj=user,
        after=user_snapshot(user),
        detail={"role": role, "group": ADMIN_GROUPS[role], "via": "create_admin"},
    )
    return user, generated


# --- security administrator ---------------------------------------------------------------------------------------------


def _policy_values(policy: SecurityPolicy) -> dict[str, Any]:
    return {name: getattr(policy, name) for name in POLICY_FIELDS}


@transaction.atomic
def security_policy_update(*, actor: Any, **values: Any) -> SecurityPolicy:
    """Change the live security policy within the allowed bounds; takes effect at once."""
    require_admin_role(actor, AdminRole.SECURITY)
    errors: dict[str, list[str]] = {}
    for name, (low, high) in POLICY_BOUNDS.items():
        if name in values and not (low <= int(values[name]) <= high):
            errors[name] = [_("取值须在 %(low)d 到 %(high)d 之间。") % {"low": low, "high": high}]
    if errors:
        raise ValidationError(errors)
    policy = SecurityPolicy.objects.select_for_update().order_by("pk").first() or SecurityPolicy.current()
    before = _policy_values(policy)
    for name in POLICY_FIELDS:
        if name in values:
            setattr(policy, name, values[name])
    policy.updated_by = actor
    policy.save()
    after = _policy_values(policy)
    changes = {name: [before[name], after[name]] for name in POLICY_FIELDS if before[name] != after[name]}
    audit_record(action="security_policy_changed", actor=actor, obj=policy, before=before, after=after, detail={"changes": changes})
    from wildlife.accounts.middleware import forget_cached_policy

    transaction.on_commit(forget_cached_policy)
    forget_cached_policy()
    return policy


@transaction.atomic
def department_permissions_set(*, actor: Any, department: Department, permissions: Iterable[Permission]) -> dict[str, list[str]]:
    """Set what kinds of records a department may view/add/change/delete. Returns the permissions added and removed."""
    require_admin_role(actor, AdminRole.SECURITY)
    from wildlife.accounts.selectors import assignable_permissions

    allowed = set(assignable_permissions().values_list("pk", flat=True))
    wanted = [p for p in permissions if p.pk in allowed]
    group = department.group
    before = sorted(f"{app}.{code}" for app, code in group.permissions.values_list("content_type__app_label", "codename"))
    group.permissions.set(wanted)
    after = sorted(f"{app}.{code}" for app, code in group.permissions.values_list("content_type__app_label", "codename"))
    change = {"added": sorted(set(after) - set(before)), "removed": sorted(set(before) - set(after))}
    audit_record(
        action="department_permissions_changed",
        actor=actor,
        obj=department,
        before=before,
        after=after,
        detail=change,
    )
    return change


# --- API tokens ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def api_token_issue(*, user: User, name: str = "", via_mfa: bool = False) -> tuple[str, ApiToken]:
    """Issue an expiring token; the raw key is returned once and only its SHA-256 hash is stored."""
    raw = secrets.token_urlsafe(32)
    hours = int(getattr(settings, "WILDLIFE_API_TOKEN_HOURS", 12))
    token = ApiToken.objects.create(
        user=user, key_hash=hash_token(raw), prefix=raw[:8], name=name[:100], expires_at=timezone.now() + timedelta(hours=hours)
    )
    audit_record(
        action="api_token_issued",
        actor=user,
        obj=user,
        detail={"token": token.prefix, "expires_at": token.expires_at.isoformat(), "mfa": via_mfa},
    )
    return raw, token


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken | None = None, revoke_all: bool = False) -> int:
    """Revoke the caller's token, or all of the caller's tokens."""
    now = timezone.now()
    queryset = ApiToken.objects.filter(user=actor, revoked_at__isnull=True)
    if not revoke_all:
        if token is None or token.user_id != actor.pk:
            raise ValidationError({"all": _("请用要吊销的令牌发起请求，或指定 all=true 吊销全部令牌。")})
        queryset = queryset.filter(pk=token.pk)
    prefixes = list(queryset.values_list("prefix", flat=True))
    count = queryset.update(revoked_at=now)
    audit_record(action="api_token_revoked", actor=actor, obj=actor, detail={"tokens": prefixes, "all": revoke_all})
    return count

