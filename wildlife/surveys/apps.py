from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "wildlife.surveys"
    label = "surveys"
    verbose_name = _("资源调查与动态监测")
