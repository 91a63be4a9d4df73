"""Navigation: each app's AppConfig may declare a section; only sections with an item the user may open are shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    permission: str | None = None
    admin_roles: tuple[str, ...] = ()  # non-empty: an administration page for these roles (三员) only


@dataclass(frozen=True)
class NavSection:
    key: str
    label: Any
    icon: str
    order: int
    items: tuple[NavItem, ...] = field(default_factory=tuple)


def _visible(item: NavItem, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    admin_role = getattr(user, "admin_role", "")
    if admin_role:
        return admin_role in item.admin_roles
    if item.admin_roles:
        return False  # an administration page: administrators only
    return item.permission is None or bool(user.has_perm(item.permission))


def sections_for(user: Any) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for config in apps.get_app_configs():
        section: NavSection | None = getattr(config, "nav_section", None)
        if section is None:
            continue
        items = []
        for item in section.items:
            if not _visible(item, user):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append({"label": item.label, "url": url, "url_name": item.url_name})
        if items:
            result.append({"key": section.key, "label": section.label, "icon": section.icon, "order": section.order, "items": items})
    result.sort(key=lambda s: s["order"])
    return result
