"""Filters of the listing pages (status, platform, risk band, matched word, capture dates) and the term table."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wildlife.trade.choices import ListingSource, ListingStatus, ScanKind, ScanStatus, TermCategory
from wildlife.trade.models import Listing, Platform, ScanBatch, TradeTerm

RISK_BANDS = (("high", _("高（≥80）")), ("medium", _("中（50–79）")), ("low", _("低（1–49）")), ("none", _("无命中（0）")))


class ListingFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ListingStatus.choices, empty_label=_("全部"))
    platform = django_filters.ModelChoiceFilter(label=_("平台"), queryset=Platform.objects.all(), empty_label=_("全部"))
    risk = django_filters.ChoiceFilter(label=_("风险"), choices=RISK_BANDS, method="filter_risk", empty_label=_("全部"))
    term = django_filters.CharFilter(label=_("命中词"), method="filter_term", widget=forms.TextInput(attrs={"placeholder": _("如 穿山甲")}))
    source = django_filters.ChoiceFilter(label=_("来源"), choices=ListingSource.choices, empty_label=_("全部"))
    date_from = django_filters.DateFilter(label=_("采集日期自"), method="filter_from", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label=_("至"), method="filter_to", widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Listing
        fields = ["status", "platform", "risk", "term", "source", "date_from", "date_to"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if request is not None:
            self.filters["platform"].queryset = Platform.objects.restrict(request.user, "view")

    def filter_risk(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        bands = {"high": (80, 100), "medium": (50, 79), "low": (1, 49), "none": (0, 0)}
        if value not in bands:
            return queryset
        low, high = bands[value]
        return queryset.filter(risk_score__gte=low, risk_score__lte=high)

    def filter_term(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        value = value.strip().replace("|", "")
        return queryset.filter(matched_index__contains=f"|{value}|") if value else queryset

    def _day(self, value: dt.date, end: bool) -> dt.datetime:
        moment = dt.datetime.combine(value + dt.timedelta(days=1 if end else 0), dt.time())
        return timezone.make_aware(moment)

    def filter_from(self, queryset: QuerySet[Listing], name: str, value: dt.date | None) -> QuerySet[Listing]:
        return queryset.filter(captured_at__gte=self._day(value, False)) if value else queryset

    def filter_to(self, queryset: QuerySet[Listing], name: str, value: dt.date | None) -> QuerySet[Listing]:
        return queryset.filter(captured_at__lt=self._day(value, True)) if value else queryset


class TermFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    category = django_filters.ChoiceFilter(label=_("类别"), choices=TermCategory.choices, empty_label=_("全部"))
    enabled = django_filters.ChoiceFilter(label=_("参与扫描"), choices=(("1", _("是")), ("0", _("否"))), method="filter_enabled", empty_label=_("全部"))

    class Meta:
        model = TradeTerm
        fields = ["category", "enabled"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def filter_enabled(self, queryset: QuerySet[TradeTerm], name: str, value: str) -> QuerySet[TradeTerm]:
        return queryset.filter(enabled=value == "1") if value in ("0", "1") else queryset


class ScanBatchFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=ScanKind.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ScanStatus.choices, empty_label=_("全部"))

    class Meta:
        model = ScanBatch
        fields = ["kind", "status"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
