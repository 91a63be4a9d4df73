"""The reporting calendar: which period a day belongs to and when its report is due.

During a key period (spring/autumn migration, configurable per year) every day is its own period (日报); the other
days of a week (Monday–Sunday) form one weekly period (周报), cut short where a key period begins or ends. A
period's report is due `deadline_days` after its last day at `deadline_time` local time (Shandong practice: the
day's report by 10:00 the next morning). The rules come from KeyPeriod and ReportingRule rows; the defaults below
apply only while no ReportingRule row exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils import timezone

from wildlife.disease.choices import PeriodKind

DEFAULT_DEADLINE_DAYS = 1
DEFAULT_DEADLINE_TIME = dt.time(10, 0)
DEFAULT_REMINDER_BEFORE_MINUTES = 120
DEFAULT_OVERDUE_LOOKBACK_DAYS = 3


@dataclass(frozen=True)
class DeadlineRule:
    """The deadline part of a ReportingRule, detached from the database (tests and callers build it directly)."""

    daily_days: int = DEFAULT_DEADLINE_DAYS
    daily_time: dt.time = DEFAULT_DEADLINE_TIME
    weekly_days: int = DEFAULT_DEADLINE_DAYS
    weekly_time: dt.time = DEFAULT_DEADLINE_TIME
    reminder_before_minutes: int = DEFAULT_REMINDER_BEFORE_MINUTES
    overdue_lookback_days: int = DEFAULT_OVERDUE_LOOKBACK_DAYS


@dataclass(frozen=True)
class Period:
    """One reporting period: `start` identifies it (with the station) and is the report's `date`."""

    kind: str
    start: dt.date
    end: dt.date
    deadline: dt.datetime

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        if self.kind == PeriodKind.DAILY:
            return f"{self.start:%Y-%m-%d}（日报）"
        return f"{self.start:%Y-%m-%d} — {self.end:%Y-%m-%d}（周报）"


class KeyDays:
    """Membership test for key-period days over a set of (start, end) ranges."""

    def __init__(self, ranges: Iterable[tuple[dt.date, dt.date]]) -> None:
        self.ranges = sorted((start, end) for start, end in ranges if end >= start)

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date):
            return False
        return any(start <= day <= end for start, end in self.ranges)


def deadline_for(*, kind: str, end: dt.date, rule: DeadlineRule) -> dt.datetime:
    """The aware local datetime by which the report of a period ending on `end` is due."""
    days, at = (rule.daily_days, rule.daily_time) if kind == PeriodKind.DAILY else (rule.weekly_days, rule.weekly_time)
    naive = dt.datetime.combine(end + dt.timedelta(days=days), at)
    return timezone.make_aware(naive, timezone.get_default_timezone())


def period_for(day: dt.date, *, key_days: KeyDays, rule: DeadlineRule) -> Period:
    """The period containing `day`."""
    if day in key_days:
        return Period(PeriodKind.DAILY, day, day, deadline_for(kind=PeriodKind.DAILY, end=day, rule=rule))
    monday = day - dt.timedelta(days=day.weekday())
    sunday = monday + dt.timedelta(days=6)
    start = day
    while start > monday and (start - dt.timedelta(days=1)) not in key_days:
        start -= dt.timedelta(days=1)
    end = day
    while end < sunday and (end + dt.timedelta(days=1)) not in key_days:
        end += dt.timedelta(days=1)
    return Period(PeriodKind.WEEKLY, start, end, deadline_for(kind=PeriodKind.WEEKLY, end=end, rule=rule))


def periods_between(first: dt.date, last: dt.date, *, key_days: KeyDays, rule: DeadlineRule) -> Iterator[Period]:
    """Every period that has at least one day in [first, last], in order, each once."""
    day = first
    while day <= last:
        period = period_for(day, key_days=key_days, rule=rule)
        yield period
        day = period.end + dt.timedelta(days=1)
