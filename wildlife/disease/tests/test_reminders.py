"""Reminders for missing reports: before and after the deadline, in-app and by SMS/e-mail through the pluggable
sender; the job is idempotent (a unique row per station, period and kind) and runs on the worker's schedule."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from wildlife.disease import services
from wildlife.disease.choices import MessageStatus, ReminderKind
from wildlife.disease.models import Notification, OutboundMessage, ReportReminder
from wildlife.disease.senders import ConsoleSender
from wildlife.jobs.schedule import run_due_tasks

from .conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(make_station, town_officer, calendar_rules):
    town_officer.email = "liu@example.invalid"
    town_officer.save()
    # established the day before, so only the period of 15 April can be missing on the 16th
    return make_station(responsible=town_officer, duty_phone="13800000000", established_on=dt.date(2026, 4, 15))


def test_overdue_reminder_sent_once_however_often_the_job_runs(station, town_officer):
    with time_machine.travel(local(2026, 4, 16, 10, 30), tick=False):
        first = services.report_reminders_run()
        second = services.report_reminders_run()
    assert first == "提醒 1 条" and second == "提醒 0 条"
    reminder = ReportReminder.objects.get()
    assert (reminder.station, reminder.period_start, reminder.kind) == (station, dt.date(2026, 4, 15), ReminderKind.OVERDUE)
    assert reminder.recipients == 3
    notes = Notification.objects.filter(recipient=town_officer)
    assert notes.count() == 1 and "已逾期" in notes.get().title and "2026-04-15" in notes.get().url
    assert sorted((m.channel, m.to) for m in ConsoleSender.outbox) == [("email", "liu@example.invalid"), ("sms", "13800000000")]
    assert OutboundMessage.objects.filter(status=MessageStatus.SENT).count() == 2


def test_due_soon_reminder_two_hours_before_and_none_when_reported(station, town_officer):
    with time_machine.travel(local(2026, 4, 16, 7, 59), tick=False):
        assert services.report_reminders_run() == "提醒 0 条"  # more than two hours before 10:00
    with time_machine.travel(local(2026, 4, 16, 8, 0), tick=False):
        services.report_reminders_run()
    assert list(ReportReminder.objects.values_list("kind", flat=True)) == [ReminderKind.DUE_SOON]
    with time_machine.travel(local(2026, 4, 16, 9, 0), tick=False):
        services.daily_report_zero(actor=town_officer, station=station, date=dt.date(2026, 4, 15))
    with time_machine.travel(local(2026, 4, 16, 10, 30), tick=False):
        services.report_reminders_run()
    assert ReportReminder.objects.filter(kind=ReminderKind.OVERDUE).count() == 0


def test_old_periods_beyond_the_lookback_are_not_chased(make_station, calendar_rules, town_officer):
    make_station(responsible=town_officer, established_on=dt.date(2026, 3, 1))
    with time_machine.travel(local(2026, 4, 25, 10, 30), tick=False):
        services.report_reminders_run()
    starts = set(ReportReminder.objects.values_list("period_start", flat=True))
    # lookback 3 days: deadlines after 22 April 10:30 (the periods of 22–24 April) only; 21 April's was due 22 April 10:00
    assert starts == {dt.date(2026, 4, 22), dt.date(2026, 4, 23), dt.date(2026, 4, 24)}


def test_failed_sms_is_recorded_and_the_in_app_notice_still_arrives(station, town_officer, settings):
    settings.WILDLIFE_MESSAGE_SENDERS = {"sms": "wildlife.disease.senders.FailingSender"}
    with time_machine.travel(local(2026, 4, 16, 10, 30), tick=False):
        services.report_reminders_run()
    assert OutboundMessage.objects.get(channel="sms").status == MessageStatus.FAILED
    assert OutboundMessage.objects.get(channel="email").status == MessageStatus.SENT
    assert Notification.objects.filter(recipient=town_officer).count() == 1


def test_the_worker_schedule_runs_the_reminder_job_once_per_period(station, town_officer):
    with time_machine.travel(local(2026, 4, 16, 10, 30), tick=False):
        outcomes = run_due_tasks(only="disease.report_reminders")
        again = run_due_tasks(only="disease.report_reminders")  # not due again within 15 minutes
    assert outcomes == {"disease.report_reminders": "提醒 1 条"} and again == {}
    with time_machine.travel(local(2026, 4, 16, 10, 50), tick=False):
        assert run_due_tasks(only="disease.report_reminders") == {"disease.report_reminders": "提醒 0 条"}
    assert Notification.objects.filter(recipient=town_officer).count() == 1
