"""Reads: coverage by town and month, training hours per person, map layers and dashboard figures.

Everything starts from `restrict()`, so counts, maps and exports obey the user's scope.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.geo.choices import AreaLevel
from wildlife.geo.models import AdminArea
from wildlife.geo.selectors import area_list
from wildlife.patrols.choices import InspectionStatus
from wildlife.patrols.models import (
    EnforcementOfficer,
    Equipment,
    Inspection,
    Patrol,
    PatrolIncident,
    PatrolTownShare,
    TrainingAttendance,
    TrainingSession,
)

COVERAGE_COLORS = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")


# --- coverage --------------------------------------------------------------------------------------------------------


@dataclass
class CoverageCell:
    km: float = 0.0
    patrols: int = 0


@dataclass
class Coverage:
    """Patrol kilometres and patrol counts per town and month (a patrol counts in every town its track crosses)."""

    year: int
    months: list[int]
    towns: list[AdminArea]
    cells: dict[tuple[int, int], CoverageCell] = field(default_factory=dict)  # (town id, month) → cell

    def cell(self, town_id: int, month: int) -> CoverageCell:
        return self.cells.get((town_id, month), CoverageCell())

    def town_total(self, town_id: int) -> CoverageCell:
        total = CoverageCell()
        for (tid, _month), cell in self.cells.items():
            if tid == town_id:
                total.km += cell.km
                total.patrols += cell.patrols
        return total

    def rows(self) -> list[dict[str, Any]]:
        """One row per town: its monthly cells and its year total."""
        return [
            {"town": town, "cells": [self.cell(town.pk, m) for m in self.months], "total": self.town_total(town.pk)}
            for town in self.towns
        ]

    @property
    def total_km(self) -> float:
        return round(sum(c.km for c in self.cells.values()), 2)

    def chart_option(self) -> dict[str, Any]:
        """ECharts option: stacked monthly kilometres per town."""
        return {
            "tooltip": {"trigger": "axis"},
            "legend": {"type": "scroll", "top": 0},
            "grid": {"left": 48, "right": 16, "top": 40, "bottom": 32},
            "xAxis": {"type": "category", "data": [_("%(m)d月") % {"m": m} for m in self.months]},
            "yAxis": {"type": "value", "name": _("公里")},
            "series": [
                {
                    "name": town.name,
                    "type": "bar",
                    "stack": "km",
                    "data": [round(self.cell(town.pk, m).km, 2) for m in self.months],
                }
                for town in self.towns
                if self.town_total(town.pk).patrols
            ],
        }


def patrol_coverage(*, user: Any, year: int, month: int | None = None) -> Coverage:
    """Kilometres and patrols per town per month of `year` (one month when given), within the user's scope."""
    patrols = Patrol.objects.restrict(user, "view").filter(started_at__year=year)
    if month:
        patrols = patrols.filter(started_at__month=month)
    rows = (
        PatrolTownShare.objects.filter(patrol__in=patrols)
        .annotate(month=TruncMonth("patrol__started_at", tzinfo=timezone.get_current_timezone()))
        .values("town_id", "month")
        .annotate(metres=Sum("metres"), patrols=Count("patrol_id", distinct=True))
    )
    coverage = Coverage(
        year=year,
        months=[month] if month else list(range(1, 13)),
        towns=list(area_list(user=user, include_overlays=False).filter(level=AreaLevel.TOWN).order_by("sort_order", "path")),
    )
    known = {t.pk for t in coverage.towns}
    extra: set[int] = set()
    for row in rows:
        month_value = row["month"]
        key = (row["town_id"], month_value.month if hasattr(month_value, "month") else int(month_value))
        coverage.cells[key] = CoverageCell(km=round((row["metres"] or 0) / 1000, 2), patrols=row["patrols"])
        if row["town_id"] not in known:
            extra.add(row["town_id"])
    if extra:  # a patrol of the user's town that crossed into a neighbouring town
        coverage.towns += list(AdminArea.objects.filter(pk__in=extra).order_by("sort_order"))
    return coverage


def coverage_geojson(*, user: Any, year: int, month: int | None = None) -> dict[str, Any]:
    """Towns shaded by patrol kilometres, plus the tracks of the period, as one FeatureCollection."""
    from wildlife.geo.selectors import DISPLAY_TOLERANCE_DEG

    coverage = patrol_coverage(user=user, year=year, month=month)
    totals = {t.pk: coverage.town_total(t.pk) for t in coverage.towns}
    top = max((c.km for c in totals.values()), default=0.0)
    features: list[dict[str, Any]] = []
    towns = AdminArea.objects.filter(pk__in=[t.pk for t in coverage.towns]).only("pk", "name", "boundary", "boundary_is_schematic")
    for town in towns:
        if town.boundary is None:
            continue
        total = totals.get(town.pk, CoverageCell())
        level = 0 if not total.km or not top else min(len(COVERAGE_COLORS) - 1, 1 + int(3 * total.km / top))
        features.append(
            {
                "type": "Feature",
                "id": f"town-{town.pk}",
                "geometry": json.loads(town.boundary.simplify(DISPLAY_TOLERANCE_DEG, preserve_topology=True).geojson),
                "properties": {
                    "name": town.name,
                    "summary": _("巡护 %(n)d 次 · %(km)s 公里") % {"n": total.patrols, "km": f"{total.km:,.1f}"},
                    "color": COVERAGE_COLORS[level],
                    "fill_opacity": 0.45 if level else 0.05,  # shade towns by patrol effort
                    "km": total.km,
                    "patrols": total.patrols,
                    "schematic": town.boundary_is_schematic,
                },
            }
        )
    patrols = Patrol.objects.restrict(user, "view").filter(started_at__year=year)
    if month:
        patrols = patrols.filter(started_at__month=month)
    features += patrol_features(patrols)
    return {"type": "FeatureCollection", "features": features}


def patrol_features(patrols: QuerySet[Patrol], limit: int = 2000) -> list[dict[str, Any]]:
    """Tracks as GeoJSON features with a popup summary and a link (newest first, capped)."""
    features = []
    trimmed = patrols.select_related(None).prefetch_related(None).only("pk", "patrol_no", "title", "track", "distance_m", "started_at")
    for patrol in trimmed.order_by("-started_at")[:limit]:
        features.append(
            {
                "type": "Feature",
                "id": patrol.pk,
                "geometry": json.loads(patrol.track.geojson),
                "properties": {
                    "name": f"{patrol.patrol_no} {patrol.title}",
                    "summary": _("%(date)s · %(km)s 公里")
                    % {"date": timezone.localtime(patrol.started_at).strftime("%Y-%m-%d"), "km": f"{patrol.distance_km:,.2f}"},
                    "url": patrol.get_absolute_url(),
                    "color": "#e34a33",
                },
            }
        )
    return features


def incident_features(incidents: QuerySet[PatrolIncident]) -> list[dict[str, Any]]:
    features = []
    for incident in incidents.select_related("species"):
        features.append(
            {
                "type": "Feature",
                "id": f"incident-{incident.pk}",
                "geometry": json.loads(incident.location.geojson),
                "properties": {
                    "name": incident.get_kind_display(),
                    "summary": (incident.species.name_zh + " · " if incident.species else "") + incident.description[:60],
                    "color": "#31a354" if not incident.is_incident else "#d95f0e",
                },
            }
        )
    return features


def patrol_detail_geojson(patrol: Patrol) -> dict[str, Any]:
    """One patrol's track and its sightings/incidents."""
    features = patrol_features(Patrol.objects.filter(pk=patrol.pk))
    features += incident_features(patrol.incidents.all())
    return {"type": "FeatureCollection", "features": features}


def target_features(targets: QuerySet[Any]) -> list[dict[str, Any]]:
    features = []
    for target in targets.exclude(location__isnull=True)[:5000]:
        features.append(
            {
                "type": "Feature",
                "id": target.pk,
                "geometry": json.loads(target.location.geojson),
                "properties": {
                    "name": target.name,
                    "summary": f"{target.get_kind_display()} · {target.address}",
                    "url": target.get_absolute_url(),
                },
            }
        )
    return features


def inspection_features(inspections: QuerySet[Inspection]) -> list[dict[str, Any]]:
    features = []
    for inspection in inspections.select_related("target").exclude(target__location__isnull=True)[:5000]:
        location = inspection.target.location
        if location is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": inspection.pk,
                "geometry": json.loads(location.geojson),
                "properties": {
                    "name": f"{inspection.target.name}",
                    "summary": f"{inspection.inspected_on:%Y-%m-%d} · {inspection.get_status_display()}"
                    + (" · " + _("逾期") if inspection.overdue else ""),
                    "url": inspection.get_absolute_url(),
                    "color": "#d7301f" if inspection.overdue else ("#fd8d3c" if inspection.status == InspectionStatus.RECTIFYING else "#2b8cbe"),
                },
            }
        )
    return features


# --- inspections -----------------------------------------------------------------------------------------------------


def overdue_q(today: dt.date | None = None) -> Q:
    """Inspections whose rectification deadline has passed without verification."""
    return Q(status=InspectionStatus.RECTIFYING, rectify_by__lt=today or timezone.localdate())


def inspection_counts(*, user: Any) -> dict[str, int]:
    queryset = Inspection.objects.restrict(user, "view")
    return queryset.aggregate(
        total=Count("pk"),
        rectifying=Count("pk", filter=Q(status=InspectionStatus.RECTIFYING)),
        overdue=Count("pk", filter=overdue_q()),
    )


# --- trainings -------------------------------------------------------------------------------------------------------


@dataclass
class TraineeHours:
    name: str
    department: str
    user_id: int | None
    sessions: int
    hours: Decimal


def training_hours_summary(*, user: Any, year: int | None = None) -> list[TraineeHours]:
    """Attended sessions and hours per person (a platform user is one person whatever name was typed; others are
    told apart by name and department), most hours first."""
    sessions = TrainingSession.objects.restrict(user, "view")
    if year:
        sessions = sessions.filter(held_on__year=year)
    rows = TrainingAttendance.objects.filter(session__in=sessions, attended=True)
    people: dict[tuple[Any, ...], TraineeHours] = {}
    for row in rows.values("user_id", "name", "department", "hours").order_by("pk"):
        key: tuple[Any, ...] = ("user", row["user_id"]) if row["user_id"] else ("name", row["name"], row["department"])
        entry = people.get(key)
        if entry is None:
            entry = people[key] = TraineeHours(row["name"], row["department"], row["user_id"], 0, Decimal("0"))
        entry.sessions += 1
        entry.hours += row["hours"]
    return sorted(people.values(), key=lambda e: (-e.hours, e.department, e.name))


# --- registers -------------------------------------------------------------------------------------------------------


def officers_with_certificate_warning(*, user: Any, today: dt.date | None = None) -> QuerySet[EnforcementOfficer]:
    """Active officers whose certificate has expired or expires within the warning period."""
    from wildlife.patrols.models import CERTIFICATE_WARNING_DAYS

    today = today or timezone.localdate()
    return EnforcementOfficer.objects.restrict(user, "view").filter(
        is_active=True, certificate_valid_until__lte=today + dt.timedelta(days=CERTIFICATE_WARNING_DAYS)
    )


def equipment_check_due(*, user: Any) -> QuerySet[Equipment]:
    from wildlife.patrols.models import EQUIPMENT_CHECK_WARNING_DAYS

    return Equipment.objects.restrict(user, "view").exclude(status="scrapped").filter(
        next_check_on__lte=timezone.localdate() + dt.timedelta(days=EQUIPMENT_CHECK_WARNING_DAYS)
    )


# --- dashboard -------------------------------------------------------------------------------------------------------


def dashboard_cards(*, user: Any) -> list[dict[str, Any]]:
    """Figures for the home page, within the user's scope."""
    if getattr(user, "is_admin_role", False) or not getattr(user, "is_authenticated", False):
        return []
    cards: list[dict[str, Any]] = []
    today = timezone.localdate()
    if user.has_perm("patrols.view_patrol"):
        month = Patrol.objects.restrict(user, "view").filter(started_at__year=today.year, started_at__month=today.month)
        figures = month.aggregate(n=Count("pk"), metres=Sum("distance_m"))
        cards.append(
            {
                "key": "patrols_month",
                "label": _("本月巡护"),
                "value": figures["n"] or 0,
                "url": reverse("patrols:coverage"),
                "note": _("共 %(km)s 公里") % {"km": f"{(figures['metres'] or 0) / 1000:,.1f}"},
            }
        )
    if user.has_perm("patrols.view_inspection"):
        counts = inspection_counts(user=user)
        cards.append(
            {
                "key": "inspections_rectifying",
                "label": _("整改中的检查"),
                "value": counts["rectifying"] or 0,
                "url": reverse("patrols:inspection_list") + "?status=rectifying",
                "note": _("其中逾期 %(n)d 件") % {"n": counts["overdue"] or 0},
            }
        )
    if user.has_perm("patrols.view_enforcementofficer"):
        warning = officers_with_certificate_warning(user=user).count()
        if warning:
            cards.append(
                {
                    "key": "certificates_expiring",
                    "label": _("执法证到期提醒"),
                    "value": warning,
                    "url": reverse("patrols:officer_list") + "?certificate=warning",
                    "note": _("已过期或 60 天内到期"),
                }
            )
    return cards


# --- special operations (read by the enforcement operation page) -----------------------------------------------------


def patrol_list_for_operation(*, user: Any, operation: Any) -> QuerySet[Patrol]:
    """The patrols of a special operation that the user may see."""
    return Patrol.objects.restrict(user, "view").filter(operation=operation).select_related("area").order_by("-started_at")


def inspection_list_for_operation(*, user: Any, operation: Any) -> QuerySet[Inspection]:
    """The inspections of a special operation that the user may see."""
    return Inspection.objects.restrict(user, "view").filter(operation=operation).select_related("target", "area").order_by("-inspected_on")
