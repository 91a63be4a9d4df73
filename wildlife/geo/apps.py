from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wildlife.core.navigation import NavItem, NavSection


class GeoConfig(AppConfig):
    name = "wildlife.geo"
    label = "geo"
    verbose_name = _("行政区划与地图")
    demo_loader = "wildlife.geo.demo.load_demo"
    # business users see the areas of their scope; the system administrator maintains the tree and its boundaries
    nav_section = NavSection(
        "geo",
        _("行政区划"),
        "map",
        850,
        (
            NavItem(_("区划与边界"), "geo:area_list"),
            NavItem(_("区划管理"), "geo:area_list", admin_roles=("system",)),
            NavItem(_("边界导入"), "geo:boundary_import", admin_roles=("system",)),
        ),
    )
