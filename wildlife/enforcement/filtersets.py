"""Filters of the tip-off, case and hand-over lists (each rendered as a select)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wildlife.enforcement.choices import (
    OPEN_TIPOFF_STATUSES,
    CaseOrigin,
    CaseStatus,
    HandoverStatus,
    OffenceType,
    TipoffCategory,
    TipoffChannel,
    TipoffStatus,
)
from wildlife.enforcement.models import Case, RescueHandover, Tipoff
from wildlife.geo.choices import AreaLevel
from wildlife.geo.selectors import area_list

YES = (("1", _("是")),)


def _town_choices(request: Any) -> list[tuple[int, str]]:
    user = getattr(request, "user", None)
    return [(a.pk, a.name) for a in area_list(user=user, include_overlays=False).filter(level__in=[AreaLevel.TOWN, AreaLevel.DISTRICT]).order_by("path")]


class TipoffFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    status = django_filters.ChoiceFilter(label=_("状态"), choices=TipoffStatus.choices, empty_label=_("全部"))
    channel = django_filters.ChoiceFilter(label=_("渠道"), choices=TipoffChannel.choices, empty_label=_("全部"))
    category = django_filters.ChoiceFilter(label=_("分类"), choices=TipoffCategory.choices, empty_label=_("全部"))
    area = django_filters.ChoiceFilter(label=_("镇街"), choices=(), empty_label=_("全部"))
    open = django_filters.ChoiceFilter(label=_("在办"), choices=YES, method="filter_open", empty_label=_("全部"))
    overdue = django_filters.ChoiceFilter(label=_("超期"), choices=YES, method="filter_overdue", empty_label=_("全部"))

    class Meta:
        model = Tipoff
        fields = ["status", "channel", "category", "area", "open", "overdue"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["area"].extra["choices"] = _town_choices(request)

    def filter_open(self, queryset: QuerySet[Tipoff], name: str, value: str) -> QuerySet[Tipoff]:
        return queryset.filter(status__in=OPEN_TIPOFF_STATUSES) if value == "1" else queryset

    def filter_overdue(self, queryset: QuerySet[Tipoff], name: str, value: str) -> QuerySet[Tipoff]:
        return queryset.filter(status__in=OPEN_TIPOFF_STATUSES, due_at__lt=timezone.now()) if value == "1" else queryset


class CaseFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CaseStatus.choices, empty_label=_("全部"))
    origin = django_filters.ChoiceFilter(label=_("来源"), choices=CaseOrigin.choices, empty_label=_("全部"))
    offence_type = django_filters.ChoiceFilter(label=_("行为类型"), choices=OffenceType.choices, empty_label=_("全部"))
    area = django_filters.ChoiceFilter(label=_("镇街"), choices=(), empty_label=_("全部"))
    transfer_recommended = django_filters.ChoiceFilter(label=_("建议移送"), choices=YES, method="filter_transfer", empty_label=_("全部"))

    class Meta:
        model = Case
        fields = ["status", "origin", "offence_type", "area", "transfer_recommended"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["area"].extra["choices"] = _town_choices(request)

    def filter_transfer(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(transfer_recommended=True) if value == "1" else queryset


class HandoverFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    status = django_filters.ChoiceFilter(label=_("状态"), choices=HandoverStatus.choices, empty_label=_("全部"))

    class Meta:
        model = RescueHandover
        fields = ["status"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
