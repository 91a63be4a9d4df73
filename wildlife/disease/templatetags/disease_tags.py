"""Template helpers of the disease pages: the bell's unread count, status and grade badges."""

from __future__ import annotations

from typing import Any

from django import template

from wildlife.disease.choices import GRADE_COLOURS

register = template.Library()

STATUS_BADGES = {
    "on_time": "bg-success",
    "late": "bg-warning text-dark",
    "missing": "bg-danger",
    "pending": "bg-secondary",
    "not_expected": "bg-light text-dark border",
}
LEVEL_BADGES = {"red": "bg-danger", "orange": "bg-orange", "yellow": "bg-warning text-dark", "blue": "bg-primary"}


@register.simple_tag(takes_context=True)
def unread_notifications(context: Any) -> int:
    from wildlife.disease.selectors import unread_count

    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_count(user=user) if user is not None else 0


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "bg-secondary")


@register.filter
def level_badge(level: str) -> str:
    return LEVEL_BADGES.get(level, "bg-secondary")


@register.filter
def grade_colour(grade: str) -> str:
    return GRADE_COLOURS.get(grade or "", GRADE_COLOURS[""])
