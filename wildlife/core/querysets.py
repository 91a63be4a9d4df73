"""ScopedQuerySet.restrict(): the only way a user-facing queryset is built."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import Q

from wildlife.core.scope import ACTIONS, user_scope

if TYPE_CHECKING:
    pass

_M = TypeVar("_M", bound=models.Model)


def model_permission(model: type[models.Model], action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def scope_q(model: type[models.Model], user: Any, action: str) -> Q | None:
    """The filter that limits `model` to what `user` may `action`, or None when the user may see nothing."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    if getattr(user, "is_admin_role", False):
        # 三员: administrators manage the platform, not its business records
        return None
    if not user.has_perm(model_permission(model, action)):
        return None
    custom = getattr(model, "scope_filter", None)
    scope = user_scope(user)
    if custom is not None:
        result: Q | None = custom(user=user, scope=scope, action=action)
        return result
    ids = scope.subtree_ids(action)
    if not ids:
        return None
    field = getattr(model, "scope_area_field", "area")
    return Q(**{f"{field}__in": ids})


class ScopedQuerySet(models.QuerySet[_M]):
    """QuerySet with restrict(user, action): model permission (department) × area subtree (assignment)."""

    def restrict(self, user: Any, action: str = "view") -> ScopedQuerySet[_M]:
        q = scope_q(self.model, user, action)
        if q is None:
            return self.none()
        return self.filter(q)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
