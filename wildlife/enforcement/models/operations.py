"""Special operations (专项行动). Patrols, inspections and listings of the other apps point at an Operation."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wildlife.core.models import ScopedModel
from wildlife.enforcement.choices import OperationStatus
from wildlife.enforcement.scoping import area_q, user_department_ids


def operation_scope(*, user: Any, scope: Any, action: str) -> Q | None:
    """An operation is seen in its area (usually the district) and by every department taking part in it, so a town
    government listed among the departments sees the district-wide operation; only its area's users change it."""
    q = area_q(scope.paths(action), "area")
    if action == "view":
        ids = user_department_ids(user)
        if ids:
            taking_part = Q(lead_department_id__in=ids) | Q(
                pk__in=Operation.departments.through.objects.filter(department_id__in=ids).values("operation_id")
            )
            q = taking_part if q is None else (q | taking_part)
    return q


class Operation(ScopedModel):
    """A special operation (专项行动, e.g. 清风行动): period, departments, targets; tasks, inspections and cases are
    grouped under it with their results."""

    code = models.SlugField(_("行动编号"), max_length=60, unique=True)
    name = models.CharField(_("行动名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=OperationStatus.choices, default=OperationStatus.PLANNED)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    lead_department = models.ForeignKey(
        "accounts.Department", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="led_operations"
    )
    departments = models.ManyToManyField("accounts.Department", verbose_name=_("参与单位"), blank=True, related_name="operations")
    targets = models.TextField(_("行动目标"), blank=True)
    summary = models.TextField(_("行动总结"), blank=True)

    scope_filter = staticmethod(operation_scope)

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="enforcement_operation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enforcement:operation_detail", args=[self.pk])
