from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wildlife.core.navigation import NavItem, NavSection

_ALL = "view,add,change,delete"
_WORK = "view,add,change"

# Patrols and inspections: the two wildlife authorities (notice §3.1 leads) run them everywhere; towns record their
# own; market supervision inspects markets, restaurants, pet shops and express points (not breeding sites, see
# models.kind_aware_scope); police view patrols and inspections.
_AUTHORITY = {
    "patrol": _ALL,
    "inspectiontarget": _ALL,
    "checklisttemplate": _ALL,
    "inspection": _ALL + ",view_breeding_site",
    "trainingsession": _ALL,
    "enforcementofficer": _ALL,
    "equipment": _ALL,
}


class PatrolsConfig(AppConfig):
    name = "wildlife.patrols"
    label = "patrols"
    verbose_name = _("巡护检查与执法培训")
    demo_loader = "wildlife.patrols.demo.load"
    nav_section = NavSection(
        "patrols",
        _("巡护检查与执法培训"),
        "signpost-split",
        60,
        (
            NavItem(_("巡护记录"), "patrols:patrol_list", "patrols.view_patrol"),
            NavItem(_("巡护覆盖"), "patrols:coverage", "patrols.view_patrol"),
            NavItem(_("检查记录"), "patrols:inspection_list", "patrols.view_inspection"),
            NavItem(_("检查对象"), "patrols:target_list", "patrols.view_inspectiontarget"),
            NavItem(_("检查表模板"), "patrols:template_list", "patrols.view_checklisttemplate"),
            NavItem(_("执法培训"), "patrols:training_list", "patrols.view_trainingsession"),
            NavItem(_("培训学时统计"), "patrols:training_hours", "patrols.view_trainingsession"),
            NavItem(_("执法人员"), "patrols:officer_list", "patrols.view_enforcementofficer"),
            NavItem(_("执法装备"), "patrols:equipment_list", "patrols.view_equipment"),
        ),
    )
    department_permissions = {
        "natural_resources": _AUTHORITY,
        "agriculture": _AUTHORITY,
        "town": {
            "patrol": _ALL,
            "inspectiontarget": _WORK,
            "checklisttemplate": "view",
            "inspection": _WORK + ",view_breeding_site",
            "trainingsession": _WORK,
            "enforcementofficer": _WORK,
            "equipment": _WORK,
        },
        "market": {
            "inspectiontarget": _WORK,
            "checklisttemplate": _WORK,
            "inspection": _WORK,
            "trainingsession": "view",
        },
        "police": {
            "patrol": "view",
            "inspectiontarget": "view",
            "checklisttemplate": "view",
            "inspection": "view,view_breeding_site",
            "trainingsession": "view",
        },
    }

    audit_action_labels = {
        "patrol_record": _("登记巡护"),
        "patrol_update": _("修改巡护"),
        "patrol_delete": _("删除巡护"),
        "patrol_incident_add": _("记录巡护发现"),
        "patrol_incident_delete": _("删除巡护发现"),
        "patrol_incident_escalate": _("巡护发现移交"),
        "inspection_target_create": _("登记检查对象"),
        "inspection_target_update": _("修改检查对象"),
        "inspection_target_delete": _("删除检查对象"),
        "checklist_template_create": _("新建检查表模板"),
        "checklist_template_update": _("修改检查表模板"),
        "inspection_record": _("登记检查"),
        "inspection_update": _("修改检查"),
        "inspection_order_rectification": _("下达整改"),
        "inspection_follow_up": _("整改复查"),
        "inspection_close": _("检查办结"),
        "inspection_escalate": _("检查发现移交"),
        "training_session_create": _("登记培训"),
        "training_session_update": _("修改培训"),
        "training_session_delete": _("删除培训"),
        "training_attendance_add": _("添加参训人员"),
        "training_attendance_remove": _("移除参训人员"),
        "officer_create": _("登记执法人员"),
        "officer_update": _("修改执法人员"),
        "officer_delete": _("删除执法人员"),
        "equipment_create": _("登记执法装备"),
        "equipment_update": _("修改执法装备"),
        "equipment_delete": _("删除执法装备"),
        "attachment_add": _("上传附件"),
        "attachment_delete": _("删除附件"),
    }

    @staticmethod
    def dashboard_cards(user: Any) -> list[dict[str, Any]]:
        from wildlife.patrols.selectors import dashboard_cards

        return dashboard_cards(user=user)
