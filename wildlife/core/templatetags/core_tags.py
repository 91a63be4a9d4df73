"""Template helpers used by the shared components."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField

from wildlife.core import masking
from wildlife.core.tables import format_value

register = template.Library()


@register.filter
def add_class(field: Any, css: str) -> Any:
    if not isinstance(field, BoundField):
        return field
    widget = field.field.widget
    if isinstance(widget, (forms.Select, forms.SelectMultiple)) and "form-control" in css:
        css = css.replace("form-control", "form-select")
    elif not isinstance(widget, (forms.Select, forms.SelectMultiple)) and "form-select" in css:
        css = css.replace("form-select", "form-control")  # text and date filters in a row of selects
    if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        return field
    existing = widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.filter
def invalid_if(rendered: Any, errors: Any) -> Any:
    """Mark a rendered widget invalid (Bootstrap) when the field has errors."""
    if errors and isinstance(rendered, str) and 'class="' in rendered:
        from django.utils.safestring import mark_safe

        return mark_safe(rendered.replace('class="', 'class="is-invalid ', 1))  # noqa: S308 - widget HTML from Django
    return rendered


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def verbose_name(obj: Any) -> str:
    return str(obj._meta.verbose_name) if hasattr(obj, "_meta") else ""


@register.filter
def display(value: Any) -> str:
    return format_value(value)


@register.filter
def mask_phone(value: str | None) -> str:
    return masking.mask_phone(value)


@register.filter
def mask_id_number(value: str | None) -> str:
    return masking.mask_id_number(value)


@register.filter
def mask_name(value: str | None) -> str:
    return masking.mask_name(value)
