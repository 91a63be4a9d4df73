"""Departments of the notice and the model permissions their groups grant.

Each app declares on its AppConfig `department_permissions = {dept_code: {"model": "view,add,change,delete"}}`;
`sync_department_permissions()` turns that into Group permissions. Town governments share the key "town".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    role_note: str


DISTRICT_DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec("natural_resources", "区自然资源局", "陆生野生动物主管；资源调查、栖息地、救护、疫源疫病、执法"),
    DepartmentSpec("agriculture", "区农业农村局", "水生野生动物主管；水生资源调查、增殖放流、动物防疫"),
    DepartmentSpec("market", "区市场监管局", "交易监管牵头；线上线下市场检查、网络交易监测"),
    DepartmentSpec("police", "区公安分局", "打击涉野生动物违法犯罪；案件侦办"),
    DepartmentSpec("finance", "区财政局", "经费保障；应急物资、致害补偿资金"),
    DepartmentSpec("ecology", "区生态环境局", "宣传活动；栖息地生态环境"),
    DepartmentSpec("cyberspace", "区委网信办", "网络违规信息清理"),
    DepartmentSpec("big_data", "区大数据局", "数字化管理与数据共享"),
    DepartmentSpec("post", "周村邮政分公司", "寄递环节监管配合"),
)
TOWN_KEY = "town"

ADMIN_GROUPS = {
    "system": "系统管理员",
    "security": "安全管理员",
    "audit": "审计管理员",
}


def declared_permissions() -> dict[str, set[str]]:
    """{dept_code: {"app_label.codename"}} collected from every app's AppConfig.department_permissions."""
    result: dict[str, set[str]] = {}
    for config in apps.get_app_configs():
        declared: dict[str, dict[str, str]] = getattr(config, "department_permissions", {}) or {}
        for dept_code, models_actions in declared.items():
            bucket = result.setdefault(dept_code, set())
            for model_name, actions in models_actions.items():
                for action in [a.strip() for a in actions.split(",") if a.strip()]:
                    codename = action if "_" in action else f"{action}_{model_name}"
                    bucket.add(f"{config.label}.{codename}")
    return result


def permissions_for(codes: set[str]) -> list[Permission]:
    perms: list[Permission] = []
    for full in sorted(codes):
        app_label, codename = full.split(".", 1)
        perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if perm is None:
            raise LookupError(f"permission {full} does not exist (run migrate)")
        perms.append(perm)
    return perms


@transaction.atomic
def sync_department_permissions() -> dict[str, int]:
    """Set each department group's permissions to what the apps declare (idempotent)."""
    from wildlife.accounts.choices import DepartmentKind
    from wildlife.accounts.models import Department

    declared = declared_permissions()
    counts: dict[str, int] = {}
    for department in Department.objects.select_related("group"):
        key = TOWN_KEY if department.kind == DepartmentKind.TOWN_GOVERNMENT else department.code
        perms = permissions_for(declared.get(key, set()))
        department.group.permissions.set(perms)
        counts[department.code] = len(perms)
    return counts


def ensure_admin_group(role: str) -> Group:
    group, _created = Group.objects.get_or_create(name=ADMIN_GROUPS[role])
    return group
