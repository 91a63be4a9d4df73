"""Filters of the disease list pages (each rendered as a select or date input)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wildlife.disease.choices import (
    AlertKind,
    AlertLevel,
    AlertStatus,
    EventSource,
    EventStatus,
    Grade,
    PeriodKind,
    StationLevel,
)
from wildlife.disease.models import Alert, DailyReport, MortalityEvent, Station

YES_NO = (("1", _("是")), ("0", _("否")))


def _flag(queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
    if value not in ("0", "1"):
        return queryset
    return queryset.filter(**{name: value == "1"})


class StationFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    level = django_filters.ChoiceFilter(label=_("级别"), choices=StationLevel.choices, empty_label=_("全部"))
    is_active = django_filters.ChoiceFilter(label=_("在用"), choices=YES_NO, method="filter_flag", empty_label=_("全部"))

    class Meta:
        model = Station
        fields = ["level", "is_active"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def filter_flag(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _flag(queryset, name, value)


class ReportFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    station = django_filters.ModelChoiceFilter(label=_("监测站"), queryset=Station.objects.none(), empty_label=_("全部"))
    period_kind = django_filters.ChoiceFilter(label=_("报告类型"), choices=PeriodKind.choices, empty_label=_("全部"))
    late = django_filters.ChoiceFilter(label=_("逾期"), choices=YES_NO, method="filter_flag", empty_label=_("全部"))
    is_zero_report = django_filters.ChoiceFilter(label=_("零报告"), choices=YES_NO, method="filter_flag", empty_label=_("全部"))
    date_from = django_filters.DateFilter(label=_("起始日期"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("截止日期"), field_name="date", lookup_expr="lte")

    class Meta:
        model = DailyReport
        fields = ["station", "period_kind", "late", "is_zero_report"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if request is not None:
            self.filters["station"].queryset = Station.objects.restrict(request.user, "view").order_by("name")

    def filter_flag(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _flag(queryset, name, value)


class EventFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    status = django_filters.ChoiceFilter(label=_("状态"), choices=EventStatus.choices, empty_label=_("全部"))
    grade = django_filters.ChoiceFilter(label=_("等级"), choices=Grade.choices, empty_label=_("全部"))
    source = django_filters.ChoiceFilter(label=_("来源"), choices=EventSource.choices, empty_label=_("全部"))

    class Meta:
        model = MortalityEvent
        fields = ["status", "grade", "source"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class AlertFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=AlertKind.choices, empty_label=_("全部"))
    level = django_filters.ChoiceFilter(label=_("级别"), choices=AlertLevel.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AlertStatus.choices, empty_label=_("全部"))

    class Meta:
        model = Alert
        fields = ["kind", "level", "status"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
