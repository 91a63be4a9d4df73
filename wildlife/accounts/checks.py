"""Deployment check: no superuser or staff account (三员分立 leaves no all-powerful account)."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError


def privileged_accounts() -> list[tuple[str, bool, bool]]:
    """(username, is_superuser, is_staff) of every account holding Django's built-in all-powerful flags."""
    from django.db.models import Q

    from wildlife.accounts.models import User

    return list(User.objects.filter(Q(is_superuser=True) | Q(is_staff=True)).order_by("username").values_list("username", "is_superuser", "is_staff"))


def check_superusers(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        found = privileged_accounts()
    except DatabaseError:
        return [checks.Warning("无法读取用户表，未能检查超级用户（数据库未迁移？）", id="accounts.W001")]
    return [
        checks.Error(
            f"账号 {username} 拥有{'超级用户' if superuser else ''}{'、' if superuser and staff else ''}{'后台管理' if staff else ''}权限",
            hint="生产环境不应有超级用户或 staff 账号：三员分立，请改为 create_admin 创建的管理员角色并取消该标记。",
            id="accounts.E001",
        )
        for username, superuser, staff in found
    ]
