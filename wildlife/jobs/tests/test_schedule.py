"""Periodic tasks: each runs at most once per period, failures are recorded, the others still run."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wildlife.jobs import schedule
from wildlife.jobs.models import ScheduledRun
from wildlife.jobs.periodic import PeriodicTask

CALLS: list[str] = []


def ok_task() -> str:
    CALLS.append("ok")
    return "done"


def broken_task() -> str:
    raise RuntimeError("数据源不可用")


@pytest.fixture
def tasks(monkeypatch):
    CALLS.clear()
    declared = [
        PeriodicTask("test.ok", f"{__name__}.ok_task", minutes=60),
        PeriodicTask("test.broken", f"{__name__}.broken_task", minutes=60),
    ]
    monkeypatch.setattr(schedule, "declared_tasks", lambda: declared)
    return declared


@pytest.mark.django_db
def test_runs_once_per_period(tasks):
    now = timezone.now()
    first = schedule.run_due_tasks(now=now)
    assert first["test.ok"] == "done"
    assert first["test.broken"].startswith("failed: RuntimeError")
    assert schedule.run_due_tasks(now=now + timedelta(minutes=30)) == {}
    assert CALLS == ["ok"]
    later = schedule.run_due_tasks(now=now + timedelta(minutes=61))
    assert set(later) == {"test.ok", "test.broken"}
    assert CALLS == ["ok", "ok"]
    record = ScheduledRun.objects.get(name="test.broken")
    assert "数据源不可用" in record.last_outcome and record.last_finished_at is not None


@pytest.mark.django_db
def test_a_claimed_period_is_not_claimed_again(tasks):
    now = timezone.now()
    assert schedule._claim(tasks[0], now) is True
    assert schedule._claim(tasks[0], now) is False  # a second worker in the same period


@pytest.mark.django_db
def test_only_runs_the_named_task(tasks):
    assert set(schedule.run_due_tasks(only="test.ok")) == {"test.ok"}


def test_species_declares_its_daily_refresh():
    names = {task.name: task for task in schedule.declared_tasks()}
    assert names["species.refresh_protection"].minutes == 24 * 60
    assert callable(names["species.refresh_protection"].resolve())
