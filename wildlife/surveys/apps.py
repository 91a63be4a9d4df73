from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wildlife.core.navigation import NavItem, NavSection

_SURVEY_MODELS = (
    "surveyproject",
    "surveysite",
    "samplingevent",
    "cameramedia",
    "observation",
    "observationphoto",
    "migrationcount",
    "waterqualityreading",
    "speciesarchive",
)
_FULL = dict.fromkeys(_SURVEY_MODELS, "view,add,change,delete")
_VIEW = dict.fromkeys(_SURVEY_MODELS, "view")
# the two survey authorities see class-I locations precisely; everyone else sees them generalised (sensitive.py)
_LEAD = {**_FULL, "observation": "view,add,change,delete,view_precise_location"}
_TOWN = {
    "surveysite": "view,add,change",
    "samplingevent": "view,add,change",
    "observation": "view,add,change",
    "observationphoto": "view,add,change",
    "migrationcount": "view,add,change",
    "waterqualityreading": "view,add,change",
    "surveyproject": "view",
    "speciesarchive": "view",
}


class SurveysConfig(AppConfig):
    name = "wildlife.surveys"
    label = "surveys"
    verbose_name = _("资源调查与动态监测")
    demo_loader = "wildlife.surveys.demo.load"
    nav_section = NavSection(
        "surveys",
        _("资源调查"),
        "binoculars",
        30,
        (
            NavItem(_("调查项目"), "surveys:project_list", "surveys.view_surveyproject"),
            NavItem(_("调查位点"), "surveys:site_list", "surveys.view_surveysite"),
            NavItem(_("调查事件"), "surveys:event_list", "surveys.view_samplingevent"),
            NavItem(_("调查记录"), "surveys:observation_list", "surveys.view_observation"),
            NavItem(_("野外记录（手机）"), "surveys:observation_create", "surveys.add_observation"),
            NavItem(_("鱼类调查"), "surveys:fish_list", "surveys.view_observation"),
            NavItem(_("洄游观测"), "surveys:migration_list", "surveys.view_migrationcount"),
            NavItem(_("水质监测"), "surveys:water_list", "surveys.view_waterqualityreading"),
            NavItem(_("分布图"), "surveys:distribution", "surveys.view_observation"),
            NavItem(_("密度估计"), "surveys:density", "surveys.view_observation"),
            NavItem(_("种群趋势"), "surveys:trends", "surveys.view_observation"),
            NavItem(_("资源档案"), "surveys:archive_list", "surveys.view_speciesarchive"),
            NavItem(_("数据导入"), "surveys:import_start", "surveys.add_observation"),
            NavItem(_("数据导出"), "surveys:export_index", "surveys.view_observation"),
        ),
    )
    department_permissions = {
        "natural_resources": _LEAD,
        "agriculture": _LEAD,
        "town": _TOWN,
        "ecology": _VIEW,
        "big_data": _VIEW,
    }

    def ready(self) -> None:
        # the worker process must know the import and export job kinds, not only the web process
        from wildlife.surveys.exporters import jobs as _export_jobs  # noqa: F401
        from wildlife.surveys.importers import jobs as _import_jobs  # noqa: F401

    @staticmethod
    def dashboard_cards(user: Any) -> list[dict[str, Any]]:
        if getattr(user, "is_admin_role", False) or not user.has_perm("surveys.view_observation"):
            return []
        from django.urls import reverse

        from wildlife.surveys.selectors import survey_dashboard_figures

        figures = survey_dashboard_figures(user=user)
        return [
            {
                "key": "surveys_observations",
                "label": _("本年调查记录"),
                "value": figures["observations_this_year"],
                "url": reverse("surveys:observation_list") + f"?date_from={figures['year']}-01-01",
                "note": _("个体合计 %(n)s") % {"n": f"{figures['individuals_this_year']:,}"},
            },
            {
                "key": "surveys_species",
                "label": _("本年记录物种"),
                "value": figures["species_this_year"],
                "url": reverse("surveys:distribution"),
                "note": _("其中国家一级 %(n)d 种") % {"n": figures["class_one_species_this_year"]},
            },
            {
                "key": "surveys_projects",
                "label": _("进行中的调查项目"),
                "value": figures["active_projects"],
                "url": reverse("surveys:project_list") + "?status=active",
                "note": _("调查位点 %(n)d 个") % {"n": figures["sites"]},
            },
        ]
