"""Run the periodic tasks that are due (for cron; the jobs worker also does this on its own timer)."""

from typing import Any

from django.core.management.base import BaseCommand

from wildlife.jobs.schedule import declared_tasks, run_due_tasks


class Command(BaseCommand):
    help = "运行到期的计划任务"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--list", action="store_true", help="只列出已声明的计划任务")
        parser.add_argument("--only", help="只运行指定名称的任务")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for task in declared_tasks():
                self.stdout.write(f"{task.name}\t每 {task.minutes:g} 分钟\t{task.target}")
            return
        for name, outcome in run_due_tasks(only=options.get("only")).items():
            self.stdout.write(f"{name}: {outcome}")
