"""Access helpers: fetch one object within the user's scope (404 otherwise) and re-check scope after a write."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from wildlife.core.exceptions import OutOfScopeError
from wildlife.core.querysets import ScopedQuerySet

_M = TypeVar("_M", bound=models.Model)


def get_in_scope_or_404(model: type[_M], user: Any, pk: Any, *, action: str = "view") -> _M:
    """The object with primary key `pk` if `user` may `action` it; 404 if missing or out of scope (the same answer)."""
    manager = model._default_manager
    queryset = manager.all()
    if not isinstance(queryset, ScopedQuerySet):
        raise TypeError(f"{model.__name__} has no ScopedQuerySet")
    try:
        return queryset.restrict(user, action).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:  # type: ignore[attr-defined]
        raise Http404(_("对象不存在或不在您的权限范围内")) from exc


def ensure_in_scope(obj: models.Model, user: Any, *, action: str = "change") -> None:
    """Re-check after a write that the object is still within the actor's scope; raise to roll the transaction back."""
    queryset = type(obj)._default_manager.all()
    assert isinstance(queryset, ScopedQuerySet)
    if not queryset.restrict(user, action).filter(pk=obj.pk).exists():
        raise OutOfScopeError(_("%(kind)s不在您的管辖范围内，操作已撤销") % {"kind": type(obj)._meta.verbose_name})
