from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wildlife.core.navigation import NavItem, NavSection


class AccountsConfig(AppConfig):
    name = "wildlife.accounts"
    label = "accounts"
    verbose_name = _("用户与权限")
    # 三员分立: the system administrator manages accounts; the security administrator the policy and permissions
    nav_section = NavSection(
        "accounts",
        _("系统管理"),
        "people",
        950,
        (
            NavItem(_("用户管理"), "accounts:user_list", admin_roles=("system",)),
            NavItem(_("安全策略"), "accounts:security_policy", admin_roles=("security",)),
            NavItem(_("部门权限"), "accounts:department_list", admin_roles=("security",)),
            NavItem(_("锁定账号"), "accounts:locked_accounts", admin_roles=("security", "system")),
        ),
    )

    def ready(self) -> None:
        from django.core import checks

        from wildlife.accounts.checks import check_superusers

        checks.register(check_superusers, checks.Tags.security, deploy=True)
