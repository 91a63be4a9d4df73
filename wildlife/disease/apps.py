from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiseaseConfig(AppConfig):
    name = "wildlife.disease"
    label = "disease"
    verbose_name = _("疫源疫病监测")
