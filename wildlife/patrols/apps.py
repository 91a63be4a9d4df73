from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    name = "wildlife.patrols"
    label = "patrols"
    verbose_name = _("巡护检查与执法培训")
