"""Load the 周村区 demo: areas, departments, demo accounts, species catalogue and each module's demo records.

Idempotent: a second run changes nothing. Refused outside demo mode (production settings never load demo data).
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "加载周村区演示数据（仅演示模式）"

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.WILDLIFE_DEMO_MODE:
            raise CommandError("演示数据只能在演示模式下加载 (WILDLIFE_DEMO_MODE is off; production never loads demo data)")
        password = os.environ.get("WILDLIFE_DEMO_PASSWORD", "")
        if not password:
            raise CommandError("请设置 WILDLIFE_DEMO_PASSWORD（演示账号密码）")
        from wildlife.accounts.demo import ensure_demo_users
        from wildlife.accounts.passwords import PolicyPasswordValidator
        from wildlife.geo.reference import ensure_zhoucun_areas

        try:
            PolicyPasswordValidator().validate(password)
        except Exception as exc:
            raise CommandError(f"WILDLIFE_DEMO_PASSWORD 不符合密码策略: {exc}") from exc
        areas = ensure_zhoucun_areas()
        self.stdout.write(f"行政区划: {len(areas)} 个（示意边界）")
        result = ensure_demo_users(password)
        self.stdout.write(f"演示账号: 新建 {result['users_created']} 个")
        for config in apps.get_app_configs():
            loader_path = getattr(config, "demo_loader", None)
            if not loader_path:
                continue
            module_name, func_name = loader_path.rsplit(".", 1)
            summary = getattr(import_module(module_name), func_name)()
            self.stdout.write(f"{config.verbose_name}: {summary}")
        if settings.WILDLIFE_DEMO_MODE and result["totp_secrets"]:
            self.stdout.write("三员账号的 TOTP 密钥（演示用，可导入身份验证器 App）:")
            for username, secret in result["totp_secrets"].items():
                self.stdout.write(f"  {username}: {secret}")
