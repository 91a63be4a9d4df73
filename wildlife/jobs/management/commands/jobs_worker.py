"""manage.py jobs_worker: django-tasks-db's `db_worker` that first settles jobs a previous worker left behind.

Why at worker start (and on a timer inside the worker) rather than as a periodic django-tasks task:

- django-tasks has no scheduler. A "periodic" task would have to re-enqueue itself, which needs something to
  enqueue the first one, needs de-duplication when several workers each start a chain, and breaks for good when the
  worker running it dies -- the very failure it exists to repair.
- A job is only left "running" when its worker process dies, and the process supervisor (scripts/run.sh, systemd)
  then starts a worker again: worker start is exactly when abandoned jobs appear. A job whose worker ran on this
  host and whose process is gone is recovered at once, without waiting for its heartbeat to go stale.
- While the worker runs, a daemon thread repeats the sweep every --recover-every minutes, so jobs of a worker on
  another host that never came back are still settled once their heartbeat is older than --stale-minutes.
  Live jobs keep a fresh heartbeat (jobs.services._Heartbeat), so a sweep never touches work that is still going.

`manage.py jobs_recover` does the same once, for cron or by hand. All db_worker options are accepted.
"""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.db import DatabaseError, connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from wildlife.jobs.services import DEFAULT_STALE_MINUTES, RecoveryResult, job_recover_stale

logger = logging.getLogger("wildlife.jobs.worker")


def recover_and_log(stale_minutes: int) -> RecoveryResult | None:
    try:
        result = job_recover_stale(stale_minutes=stale_minutes)
    except DatabaseError:
        logger.warning("job recovery sweep failed; trying again later", exc_info=True)
        return None
    if result.failed or result.requeued:
        logger.warning("recovered abandoned jobs: failed=%s requeued=%s", result.failed, result.requeued)
    return result


def run_periodic_and_log() -> None:
    """Periodic tasks declared by the apps (wildlife/jobs/schedule.py), each at most once per period."""
    from wildlife.jobs.schedule import run_due_tasks

    try:
        for name, outcome in run_due_tasks().items():
            logger.info("periodic task %s: %s", name, outcome)
    except DatabaseError:
        logger.warning("periodic task sweep failed; trying again later", exc_info=True)


class RecoverySweeper:
    """Runs recover_and_log every `every_minutes` in a daemon thread (its own database connection)."""

    def __init__(self, *, every_minutes: float, stale_minutes: int) -> None:
        self.every_seconds = every_minutes * 60
        self.stale_minutes = stale_minutes
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="jobs-recovery", daemon=True)

    def start(self) -> None:
        if self.every_seconds > 0:
            self.thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.every_seconds):
            recover_and_log(self.stale_minutes)
            run_periodic_and_log()
            connections.close_all()


class Command(DbWorkerCommand):
    help = "运行后台任务工作进程（django-tasks 数据库后端），启动时及运行中定期处理中断遗留的任务。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--stale-minutes", type=int, default=DEFAULT_STALE_MINUTES, help="心跳超时分钟数（默认 %(default)s）")
        parser.add_argument("--recover-every", type=float, default=5.0, help="运行中每隔多少分钟检查一次（0 = 只在启动时检查；默认 %(default)s）")

    def handle(self, **options: Any) -> None:
        stale_minutes = int(options.pop("stale_minutes"))
        recover_every = float(options.pop("recover_every"))
        recover_and_log(stale_minutes)
        run_periodic_and_log()
        sweeper = RecoverySweeper(every_minutes=recover_every, stale_minutes=stale_minutes)
        sweeper.start()
        try:
            super().handle(**options)
        finally:
            sweeper.stop()
