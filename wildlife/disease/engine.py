"""Rule evaluation: the grade of an event and the clusters it belongs to.

Distances are metric on both databases: `distance_lte` with `D(m=...)` on the WGS-84 point field (geodesic on
PostGIS and SpatiaLite alike), never `dwithin` with a plain number (degrees on PostGIS, metres on SpatiaLite).
Time windows are symmetric around the moment the animals of the event were first seen.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.gis.measure import D
from django.db.models import Sum
from django.utils import timezone

from wildlife.disease.choices import GRADE_RANK, Grade, GradingRuleKind, TaxonRank
from wildlife.disease.models import ClusterRule, EventSpecies, GradingRule, MortalityEvent

BIRD_CLASS = "鸟纲"


def group_field(rank: str) -> str:
    return "taxon_family" if rank == TaxonRank.FAMILY else "taxon_order"


def group_of(species: object, rank: str) -> str:
    return str(getattr(species, group_field(rank), "") or "")


def event_day(event: MortalityEvent) -> dt.date:
    return timezone.localtime(event.detected_at).date()


# --- grading -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeResult:
    grade: str  # "" when no rule is met
    basis: str
    rule: GradingRule | None = None


def _rule_accepts(rule: GradingRule, species: object) -> bool:
    if rule.birds_only and getattr(species, "taxon_class", "") != BIRD_CLASS:
        return False
    if rule.protection and getattr(species, "protection", "") != rule.protection:
        return False
    if rule.taxon_name:
        group = group_of(species, rule.taxon_rank)
        latin = getattr(species, group_field(rule.taxon_rank) + "_latin", "")
        if rule.taxon_name.lower() not in {group.lower(), str(latin).lower()}:
            return False
    return True


def site_dead_total(event: MortalityEvent, *, rank: str, group: str, radius_m: int, window_hours: int) -> int:
    """Dead individuals of `group` in all events within `radius_m` of this event and `window_hours` of its time."""
    window = dt.timedelta(hours=window_hours)
    total = (
        EventSpecies.objects.filter(
            **{f"species__{group_field(rank)}": group},
            event__location__distance_lte=(event.location, D(m=radius_m)),
            event__detected_at__gte=event.detected_at - window,
            event__detected_at__lte=event.detected_at + window,
        ).aggregate(total=Sum("dead"))["total"]
    )
    return int(total or 0)


def evaluate_grade(event: MortalityEvent) -> GradeResult:
    """The highest grade any grading rule in force on the event's day reaches (ties: the first rule found)."""
    lines = list(event.species_lines.select_related("species"))
    best = GradeResult("", "")
    for rule in GradingRule.objects.in_force(event_day(event)).order_by("grade", "pk"):
        reached = ""
        if rule.kind == GradingRuleKind.DEAD_AT_SITE:
            groups = {group_of(line.species, rule.taxon_rank) for line in lines if line.dead and _rule_accepts(rule, line.species)}
            for group in sorted(g for g in groups if g):
                total = site_dead_total(event, rank=rule.taxon_rank, group=group, radius_m=rule.site_radius_m, window_hours=rule.window_hours)
                if rule.min_dead is not None and total >= rule.min_dead:
                    reached = (
                        f"{rule.name}：{group} {rule.window_hours} 小时内 {rule.site_radius_m} 米范围死亡 {total} 只（阈值 {rule.min_dead}）"
                    )
                    break
        else:
            for line in lines:
                if not line.local_population or not line.dead or not _rule_accepts(rule, line.species):
                    continue
                share = Decimal(line.dead * 100) / Decimal(line.local_population)
                if rule.min_share_pct is not None and share >= rule.min_share_pct:
                    reached = f"{rule.name}：{line.species} 死亡 {line.dead} / 种群 {line.local_population}（{share:.1f}% ≥ {rule.min_share_pct}%）"
                    break
        if reached and GRADE_RANK[rule.grade] > GRADE_RANK[best.grade]:
            best = GradeResult(rule.grade, reached[:300], rule)
    return best


def grade_label(grade: str) -> str:
    return str(Grade(grade).label) if grade else "未分级"


# --- clusters ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterHit:
    rule: ClusterRule
    group: str
    dead_by_event: dict[int, int]

    @property
    def dead_total(self) -> int:
        return sum(self.dead_by_event.values())

    @property
    def event_ids(self) -> list[int]:
        return sorted(self.dead_by_event)


def find_clusters(event: MortalityEvent) -> list[ClusterHit]:
    """Clusters this event belongs to: for each cluster rule in force and each bird group with dead individuals in
    the event, the events with dead birds of that group within the radius and the time window; a hit when they are
    at least `min_events` different events with at least `min_dead` dead in total."""
    taxa = list(event.species_lines.filter(dead__gt=0, species__taxon_class=BIRD_CLASS).values_list("species__taxon_order", "species__taxon_family"))
    hits: list[ClusterHit] = []
    if not taxa:
        return hits
    for rule in ClusterRule.objects.in_force(event_day(event)).order_by("pk"):
        window = dt.timedelta(hours=rule.window_hours)
        groups = sorted({(family if rule.taxon_rank == TaxonRank.FAMILY else order) for order, family in taxa} - {""})
        for group in groups:
            rows = EventSpecies.objects.filter(
                **{f"species__{group_field(rule.taxon_rank)}": group},
                species__taxon_class=BIRD_CLASS,
                dead__gt=0,
                event__location__distance_lte=(event.location, D(m=rule.radius_m)),
                event__detected_at__gte=event.detected_at - window,
                event__detected_at__lte=event.detected_at + window,
            ).order_by().values_list("event_id", "dead")
            dead_by_event: dict[int, int] = defaultdict(int)
            for event_id, dead in rows:
                dead_by_event[event_id] += dead
            if len(dead_by_event) >= rule.min_events and sum(dead_by_event.values()) >= rule.min_dead:
                hits.append(ClusterHit(rule, group, dict(dead_by_event)))
    return hits
