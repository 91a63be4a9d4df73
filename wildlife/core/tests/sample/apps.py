"""A tiny scoped register installed only in tests: it proves the generic views, API base and contract tests."""

from django.apps import AppConfig

from wildlife.core.navigation import NavItem, NavSection


class SampleConfig(AppConfig):
    name = "wildlife.core.tests.sample"
    label = "sample"
    verbose_name = "示例登记簿"
    nav_section = NavSection("sample", "示例", "box", 900, (NavItem("示例记录", "sample:list", "sample.view_samplerecord"),))
    department_permissions = {
        "natural_resources": {"samplerecord": "view,add,change,delete"},
        "town": {"samplerecord": "view,add,change"},
    }
