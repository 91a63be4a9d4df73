from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wildlife.core.navigation import NavItem, NavSection
from wildlife.jobs.periodic import PeriodicTask

_FULL = "view,add,change,delete"
_RULES = ("keyperiod", "reportingrule", "gradingrule", "chainrule", "clusterrule")
_STATION_PARTS = ("patrolroute", "observationpoint", "equipment")
_ALL = ("station", *_STATION_PARTS, "dailyreport", "mortalityevent", "sample", "labresult", "alert", *_RULES)


def _view_all() -> dict[str, str]:
    return dict.fromkeys(_ALL, "view")


class DiseaseConfig(AppConfig):
    name = "wildlife.disease"
    label = "disease"
    verbose_name = _("疫源疫病监测")
    demo_loader = "wildlife.disease.demo.load"
    periodic_tasks = [
        PeriodicTask("disease.report_reminders", "wildlife.disease.periodic.report_reminders", minutes=15),
        PeriodicTask("disease.overdue_steps", "wildlife.disease.periodic.overdue_steps", minutes=10),
    ]
    nav_section = NavSection(
        "disease",
        _("疫源疫病监测"),
        "activity",
        40,
        (
            NavItem(_("监测总览"), "disease:overview", "disease.view_station"),
            NavItem(_("上报情况"), "disease:compliance", "disease.view_dailyreport"),
            NavItem(_("监测报告"), "disease:report_list", "disease.view_dailyreport"),
            NavItem(_("监测站"), "disease:station_list", "disease.view_station"),
            NavItem(_("疫情事件"), "disease:event_list", "disease.view_mortalityevent"),
            NavItem(_("预警"), "disease:alert_list", "disease.view_alert"),
            NavItem(_("我的提醒"), "disease:notification_list", "disease.view_station"),
            NavItem(_("规则设置"), "disease:rules", "disease.view_gradingrule"),
        ),
    )
    # 自然资源局 leads (full); 农业农村局 runs the veterinary side of events (events, samples, lab results) and sees
    # the rest; towns act on their own stations, reports and events; 生态环境局 and 大数据局 look on.
    department_permissions = {
        "natural_resources": dict.fromkeys(_ALL, _FULL),
        "agriculture": {**_view_all(), "mortalityevent": _FULL, "sample": _FULL, "labresult": _FULL},
        "town": {
            **_view_all(),
            "station": "view,change",
            **dict.fromkeys(_STATION_PARTS, _FULL),
            "dailyreport": "view,add,change",
            "mortalityevent": "view,add,change",
            "alert": "view,change",
        },
        "ecology": _view_all(),
        "big_data": _view_all(),
    }

    @staticmethod
    def dashboard_cards(user: Any) -> list[dict[str, Any]]:
        if getattr(user, "is_admin_role", False) or not getattr(user, "is_authenticated", False):
            return []
        from django.urls import reverse

        from wildlife.disease.selectors import dashboard_figures, unread_count

        cards: list[dict[str, Any]] = []
        if user.has_perm("disease.view_dailyreport"):
            figures = dashboard_figures(user=user)
            cards.append(
                {
                    "key": "disease_reports",
                    "label": _("疫源疫病日报（昨日）"),
                    "value": f"{figures['received']}/{figures['expected']}",
                    "url": reverse("disease:compliance"),
                    "note": _("未上报 %(n)d 站") % {"n": figures["missing"]},
                }
            )
            if user.has_perm("disease.view_mortalityevent"):
                cards.append(
                    {
                        "key": "disease_events",
                        "label": _("未结疫情事件"),
                        "value": figures["open_events"],
                        "url": reverse("disease:event_list"),
                        "note": _("疑似/确诊 %(n)d · 待确认预警 %(a)d") % {"n": figures["suspected"], "a": figures["open_alerts"]},
                    }
                )
        unread = unread_count(user=user)
        if unread:
            cards.append({"key": "notifications", "label": _("未读提醒"), "value": unread, "url": reverse("disease:notification_list"), "note": ""})
        return cards
