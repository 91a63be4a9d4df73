"""Filters of the survey lists, map layers and API (one filterset per register; choices narrowed to the user's scope).

The observation filters are the API contract too: ?species= (id, or a name/alias/pinyin/scientific name),
?project=, ?area=, ?date_from=, ?date_to= (local dates, inclusive), ?method=, ?bbox=west,south,east,north.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.contrib.gis.geos import Polygon
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wildlife.geo.choices import AreaLevel
from wildlife.geo.models import AdminArea
from wildlife.surveys.choices import ObservationMethod, ProjectKind, ProjectStatus, SiteKind
from wildlife.surveys.models import SurveyProject, SurveySite

MAX_SPECIES_MATCHES = 20


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight of a day (aware): date filters are local dates, observed_at is stored in UTC."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def scope_areas(request: Any) -> QuerySet[AdminArea]:
    """Towns (and the district) within the requesting user's scope, for area choices."""
    from wildlife.geo.selectors import area_list

    user = getattr(request, "user", None)
    return area_list(user=user, include_overlays=False).filter(level__in=[AreaLevel.DISTRICT, AreaLevel.TOWN]).order_by("sort_order", "path")


def visible_projects(request: Any) -> QuerySet[SurveyProject]:
    user = getattr(request, "user", None)
    return SurveyProject.objects.restrict(user, "view").order_by("-start_date", "name")


class AreaSubtreeFilter(django_filters.ModelChoiceFilter):  # type: ignore[misc]
    """An area and everything below it (a district pick means the whole district)."""

    def filter(self, qs: QuerySet[Any], value: AdminArea | None) -> QuerySet[Any]:
        if value is None:
            return qs
        ids = list(AdminArea.objects.filter(path__startswith=value.path).values_list("pk", flat=True))
        return qs.filter(area_id__in=ids)


class DateRangeMixin:
    """date_from / date_to filters on a datetime field (`date_field`), inclusive local dates."""

    date_field = "observed_at"

    def filter_date_from(self, queryset: QuerySet[Any], name: str, value: dt.date | None) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.date_field}__gte": day_start(value)}) if value else queryset

    def filter_date_to(self, queryset: QuerySet[Any], name: str, value: dt.date | None) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.date_field}__lt": day_start(value + dt.timedelta(days=1))}) if value else queryset


class ObservationFilterSet(DateRangeMixin, django_filters.FilterSet):  # type: ignore[misc]
    species = django_filters.CharFilter(
        label=_("物种"),
        method="filter_species",
        widget=forms.TextInput(attrs={"list": "species-options", "data-species-autocomplete": "1", "placeholder": _("中文名/拼音首字母")}),
    )
    project = django_filters.ModelChoiceFilter(label=_("调查项目"), queryset=SurveyProject.objects.none(), empty_label=_("全部"))
    area = AreaSubtreeFilter(label=_("镇街"), queryset=AdminArea.objects.none(), empty_label=_("全部"))
    date_from = django_filters.DateFilter(label=_("起始日期"), method="filter_date_from", widget=_date_widget())
    date_to = django_filters.DateFilter(label=_("截止日期"), method="filter_date_to", widget=_date_widget())
    method = django_filters.ChoiceFilter(label=_("方法"), choices=ObservationMethod.choices, empty_label=_("全部"))
    site = django_filters.NumberFilter(label=_("位点"), field_name="site_id", widget=forms.HiddenInput)
    event = django_filters.NumberFilter(label=_("调查事件"), field_name="event_id", widget=forms.HiddenInput)
    bbox = django_filters.CharFilter(label=_("范围"), method="filter_bbox", widget=forms.HiddenInput)

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        self.filters["project"].queryset = visible_projects(request)
        self.filters["area"].queryset = scope_areas(request)

    def filter_species(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """A species id, or any name the catalogue search understands (the best matches)."""
        term = (value or "").strip()
        if not term:
            return queryset
        if term.isdigit():
            return queryset.filter(species_id=int(term))
        from wildlife.species.selectors import species_search

        ranked = list(species_search(term).values_list("pk", "search_rank")[:MAX_SPECIES_MATCHES])  # type: ignore[misc]
        # an exact name ("鲤") means that species, not every species whose name contains it ("鲤", "鲤形目"...)
        exact = [pk for pk, rank in ranked if rank == 3]
        return queryset.filter(species_id__in=exact or [pk for pk, _rank in ranked])

    def filter_bbox(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value:
            return queryset
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError as exc:
            raise ValidationError({"bbox": [_("范围格式应为 西经,南纬,东经,北纬（如 117.7,36.6,118.0,36.9）。")]}) from exc
        if not (west < east and south < north):
            raise ValidationError({"bbox": [_("范围的西边界应小于东边界，南边界应小于北边界。")]})
        box = Polygon.from_bbox((west, south, east, north))
        box.srid = 4326
        return queryset.filter(location__intersects=box)


class ProjectFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=ProjectKind.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ProjectStatus.choices, empty_label=_("全部"))

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)


class SiteFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    project = django_filters.ModelChoiceFilter(label=_("调查项目"), queryset=SurveyProject.objects.none(), empty_label=_("全部"))
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=SiteKind.choices, empty_label=_("全部"))
    area = AreaSubtreeFilter(label=_("镇街"), queryset=AdminArea.objects.none(), empty_label=_("全部"))

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        self.filters["project"].queryset = visible_projects(request)
        self.filters["area"].queryset = scope_areas(request)


class EventFilterSet(DateRangeMixin, django_filters.FilterSet):  # type: ignore[misc]
    date_field = "started_at"
    project = django_filters.ModelChoiceFilter(label=_("调查项目"), queryset=SurveyProject.objects.none(), empty_label=_("全部"))
    method = django_filters.ChoiceFilter(label=_("方法"), choices=ObservationMethod.choices, empty_label=_("全部"))
    nothing_seen = django_filters.ChoiceFilter(
        label=_("未发现"), choices=(("1", _("是")), ("0", _("否"))), method="filter_nothing_seen", empty_label=_("全部")
    )
    date_from = django_filters.DateFilter(label=_("起始日期"), method="filter_date_from", widget=_date_widget())
    date_to = django_filters.DateFilter(label=_("截止日期"), method="filter_date_to", widget=_date_widget())
    site = django_filters.NumberFilter(label=_("位点"), field_name="site_id", widget=forms.HiddenInput)

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        self.filters["project"].queryset = visible_projects(request)

    def filter_nothing_seen(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(nothing_seen=value == "1") if value in ("0", "1") else queryset


class AquaticFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    """Migration counts and water readings: project and sampling point."""

    project = django_filters.ModelChoiceFilter(label=_("调查项目"), queryset=SurveyProject.objects.none(), empty_label=_("全部"))
    site = django_filters.ModelChoiceFilter(label=_("断面/采样点"), queryset=SurveySite.objects.none(), empty_label=_("全部"))

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        self.filters["project"].queryset = visible_projects(request).filter(Q(kind=ProjectKind.AQUATIC) | Q(kind=ProjectKind.HABITAT))
        user = getattr(request, "user", None)
        self.filters["site"].queryset = SurveySite.objects.restrict(user, "view").filter(kind=SiteKind.WATER_SAMPLING).order_by("project", "code")


class ArchiveFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    area = django_filters.ModelChoiceFilter(label=_("区域"), queryset=AdminArea.objects.none(), empty_label=_("全部"))
    protection = django_filters.ChoiceFilter(label=_("保护级别"), field_name="species__protection", choices=(), empty_label=_("全部"))

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        from wildlife.species.choices import Protection

        self.filters["area"].queryset = scope_areas(request)
        self.filters["protection"].extra["choices"] = Protection.choices
