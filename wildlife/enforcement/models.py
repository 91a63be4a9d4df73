"""Law enforcement: special operations (专项行动), tip-offs, cases and the tracing graph.

Patrols, inspections and trainings live in wildlife.patrols and online-trade monitoring in wildlife.trade; both link
to an Operation here when their work belongs to a special operation.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wildlife.core.models import ScopedModel
from wildlife.enforcement.choices import OperationStatus


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
