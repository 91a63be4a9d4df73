"""Who may open the administrators' pages: each of the three administrators only their own (三员分立)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from wildlife.accounts.models import User


def require_admin(user: Any, *roles: str) -> None:
    """PermissionDenied unless `user` is an active administrator holding one of `roles`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or getattr(user, "admin_role", "") not in roles:
        raise PermissionDenied(_("此页面仅对相应的管理员开放。"))


def admin_required(*roles: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: login, then one of the administrator roles (403 for everybody else)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require_admin(request.user, *roles)
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


def access_user_by_id(actor: Any, user_id: Any) -> User:
    """An account for the system administrator's pages (404 when missing)."""
    require_admin(actor, "system")
    try:
        return User.objects.get(pk=int(user_id))
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("用户不存在")) from exc
