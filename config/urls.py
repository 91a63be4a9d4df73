"""URL configuration. Each platform app's `urls.py` is mounted at /<label>/ and its `api/urls.py` under /api/v1/."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from wildlife.core import views as core_views

api_patterns: list[URLPattern | URLResolver] = []
page_patterns: list[URLPattern | URLResolver] = []
for config in apps.get_app_configs():
    if not config.name.startswith("wildlife.") or config.label == "core":
        continue
    if find_spec(f"{config.name}.urls") is not None:
        module = import_module(f"{config.name}.urls")
        page_patterns.append(path(f"{getattr(module, 'url_prefix', config.label)}/", include((module, config.label))))
    if find_spec(f"{config.name}.api") is not None and find_spec(f"{config.name}.api.urls") is not None:
        api_module = import_module(f"{config.name}.api.urls")
        api_patterns.append(path("", include((api_module, f"{config.label}-api"))))

urlpatterns = [
    path("", include(("wildlife.core.urls", "core"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include((api_patterns, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *page_patterns,
]

handler403 = "wildlife.core.views.error_403"
handler404 = "wildlife.core.views.error_404"
handler500 = "wildlife.core.views.error_500"
