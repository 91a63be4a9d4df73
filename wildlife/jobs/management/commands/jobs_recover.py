"""manage.py jobs_recover [--stale-minutes 10]: settle jobs left "running" by a worker that died."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wildlife.jobs.services import DEFAULT_STALE_MINUTES, job_recover_stale


class Command(BaseCommand):
    help = "将工作进程中断后遗留为“运行中”的任务标记为失败，或把可续跑的任务重新排队。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=DEFAULT_STALE_MINUTES,
            help="心跳超过多少分钟未更新即视为中断（默认 %(default)s）",
        )

    def handle(self, *args: Any, stale_minutes: int, **options: Any) -> None:
        if stale_minutes < 1:
            raise CommandError("--stale-minutes 必须是正整数")
        result = job_recover_stale(stale_minutes=stale_minutes)
        for job_id in result.failed:
            self.stdout.write(f"failed   {job_id}")
        for job_id in result.requeued:
            self.stdout.write(f"requeued {job_id}")
        self.stdout.write(
            self.style.SUCCESS(f"已处理中断任务：标记失败 {len(result.failed)} 个，重新排队 {len(result.requeued)} 个")
        )
