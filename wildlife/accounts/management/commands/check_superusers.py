"""`manage.py check_superusers`: list accounts with is_superuser or is_staff; exit code 1 when there is any."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wildlife.accounts.checks import privileged_accounts


class Command(BaseCommand):
    help = "检查是否存在超级用户或 staff 账号（生产环境不允许，三员分立）。存在时退出码为 1。"

    def handle(self, *args: Any, **options: Any) -> None:
        found = privileged_accounts()
        if not found:
            self.stdout.write(self.style.SUCCESS("没有超级用户或 staff 账号。"))
            return
        for username, superuser, staff in found:
            flags = "、".join(f for f, on in (("is_superuser", superuser), ("is_staff", staff)) if on)
            self.stdout.write(f"{username}: {flags}")
        raise CommandError(f"发现 {len(found)} 个超级用户或 staff 账号，请取消这些标记。", returncode=1)
