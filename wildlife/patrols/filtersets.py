"""Filters of the list pages (each rendered as a select); town choices follow the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wildlife.patrols.choices import EquipmentKind, EquipmentStatus, InspectionStatus, PatrolKind, TargetKind
from wildlife.patrols.models import (
    CERTIFICATE_WARNING_DAYS,
    EQUIPMENT_CHECK_WARNING_DAYS,
    EnforcementOfficer,
    Equipment,
    Inspection,
    InspectionTarget,
    Patrol,
    TrainingSession,
)
from wildlife.patrols.selectors import overdue_q

YES = (("1", _("是")),)


def _towns(request: Any) -> list[tuple[int, str]]:
    from wildlife.patrols.forms import towns_for

    if request is None:
        return []
    return [(a.pk, a.name) for a in towns_for(request.user)]


def _years() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(y, f"{y}年") for y in range(this, this - 6, -1)]


class _ScopedFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    area = django_filters.ChoiceFilter(label=_("镇街"), choices=(), empty_label=_("全部"))

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        self.filters["area"].extra["choices"] = _towns(request)


class PatrolFilterSet(_ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("巡护类型"), choices=PatrolKind.choices, empty_label=_("全部"))
    year = django_filters.ChoiceFilter(label=_("年份"), choices=(), method="filter_year", empty_label=_("全部"))
    month = django_filters.ChoiceFilter(
        label=_("月份"), choices=[(m, f"{m}月") for m in range(1, 13)], method="filter_month", empty_label=_("全部")
    )
    has_incident = django_filters.ChoiceFilter(label=_("有违法线索"), choices=YES, method="filter_incident", empty_label=_("全部"))

    class Meta:
        model = Patrol
        fields = ["area", "kind", "year", "month", "has_incident"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = _years()

    def filter_year(self, queryset: QuerySet[Patrol], name: str, value: str) -> QuerySet[Patrol]:
        return queryset.filter(started_at__year=int(value)) if value else queryset

    def filter_month(self, queryset: QuerySet[Patrol], name: str, value: str) -> QuerySet[Patrol]:
        return queryset.filter(started_at__month=int(value)) if value else queryset

    def filter_incident(self, queryset: QuerySet[Patrol], name: str, value: str) -> QuerySet[Patrol]:
        if value != "1":
            return queryset
        return queryset.filter(incidents__kind__in=["illegal_hunting", "hunting_tool", "dead_wildlife", "habitat_damage", "other"]).distinct()


class InspectionFilterSet(_ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=InspectionStatus.choices, empty_label=_("全部"))
    target_kind = django_filters.ChoiceFilter(label=_("对象类型"), choices=TargetKind.choices, empty_label=_("全部"))
    overdue = django_filters.ChoiceFilter(label=_("整改逾期"), choices=YES, method="filter_overdue", empty_label=_("全部"))
    failed = django_filters.ChoiceFilter(label=_("有不符合项"), choices=YES, method="filter_failed", empty_label=_("全部"))

    class Meta:
        model = Inspection
        fields = ["area", "status", "target_kind", "overdue", "failed"]

    def filter_overdue(self, queryset: QuerySet[Inspection], name: str, value: str) -> QuerySet[Inspection]:
        return queryset.filter(overdue_q()) if value == "1" else queryset

    def filter_failed(self, queryset: QuerySet[Inspection], name: str, value: str) -> QuerySet[Inspection]:
        return queryset.filter(failed_items__gt=0) if value == "1" else queryset


class TargetFilterSet(_ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=TargetKind.choices, empty_label=_("全部"))
    is_active = django_filters.ChoiceFilter(label=_("在营"), choices=(("1", _("是")), ("0", _("否"))), method="filter_active", empty_label=_("全部"))

    class Meta:
        model = InspectionTarget
        fields = ["area", "kind", "is_active"]

    def filter_active(self, queryset: QuerySet[InspectionTarget], name: str, value: str) -> QuerySet[InspectionTarget]:
        return queryset.filter(is_active=value == "1") if value in ("0", "1") else queryset


class TrainingFilterSet(_ScopedFilterSet):
    year = django_filters.ChoiceFilter(label=_("年份"), choices=(), method="filter_year", empty_label=_("全部"))

    class Meta:
        model = TrainingSession
        fields = ["area", "year"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = _years()

    def filter_year(self, queryset: QuerySet[TrainingSession], name: str, value: str) -> QuerySet[TrainingSession]:
        return queryset.filter(held_on__year=int(value)) if value else queryset


class OfficerFilterSet(_ScopedFilterSet):
    certificate = django_filters.ChoiceFilter(
        label=_("执法证"), choices=(("warning", _("已过期或即将到期")),), method="filter_certificate", empty_label=_("全部")
    )

    class Meta:
        model = EnforcementOfficer
        fields = ["area", "certificate"]

    def filter_certificate(self, queryset: QuerySet[EnforcementOfficer], name: str, value: str) -> QuerySet[EnforcementOfficer]:
        if value != "warning":
            return queryset
        limit = timezone.localdate() + dt.timedelta(days=CERTIFICATE_WARNING_DAYS)
        return queryset.filter(certificate_valid_until__lte=limit)


class EquipmentFilterSet(_ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=EquipmentKind.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=EquipmentStatus.choices, empty_label=_("全部"))
    check_due = django_filters.ChoiceFilter(label=_("待检查"), choices=YES, method="filter_check_due", empty_label=_("全部"))

    class Meta:
        model = Equipment
        fields = ["area", "kind", "status", "check_due"]

    def filter_check_due(self, queryset: QuerySet[Equipment], name: str, value: str) -> QuerySet[Equipment]:
        if value != "1":
            return queryset
        limit = timezone.localdate() + dt.timedelta(days=EQUIPMENT_CHECK_WARNING_DAYS)
        return queryset.exclude(status=EquipmentStatus.SCRAPPED).filter(next_check_on__lte=limit)
