from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wildlife.core.navigation import NavItem, NavSection
from wildlife.jobs.periodic import PeriodicTask

_RULES_READ = {
    "lawversion": "view", "penaltyrule": "view", "basevalue": "view", "valuecoefficient": "view",
    "transferthreshold": "view", "tipofftimelimit": "view",
}
_RULES_MANAGE = dict.fromkeys(_RULES_READ, "view,add,change")


class EnforcementConfig(AppConfig):
    name = "wildlife.enforcement"
    label = "enforcement"
    verbose_name = _("执法与案件")
    demo_loader = "wildlife.enforcement.demo.load"
    reference_loader = "wildlife.enforcement.reference.load_reference"  # also run by migration 0003 and after a flush
    periodic_tasks = [PeriodicTask("enforcement.flag_overdue_tipoffs", "wildlife.enforcement.periodic.flag_overdue_tipoffs", minutes=60)]
    nav_section = NavSection(
        "enforcement",
        _("执法监管"),
        "shield-exclamation",
        60,
        (
            NavItem(_("举报受理"), "enforcement:tipoff_list", "enforcement.view_tipoff"),
            NavItem(_("案件"), "enforcement:case_list", "enforcement.view_case"),
            NavItem(_("专项行动"), "enforcement:operation_list", "enforcement.view_operation"),
            NavItem(_("救护移交"), "enforcement:handover_list", "enforcement.view_rescuehandover"),
            NavItem(_("罚则与评估标准"), "enforcement:rules", "enforcement.view_penaltyrule"),
            NavItem(_("举报受理人员"), "enforcement:intake_members", admin_roles=("security",)),
        ),
    )
    # Tip-offs: the wildlife authorities, market supervision (lead for trade complaints) and the towns (their own
    # area). The police see cases, not tip-offs. Cases: market supervision and towns hold the permission but see only
    # the cases they lead or are involved in (models.cases.case_scope).
    department_permissions = {
        "natural_resources": {
            "tipoff": "view,add,change", "case": "view,add,change,reveal_party", "operation": "view,add,change",
            "rescuehandover": "view,change", "tracenode": "view", **_RULES_MANAGE,
        },
        "agriculture": {
            "tipoff": "view,add,change", "case": "view,add,change", "operation": "view,add,change",
            "rescuehandover": "view,change", "tracenode": "view", **_RULES_READ,
        },
        "market": {
            "tipoff": "view,add,change", "case": "view,add,change", "operation": "view,add,change", "tracenode": "view",
            **_RULES_READ,
        },
        "police": {
            "case": "view,add,change,reveal_party", "operation": "view,add,change", "rescuehandover": "view", "tracenode": "view",
            **_RULES_MANAGE,
        },
        "cyberspace": {"operation": "view"},
        "post": {"operation": "view"},
        "town": {"tipoff": "view,add,change", "case": "view,add,change", "operation": "view", "rescuehandover": "view"},
    }
    audit_action_labels = {
        "tipoff_register": _("登记举报"),
        "tipoff_submit_public": _("公众网上举报"),
        "tipoff_triage": _("举报分类"),
        "tipoff_assign": _("举报交办"),
        "tipoff_handle": _("举报办理"),
        "tipoff_reply": _("举报答复"),
        "tipoff_close": _("举报办结"),
        "tipoff_escalate": _("举报转立案件"),
        "tipoff_overdue": _("举报超期提醒"),
        "informant_reveal": _("查看举报人身份"),
        "intake_member_add": _("添加举报受理人员"),
        "intake_member_remove": _("移除举报受理人员"),
        "case_open": _("立案"),
        "case_update": _("修改案件"),
        "case_investigate": _("开始调查"),
        "case_transfer": _("移送公安"),
        "case_transfer_back": _("公安退回"),
        "case_decide": _("作出处理决定"),
        "case_decision_add": _("登记处理决定"),
        "case_close": _("结案"),
        "case_party_add": _("添加当事人"),
        "case_party_remove": _("删除当事人"),
        "case_item_add": _("登记扣押物品"),
        "case_evidence_add": _("添加证据"),
        "case_evidence_download": _("下载证据"),
        "case_event_add": _("记录案件事件"),
        "case_flow_add": _("添加流向"),
        "case_assess": _("价值评估"),
        "case_transfer_letter": _("生成移送函"),
        "rescue_handover_create": _("移交救护中心"),
        "rescue_handover_pick_up": _("救护中心接收"),
        "trace_link": _("登记追踪标识"),
        "trace_unlink": _("删除追踪标识"),
        "operation_create": _("新建专项行动"),
        "operation_update": _("修改专项行动"),
        "rule_row_save": _("修改规则数据"),
    }

    @staticmethod
    def dashboard_cards(user: Any) -> list[dict[str, Any]]:
        if getattr(user, "is_admin_role", False) or not getattr(user, "is_authenticated", False):
            return []
        from django.urls import reverse

        from wildlife.enforcement.selectors import case_counts, tipoff_counts

        cards: list[dict[str, Any]] = []
        if user.has_perm("enforcement.view_tipoff"):
            counts = tipoff_counts(user=user)
            cards.append({
                "key": "tipoffs", "label": _("在办举报"), "value": counts["open"], "url": reverse("enforcement:tipoff_list") + "?open=1",
                "note": _("超期 %(overdue)d · 本月受理 %(month)d") % {"overdue": counts["overdue"], "month": counts["month"]},
            })
        if user.has_perm("enforcement.view_case"):
            counts = case_counts(user=user)
            cards.append({
                "key": "cases", "label": _("在办案件"), "value": counts["active"], "url": reverse("enforcement:case_list"),
                "note": _("建议移送 %(rec)d · 已移送公安 %(tr)d") % {"rec": counts["transfer_recommended"], "tr": counts["transferred"]},
            })
        return cards
