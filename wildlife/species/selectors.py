"""Reads of the species catalogue: status on a date, search, name resolution and the term table for trade scanning."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length

from wildlife.species.choices import PROTECTION_RANK, Protection, StatusOrigin
from wildlife.species.models import GroupRule, ListVersion, Species, SpeciesAlias, SpeciesStatus
from wildlife.species.names import clean_text, has_han, normalize_scientific

# --- status on a date --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusEntry:
    """One reason for a protection on a day: an explicit listing or a group rule of a list version in force."""

    protection: str
    list_version: ListVersion
    origin: str
    notes: str = ""
    wild_only: bool = False
    landlocked_only: bool = False
    group_rule: GroupRule | None = None

    @property
    def protection_label(self) -> str:
        return str(Protection(self.protection).label)


@dataclass(frozen=True)
class StatusOnDate:
    """The protection in force on `on` (highest wins) with the list version it comes from, and every other entry."""

    on: dt.date
    protection: str = Protection.NONE
    list_version: ListVersion | None = None
    origin: str = ""
    notes: str = ""
    wild_only: bool = False
    landlocked_only: bool = False
    group_rule: GroupRule | None = None
    entries: list[StatusEntry] = field(default_factory=list)

    @property
    def protection_label(self) -> str:
        return str(Protection(self.protection).label)


def versions_in_force(on: dt.date) -> QuerySet[ListVersion]:
    """List versions in force on a day: effective_from ≤ D and (no effective_to or D < effective_to)."""
    return ListVersion.objects.filter(Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gt=on)))


def species_status_on(*, species: Species, on: dt.date) -> StatusOnDate:
    """The status of a species on a date: every list in force, group rules included; national_1 > national_2 >
    provincial > sanyou > none. Ties prefer an explicit listing, then the newer list."""
    versions = {v.pk: v for v in versions_in_force(on)}
    entries: list[StatusEntry] = []
    covered_versions: set[int] = set()
    if versions:
        for status in SpeciesStatus.objects.filter(species=species, list_version_id__in=versions).select_related("group_rule"):
            covered_versions.add(status.list_version_id)
            entries.append(
                StatusEntry(
                    protection=status.protection,
                    list_version=versions[status.list_version_id],
                    origin=status.origin,
                    notes=status.notes,
                    wild_only=status.wild_only,
                    landlocked_only=status.landlocked_only,
                    group_rule=status.group_rule,
                )
            )
        # rules not yet expanded into statuses still count (e.g. a species renamed into a covered genus today)
        for rule in GroupRule.objects.filter(list_version_id__in=versions).exclude(list_version_id__in=covered_versions):
            if rule.covers(species):
                entries.append(
                    StatusEntry(
                        protection=rule.protection,
                        list_version=versions[rule.list_version_id],
                        origin=StatusOrigin.GROUP_RULE,
                        notes=rule.notes,
                        wild_only=rule.wild_only,
                        landlocked_only=rule.landlocked_only,
                        group_rule=rule,
                    )
                )
    if not entries:
        return StatusOnDate(on=on)
    entries.sort(
        key=lambda e: (PROTECTION_RANK[e.protection], e.origin == StatusOrigin.LISTED, e.list_version.effective_from),
        reverse=True,
    )
    best = entries[0]
    return StatusOnDate(
        on=on,
        protection=best.protection,
        list_version=best.list_version,
        origin=best.origin,
        notes=best.notes,
        wild_only=best.wild_only,
        landlocked_only=best.landlocked_only,
        group_rule=best.group_rule,
        entries=entries,
    )


def species_status_history(*, species: Species) -> list[SpeciesStatus]:
    """Every status of a species, newest list first, with its version (for the detail page)."""
    return list(
        SpeciesStatus.objects.filter(species=species).select_related("list_version", "group_rule").order_by("-list_version__effective_from")
    )


def group_rules_for_species(*, species: Species) -> list[GroupRule]:
    """The group rules (of any list version) whose taxon covers this species."""
    return [rule for rule in GroupRule.objects.select_related("list_version") if rule.covers(species)]


def group_rule_coverage(*, rule: GroupRule) -> QuerySet[Species]:
    """The catalogue species a group rule covers (current and added later: evaluated on every call)."""
    return Species.objects.filter(rule.species_q()).order_by("pinyin")


# --- search ------------------------------------------------------------------------------------------------------


def _rank_case(exact: Q, prefix: Q) -> Case:
    return Case(When(exact, then=Value(3)), When(prefix, then=Value(2)), default=Value(1), output_field=IntegerField())


def species_search(term: str, queryset: QuerySet[Species] | None = None) -> QuerySet[Species]:
    """Species matching `term` by Chinese name, alias, pinyin initials ("hxw"), full pinyin or scientific name
    (case-insensitive), ranked exact > prefix > contains, then by name length and pinyin.

    `queryset` narrows the search (a view passes its restricted, filtered queryset). The ranks are found with two
    plain queries (species, aliases) and merged here; the result is one queryset annotated with `search_rank`.
    Correlated alias subqueries inside the ranking were 8× slower than raw SQL (bench/bench_species_search.py).
    """
    base = queryset if queryset is not None else Species.objects.all()
    term = clean_text(term)
    if not term:
        return base
    latin = term.lower().replace(" ", "") if not has_han(term) else ""
    sci = normalize_scientific(term) if not has_han(term) else ""
    sp_exact = Q(name_zh=term)
    sp_prefix = Q(name_zh__startswith=term)
    sp_contains = Q(name_zh__contains=term)
    al_exact = Q(name=term)
    al_prefix = Q(name__startswith=term)
    al_contains = Q(name__contains=term)
    if latin:
        sp_exact |= Q(scientific_name__iexact=sci) | Q(pinyin=latin) | Q(pinyin_initials=latin)
        al_exact |= Q(name__iexact=sci) | Q(pinyin=latin) | Q(pinyin_initials=latin)
        sp_prefix |= (
            Q(scientific_name__istartswith=term) | Q(pinyin__startswith=latin) | Q(pinyin_initials__startswith=latin) | Q(genus__iexact=term)
        )
        al_prefix |= Q(name__istartswith=term) | Q(pinyin__startswith=latin) | Q(pinyin_initials__startswith=latin)
        sp_contains |= Q(scientific_name__icontains=term) | Q(pinyin__contains=latin)
        al_contains |= Q(name__icontains=term) | Q(pinyin__contains=latin)
        if len(latin) >= 3:
            sp_contains |= Q(pinyin_initials__contains=latin)
    ranks: dict[int, int] = {}
    species_rows = (
        Species.objects.filter(sp_exact | sp_prefix | sp_contains).annotate(rank=_rank_case(sp_exact, sp_prefix)).values_list("pk", "rank")
    )
    alias_rows = (
        SpeciesAlias.objects.filter(al_exact | al_prefix | al_contains)
        .annotate(rank=_rank_case(al_exact, al_prefix))
        .values_list("species_id", "rank")
    )
    for pk, rank in [*species_rows, *alias_rows]:
        if rank > ranks.get(pk, 0):
            ranks[pk] = rank
    by_rank = {3: [pk for pk, r in ranks.items() if r == 3], 2: [pk for pk, r in ranks.items() if r == 2]}
    return (
        base.filter(pk__in=list(ranks))
        .annotate(
            search_rank=Case(
                When(pk__in=by_rank[3], then=Value(3)),
                When(pk__in=by_rank[2], then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            name_length=Length("name_zh"),
        )
        .order_by("-search_rank", "name_length", "pinyin", "pk")
    )


# --- resolution for other modules' importers ---------------------------------------------------------------------


def species_resolve(name: str, *, limit: int = 5) -> tuple[Species | None, list[Species]]:
    """The species a name means (scientific name, Chinese name or an alias that belongs to one species only), or
    (None, suggestions) ranked by similarity when the name is unknown or ambiguous."""
    text = clean_text(name)
    if not text:
        return None, []
    if not has_han(text):
        hit = Species.objects.filter(scientific_name__iexact=normalize_scientific(text)).first()
        if hit is not None:
            return hit, []
    hit = Species.objects.filter(name_zh=text).first()
    if hit is not None:
        return hit, []
    alias_owners = list(Species.objects.filter(aliases__name__iexact=text).distinct().order_by("pinyin")[:20])
    if len(alias_owners) == 1:
        return alias_owners[0], []
    if alias_owners:
        return None, alias_owners[:limit]
    return None, species_suggest(text, limit=limit)


def species_suggest(text: str, *, limit: int = 5) -> list[Species]:
    """Species whose names are most similar to `text` (typos, partial names, other spellings)."""
    candidates: dict[str, int] = {}
    for pk, name_zh, sci in Species.objects.values_list("pk", "name_zh", "scientific_name"):
        candidates.setdefault(name_zh, pk)
        candidates.setdefault(sci.lower(), pk)
    for species_id, alias in SpeciesAlias.objects.values_list("species_id", "name"):
        candidates.setdefault(alias.lower() if not has_han(alias) else alias, species_id)
    probe = text if has_han(text) else text.lower()
    scored: list[tuple[float, int]] = []
    for candidate, pk in candidates.items():
        ratio = difflib.SequenceMatcher(None, probe, candidate).ratio()
        if probe in candidate or candidate in probe:
            ratio = max(ratio, 0.6 + 0.1 * min(len(probe), len(candidate)) / max(len(probe), len(candidate)))
        if ratio >= 0.45:
            scored.append((ratio, pk))
    scored.sort(key=lambda item: item[0], reverse=True)
    ordered: list[int] = []
    for _ratio, pk in scored:
        if pk not in ordered:
            ordered.append(pk)
        if len(ordered) >= limit:
            break
    by_pk = Species.objects.in_bulk(ordered)
    return [by_pk[pk] for pk in ordered if pk in by_pk]


# --- term table for the online-trade scanner ---------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A searchable term and what it points at."""

    term: str
    kind: str  # "name_zh", "scientific_name" or an AliasKind value
    species_id: int
    name_zh: str
    scientific_name: str
    protection: str


def species_term_table() -> list[Term]:
    """Every Chinese name, scientific name, alias and trade term with its species and current protection.

    A term may point at several species (大雁 → 鸿雁, 豆雁, 灰雁); the scanner shows every candidate.
    """
    terms: list[Term] = []
    species_rows: dict[int, tuple[str, str, str]] = {}
    for pk, name_zh, sci, protection in Species.objects.values_list("pk", "name_zh", "scientific_name", "protection").order_by("pk"):
        species_rows[pk] = (name_zh, sci, protection)
        terms.append(Term(name_zh, "name_zh", pk, name_zh, sci, protection))
        terms.append(Term(sci, "scientific_name", pk, name_zh, sci, protection))
    for species_id, name, kind in SpeciesAlias.objects.values_list("species_id", "name", "kind").order_by("species_id", "name"):
        name_zh, sci, protection = species_rows[species_id]
        terms.append(Term(name, kind, species_id, name_zh, sci, protection))
    return terms


def catalogue_counts() -> dict[str, Any]:
    """Species per current protection (home card, list versions page)."""
    counts = dict.fromkeys(Protection.values, 0)
    for row in Species.objects.values_list("protection", flat=True):
        counts[row] = counts.get(row, 0) + 1
    return {"total": sum(counts.values()), **counts}
