"""`manage.py audit_verify`: check the whole audit chain; exit code 1 and the first broken entry when it is broken."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wildlife.audit.guard import guard_installed
from wildlife.audit.verify import KIND_LABELS, verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链（HMAC-SHA256），指出第一条被修改、删除、插入或调换顺序的记录。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument("--chunk-size", type=int, default=5000, help="每批读取的记录数")

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain(chunk_size=options["chunk_size"])
        protected = guard_installed()
        if options["json"]:
            self.stdout.write(json.dumps({**report.as_dict(), "db_guard": protected}, ensure_ascii=False))
        elif report.ok:
            self.stdout.write(self.style.SUCCESS(f"审计链完整：共校验 {report.checked} 条（最后序号 {report.last_seq}）。"))
        if not protected:
            self.stderr.write(self.style.WARNING("警告：数据库未启用审计表只追加保护触发器（请执行 migrate）。"))
        if not report.ok:
            label = KIND_LABELS.get(report.kind, report.kind)
            raise CommandError(
                f"审计链在第 {report.broken_seq} 条处断开（{label} / {report.kind}）：{report.message}"
                f" 此前 {report.checked} 条校验通过。",
                returncode=1,
            )
