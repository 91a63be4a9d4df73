"""Compliance: for a date, which stations reported on time or late, which are missing or pending, by town; monthly
rates; scope of the board."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from wildlife.disease import services
from wildlife.disease.choices import ComplianceStatus
from wildlife.disease.selectors import compliance_for_date, compliance_monthly

from .conftest import BEIJIAO, MENGSHUI, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def stations(make_station, calendar_rules):
    return {
        "wangcun": make_station(name="王村站"),
        "beijiao": make_station(name="北郊站", at=BEIJIAO),
        "mengshui": make_station(name="萌水站", at=MENGSHUI),
        "new": make_station(name="新建站", established_on=dt.date(2026, 4, 20)),
    }


def test_board_for_a_day(stations, district_officer):
    with time_machine.travel(local(2026, 4, 16, 8, 0), tick=False):
        services.daily_report_zero(actor=district_officer, station=stations["wangcun"], date=dt.date(2026, 4, 15))
    with time_machine.travel(local(2026, 4, 16, 11, 0), tick=False):
        services.daily_report_zero(actor=district_officer, station=stations["beijiao"], date=dt.date(2026, 4, 15))
        board = compliance_for_date(user=district_officer, day=dt.date(2026, 4, 15))
        status = {row.station.name: row.status for row in board.rows}
        assert status == {"王村站": "on_time", "北郊站": "late", "萌水站": "missing", "新建站": "not_expected"}
        assert (len(board.expected), len(board.received), len(board.late), len(board.missing)) == (3, 2, 1, 1)
        assert [t.town for t in board.by_town] == sorted(["王村镇", "北郊镇", "萌水镇"])
        # the day itself: nothing due yet, so pending rather than missing
        today = compliance_for_date(user=district_officer, day=dt.date(2026, 4, 16))
        assert {row.status for row in today.expected} == {ComplianceStatus.PENDING}


def test_board_turns_green_when_the_report_arrives(stations, district_officer, town_officer):
    with time_machine.travel(local(2026, 4, 16, 9, 0), tick=False):
        before = compliance_for_date(user=district_officer, day=dt.date(2026, 4, 15))
        assert {r.station.name: r.status for r in before.rows}["王村站"] == ComplianceStatus.PENDING
        services.daily_report_zero(actor=town_officer, station=stations["wangcun"], date=dt.date(2026, 4, 15))
        after = compliance_for_date(user=district_officer, day=dt.date(2026, 4, 15))
        assert {r.station.name: r.status for r in after.rows}["王村站"] == ComplianceStatus.ON_TIME


def test_town_officer_sees_only_own_stations(stations, town_officer, other_town_officer, police_officer):
    with time_machine.travel(local(2026, 4, 16, 11, 0), tick=False):
        assert {r.station.name for r in compliance_for_date(user=town_officer, day=dt.date(2026, 4, 15)).rows} == {"王村站", "新建站"}
        assert {r.station.name for r in compliance_for_date(user=other_town_officer, day=dt.date(2026, 4, 15)).rows} == {"北郊站"}
        assert compliance_for_date(user=police_officer, day=dt.date(2026, 4, 15)).rows == []


def test_station_covering_a_town_is_that_towns_too(make_station, calendar_rules, zhoucun, town_officer):
    covering = make_station(name="覆盖王村的北郊站", at=BEIJIAO, covered_areas=[zhoucun["王村镇"]])
    with time_machine.travel(local(2026, 4, 16, 11, 0), tick=False):
        names = {r.station.name for r in compliance_for_date(user=town_officer, day=dt.date(2026, 4, 15)).rows}
    assert covering.name in names


def test_monthly_rates_count_each_period_once(stations, district_officer):
    wangcun, beijiao = stations["wangcun"], stations["beijiao"]
    # June 2026 has no key period: weekly periods ending in June are Jun 7, 14, 21, 28 (4 periods per station)
    with time_machine.travel(local(2026, 6, 8, 9, 0), tick=False):
        services.daily_report_zero(actor=district_officer, station=wangcun, date=dt.date(2026, 6, 3))
    with time_machine.travel(local(2026, 6, 16, 12, 0), tick=False):
        services.daily_report_zero(actor=district_officer, station=wangcun, date=dt.date(2026, 6, 10))  # late
        services.daily_report_zero(actor=district_officer, station=beijiao, date=dt.date(2026, 6, 10))  # late
    with time_machine.travel(local(2026, 7, 2, 12, 0), tick=False):
        figures = {m.month: m for m in compliance_monthly(user=district_officer, months=2)}
    june = figures[dt.date(2026, 6, 1)]
    # 4 stations × 4 periods = 16 expected (新建站 exists from 20 April); 1 on time, 2 late, 13 missing
    assert (june.expected, june.on_time, june.late, june.missing) == (16, 1, 2, 13)
    assert june.report_rate == round(100 * 3 / 16, 1) and june.on_time_rate == round(100 * 1 / 16, 1)
    july = figures[dt.date(2026, 7, 1)]
    assert july.expected == 0 and july.report_rate is None
