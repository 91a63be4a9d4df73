"""Demo catalogue loader: list versions, about 250 species relevant to 周村区 with classes, aliases and group rules.

Idempotent: a second run finds everything in place and changes nothing (not even the audit log).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from wildlife.audit.services import audit_record
from wildlife.species.data import catalogue
from wildlife.species.models import Species
from wildlife.species.names import parse_notes


@transaction.atomic
def load(actor: Any = None) -> str:
    """Load (or complete) the demo catalogue; returns a one-line Chinese summary."""
    from wildlife.species.services import (
        _alias_add,
        _fill_derived,
        _refresh_many,
        _rule_create,
        _rule_expand,
        _status_set,
        _version_ensure,
    )

    counts = {"versions": 0, "species": 0, "aliases": 0, "statuses": 0, "rules": 0}
    versions = {}
    for spec in catalogue.LIST_VERSIONS:
        data = dict(spec)
        code = str(data.pop("code"))
        version, created = _version_ensure(code=code, defaults=data)
        versions[code] = version
        counts["versions"] += int(created)
    for entry in catalogue.SPECIES:
        species = Species.objects.filter(scientific_name__iexact=entry.scientific_name).first()
        if species is None:
            species = Species(
                name_zh=entry.name_zh,
                scientific_name=entry.scientific_name,
                taxon_class=entry.taxon_class,
                taxon_order=entry.taxon_order,
                taxon_order_latin=catalogue.ORDERS.get(entry.taxon_order, ""),
                taxon_family=entry.taxon_family,
                taxon_family_latin=catalogue.FAMILIES.get(entry.taxon_family, ""),
                aquatic=entry.aquatic,
                is_livestock=entry.is_livestock,
                livestock_note=entry.livestock_note,
                description=entry.description,
                source=catalogue.SOURCE,
            )
            _fill_derived(species)
            species.save()
            counts["species"] += 1
        for name, kind in entry.aliases:
            _alias, created = _alias_add(species=species, name=name, kind=kind)
            counts["aliases"] += int(created)
        for code, protection in entry.statuses.items():
            note = entry.notes.get(code, "")
            facts = parse_notes(note)
            wild_only = facts.wild_only or (entry.wild_only and code == catalogue.NK2021)
            _status, change = _status_set(
                species=species,
                list_version=versions[code],
                protection=protection,
                notes=note,
                wild_only=wild_only,
                landlocked_only=facts.landlocked_only,
            )
            counts["statuses"] += int(change != "unchanged")
    for spec in catalogue.GROUP_RULES:
        data = dict(spec)
        version = versions[str(data.pop("version"))]
        rule, created = _rule_create(list_version=version, notes="仅限野外种群" if data.get("wild_only") else "", **data)  # type: ignore[arg-type]
        counts["rules"] += int(created)
        counts["statuses"] += _rule_expand(rule)
    _refresh_many(None)
    if any(counts.values()):
        audit_record(action="species_demo_load", actor=actor, object_type="species.species", detail=counts)
    total = Species.objects.count()
    return (
        f"物种 {total} 种（本次新增 {counts['species']}），名录版本新增 {counts['versions']} 个，"
        f"别名新增 {counts['aliases']} 个，保护级别记录变更 {counts['statuses']} 条，类群规则新增 {counts['rules']} 条"
    )
