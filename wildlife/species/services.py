"""Writes to the species catalogue: species, aliases, list versions, statuses and group rules.

Every public service is keyword-only, atomic and audited. The `_…` helpers do the same writes without an audit event
so that the importer and the demo loader can record one event per batch instead of one per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.audit.services import audit_record
from wildlife.core.exceptions import ConflictError
from wildlife.species.choices import (
    LISTED_PROTECTIONS,
    PROTECTION_RANK,
    AliasKind,
    ListKind,
    Protection,
    StatusOrigin,
    TaxonRank,
)
from wildlife.species.models import GroupRule, ListVersion, Species, SpeciesAlias, SpeciesStatus
from wildlife.species.names import clean_text, genus_of, has_han, looks_latin, normalize_scientific, pinyin_of

SPECIES_FIELDS = (
    "name_zh",
    "scientific_name",
    "taxon_class",
    "taxon_order",
    "taxon_order_latin",
    "taxon_family",
    "taxon_family_latin",
    "genus",
    "aquatic",
    "is_livestock",
    "livestock_note",
    "description",
    "source",
)


# --- species -----------------------------------------------------------------------------------------------------


def _validate_names(name_zh: str, scientific_name: str) -> None:
    errors: dict[str, str] = {}
    if not name_zh:
        errors["name_zh"] = _("请填写中文名")
    elif looks_latin(name_zh) or not has_han(name_zh):
        errors["name_zh"] = _("中文名“%(name)s”不含汉字，像是学名，请填写中文名") % {"name": name_zh}
    if not scientific_name:
        errors["scientific_name"] = _("请填写学名")
    elif has_han(scientific_name) or len(scientific_name.split(" ")) < 2:
        errors["scientific_name"] = _("学名“%(name)s”应为拉丁双名（属名 种加词）") % {"name": scientific_name}
    if errors:
        raise ValidationError(errors)


def _fill_derived(species: Species) -> None:
    species.name_zh = clean_text(species.name_zh)
    species.scientific_name = normalize_scientific(species.scientific_name)
    species.genus = normalize_scientific(species.genus) if species.genus else genus_of(species.scientific_name)
    species.pinyin, species.pinyin_initials = pinyin_of(species.name_zh)


def _check_unique(species: Species) -> None:
    others = Species.objects.exclude(pk=species.pk)
    errors: dict[str, str] = {}
    if others.filter(name_zh=species.name_zh).exists():
        errors["name_zh"] = _("中文名“%(name)s”已在名录中") % {"name": species.name_zh}
    if others.filter(scientific_name__iexact=species.scientific_name).exists():
        errors["scientific_name"] = _("学名“%(name)s”已在名录中") % {"name": species.scientific_name}
    if errors:
        raise ValidationError(errors)


def _species_create(*, actor: Any, data: dict[str, Any]) -> Species:
    species = Species(created_by=actor if getattr(actor, "is_authenticated", False) else None)
    for field in SPECIES_FIELDS:
        if field in data and data[field] is not None:
            setattr(species, field, data[field])
    _fill_derived(species)
    _validate_names(species.name_zh, species.scientific_name)
    _check_unique(species)
    species.save()
    _apply_rules_to_species(species)
    species_protection_refresh(species=species)
    return species


def species_create(*, actor: Any, name_zh: str, scientific_name: str, aliases: Iterable[tuple[str, str]] = (), **fields: Any) -> Species:
    """Add a species; its pinyin is computed and every group rule that covers its taxon applies at once."""
    with transaction.atomic():
        species = _species_create(actor=actor, data={"name_zh": name_zh, "scientific_name": scientific_name, **fields})
        for alias_name, kind in aliases:
            _alias_add(species=species, name=alias_name, kind=kind)
        audit_record(action="species_create", actor=actor, obj=species, after={"scientific_name": species.scientific_name})
    return species


def species_update(*, actor: Any, obj: Species, version: int, **fields: Any) -> Species:
    """Edit a species with an optimistic version check; group rules and the current protection are re-evaluated."""
    with transaction.atomic():
        current = Species.objects.select_for_update().get(pk=obj.pk)
        if current.version != version:
            raise ConflictError(_("该物种已被他人修改，请刷新后重试"), code="version_conflict", current={"version": current.version})
        before = {f: getattr(current, f) for f in SPECIES_FIELDS}
        for field in SPECIES_FIELDS:
            if field in fields and fields[field] is not None:
                setattr(current, field, fields[field])
        if normalize_scientific(current.scientific_name) != before["scientific_name"] and current.genus == before["genus"]:
            current.genus = ""  # a renamed species moves to the genus of its new name unless one was given
        _fill_derived(current)
        _validate_names(current.name_zh, current.scientific_name)
        _check_unique(current)
        current.version = version + 1
        current.save()
        _apply_rules_to_species(current)
        species_protection_refresh(species=current)
        audit_record(action="species_update", actor=actor, obj=current, before=before, after={f: getattr(current, f) for f in SPECIES_FIELDS})
    obj.refresh_from_db()
    return obj


# --- aliases -----------------------------------------------------------------------------------------------------


def _alias_add(*, species: Species, name: str, kind: str, note: str = "") -> tuple[SpeciesAlias, bool]:
    name = clean_text(name)
    if not name:
        raise ValidationError({"name": _("别名不能为空")})
    if kind not in AliasKind.values:
        raise ValidationError({"kind": _("无效的别名类型")})
    if name == species.name_zh or name.lower() == species.scientific_name.lower():
        raise ValidationError({"name": _("别名“%(name)s”与物种名称相同") % {"name": name}})
    existing = SpeciesAlias.objects.filter(species=species, name=name).first()
    if existing is not None:
        return existing, False
    if kind == AliasKind.SCIENTIFIC_SYNONYM:
        name = normalize_scientific(name)
    full, initials = pinyin_of(name)
    alias = SpeciesAlias.objects.create(species=species, name=name, kind=kind, pinyin=full, pinyin_initials=initials, note=note[:300])
    return alias, True


def species_alias_add(*, actor: Any, species: Species, name: str, kind: str, note: str = "") -> SpeciesAlias:
    """Add a folk/trade/former name or a scientific synonym (idempotent on the name)."""
    with transaction.atomic():
        alias, created = _alias_add(species=species, name=name, kind=kind, note=note)
        if created:
            audit_record(action="species_alias_add", actor=actor, obj=species, detail={"alias": alias.name, "kind": kind})
    return alias


def species_alias_remove(*, actor: Any, alias: SpeciesAlias) -> None:
    """Remove an alias."""
    with transaction.atomic():
        audit_record(action="species_alias_remove", actor=actor, obj=alias.species, detail={"alias": alias.name})
        alias.delete()


# --- list versions -----------------------------------------------------------------------------------------------


def _validate_version(*, code: str, name: str, kind: str, effective_from: dt.date | None, effective_to: dt.date | None) -> None:
    errors: dict[str, str] = {}
    if not code:
        errors["code"] = _("请填写版本代码")
    if not name:
        errors["name"] = _("请填写名录名称")
    if kind not in ListKind.values:
        errors["kind"] = _("无效的名录类型")
    if effective_from is None:
        errors["effective_from"] = _("请填写施行日期")
    elif effective_to is not None and effective_to <= effective_from:
        errors["effective_to"] = _("失效日期必须晚于施行日期")
    if errors:
        raise ValidationError(errors)


def list_version_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    effective_from: dt.date,
    effective_to: dt.date | None = None,
    document: str = "",
    issued_by: str = "",
    source_note: str = "",
) -> ListVersion:
    """Register a published list version with its validity period."""
    with transaction.atomic():
        _validate_version(code=code, name=name, kind=kind, effective_from=effective_from, effective_to=effective_to)
        if ListVersion.objects.filter(code=code).exists():
            raise ValidationError({"code": _("版本代码“%(code)s”已存在") % {"code": code}})
        version = ListVersion.objects.create(
            code=code,
            name=name,
            kind=kind,
            effective_from=effective_from,
            effective_to=effective_to,
            document=document,
            issued_by=issued_by,
            source_note=source_note,
        )
        audit_record(action="list_version_create", actor=actor, obj=version, detail={"kind": kind})
    return version


def list_version_update(*, actor: Any, version: ListVersion, **fields: Any) -> ListVersion:
    """Edit a list version (e.g. set effective_to when a newer list replaces it); current protections are recomputed."""
    allowed = ("name", "document", "issued_by", "effective_from", "effective_to", "source_note")
    with transaction.atomic():
        before = {f: str(getattr(version, f)) for f in allowed}
        for field in allowed:
            if field in fields:
                setattr(version, field, fields[field])
        _validate_version(
            code=version.code, name=version.name, kind=version.kind, effective_from=version.effective_from, effective_to=version.effective_to
        )
        version.save()
        species_protection_refresh()
        audit_record(action="list_version_update", actor=actor, obj=version, before=before, after={f: str(getattr(version, f)) for f in allowed})
    return version


def _version_ensure(*, code: str, defaults: dict[str, Any]) -> tuple[ListVersion, bool]:
    """The version with `code`, created from `defaults` when missing; an existing one of another kind is refused."""
    version = ListVersion.objects.filter(code=code).first()
    if version is not None:
        kind = defaults.get("kind")
        if kind and version.kind != kind:
            raise ValidationError(
                {"kind": _("版本“%(code)s”已存在且类型为“%(kind)s”，与所选类型不一致") % {"code": code, "kind": version.get_kind_display()}}
            )
        return version, False
    _validate_version(
        code=code,
        name=defaults.get("name", ""),
        kind=defaults.get("kind", ""),
        effective_from=defaults.get("effective_from"),
        effective_to=defaults.get("effective_to"),
    )
    return ListVersion.objects.create(code=code, **defaults), True


# --- statuses ----------------------------------------------------------------------------------------------------


def _status_set(
    *,
    species: Species,
    list_version: ListVersion,
    protection: str,
    notes: str = "",
    wild_only: bool = False,
    landlocked_only: bool = False,
) -> tuple[SpeciesStatus, str]:
    """Upsert an explicit listing; returns (status, "created" | "updated" | "unchanged")."""
    if protection not in LISTED_PROTECTIONS:
        raise ValidationError({"protection": _("无效的保护级别")})
    values = {
        "protection": protection,
        "notes": notes[:500],
        "wild_only": wild_only,
        "landlocked_only": landlocked_only,
        "origin": StatusOrigin.LISTED,
        "group_rule": None,
    }
    status = SpeciesStatus.objects.filter(species=species, list_version=list_version).first()
    if status is None:
        return SpeciesStatus.objects.create(species=species, list_version=list_version, **values), "created"
    if all(getattr(status, k) == v for k, v in values.items()):
        return status, "unchanged"
    for key, value in values.items():
        setattr(status, key, value)
    status.save()
    return status, "updated"


def species_status_set(
    *,
    actor: Any,
    species: Species,
    list_version: ListVersion,
    protection: str,
    notes: str = "",
    wild_only: bool = False,
    landlocked_only: bool = False,
) -> SpeciesStatus:
    """Record the protection of a species under a list version (an explicit listing overrides a group rule)."""
    with transaction.atomic():
        before = SpeciesStatus.objects.filter(species=species, list_version=list_version).values("protection", "origin").first()
        status, change = _status_set(
            species=species, list_version=list_version, protection=protection, notes=notes, wild_only=wild_only, landlocked_only=landlocked_only
        )
        species_protection_refresh(species=species)
        if change != "unchanged":
            audit_record(
                action="species_status_set",
                actor=actor,
                obj=species,
                before=before,
                after={"protection": protection, "list_version": list_version.code},
                detail={"list_version": list_version.code, "protection": protection},
            )
    return status


def species_status_remove(*, actor: Any, status: SpeciesStatus) -> None:
    """Remove a listing; a group rule of the same version that covers the species takes its place."""
    with transaction.atomic():
        species = status.species
        audit_record(action="species_status_remove", actor=actor, obj=species, detail={"list_version": status.list_version.code})
        status.delete()
        _apply_rules_to_species(species)
        species_protection_refresh(species=species)


# --- group rules -------------------------------------------------------------------------------------------------


def _rule_create(
    *,
    list_version: ListVersion,
    rank: str,
    taxon_name: str,
    taxon_latin: str = "",
    protection: str,
    wild_only: bool = False,
    landlocked_only: bool = False,
    notes: str = "",
) -> tuple[GroupRule, bool]:
    errors: dict[str, str] = {}
    if rank not in TaxonRank.values:
        errors["rank"] = _("阶元应为属、科或目")
    if not clean_text(taxon_name):
        errors["taxon_name"] = _("请填写类群名称")
    if protection not in LISTED_PROTECTIONS:
        errors["protection"] = _("无效的保护级别")
    if errors:
        raise ValidationError(errors)
    taxon_name = clean_text(taxon_name)
    taxon_latin = clean_text(taxon_latin)
    rule = GroupRule.objects.filter(list_version=list_version, rank=rank, taxon_name=taxon_name).first()
    values = {
        "taxon_latin": taxon_latin,
        "protection": protection,
        "wild_only": wild_only,
        "landlocked_only": landlocked_only,
        "notes": notes[:500],
    }
    if rule is None:
        return GroupRule.objects.create(list_version=list_version, rank=rank, taxon_name=taxon_name, **values), True
    if any(getattr(rule, k) != v for k, v in values.items()):
        for key, value in values.items():
            setattr(rule, key, value)
        rule.save()
    return rule, False


def _rule_values(rule: GroupRule) -> dict[str, Any]:
    return {
        "protection": rule.protection,
        "notes": (_("%(rule)s（类群规则）") % {"rule": str(rule)} + (f"；{rule.notes}" if rule.notes else ""))[:500],
        "wild_only": rule.wild_only,
        "landlocked_only": rule.landlocked_only,
        "origin": StatusOrigin.GROUP_RULE,
        "group_rule": rule,
    }


def _apply_rules(species: Species, *, list_version: ListVersion | None = None) -> bool:
    """Bring the rule-derived statuses of `species` in line with the group rules (of one version, or all).

    An explicit listing always wins over a rule of the same version; among several rules the highest class wins.
    Returns True when a status was created, changed or removed.
    """
    rules = GroupRule.objects.select_related("list_version")
    derived = SpeciesStatus.objects.filter(species=species, origin=StatusOrigin.GROUP_RULE)
    if list_version is not None:
        rules = rules.filter(list_version=list_version)
        derived = derived.filter(list_version=list_version)
    by_version: dict[int, list[GroupRule]] = {}
    for rule in rules:
        by_version.setdefault(rule.list_version_id, [])
        if rule.covers(species):
            by_version[rule.list_version_id].append(rule)
    for version_id in derived.values_list("list_version_id", flat=True):
        by_version.setdefault(version_id, [])
    changed = False
    for version_id, covering in by_version.items():
        current = SpeciesStatus.objects.filter(species=species, list_version_id=version_id).first()
        if current is not None and current.origin == StatusOrigin.LISTED:
            continue
        if not covering:
            if current is not None:
                current.delete()
                changed = True
            continue
        best = max(covering, key=lambda r: (PROTECTION_RANK[r.protection], -r.pk))
        values = _rule_values(best)
        if current is None:
            SpeciesStatus.objects.create(species=species, list_version_id=version_id, **values)
            changed = True
        elif any(getattr(current, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            current.save()
            changed = True
    return changed


def _apply_rules_to_species(species: Species) -> None:
    """Every group rule that covers `species` applies to it (a species added after the rule gets it too)."""
    _apply_rules(species)


def _rule_expand(rule: GroupRule) -> int:
    """Expand one rule over the catalogue (and withdraw it from species that left its taxon); returns changes."""
    candidates = Species.objects.filter(rule.species_q() | Q(statuses__group_rule=rule)).distinct()
    changed = 0
    for species in candidates:
        if _apply_rules(species, list_version=rule.list_version):
            species_protection_refresh(species=species)
            changed += 1
    return changed


def group_rule_create(
    *,
    actor: Any,
    list_version: ListVersion,
    rank: str,
    taxon_name: str,
    taxon_latin: str = "",
    protection: str,
    wild_only: bool = False,
    landlocked_only: bool = False,
    notes: str = "",
) -> GroupRule:
    """Add a rule such as "闭壳龟属所有种 国家二级（仅限野外种群）" and expand it over the catalogue at once."""
    with transaction.atomic():
        rule, _created = _rule_create(
            list_version=list_version,
            rank=rank,
            taxon_name=taxon_name,
            taxon_latin=taxon_latin,
            protection=protection,
            wild_only=wild_only,
            landlocked_only=landlocked_only,
            notes=notes,
        )
        count = _rule_expand(rule)
        audit_record(action="group_rule_create", actor=actor, obj=rule, detail={"list_version": list_version.code, "expanded": count})
    return rule


def group_rule_apply(*, actor: Any, rule: GroupRule) -> int:
    """Re-expand a rule over the catalogue; returns how many species statuses changed."""
    with transaction.atomic():
        count = _rule_expand(rule)
        audit_record(action="group_rule_apply", actor=actor, obj=rule, detail={"changed": count})
    return count


# --- the cached current protection -------------------------------------------------------------------------------


def species_protection_refresh(*, species: Species | None = None, on: dt.date | None = None) -> int:
    """Recompute the cached `protection`, `wild_only` and `landlocked_only` from the lists in force (today by default).

    Derived data, not a user action: callers record the audit event of the change that made it necessary.
    Returns how many species changed.
    """
    if species is None:
        return _refresh_many(None, on=on)
    changed = _refresh_many({species.pk}, on=on)
    if changed:
        species.refresh_from_db(fields=["protection", "protection_list", "wild_only", "landlocked_only"])
    return changed


def _refresh_many(species_ids: set[int] | None, *, on: dt.date | None = None) -> int:
    """Batch form of the status-on-date rule for many species (one query per table, not per species)."""
    from wildlife.species.selectors import versions_in_force

    day = on or timezone.localdate()
    versions = {v.pk: v for v in versions_in_force(day)}
    rules = list(GroupRule.objects.filter(list_version_id__in=versions))
    species_qs = Species.objects.all() if species_ids is None else Species.objects.filter(pk__in=species_ids)
    statuses: dict[int, list[SpeciesStatus]] = {}
    status_qs = SpeciesStatus.objects.filter(list_version_id__in=versions)
    if species_ids is not None:
        status_qs = status_qs.filter(species_id__in=species_ids)
    for status in status_qs:
        statuses.setdefault(status.species_id, []).append(status)
    changed: list[Species] = []
    for item in species_qs.iterator(chunk_size=1000):
        # (rank, explicit?, effective_from, version id, wild_only, landlocked_only, protection)
        best: tuple[Any, ...] = (0, False, dt.date.min, None, False, False, Protection.NONE)
        own = statuses.get(item.pk, [])
        listed_versions = {s.list_version_id for s in own}
        candidates = [
            (PROTECTION_RANK[s.protection], s.origin == StatusOrigin.LISTED, versions[s.list_version_id].effective_from, s.list_version_id, s.wild_only, s.landlocked_only, s.protection)
            for s in own
        ]
        candidates += [
            (PROTECTION_RANK[r.protection], False, versions[r.list_version_id].effective_from, r.list_version_id, r.wild_only, r.landlocked_only, r.protection)
            for r in rules
            if r.list_version_id not in listed_versions and r.covers(item)
        ]
        for candidate in candidates:
            if candidate[:3] > best[:3]:
                best = candidate
        values = {"protection": best[6], "protection_list_id": best[3], "wild_only": best[4], "landlocked_only": best[5]}
        if any(getattr(item, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(item, key, value)
            changed.append(item)
    Species.objects.bulk_update(changed, ["protection", "protection_list", "wild_only", "landlocked_only"], batch_size=500)
    return len(changed)


def species_protection_refresh_all(*, actor: Any = None) -> int:
    """Recompute every species (run daily so a list that comes into force or expires shows up without an edit)."""
    with transaction.atomic():
        changed = species_protection_refresh()
        if changed:
            audit_record(action="species_protection_refresh", actor=actor, object_type="species.species", detail={"changed": changed})
    return changed
