from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wildlife.core"
    label = "core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from wildlife.core.api import schema  # noqa: F401  (registers the OpenAPI auth extension)
