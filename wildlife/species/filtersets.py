"""Filters of the species list page (each rendered as a select)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wildlife.species.choices import Protection
from wildlife.species.models import ListVersion, Species

YES_NO = (("1", _("是")), ("0", _("否")))


class SpeciesFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    protection = django_filters.ChoiceFilter(label=_("保护级别"), choices=Protection.choices, empty_label=_("全部"))
    taxon_class = django_filters.ChoiceFilter(label=_("纲"), choices=(), empty_label=_("全部"))
    aquatic = django_filters.ChoiceFilter(label=_("水生"), choices=YES_NO, method="filter_flag", empty_label=_("全部"))
    wild_only = django_filters.ChoiceFilter(label=_("仅限野外种群"), choices=YES_NO, method="filter_flag", empty_label=_("全部"))
    is_livestock = django_filters.ChoiceFilter(label=_("畜禽目录"), choices=YES_NO, method="filter_flag", empty_label=_("全部"))
    version = django_filters.ChoiceFilter(label=_("名录版本"), choices=(), method="filter_version", empty_label=_("全部"))

    class Meta:
        model = Species
        fields = ["protection", "taxon_class", "aquatic", "wild_only", "is_livestock", "version"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        classes = Species.objects.exclude(taxon_class="").order_by("taxon_class").values_list("taxon_class", flat=True).distinct()
        self.filters["taxon_class"].extra["choices"] = [(c, c) for c in classes]
        self.filters["version"].extra["choices"] = [(v.code, v.name) for v in ListVersion.objects.order_by("-effective_from")]

    def filter_flag(self, queryset: QuerySet[Species], name: str, value: str) -> QuerySet[Species]:
        if value not in ("0", "1"):
            return queryset
        return queryset.filter(**{name: value == "1"})

    def filter_version(self, queryset: QuerySet[Species], name: str, value: str) -> QuerySet[Species]:
        return queryset.filter(statuses__list_version__code=value).distinct() if value else queryset
