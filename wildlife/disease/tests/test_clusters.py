"""Cluster detection: dead birds of one group within a radius (metres, correct on both databases) and a time window,
across different reports, raise an alert even when no single report crosses a threshold; near misses do not."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from wildlife.disease import engine, services
from wildlife.disease.choices import AlertKind, AlertStatus
from wildlife.disease.models import Alert, Notification

from .conftest import WANGCUN, local, offset

pytestmark = pytest.mark.django_db
T0 = local(2026, 4, 15, 8, 0)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(local(2026, 4, 25, 12, 0), tick=False):
        yield


def clusters():
    return Alert.objects.filter(kind=AlertKind.CLUSTER)


def test_two_reports_within_radius_and_window_raise_an_alert(make_event, birds, cluster_rule, grading_rules, district_officer, town_officer):
    first = make_event(WANGCUN, T0, [(birds["斑嘴鸭"], 0, 2)])
    assert not clusters().exists()
    second = make_event(offset(WANGCUN, east_m=4800), T0 + dt.timedelta(hours=70), [(birds["绿翅鸭"], 1, 1)])
    assert first.grade == second.grade == ""  # no single report crosses a threshold
    alert = clusters().get()
    assert set(alert.events.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert alert.group_name == "雁形目" and alert.dead_total == 3 and alert.level == "yellow" and alert.status == AlertStatus.OPEN
    assert "2 起报告" in alert.title
    # the district and the town where it happened are notified
    assert Notification.objects.filter(recipient=district_officer, kind="alert_cluster").exists()
    assert Notification.objects.filter(recipient=town_officer, kind="alert_cluster").exists()


def test_just_outside_the_radius_is_no_cluster(make_event, birds, cluster_rule):
    make_event(WANGCUN, T0, [(birds["斑嘴鸭"], 0, 2)])
    make_event(offset(WANGCUN, east_m=5200), T0 + dt.timedelta(hours=1), [(birds["绿翅鸭"], 0, 2)])
    make_event(offset(WANGCUN, north_m=5200), T0 + dt.timedelta(hours=1), [(birds["绿翅鸭"], 0, 2)])
    assert not clusters().exists()


def test_just_outside_the_window_is_no_cluster(make_event, birds, cluster_rule):
    make_event(WANGCUN, T0, [(birds["斑嘴鸭"], 0, 2)])
    make_event(offset(WANGCUN, east_m=1000), T0 + dt.timedelta(hours=72, minutes=5), [(birds["绿翅鸭"], 0, 2)])
    assert not clusters().exists()


def test_other_groups_too_few_dead_or_one_report_are_no_cluster(make_event, birds, cluster_rule):
    make_event(WANGCUN, T0, [(birds["斑嘴鸭"], 0, 2)])
    make_event(offset(WANGCUN, east_m=500), T0, [(birds["白鹭"], 0, 5)])  # 鹈形目
    make_event(offset(WANGCUN, east_m=600), T0, [(birds["东北刺猬"], 0, 5)])  # a mammal
    assert not clusters().exists()
    make_event(offset(WANGCUN, east_m=14000), T0, [(birds["斑嘴鸭"], 0, 40)])  # one report, however many
    assert not clusters().exists()
    make_event(offset(WANGCUN, east_m=700), T0, [(birds["绿翅鸭"], 3, 0)])  # sick, not dead
    assert not clusters().exists()


def test_a_third_report_joins_the_alert_instead_of_raising_another(make_event, birds, cluster_rule):
    a = make_event(WANGCUN, T0, [(birds["斑嘴鸭"], 0, 2)])
    b = make_event(offset(WANGCUN, east_m=2000), T0 + dt.timedelta(hours=5), [(birds["斑嘴鸭"], 0, 2)])
    c = make_event(offset(WANGCUN, east_m=3500), T0 + dt.timedelta(hours=10), [(birds["绿翅鸭"], 0, 1)])
    alert = clusters().get()
    assert set(alert.events.values_list("pk", flat=True)) == {a.pk, b.pk, c.pk}
    assert alert.dead_total == 5 and "3 起报告" in alert.title
    assert c.timeline.filter(kind="alert").exists()


def test_family_rank_rule_and_distance_query_in_metres(make_event, birds, cluster_rule):
    cluster_rule.taxon_rank = "family"
    cluster_rule.radius_m = 1000
    cluster_rule.save()
    first = make_event(WANGCUN, T0, [(birds["斑嘴鸭"], 0, 2)])
    make_event(offset(WANGCUN, north_m=970), T0, [(birds["小天鹅"], 0, 1)])  # 鸭科, 970 m
    hits = engine.find_clusters(first)
    assert [(h.group, h.dead_total) for h in hits] == [("鸭科", 3)]
    far = make_event(offset(WANGCUN, east_m=18000), T0, [(birds["斑嘴鸭"], 0, 2)])
    make_event(offset(WANGCUN, east_m=18000, north_m=1030), T0, [(birds["小天鹅"], 0, 1)])  # 1030 m
    assert engine.find_clusters(far) == []


def test_acknowledge_and_follow_up(make_event, birds, cluster_rule, district_officer, town_officer):
    from wildlife.core.exceptions import ConflictError

    make_event(WANGCUN, T0, [(birds["斑嘴鸭"], 0, 2)])
    make_event(offset(WANGCUN, east_m=1000), T0, [(birds["斑嘴鸭"], 0, 2)])
    alert = clusters().get()
    services.alert_acknowledge(actor=town_officer, alert=alert)
    with pytest.raises(ConflictError):
        services.alert_acknowledge(actor=district_officer, alert=alert)
    services.alert_follow_up(actor=district_officer, alert=alert, note="已到场核查，样品送检", close=True)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED and alert.acknowledged_by == town_officer and alert.follow_ups.count() == 1
