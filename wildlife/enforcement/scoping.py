"""Scope helpers shared by the enforcement models: area subtrees and the departments a user works for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

_DEPT_ATTR = "_enforcement_department_cache"


def area_q(paths: Iterable[str], field: str = "area") -> Q | None:
    """Records whose area lies in one of the subtrees; None when there is no subtree."""
    q: Q | None = None
    for prefix in paths:
        part = Q(**{f"{field}__path__startswith": prefix})
        q = part if q is None else (q | part)
    return q


def _departments(user: Any) -> list[tuple[int, str]]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _DEPT_ATTR, None)
    if cached is None:
        from wildlife.accounts.models import Department

        cached = list(Department.objects.filter(group__user=user).values_list("pk", "code"))
        setattr(user, _DEPT_ATTR, cached)
    return list(cached)


def user_department_ids(user: Any) -> list[int]:
    """Primary keys of the departments (Groups) the user belongs to, cached on the user for the request."""
    return [pk for pk, _code in _departments(user)]


def user_department_codes(user: Any) -> set[str]:
    return {code for _pk, code in _departments(user)}


def forget_departments(user: Any) -> None:
    if hasattr(user, _DEPT_ATTR):
        delattr(user, _DEPT_ATTR)
