from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wildlife.core.navigation import NavItem, NavSection


class AuditConfig(AppConfig):
    name = "wildlife.audit"
    label = "audit"
    verbose_name = _("安全审计")
    # only the audit administrator reads the log (三员分立)
    nav_section = NavSection("audit", _("安全审计"), "journal-check", 960, (NavItem(_("审计日志"), "audit:event_list", admin_roles=("audit",)),))
