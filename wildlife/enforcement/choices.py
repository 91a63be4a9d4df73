from django.db import models
from django.utils.translation import gettext_lazy as _


class OperationStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    ACTIVE = "active", _("进行中")
    CLOSED = "closed", _("已结束")
