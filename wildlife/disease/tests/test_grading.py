"""Grading I–IV from configurable threshold rows with effective dates: dead individuals of one group at one site
within a time window (summed over events there), and the share of a local population."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from wildlife.disease import services
from wildlife.disease.choices import AlertKind, Grade
from wildlife.disease.models import Alert, GradingRule

from .conftest import WANGCUN, local, offset

pytestmark = pytest.mark.django_db
T0 = local(2026, 4, 15, 8, 0)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(local(2026, 4, 20, 12, 0), tick=False):
        yield


def test_below_the_threshold_is_ungraded_and_at_it_is_grade_four(make_event, birds, grading_rules):
    near_miss = make_event(WANGCUN, T0, [(birds["斑嘴鸭"], 0, 4)])
    assert near_miss.grade == ""
    graded = make_event(offset(WANGCUN, east_m=3000), T0, [(birds["斑嘴鸭"], 0, 5)])
    assert graded.grade == Grade.IV and "雁形目" in graded.grade_basis and "死亡 5 只" in graded.grade_basis
    assert Alert.objects.filter(kind=AlertKind.GRADE, event=graded, level="blue").exists()
    assert graded.timeline.filter(kind="graded").exists()


def test_deaths_of_one_group_at_one_site_add_up_within_the_window(make_event, birds, grading_rules):
    make_event(WANGCUN, T0, [(birds["斑嘴鸭"], 0, 3)])
    second = make_event(offset(WANGCUN, north_m=300), T0 + dt.timedelta(hours=20), [(birds["绿翅鸭"], 0, 2)])
    assert second.grade == Grade.IV  # 3 + 2 ducks (雁形目) within 500 m and 24 h


def test_near_misses_outside_the_site_or_the_window_do_not_add_up(make_event, birds, grading_rules):
    make_event(WANGCUN, T0, [(birds["斑嘴鸭"], 0, 3)])
    outside_site = make_event(offset(WANGCUN, north_m=530), T0 + dt.timedelta(hours=1), [(birds["绿翅鸭"], 0, 2)])
    assert outside_site.grade == ""  # 530 m > 500 m
    outside_window = make_event(offset(WANGCUN, north_m=100), T0 + dt.timedelta(hours=25), [(birds["绿翅鸭"], 0, 2)])
    assert outside_window.grade == ""  # 25 h > 24 h
    other_group = make_event(offset(WANGCUN, north_m=100), T0 + dt.timedelta(hours=2), [(birds["白鹭"], 0, 2)])
    assert other_group.grade == ""  # 鹈形目 does not add to 雁形目


def test_highest_grade_wins_and_mammals_do_not_count_for_bird_rules(make_event, birds, grading_rules):
    assert make_event(WANGCUN, T0, [(birds["东北刺猬"], 0, 60)]).grade == ""
    assert make_event(offset(WANGCUN, east_m=5000), T0, [(birds["斑嘴鸭"], 0, 55)]).grade == Grade.II


def test_share_of_the_local_population(make_event, birds, grading_rules, district_officer):
    event = services.event_report(
        actor=district_officer,
        source="citizen",
        location=offset(WANGCUN, east_m=8000),
        detected_at=T0,
        species=[services.SpeciesCount(birds["小天鹅"], 0, 4, local_population=40)],
    )
    assert event.grade == Grade.III and "10.0%" in event.grade_basis
    just_below = services.event_report(
        actor=district_officer,
        source="citizen",
        location=offset(WANGCUN, east_m=8000, north_m=4000),
        detected_at=T0,
        species=[services.SpeciesCount(birds["小天鹅"], 0, 3, local_population=40)],
    )
    assert just_below.grade == ""  # 7.5 %


def test_rules_apply_by_the_date_the_animals_were_first_seen(make_event, birds, grading_rules):
    GradingRule.objects.filter(pk=grading_rules["IV"].pk).update(effective_from=dt.date(2026, 4, 16))
    before = make_event(WANGCUN, T0, [(birds["斑嘴鸭"], 0, 6)])
    after = make_event(offset(WANGCUN, east_m=4000), local(2026, 4, 16, 8, 0), [(birds["斑嘴鸭"], 0, 6)])
    assert before.grade == "" and after.grade == Grade.IV


def test_correcting_the_counts_regrades(make_event, birds, grading_rules, district_officer):
    event = make_event(WANGCUN, T0, [(birds["斑嘴鸭"], 0, 2)])
    services.event_update(actor=district_officer, event=event, version=event.version, species=[services.SpeciesCount(birds["斑嘴鸭"], 0, 25)])
    event.refresh_from_db()
    assert event.grade == Grade.III
