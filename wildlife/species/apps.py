from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpeciesConfig(AppConfig):
    name = "wildlife.species"
    label = "species"
    verbose_name = _("物种名录")
