from django.db import models
from django.utils.translation import gettext_lazy as _


class AdminRole(models.TextChoices):
    """等保 三员: three administrators with separated powers; business users have none."""

    NONE = "", _("业务用户")
    SYSTEM = "system", _("系统管理员")
    SECURITY = "security", _("安全管理员")
    AUDIT = "audit", _("审计管理员")


class AssignmentRole(models.TextChoices):
    """What a user may do in an assigned area."""

    OFFICER = "officer", _("经办人员")
    LEAD = "lead", _("负责人")
    VIEWER = "viewer", _("只读查看")


class DepartmentKind(models.TextChoices):
    DISTRICT_DEPARTMENT = "district_department", _("区直部门")
    TOWN_GOVERNMENT = "town_government", _("镇街政府")
    OTHER = "other", _("其他单位")
