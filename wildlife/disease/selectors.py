"""Reads of the disease app: the calendar in force, compliance boards and rates, map layers, dashboard figures.

Every user-facing read starts from `Model.objects.restrict(user, action)`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from wildlife.disease.calendar import DeadlineRule, KeyDays, Period, period_for, periods_between
from wildlife.disease.choices import (
    GRADE_COLOURS,
    OPEN_EVENT_STATUSES,
    AlertStatus,
    ComplianceStatus,
    EventStatus,
)
from wildlife.disease.models import (
    Alert,
    DailyReport,
    KeyPeriod,
    MortalityEvent,
    Notification,
    ReportingRule,
    ReportingStep,
    Station,
)

STATUS_COLOURS = {
    ComplianceStatus.ON_TIME: "#1a9641",
    ComplianceStatus.LATE: "#fdae61",
    ComplianceStatus.MISSING: "#d7191c",
    ComplianceStatus.PENDING: "#7f7f7f",
    ComplianceStatus.NOT_EXPECTED: "#bdbdbd",
}

# --- calendar ----------------------------------------------------------------------------------------------------


def deadline_rule_on(day: dt.date) -> DeadlineRule:
    """The report deadlines in force on `day` (the built-in Shandong defaults while no rule row exists)."""
    rule = ReportingRule.objects.in_force(day).order_by("-effective_from", "-pk").first()
    if rule is None:
        return DeadlineRule()
    return DeadlineRule(
        daily_days=rule.daily_deadline_days,
        daily_time=rule.daily_deadline_time,
        weekly_days=rule.weekly_deadline_days,
        weekly_time=rule.weekly_deadline_time,
        reminder_before_minutes=rule.reminder_before_minutes,
        overdue_lookback_days=rule.overdue_lookback_days,
    )


def key_days_between(first: dt.date, last: dt.date) -> KeyDays:
    """Key-period days relevant to [first, last] (a week of margin either side for weekly periods)."""
    margin = dt.timedelta(days=7)
    rows = KeyPeriod.objects.filter(start_date__lte=last + margin, end_date__gte=first - margin).values_list("start_date", "end_date")
    return KeyDays(rows)


def period_for_day(day: dt.date) -> Period:
    """The reporting period containing `day` under the calendar and deadlines in force."""
    return period_for(day, key_days=key_days_between(day, day), rule=deadline_rule_on(day))


def periods_in(first: dt.date, last: dt.date) -> list[Period]:
    """The reporting periods touching [first, last]."""
    return list(periods_between(first, last, key_days=key_days_between(first, last), rule=deadline_rule_on(last)))


# --- stations and reports ----------------------------------------------------------------------------------------


def station_list(*, user: Any, action: str = "view") -> QuerySet[Station]:
    """Stations the user may `action`, with their towns."""
    return Station.objects.restrict(user, action).select_related("area", "responsible").order_by("name")


def report_list(*, user: Any) -> QuerySet[DailyReport]:
    """Reports the user may see, newest first."""
    return DailyReport.objects.restrict(user, "view").select_related("station", "area", "submitted_by").order_by("-date", "station__name")


def station_status(station: Station, period: Period, report: DailyReport | None, now: dt.datetime) -> str:
    """On time, late, missing, pending or not expected for one station and period."""
    if station.established_on > period.end:
        return ComplianceStatus.NOT_EXPECTED
    if report is not None:
        return ComplianceStatus.LATE if report.late else ComplianceStatus.ON_TIME
    return ComplianceStatus.MISSING if now > period.deadline else ComplianceStatus.PENDING


@dataclass
class ComplianceRow:
    station: Station
    period: Period
    status: str
    report: DailyReport | None

    @property
    def status_label(self) -> str:
        return str(ComplianceStatus(self.status).label)

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[ComplianceStatus(self.status)]


@dataclass
class TownCompliance:
    town: str
    rows: list[ComplianceRow] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


@dataclass
class ComplianceBoard:
    day: dt.date
    now: dt.datetime
    rows: list[ComplianceRow]

    @property
    def expected(self) -> list[ComplianceRow]:
        return [r for r in self.rows if r.status != ComplianceStatus.NOT_EXPECTED]

    @property
    def received(self) -> list[ComplianceRow]:
        return [r for r in self.rows if r.status in (ComplianceStatus.ON_TIME, ComplianceStatus.LATE)]

    @property
    def missing(self) -> list[ComplianceRow]:
        return [r for r in self.rows if r.status == ComplianceStatus.MISSING]

    @property
    def late(self) -> list[ComplianceRow]:
        return [r for r in self.rows if r.status == ComplianceStatus.LATE]

    @property
    def pending(self) -> list[ComplianceRow]:
        return [r for r in self.rows if r.status == ComplianceStatus.PENDING]

    @property
    def by_town(self) -> list[TownCompliance]:
        towns: dict[str, TownCompliance] = {}
        for row in self.rows:
            towns.setdefault(row.station.area.name, TownCompliance(row.station.area.name)).rows.append(row)
        return sorted(towns.values(), key=lambda t: t.town)


def compliance_for_date(*, user: Any, day: dt.date, now: dt.datetime | None = None) -> ComplianceBoard:
    """For `day`: every active station in scope with the period containing the day and whether its report came
    on time, late, is missing (deadline passed) or still pending."""
    now = now or timezone.now()
    period = period_for_day(day)
    stations = list(station_list(user=user).filter(is_active=True))
    reports = {
        r.station_id: r
        for r in DailyReport.objects.restrict(user, "view").filter(date=period.start, station__in=[s.pk for s in stations])
    }
    rows = [ComplianceRow(s, period, station_status(s, period, reports.get(s.pk), now), reports.get(s.pk)) for s in stations]
    return ComplianceBoard(day=day, now=now, rows=rows)


@dataclass(frozen=True)
class MonthCompliance:
    month: dt.date  # first day of the month
    expected: int
    on_time: int
    late: int
    missing: int

    @property
    def received(self) -> int:
        return self.on_time + self.late

    @property
    def report_rate(self) -> float | None:
        """上报率: received / expected, in percent (None when nothing was due)."""
        return round(100.0 * self.received / self.expected, 1) if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        """及时率: on time / expected, in percent."""
        return round(100.0 * self.on_time / self.expected, 1) if self.expected else None


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def compliance_monthly(*, user: Any, months: int = 12, now: dt.datetime | None = None) -> list[MonthCompliance]:
    """Per month (the last `months`, oldest first): periods ending in the month whose deadline has passed,
    counted per station as on time, late or missing. A weekly period counts once, in the month of its last day."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    first_month = _add_months(_month_start(today), -(months - 1))
    stations = list(station_list(user=user).filter(is_active=True))
    periods = [p for p in periods_in(first_month, today) if p.end >= first_month and p.deadline < now]
    reports = set(
        DailyReport.objects.restrict(user, "view")
        .filter(date__gte=first_month - dt.timedelta(days=7), station__in=[s.pk for s in stations])
        .values_list("station_id", "date", "late")
    )
    received: dict[tuple[int, dt.date], bool] = {(sid, d): late for sid, d, late in reports}
    counts: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for period in periods:
        month = _month_start(period.end)
        for station in stations:
            if station.established_on > period.end:
                continue
            bucket = counts[month]
            bucket[0] += 1
            key = (station.pk, period.start)
            if key not in received:
                bucket[3] += 1
            elif received[key]:
                bucket[2] += 1
            else:
                bucket[1] += 1
    result = []
    month = first_month
    while month <= today:
        expected, on_time, late, missing = counts.get(month, [0, 0, 0, 0])
        result.append(MonthCompliance(month, expected, on_time, late, missing))
        month = _add_months(month, 1)
    return result


def compliance_chart_option(figures: list[MonthCompliance]) -> dict[str, Any]:
    """ECharts option: report rate and on-time rate per month."""
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": ["上报率(%)", "及时率(%)"]},
        "grid": {"left": 40, "right": 20, "bottom": 30, "top": 40},
        "xAxis": {"type": "category", "data": [f"{m.month:%Y-%m}" for m in figures]},
        "yAxis": {"type": "value", "min": 0, "max": 100},
        "series": [
            {"name": "上报率(%)", "type": "bar", "data": [m.report_rate for m in figures]},
            {"name": "及时率(%)", "type": "line", "data": [m.on_time_rate for m in figures]},
        ],
    }


def status_day(now: dt.datetime | None = None) -> dt.date:
    """The day whose report the district checks this morning: yesterday (its deadline falls today)."""
    now = now or timezone.now()
    return timezone.localtime(now).date() - dt.timedelta(days=1)


# --- events, alerts ----------------------------------------------------------------------------------------------


def event_list(*, user: Any) -> QuerySet[MortalityEvent]:
    """Events the user may see, newest first, with their species lines."""
    return (
        MortalityEvent.objects.restrict(user, "view")
        .select_related("area", "station")
        .prefetch_related("species_lines__species")
        .order_by("-detected_at")
    )


def event_open_steps(*, event: MortalityEvent) -> list[ReportingStep]:
    return list(event.steps.filter(done_at__isnull=True).order_by("due_at"))


def alert_list(*, user: Any) -> QuerySet[Alert]:
    return Alert.objects.restrict(user, "view").select_related("event", "area", "acknowledged_by").order_by("-raised_at")


# --- map ---------------------------------------------------------------------------------------------------------


def map_layer(*, user: Any, now: dt.datetime | None = None, station_only: Station | None = None) -> dict[str, Any]:
    """GeoJSON of stations coloured by the status of the report due today (yesterday's period), their routes and
    points, and open events coloured by grade — all within the user's scope."""
    now = now or timezone.now()
    features: list[dict[str, Any]] = []
    day = status_day(now)
    period = period_for_day(day)
    stations = station_list(user=user).filter(is_active=True).prefetch_related("routes", "points")
    if station_only is not None:
        stations = stations.filter(pk=station_only.pk)
    station_ids = [s.pk for s in stations]
    reports = {r.station_id: r for r in DailyReport.objects.restrict(user, "view").filter(date=period.start, station__in=station_ids)}
    for station in stations:
        status = station_status(station, period, reports.get(station.pk), now)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [station.location.x, station.location.y]},
                "properties": {
                    "kind": "station",
                    "name": station.name,
                    "status": status,
                    "summary": f"{period.label()}：{ComplianceStatus(status).label}",
                    "color": STATUS_COLOURS[ComplianceStatus(status)],
                    "url": station.get_absolute_url(),
                },
            }
        )
        for route in station.routes.all():
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": [list(c) for c in route.geometry.coords]},
                    "properties": {"kind": "route", "name": f"{station.name} · {route.name}", "summary": f"{route.length_km} 公里", "color": "#2b8cbe"},
                }
            )
        for point in station.points.all():
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [point.location.x, point.location.y]},
                    "properties": {"kind": "point", "name": f"{station.name} · {point.name}", "color": "#2b8cbe"},
                }
            )
    if station_only is None:
        events = MortalityEvent.objects.restrict(user, "view").filter(status__in=OPEN_EVENT_STATUSES).prefetch_related("species_lines")
        for event in events[:500]:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [event.location.x, event.location.y]},
                    "properties": {
                        "kind": "event",
                        "name": str(event),
                        "grade": event.grade,
                        "summary": f"{event.get_grade_display() or '未分级'} · {event.get_status_display()} · 死亡 {event.dead_total}",
                        "color": GRADE_COLOURS[event.grade],
                        "url": event.get_absolute_url(),
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


# --- notifications -----------------------------------------------------------------------------------------------


def notification_list(*, user: Any) -> QuerySet[Notification]:
    """The user's own notifications (nobody else's, whatever their role)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(*, user: Any) -> int:
    return notification_list(user=user).filter(read_at__isnull=True).count()


# --- dashboard ---------------------------------------------------------------------------------------------------


def dashboard_figures(*, user: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """Figures for the home dashboard cards, within the user's scope."""
    now = now or timezone.now()
    board = compliance_for_date(user=user, day=status_day(now), now=now)
    open_events = MortalityEvent.objects.restrict(user, "view").filter(status__in=OPEN_EVENT_STATUSES)
    by_status = dict(open_events.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    open_alerts = Alert.objects.restrict(user, "view").filter(status=AlertStatus.OPEN).count()
    return {
        "expected": len(board.expected),
        "received": len(board.received),
        "missing": len(board.missing),
        "open_events": sum(by_status.values()),
        "suspected": by_status.get(EventStatus.SUSPECTED, 0) + by_status.get(EventStatus.CONFIRMED, 0),
        "open_alerts": open_alerts,
        "day": board.day,
    }


def station_detail_reports(*, user: Any, station: Station, limit: int = 30) -> list[DailyReport]:
    return list(
        DailyReport.objects.restrict(user, "view")
        .filter(station=station)
        .prefetch_related(Prefetch("findings"))
        .order_by("-date")[:limit]
    )


def station_events(*, user: Any, station: Station, limit: int = 20) -> list[MortalityEvent]:
    return list(MortalityEvent.objects.restrict(user, "view").filter(Q(station=station) | Q(report__station=station)).distinct()[:limit])


def events_url() -> str:
    return reverse("disease:event_list")
