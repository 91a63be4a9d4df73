"""The reporting calendar: daily in key periods, weekly otherwise (cut at key-period edges), deadlines per rule."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from wildlife.disease.calendar import DeadlineRule, KeyDays, period_for, periods_between
from wildlife.disease.choices import PeriodKind
from wildlife.disease.models import KeyPeriod, ReportingRule
from wildlife.disease.selectors import deadline_rule_on, period_for_day

from .conftest import local

SPRING = KeyDays([(dt.date(2026, 3, 1), dt.date(2026, 5, 31))])
RULE = DeadlineRule()


def test_key_period_day_is_daily_and_due_at_ten_next_morning() -> None:
    period = period_for(dt.date(2026, 4, 15), key_days=SPRING, rule=RULE)
    assert period.kind == PeriodKind.DAILY
    assert period.start == period.end == dt.date(2026, 4, 15)
    assert period.deadline == local(2026, 4, 16, 10, 0)


def test_outside_key_periods_the_week_is_one_period_due_monday_ten() -> None:
    # 2026-06-10 is a Wednesday: the week runs Monday 8 June to Sunday 14 June
    period = period_for(dt.date(2026, 6, 10), key_days=SPRING, rule=RULE)
    assert period.kind == PeriodKind.WEEKLY
    assert (period.start, period.end) == (dt.date(2026, 6, 8), dt.date(2026, 6, 14))
    assert period.deadline == local(2026, 6, 15, 10, 0)
    assert period_for(dt.date(2026, 6, 14), key_days=SPRING, rule=RULE) == period


def test_week_is_cut_where_a_key_period_begins_and_ends() -> None:
    # 2026-03-01 is a Sunday: Mon 23 Feb … Sat 28 Feb are weekly, due Sunday 1 March 10:00
    before = period_for(dt.date(2026, 2, 25), key_days=SPRING, rule=RULE)
    assert (before.start, before.end) == (dt.date(2026, 2, 23), dt.date(2026, 2, 28))
    assert before.deadline == local(2026, 3, 1, 10, 0)
    # 2026-05-31 is a Sunday, so 1 June starts a full week; check a key period ending mid-week instead
    mid = KeyDays([(dt.date(2026, 9, 16), dt.date(2026, 9, 30))])  # Wednesday 16 Sep
    head = period_for(dt.date(2026, 9, 14), key_days=mid, rule=RULE)
    assert (head.start, head.end, head.kind) == (dt.date(2026, 9, 14), dt.date(2026, 9, 15), PeriodKind.WEEKLY)
    assert head.deadline == local(2026, 9, 16, 10, 0)
    tail = period_for(dt.date(2026, 10, 2), key_days=mid, rule=RULE)  # Thursday 1 Oct … Sunday 4 Oct
    assert (tail.start, tail.end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 4))


def test_configurable_deadline_rule() -> None:
    rule = DeadlineRule(daily_days=0, daily_time=dt.time(18, 0), weekly_days=2, weekly_time=dt.time(9, 30))
    assert period_for(dt.date(2026, 4, 15), key_days=SPRING, rule=rule).deadline == local(2026, 4, 15, 18, 0)
    assert period_for(dt.date(2026, 6, 10), key_days=SPRING, rule=rule).deadline == local(2026, 6, 16, 9, 30)


def test_periods_between_lists_each_period_once() -> None:
    periods = list(periods_between(dt.date(2026, 2, 20), dt.date(2026, 3, 3), key_days=SPRING, rule=RULE))
    assert [(p.kind, p.start, p.end) for p in periods] == [
        (PeriodKind.WEEKLY, dt.date(2026, 2, 16), dt.date(2026, 2, 22)),
        (PeriodKind.WEEKLY, dt.date(2026, 2, 23), dt.date(2026, 2, 28)),
        (PeriodKind.DAILY, dt.date(2026, 3, 1), dt.date(2026, 3, 1)),
        (PeriodKind.DAILY, dt.date(2026, 3, 2), dt.date(2026, 3, 2)),
        (PeriodKind.DAILY, dt.date(2026, 3, 3), dt.date(2026, 3, 3)),
    ]


@pytest.mark.django_db
def test_rules_in_force_come_from_the_database_by_date() -> None:
    assert deadline_rule_on(dt.date(2026, 1, 1)) == DeadlineRule()  # built-in default without rows
    ReportingRule.objects.create(name="旧", effective_from=dt.date(2020, 1, 1), effective_to=dt.date(2026, 7, 1), daily_deadline_time=dt.time(9, 0))
    ReportingRule.objects.create(name="新", effective_from=dt.date(2026, 7, 1), daily_deadline_time=dt.time(11, 0))
    assert deadline_rule_on(dt.date(2026, 6, 30)).daily_time == dt.time(9, 0)
    assert deadline_rule_on(dt.date(2026, 7, 1)).daily_time == dt.time(11, 0)
    KeyPeriod.objects.create(name="秋", start_date=dt.date(2026, 9, 15), end_date=dt.date(2026, 12, 15))
    period = period_for_day(dt.date(2026, 10, 8))
    assert period.kind == PeriodKind.DAILY and period.deadline == local(2026, 10, 9, 11, 0)
    assert period_for_day(dt.date(2026, 8, 5)).kind == PeriodKind.WEEKLY


@pytest.mark.django_db
@time_machine.travel(local(2026, 4, 16, 9, 59), tick=False)
def test_frozen_clock_deadline_not_yet_passed(calendar_rules: None) -> None:
    from django.utils import timezone

    period = period_for_day(dt.date(2026, 4, 15))
    assert timezone.now() < period.deadline
    with time_machine.travel(local(2026, 4, 16, 10, 0, 1), tick=False):
        assert timezone.now() > period.deadline
