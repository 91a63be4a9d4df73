"""API permission: a business user holding the model permission the request needs (department)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from wildlife.core.querysets import model_permission

ACTION_BY_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ScopedModelPermission(BasePermission):
    """Model permission by method (views need `view_*`); administrators (三员) never reach business records."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated or getattr(user, "is_admin_role", False):
            return False
        model = getattr(view, "model", None) or view.get_queryset().model
        action = getattr(view, "required_action", None) or ACTION_BY_METHOD.get(request.method or "GET", "view")
        return bool(user.has_perm(model_permission(model, action)))
