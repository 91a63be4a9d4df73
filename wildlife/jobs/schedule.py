"""Periodic tasks run by the jobs worker (django-tasks has no scheduler).

An app declares on its AppConfig:

    periodic_tasks = [PeriodicTask("species.refresh_protection", "wildlife.species.services.species_refresh_all", minutes=24 * 60)]

The callable takes no arguments and returns a short summary string. `run_due_tasks()` (called by the worker's
sweeper thread, and by `manage.py run_periodic` for cron) claims each due task with a compare-and-swap update on
ScheduledRun, so two workers never run the same period twice. The callables must be idempotent.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from wildlife.jobs.models import ScheduledRun
from wildlife.jobs.periodic import PeriodicTask

logger = logging.getLogger("wildlife.jobs.schedule")


def declared_tasks() -> list[PeriodicTask]:
    tasks: list[PeriodicTask] = []
    for config in apps.get_app_configs():
        tasks.extend(getattr(config, "periodic_tasks", ()) or ())
    return tasks


def _claim(task: PeriodicTask, now: Any) -> bool:
    try:
        with transaction.atomic():
            ScheduledRun.objects.get_or_create(name=task.name)
    except IntegrityError:
        pass  # another worker created it at the same moment
    due_before = now - timedelta(minutes=task.minutes)
    claimed = ScheduledRun.objects.filter(
        Q(last_started_at__isnull=True) | Q(last_started_at__lte=due_before), name=task.name
    ).update(last_started_at=now)
    return claimed == 1


def run_due_tasks(*, now: Any = None, only: str | None = None) -> dict[str, str]:
    """Run every declared task whose period has passed; returns {name: outcome} for those that ran."""
    now = now or timezone.now()
    outcomes: dict[str, str] = {}
    for task in declared_tasks():
        if only and task.name != only:
            continue
        if not _claim(task, now):
            continue
        try:
            outcome = str(task.resolve()() or "ok")
        except Exception as exc:  # one failing task must not stop the others; the failure is logged and recorded
            logger.exception("periodic task %s failed", task.name)
            outcome = f"failed: {exc.__class__.__name__}: {exc}"
        ScheduledRun.objects.filter(name=task.name).update(last_finished_at=timezone.now(), last_outcome=outcome[:200])
        outcomes[task.name] = outcome
    return outcomes
