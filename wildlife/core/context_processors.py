"""Values every page needs: demo banner, navigation, map settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wildlife.core.navigation import sections_for


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "DEMO_MODE": settings.WILDLIFE_DEMO_MODE,
        "PLATFORM_NAME": _("野生动物保护管理平台"),
        "DISTRICT_NAME": _("周村区"),
        "TIANDITU_KEY": settings.WILDLIFE_TIANDITU_KEY,
        "nav_sections": sections_for(user) if user is not None else [],
    }
