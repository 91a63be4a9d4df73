"""Species catalogue: species with names, aliases and taxonomy; versioned protection lists and group rules.

The catalogue is global (not area-scoped): every business user with `species.view_species` reads all of it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wildlife.core.models import TimeStampedModel
from wildlife.core.querysets import ScopedManager
from wildlife.species.choices import (
    LISTED_PROTECTIONS,
    AliasKind,
    ListKind,
    Protection,
    StatusOrigin,
    TaxonRank,
)


def catalogue_scope(*, user: Any, scope: Any, action: str) -> Q:
    """The catalogue is shared by the whole platform: the department permission alone decides (no area filter)."""
    return Q()


class ListVersion(TimeStampedModel):
    """One published version of a protection list (e.g. the 2021 national key list), with its validity period.

    A list is in force on day D when effective_from ≤ D and (effective_to is empty or D < effective_to).
    """

    code = models.SlugField(_("版本代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("名录类型"), max_length=20, choices=ListKind.choices)
    document = models.CharField(_("发布文件"), max_length=200, blank=True, help_text=_("例如：国家林业和草原局 农业农村部公告2021年第3号"))
    issued_by = models.CharField(_("发布机关"), max_length=200, blank=True)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("留空表示现行有效"))
    source_note = models.TextField(_("来源说明"), blank=True)

    objects = ScopedManager()
    scope_filter = staticmethod(catalogue_scope)

    class Meta:
        verbose_name = _("名录版本")
        verbose_name_plural = _("名录版本")
        ordering = ["-effective_from", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="species_listversion_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("species:version_detail", args=[self.pk])

    def in_force_on(self, day: Any) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


class Species(TimeStampedModel):
    """A species of the catalogue. `protection` caches today's status (recomputed by the services)."""

    name_zh = models.CharField(_("中文名"), max_length=100, unique=True)
    scientific_name = models.CharField(_("学名"), max_length=200, unique=True)
    taxon_class = models.CharField(_("纲"), max_length=50, blank=True)
    taxon_order = models.CharField(_("目"), max_length=50, blank=True)
    taxon_order_latin = models.CharField(_("目（拉丁名）"), max_length=80, blank=True)
    taxon_family = models.CharField(_("科"), max_length=50, blank=True)
    taxon_family_latin = models.CharField(_("科（拉丁名）"), max_length=80, blank=True)
    genus = models.CharField(_("属（拉丁名）"), max_length=80, blank=True, db_index=True)
    pinyin = models.CharField(_("拼音"), max_length=300, blank=True, db_index=True)
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=100, blank=True, db_index=True)
    aquatic = models.BooleanField(_("水生"), default=False, help_text=_("由渔业主管部门管理的水生野生动物"))
    wild_only = models.BooleanField(_("仅限野外种群"), default=False)
    landlocked_only = models.BooleanField(_("仅限陆封种群"), default=False)
    is_livestock = models.BooleanField(
        _("列入畜禽遗传资源目录"), default=False, help_text=_("农业农村部公告第303号：人工饲养的按畜禽管理，野外种群仍受保护")
    )
    livestock_note = models.CharField(_("畜禽目录说明"), max_length=200, blank=True)
    protection = models.CharField(
        _("现行保护级别"), max_length=20, choices=Protection.choices, default=Protection.NONE, db_index=True
    )
    protection_list = models.ForeignKey(
        ListVersion, verbose_name=_("现行级别依据"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.TextField(_("说明"), blank=True)
    source = models.CharField(_("资料来源"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = ScopedManager()
    scope_filter = staticmethod(catalogue_scope)

    class Meta:
        verbose_name = _("物种")
        verbose_name_plural = _("物种")
        ordering = ["pinyin", "name_zh"]
        constraints = [
            models.CheckConstraint(condition=~Q(name_zh=""), name="species_species_name_zh_not_blank"),
            models.CheckConstraint(condition=~Q(scientific_name=""), name="species_species_scientific_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name_zh

    def get_absolute_url(self) -> str:
        return reverse("species:detail", args=[self.pk])


class SpeciesAlias(models.Model):
    """Another name of a species: folk and trade names, former names ("原名…"), scientific synonyms."""

    species = models.ForeignKey(Species, verbose_name=_("物种"), on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=AliasKind.choices)
    pinyin = models.CharField(_("拼音"), max_length=300, blank=True, db_index=True)
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=100, blank=True, db_index=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    objects = ScopedManager()
    scope_filter = staticmethod(catalogue_scope)

    class Meta:
        verbose_name = _("别名")
        verbose_name_plural = _("别名")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["species", "name"], name="species_alias_species_name_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="species_alias_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name


class GroupRule(TimeStampedModel):
    """A list entry that covers a whole genus, family or order ("闭壳龟属所有种"), now and for species added later."""

    list_version = models.ForeignKey(ListVersion, verbose_name=_("名录版本"), on_delete=models.CASCADE, related_name="group_rules")
    rank = models.CharField(_("阶元"), max_length=10, choices=TaxonRank.choices)
    taxon_name = models.CharField(_("类群中文名"), max_length=100, help_text=_("例如：闭壳龟属"))
    taxon_latin = models.CharField(_("类群拉丁名"), max_length=100, blank=True, help_text=_("例如：Cuora"))
    protection = models.CharField(_("保护级别"), max_length=20, choices=[(p, Protection(p).label) for p in LISTED_PROTECTIONS])
    wild_only = models.BooleanField(_("仅限野外种群"), default=False)
    landlocked_only = models.BooleanField(_("仅限陆封种群"), default=False)
    notes = models.CharField(_("备注"), max_length=500, blank=True)

    objects = ScopedManager()
    scope_filter = staticmethod(catalogue_scope)

    class Meta:
        verbose_name = _("类群规则")
        verbose_name_plural = _("类群规则")
        ordering = ["list_version", "rank", "taxon_name"]
        constraints = [
            models.UniqueConstraint(fields=["list_version", "rank", "taxon_name"], name="species_grouprule_version_taxon_unique"),
            models.CheckConstraint(condition=Q(protection__in=LISTED_PROTECTIONS), name="species_grouprule_protection_listed"),
        ]

    def __str__(self) -> str:
        return f"{self.taxon_name}所有种"

    def species_q(self) -> Q:
        """The filter selecting the catalogue species this rule covers (Latin or Chinese taxon name)."""
        names = [n for n in (self.taxon_latin, self.taxon_name) if n]
        q = Q(pk__in=[])
        for name in names:
            if self.rank == TaxonRank.GENUS:
                q |= Q(genus__iexact=name)
            elif self.rank == TaxonRank.FAMILY:
                q |= Q(taxon_family__iexact=name) | Q(taxon_family_latin__iexact=name)
            else:
                q |= Q(taxon_order__iexact=name) | Q(taxon_order_latin__iexact=name)
        return q

    def covers(self, species: Species) -> bool:
        names = {n.lower() for n in (self.taxon_latin, self.taxon_name) if n}
        if self.rank == TaxonRank.GENUS:
            values = {species.genus}
        elif self.rank == TaxonRank.FAMILY:
            values = {species.taxon_family, species.taxon_family_latin}
        else:
            values = {species.taxon_order, species.taxon_order_latin}
        return bool(names & {v.lower() for v in values if v})


class SpeciesStatus(TimeStampedModel):
    """The protection of one species under one list version, listed explicitly or through a group rule."""

    species = models.ForeignKey(Species, verbose_name=_("物种"), on_delete=models.CASCADE, related_name="statuses")
    list_version = models.ForeignKey(ListVersion, verbose_name=_("名录版本"), on_delete=models.CASCADE, related_name="statuses")
    protection = models.CharField(_("保护级别"), max_length=20, choices=[(p, Protection(p).label) for p in LISTED_PROTECTIONS])
    notes = models.CharField(_("备注"), max_length=500, blank=True)
    wild_only = models.BooleanField(_("仅限野外种群"), default=False)
    landlocked_only = models.BooleanField(_("仅限陆封种群"), default=False)
    origin = models.CharField(_("来源"), max_length=20, choices=StatusOrigin.choices, default=StatusOrigin.LISTED)
    group_rule = models.ForeignKey(
        GroupRule, verbose_name=_("类群规则"), on_delete=models.CASCADE, null=True, blank=True, related_name="statuses"
    )

    objects = ScopedManager()
    scope_filter = staticmethod(catalogue_scope)

    class Meta:
        verbose_name = _("保护级别记录")
        verbose_name_plural = _("保护级别记录")
        ordering = ["-list_version__effective_from", "species__pinyin"]
        constraints = [
            models.UniqueConstraint(fields=["species", "list_version"], name="species_status_species_version_unique"),
            models.CheckConstraint(condition=Q(protection__in=LISTED_PROTECTIONS), name="species_status_protection_listed"),
            models.CheckConstraint(
                condition=Q(origin=StatusOrigin.LISTED, group_rule__isnull=True)
                | Q(origin=StatusOrigin.GROUP_RULE, group_rule__isnull=False),
                name="species_status_origin_matches_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.species} · {self.list_version} · {self.get_protection_display()}"
