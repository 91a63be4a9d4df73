"""Declarative table columns shared by list pages and their Excel exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import number_format


@dataclass(frozen=True)
class Column:
    """One column: `accessor` is a dotted attribute path ("species.name_zh") or a callable(obj)."""

    name: str
    label: Any
    accessor: str | Callable[[Any], Any] | None = None
    order_by: str | None = None  # ordering expression; None = not sortable
    link: bool = False  # link the cell to obj.get_absolute_url()
    export: bool = True
    css: str = ""

    def raw(self, obj: Any) -> Any:
        accessor = self.accessor or self.name
        if callable(accessor):
            return accessor(obj)
        value: Any = obj
        for part in accessor.split("."):
            if value is None:
                return None
            display = getattr(value, f"get_{part}_display", None)
            value = display() if callable(display) else getattr(value, part, None)
            if isinstance(value, models.Manager):
                value = "、".join(str(v) for v in value.all())
        if callable(value) and not isinstance(value, models.Model):
            value = value()
        return value

    def text(self, obj: Any) -> str:
        return format_value(self.raw(obj))


def format_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, Decimal, float)):
        return number_format(value, force_grouping=True)
    return str(value)
