from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wildlife.core.navigation import NavItem, NavSection
from wildlife.jobs.periodic import PeriodicTask

# 区市场监管局 leads trade supervision (notice §3.2): it sees and works every listing
_MARKET = {
    "listing": "view,add,change,delete,review_listing,request_takedown",
    "listingimage": "view,add,delete",
    "tradeterm": "view,add,change,delete",
    "termversion": "view,add",
    "scanbatch": "view,add,change",
    "takedownletter": "view,add",
    "platform": "view,add,change",
    "columnmapping": "view,add,change,delete",
    "collectorsource": "view,add,change,delete",
}
# 区委网信办 sees the listings and may ask platforms to take them down
_CYBERSPACE = {
    "listing": "view,request_takedown",
    "listingimage": "view",
    "tradeterm": "view",
    "termversion": "view",
    "scanbatch": "view",
    "takedownletter": "view,add",
    "platform": "view",
}
# police, natural resources and agriculture cooperate: they read listings, letters and the keyword table
_READ = {
    "listing": "view",
    "listingimage": "view",
    "tradeterm": "view",
    "termversion": "view",
    "takedownletter": "view",
    "platform": "view",
}


class TradeConfig(AppConfig):
    name = "wildlife.trade"
    label = "trade"
    verbose_name = _("网络交易监测")
    demo_loader = "wildlife.trade.demo.load"
    periodic_tasks = [PeriodicTask("trade.collect_due", "wildlife.trade.services.collect_due", minutes=15)]
    nav_section = NavSection(
        "trade",
        _("网络交易监测"),
        "cart-x",
        45,
        (
            NavItem(_("审核队列"), "trade:queue", "trade.view_listing"),
            NavItem(_("商品信息"), "trade:listing_list", "trade.view_listing"),
            NavItem(_("导入平台数据"), "trade:import", "trade.add_listing"),
            NavItem(_("人工采集"), "trade:capture", "trade.add_listing"),
            NavItem(_("关键词库"), "trade:term_list", "trade.view_tradeterm"),
            NavItem(_("扫描任务"), "trade:scan_list", "trade.view_scanbatch"),
            NavItem(_("下架通知函"), "trade:letter_list", "trade.view_takedownletter"),
            NavItem(_("采集源"), "trade:collector_list", "trade.view_collectorsource"),
            NavItem(_("交易平台"), "trade:platform_list", "trade.change_platform"),
        ),
    )
    department_permissions = {
        "market": _MARKET,
        "cyberspace": _CYBERSPACE,
        "police": _READ,
        "natural_resources": _READ,
        "agriculture": _READ,
    }

    def ready(self) -> None:
        from wildlife.trade import jobs  # noqa: F401  (registers the job handlers)

    @staticmethod
    def dashboard_cards(user: Any) -> list[dict[str, Any]]:
        if getattr(user, "is_admin_role", False) or not user.has_perm("trade.view_listing"):
            return []
        from django.urls import reverse

        from wildlife.trade.selectors import listing_statistics

        figures = listing_statistics(user=user)
        return [
            {
                "key": "trade-queue",
                "label": _("待审核商品信息"),
                "value": figures["queue"],
                "url": reverse("trade:queue"),
                "note": _("其中高风险（≥80 分）%(n)d 条") % {"n": figures["high_risk"]},
            },
            {
                "key": "trade-letters",
                "label": _("本月下架通知函"),
                "value": figures["letters_month"],
                "url": reverse("trade:letter_list"),
                "note": _("本月已审核 %(n)d 条") % {"n": figures["reviewed_month"]},
            },
        ]
