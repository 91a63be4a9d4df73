from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wildlife.core.navigation import NavItem, NavSection
from wildlife.jobs.periodic import PeriodicTask

_READ = {"species": "view", "speciesalias": "view", "listversion": "view", "speciesstatus": "view", "grouprule": "view"}
_MANAGE = {
    "species": "view,add,change,delete",
    "speciesalias": "view,add,change,delete",
    "listversion": "view,add,change,delete",
    "speciesstatus": "view,add,change,delete",
    "grouprule": "view,add,change,delete",
}


class SpeciesConfig(AppConfig):
    name = "wildlife.species"
    label = "species"
    verbose_name = _("物种名录")
    demo_loader = "wildlife.species.demo.load"
    periodic_tasks = [PeriodicTask("species.refresh_protection", "wildlife.species.periodic.refresh_protection", minutes=24 * 60)]
    nav_section = NavSection(
        "species",
        _("物种名录"),
        "book",
        20,
        (
            NavItem(_("物种"), "species:list", "species.view_species"),
            NavItem(_("名录版本"), "species:versions", "species.view_listversion"),
            NavItem(_("导入名录"), "species:import", "species.add_species"),
        ),
    )
    # the catalogue is shared reference data: everyone reads it; the two wildlife authorities maintain it
    department_permissions = {
        "natural_resources": _MANAGE,
        "agriculture": _MANAGE,
        "market": _READ,
        "police": _READ,
        "finance": _READ,
        "ecology": _READ,
        "cyberspace": _READ,
        "big_data": _READ,
        "post": _READ,
        "town": _READ,
    }

    def ready(self) -> None:
        from wildlife.species import jobs  # noqa: F401  (registers the import job handler)

    @staticmethod
    def dashboard_cards(user: Any) -> list[dict[str, Any]]:
        if getattr(user, "is_admin_role", False) or not user.has_perm("species.view_species"):
            return []
        from django.urls import reverse

        from wildlife.species.selectors import catalogue_counts

        counts = catalogue_counts()
        return [
            {
                "key": "species",
                "label": _("名录物种"),
                "value": counts["total"],
                "url": reverse("species:list"),
                "note": _("国家一级 %(n1)d · 国家二级 %(n2)d · 三有 %(sy)d")
                % {"n1": counts["national_1"], "n2": counts["national_2"], "sy": counts["sanyou"]},
            }
        ]
