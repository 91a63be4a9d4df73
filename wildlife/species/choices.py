"""Choices of the species catalogue: protection classes, list kinds, alias kinds, taxon ranks."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Protection(models.TextChoices):
    NATIONAL_1 = "national_1", _("国家一级")
    NATIONAL_2 = "national_2", _("国家二级")
    PROVINCIAL = "provincial", _("省重点")
    SANYOU = "sanyou", _("三有")
    NONE = "none", _("未列入")


# "highest protection wins": national_1 > national_2 > provincial > sanyou > none
PROTECTION_RANK: dict[str, int] = {
    Protection.NATIONAL_1: 4,
    Protection.NATIONAL_2: 3,
    Protection.PROVINCIAL: 2,
    Protection.SANYOU: 1,
    Protection.NONE: 0,
}

LISTED_PROTECTIONS = [p for p in Protection.values if p != Protection.NONE]


class ListKind(models.TextChoices):
    NATIONAL_KEY = "national_key", _("国家重点保护野生动物名录")
    SANYOU = "sanyou", _("三有名录")
    PROVINCIAL = "provincial", _("省重点保护野生动物名录")
    OTHER = "other", _("其他名录")


class AliasKind(models.TextChoices):
    FOLK = "folk", _("俗名")
    TRADE = "trade", _("商品名/行话")
    FORMER = "former", _("原名")
    SCIENTIFIC_SYNONYM = "scientific_synonym", _("学名异名")
    LIST_NAME = "list_name", _("名录用名")


class TaxonRank(models.TextChoices):
    GENUS = "genus", _("属")
    FAMILY = "family", _("科")
    ORDER = "order", _("目")


class StatusOrigin(models.TextChoices):
    LISTED = "listed", _("名录列明")
    GROUP_RULE = "group_rule", _("类群规则")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("全部或全不（有任何错误或冲突则不写入）")
    VALID_ROWS = "valid_rows", _("仅写入有效行（其余行列入报告）")
