"""The tracing graph (追流向): identifier nodes (phones, accounts, plates, addresses, ID numbers, company codes) and
the records they were seen in (cases, listings, inspections, patrols, tip-offs). Only keyed blind indexes and masked
labels are stored: the graph never holds an identifier in plaintext."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wildlife.core.models import TimeStampedModel
from wildlife.enforcement.choices import TraceKind


class TraceNode(TimeStampedModel):
    """One identifier, known by its blind index; `label` is the masked form (139****5678)."""

    kind = models.CharField(_("类型"), max_length=10, choices=TraceKind.choices)
    key = models.CharField(_("索引"), max_length=64)
    label = models.CharField(_("显示"), max_length=100)

    class Meta:
        verbose_name = _("追踪标识")
        verbose_name_plural = _("追踪标识")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="enforcement_tracenode_kind_key_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}"


class TraceLink(TimeStampedModel):
    """An identifier seen in a record. `source_type` is the record's model label ("trade.listing"), `source_id` its
    key; links from case parties also carry the case and the party (for the party–identifier edges)."""

    node = models.ForeignKey(TraceNode, verbose_name=_("标识"), on_delete=models.CASCADE, related_name="links")
    source_type = models.CharField(_("来源类型"), max_length=60)
    source_id = models.CharField(_("来源编号"), max_length=40)
    label = models.CharField(_("来源说明"), max_length=200, blank=True)
    role = models.CharField(_("角色"), max_length=30, blank=True)
    case = models.ForeignKey(
        "enforcement.Case", verbose_name=_("案件"), on_delete=models.CASCADE, null=True, blank=True, related_name="trace_links"
    )
    party = models.ForeignKey(
        "enforcement.CaseParty", verbose_name=_("当事人"), on_delete=models.CASCADE, null=True, blank=True, related_name="trace_links"
    )

    class Meta:
        verbose_name = _("标识出现记录")
        verbose_name_plural = _("标识出现记录")
        indexes = [models.Index(fields=["source_type", "source_id"], name="enforcement_tracelink_source")]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "source_type", "source_id", "role"],
                condition=Q(party__isnull=True),
                name="enforcement_tracelink_source_unique",
            ),
            models.UniqueConstraint(fields=["node", "party"], condition=Q(party__isnull=False), name="enforcement_tracelink_party_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.node} @ {self.source_type}:{self.source_id}"
