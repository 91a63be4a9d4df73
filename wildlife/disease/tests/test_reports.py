"""Reports: zero reports in one click, late reports accepted and marked late, one report per station and period,
version-checked resubmission, abnormal findings raising a 快报."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from wildlife.core.exceptions import ConflictError, OutOfScopeError
from wildlife.disease import services
from wildlife.disease.choices import AnimalGroup, EventSource, PeriodKind
from wildlife.disease.models import DailyReport, MortalityEvent

from .conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(make_station, town_officer, calendar_rules):
    return make_station(responsible=town_officer)


def test_zero_report_in_one_click_uses_the_first_route(station, town_officer):
    with time_machine.travel(local(2026, 4, 15, 18, 0), tick=False):
        report = services.daily_report_zero(actor=town_officer, station=station)
    assert report.is_zero_report and report.period_kind == PeriodKind.DAILY
    assert report.date == report.period_end == dt.date(2026, 4, 15)
    assert report.route is not None and report.route_km == report.route.length_km > Decimal("1")
    assert report.late is False and report.deadline_at == local(2026, 4, 16, 10, 0)
    assert report.area == station.area and report.submitted_by == town_officer


def test_report_after_the_deadline_is_accepted_and_marked_late(station, town_officer):
    with time_machine.travel(local(2026, 4, 16, 9, 59), tick=False):
        on_time = services.daily_report_zero(actor=town_officer, station=station, date=dt.date(2026, 4, 15))
    with time_machine.travel(local(2026, 4, 17, 10, 0, 1), tick=False):
        late = services.daily_report_zero(actor=town_officer, station=station, date=dt.date(2026, 4, 16))
    assert on_time.late is False
    assert late.late is True and late.first_submitted_at == local(2026, 4, 17, 10, 0, 1)


def test_weekly_report_covers_the_non_key_days_of_the_week(station, town_officer):
    with time_machine.travel(local(2026, 6, 12, 17, 0), tick=False):
        report = services.daily_report_zero(actor=town_officer, station=station, date=dt.date(2026, 6, 10))
    assert report.period_kind == PeriodKind.WEEKLY
    assert (report.date, report.period_end) == (dt.date(2026, 6, 8), dt.date(2026, 6, 14))
    assert report.deadline_at == local(2026, 6, 15, 10, 0)


def test_one_report_per_station_and_period_and_version_checked_corrections(station, town_officer, other_town_officer):
    with time_machine.travel(local(2026, 6, 12, 17, 0), tick=False):
        first = services.daily_report_zero(actor=town_officer, station=station, date=dt.date(2026, 6, 9))
        with pytest.raises(ConflictError) as exists:
            services.daily_report_zero(actor=town_officer, station=station, date=dt.date(2026, 6, 11))  # same week
        assert exists.value.code == "report_exists" and exists.value.current["id"] == first.pk
    with time_machine.travel(local(2026, 6, 16, 8, 0), tick=False):  # corrected after the deadline: stays on time
        corrected = services.daily_report_submit(
            actor=town_officer, station=station, date=dt.date(2026, 6, 8), is_zero_report=False, notes="补充：发现喜鹊", version=1
        )
    assert corrected.pk == first.pk and corrected.version == 2 and corrected.late is False
    assert corrected.first_submitted_at == local(2026, 6, 12, 17, 0) and corrected.submitted_at == local(2026, 6, 16, 8, 0)
    with pytest.raises(ConflictError) as stale:
        services.daily_report_submit(actor=town_officer, station=station, date=dt.date(2026, 6, 8), is_zero_report=True, version=1)
    assert stale.value.code == "version_conflict"
    assert DailyReport.objects.filter(station=station).count() == 1


def test_bad_reports_are_refused_with_the_field_named(station, town_officer, birds):
    with time_machine.travel(local(2026, 4, 15, 18, 0), tick=False):
        with pytest.raises(ValidationError) as future:
            services.daily_report_zero(actor=town_officer, station=station, date=dt.date(2026, 4, 16))
        assert "date" in future.value.message_dict
        with pytest.raises(ValidationError) as empty:
            services.daily_report_submit(actor=town_officer, station=station, date=dt.date(2026, 4, 15), is_zero_report=False)
        assert "零报告" in empty.value.message_dict["findings"][0]
        dead = services.FindingInput(group=AnimalGroup.BIRD, species=birds["斑嘴鸭"], dead=2)
        with pytest.raises(ValidationError) as zero_with_dead:
            services.daily_report_submit(actor=town_officer, station=station, date=dt.date(2026, 4, 15), is_zero_report=True, findings=[dead])
        assert "第 1 条发现" in zero_with_dead.value.message_dict["findings"][0]
        with pytest.raises(ValidationError):
            services.daily_report_submit(actor=town_officer, station=station, date=dt.date(2024, 1, 1), is_zero_report=True)  # before the station existed
    assert not DailyReport.objects.exists()


def test_sick_or_dead_animals_raise_a_flash_report(station, town_officer, birds):
    with time_machine.travel(local(2026, 4, 15, 18, 0), tick=False):
        report = services.daily_report_submit(
            actor=town_officer,
            station=station,
            date=dt.date(2026, 4, 15),
            route_km=Decimal("6.5"),
            notes="河滩发现死亡野鸭",
            findings=[
                services.FindingInput(group=AnimalGroup.BIRD, species=birds["斑嘴鸭"], count=30, dead=3),
                services.FindingInput(group=AnimalGroup.BIRD, species=birds["白鹭"], count=12),
                services.FindingInput(group=AnimalGroup.MAMMAL, species_text="未识别鼠类", count=1),
            ],
            event_detected_at=local(2026, 4, 15, 9, 30),
        )
    assert not report.is_zero_report and report.findings.count() == 3
    event = MortalityEvent.objects.get(report=report)
    assert event.source == EventSource.REPORT and event.station == station and event.area == station.area
    assert [(line.species.name_zh, line.dead) for line in event.species_lines.all()] == [("斑嘴鸭", 3)]
    assert event.detected_at == local(2026, 4, 15, 9, 30) and event.location == station.location


def test_other_town_cannot_report_for_the_station(station, other_town_officer):
    with time_machine.travel(local(2026, 4, 15, 18, 0), tick=False), pytest.raises(OutOfScopeError):
        services.daily_report_zero(actor=other_town_officer, station=station)
    assert not DailyReport.objects.exists()
