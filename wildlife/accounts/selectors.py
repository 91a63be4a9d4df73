"""Reads for the administrators' pages: users, locked accounts, department permissions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.utils import timezone

from wildlife.accounts.choices import AdminRole, DepartmentKind
from wildlife.accounts.models import AccountLock, Department, User
from wildlife.accounts.roles import TOWN_KEY, declared_permissions

ACTIONS = ("view", "add", "change", "delete")
# departments never receive powers over accounts or the audit log: those belong to the administrators
_EXCLUDED_APPS = ("accounts", "audit")


def user_list(*, actor: Any, q: str = "", status: str = "", department: str = "", kind: str = "") -> QuerySet[User]:
    """Accounts for the system administrator's user pages (nobody else gets any)."""
    if getattr(actor, "admin_role", "") != AdminRole.SYSTEM:
        return User.objects.none()
    queryset = User.objects.all().prefetch_related("groups__department", "area_assignments__area").order_by("username")
    if q:
        queryset = queryset.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    if status == "active":
        queryset = queryset.filter(is_active=True)
    elif status == "disabled":
        queryset = queryset.filter(is_active=False)
    elif status == "locked":
        locked = AccountLock.objects.filter(locked_until__gt=timezone.now()).values_list("username", flat=True)
        queryset = queryset.filter(username__in=list(locked))
    if department:
        queryset = queryset.filter(groups__department__code=department)
    if kind == "admin":
        queryset = queryset.exclude(admin_role="")
    elif kind == "business":
        queryset = queryset.filter(admin_role="")
    return queryset.distinct()


def locked_accounts() -> QuerySet[AccountLock]:
    """Accounts whose lock has not yet ended, newest first."""
    return AccountLock.objects.filter(locked_until__gt=timezone.now()).order_by("-locked_at")


def locked_usernames(usernames: list[str]) -> set[str]:
    return set(locked_accounts().filter(username__in=[u.lower() for u in usernames]).values_list("username", flat=True))


def assignable_permissions() -> QuerySet[Permission]:
    """Permissions a department may be given: the platform's business models only."""
    return (
        Permission.objects.filter(content_type__app_label__in=_business_app_labels())
        .select_related("content_type")
        .order_by("content_type__app_label", "content_type__model", "codename")
    )


def _business_app_labels() -> list[str]:
    from django.apps import apps

    return [
        config.label
        for config in apps.get_app_configs()
        if (config.name.startswith("wildlife.") and config.label not in _EXCLUDED_APPS and config.label != "core")
    ]


@dataclass
class ModelRow:
    """One model in a department's permission matrix: which actions are granted and which the apps declare."""

    app_label: str
    model: str
    verbose_name: str
    granted: dict[str, bool] = field(default_factory=dict)
    declared: dict[str, bool] = field(default_factory=dict)
    permission_ids: dict[str, int] = field(default_factory=dict)
    extra: list[tuple[int, str, bool]] = field(default_factory=list)  # custom permissions: (id, name, granted)

    @property
    def cells(self) -> list[tuple[str, int | None, bool, bool]]:
        """(action, permission id, granted, declared) for view/add/change/delete, in that order."""
        return [
            (action, self.permission_ids.get(action), self.granted.get(action, False), self.declared.get(action, False))
            for action in ACTIONS
        ]

    @property
    def differs(self) -> bool:
        return self.granted != self.declared


def department_list() -> QuerySet[Department]:
    return Department.objects.select_related("group", "area").order_by("sort_order", "name")


def department_permission_matrix(department: Department) -> list[ModelRow]:
    """Per business model: the actions this department's group grants, next to what the apps declare for it."""
    key = TOWN_KEY if department.kind == DepartmentKind.TOWN_GOVERNMENT else department.code
    declared = declared_permissions().get(key, set())
    granted = set(department.group.permissions.values_list("pk", flat=True))
    rows: dict[tuple[str, str], ModelRow] = {}
    for perm in assignable_permissions():
        ct = perm.content_type
        model_class = ct.model_class()
        label = str(model_class._meta.verbose_name) if model_class is not None else ct.model
        row = rows.setdefault((ct.app_label, ct.model), ModelRow(ct.app_label, ct.model, label))
        full = f"{ct.app_label}.{perm.codename}"
        action = perm.codename.split("_", 1)[0]
        if perm.codename == f"{action}_{ct.model}" and action in ACTIONS:
            row.granted[action] = perm.pk in granted
            row.declared[action] = full in declared
            row.permission_ids[action] = perm.pk
        else:
            row.extra.append((perm.pk, str(perm.name), perm.pk in granted))
            if full in declared or perm.pk in granted:
                row.granted[perm.codename] = perm.pk in granted
                row.declared[perm.codename] = full in declared
    return list(rows.values())


def department_permission_summary() -> list[dict[str, Any]]:
    """Every department with how many model permissions it holds and whether that differs from what the apps declare."""
    result = []
    for department in department_list():
        matrix = department_permission_matrix(department)
        result.append(
            {
                "department": department,
                "granted": sum(1 for row in matrix for v in row.granted.values() if v),
                "differs": any(row.differs for row in matrix),
                "models": [row for row in matrix if any(row.granted.values())],
            }
        )
    return result
