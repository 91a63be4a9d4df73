"""`manage.py create_admin <username> --role system|security|audit`: the only way to create an administrator.

Run on the server by the operator, so nobody can grant administrator powers from inside the platform. The account
gets a confirmed TOTP device whose secret (and otpauth URI) is printed once, with the password when generated.
The creation is audited.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from wildlife.accounts.mfa import provisioning_uri, secret_base32
from wildlife.accounts.services import admin_create


class Command(BaseCommand):
    help = "创建三员管理员账号（系统管理员 system、安全管理员 security、审计管理员 audit），并绑定双因素令牌。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=["system", "security", "audit"])
        parser.add_argument("--display-name", default="")
        parser.add_argument(
            "--password-env",
            default="",
            help="从该环境变量读取密码；不指定时由系统生成并显示一次",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get(options["password_env"], "") if options["password_env"] else ""
        if options["password_env"] and not password:
            raise CommandError(f"环境变量 {options['password_env']} 为空。")
        try:
            with transaction.atomic():
                user, generated = admin_create(
                    username=options["username"],
                    role=options["role"],
                    display_name=options["display_name"],
                    password=password or None,
                    operator=f"manage.py:{_os_user()}",
                )
                device = TOTPDevice.objects.create(user=user, name="管理员令牌", confirmed=True)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"已创建{user.get_admin_role_display()} {user.username}"))
        if generated:
            self.stdout.write(f"初始密码（只显示一次）：{generated}")
        self.stdout.write(f"TOTP 密钥（请在身份验证器中添加，只显示一次）：{secret_base32(device)}")
        self.stdout.write(f"otpauth URI：{provisioning_uri(device)}")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
