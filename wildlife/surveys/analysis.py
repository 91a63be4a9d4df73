"""Survey analysis: density from line transects (distance sampling), catch/count per unit effort trends, species
richness, and population estimates for the resource archives.

Density (Buckland, Anderson, Burnham, Laake, Borchers & Thomas, *Introduction to Distance Sampling*, Oxford
University Press 2001, ch. 2–3):

* Strip transect: every animal within the half-width w of the line is counted, so
  D = n / (2·w·L)                          (n individuals counted within w, L total line length walked).
* Line transect with a half-normal detection function g(x) = exp(−x² / 2σ²) of the perpendicular distance x:
  the probability density of detected distances is f(x) = g(x) / μ with μ = ∫₀ʷ g(x) dx, and
  D = n · f(0) · E[s] / (2·L)              (n detections (clusters), E[s] mean cluster size).
  Untruncated (w = ∞): the maximum-likelihood σ̂² = Σxᵢ² / n and f(0) = 1 / (σ̂·√(π/2)).
  Truncated at w: μ(σ) = σ·√(π/2)·erf(w / (σ√2)); σ̂ maximises ℓ(σ) = −Σxᵢ²/(2σ²) − n·ln μ(σ) (golden-section
  search on ln σ; ℓ is unimodal) and f(0) = 1 / μ(σ̂). Detections beyond w are left out of n.
* Confidence interval: non-parametric bootstrap over transects (Buckland et al. 2001 §3.7.5): transects are drawn
  with replacement (with their effort and detections), the whole estimate is repeated, and the 2.5 % and 97.5 %
  percentiles of the replicates are the 95 % interval. The generator is seeded, so a page shows the same interval
  every time.

Units: distances in metres, effort in kilometres, densities in individuals per km².
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

DEFAULT_BOOTSTRAP = 400
DEFAULT_SEED = 20240501
MIN_DETECTIONS_FOR_FIT = 8
SQRT_HALF_PI = math.sqrt(math.pi / 2)


# --- distance sampling (pure functions) --------------------------------------------------------------------------


@dataclass(frozen=True)
class TransectData:
    """One transect's effort (km walked, all visits) and its detections (perpendicular distance in m, cluster size;
    a distance of None means it was not measured)."""

    key: Any
    effort_km: float
    distances_m: Sequence[float | None] = ()
    sizes: Sequence[int] = ()


@dataclass(frozen=True)
class DetectionFit:
    sigma_m: float
    f0_per_m: float
    truncation_m: float | None


@dataclass
class DensityEstimate:
    """A density estimate with its bootstrap interval and the effort behind it."""

    method: str  # "half_normal" or "strip"
    estimate_per_km2: float | None
    ci_low: float | None
    ci_high: float | None
    n: int  # detections (clusters) used
    individuals: int
    effort_km: float
    transects: int
    truncation_m: float | None = None
    sigma_m: float | None = None
    f0_per_m: float | None = None
    mean_cluster_size: float | None = None
    strip_estimate_per_km2: float | None = None
    strip_ci_low: float | None = None
    strip_ci_high: float | None = None
    bootstrap: int = 0
    seed: int = DEFAULT_SEED
    visits: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def effective_half_width_m(self) -> float | None:
        """μ = 1/f(0): the half-width of a strip in which as many animals would be counted as were detected."""
        return 1 / self.f0_per_m if self.f0_per_m else None

    def as_api(self) -> dict[str, Any]:
        return {
            "estimate_per_km2": _round(self.estimate_per_km2),
            "ci_low": _round(self.ci_low),
            "ci_high": _round(self.ci_high),
            "n": self.n,
            "effort_km": round(self.effort_km, 3),
            "method": self.method,
            "individuals": self.individuals,
            "transects": self.transects,
            "visits": self.visits,
            "truncation_m": self.truncation_m,
            "sigma_m": _round(self.sigma_m),
            "f0_per_m": _round(self.f0_per_m, 6),
            "mean_cluster_size": _round(self.mean_cluster_size),
            "strip_estimate_per_km2": _round(self.strip_estimate_per_km2),
            "strip_ci_low": _round(self.strip_ci_low),
            "strip_ci_high": _round(self.strip_ci_high),
            "bootstrap": self.bootstrap,
            "seed": self.seed,
            "notes": self.notes,
        }


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, digits)


def half_normal_mu(sigma: float, truncation: float | None) -> float:
    """μ = ∫₀ʷ exp(−x²/2σ²) dx = σ·√(π/2)·erf(w/(σ√2)); σ·√(π/2) without truncation."""
    if truncation is None:
        return sigma * SQRT_HALF_PI
    return sigma * SQRT_HALF_PI * math.erf(truncation / (sigma * math.sqrt(2)))


def fit_half_normal(distances: Sequence[float], truncation: float | None = None) -> DetectionFit:
    """Maximum-likelihood half-normal detection function of perpendicular distances (metres).

    Untruncated: σ̂² = Σx²/n. Truncated at w: golden-section search of ℓ(σ) = −Σx²/(2σ²) − n·ln μ(σ) over ln σ.
    f(0) = 1/μ(σ̂). Raises ValueError without distances.
    """
    x = np.asarray([d for d in distances if d is not None and (truncation is None or d <= truncation)], dtype=float)
    n = len(x)
    if n == 0:
        raise ValueError("no distances")
    sum_sq = float(np.sum(x * x))
    if truncation is None:
        sigma = math.sqrt(sum_sq / n) if sum_sq > 0 else 1e-3
        return DetectionFit(sigma_m=sigma, f0_per_m=1 / half_normal_mu(sigma, None), truncation_m=None)

    def loglik(log_sigma: float) -> float:
        sigma = math.exp(log_sigma)
        return -sum_sq / (2 * sigma * sigma) - n * math.log(half_normal_mu(sigma, truncation))

    # a flat g (σ ≫ w) is the strip-transect limit: f(0) → 1/w; bound the search there
    low, high = math.log(truncation / 1000), math.log(truncation * 1000)
    ratio = (math.sqrt(5) - 1) / 2
    a, b = low, high
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = loglik(c), loglik(d)
    for _i in range(200):
        if b - a < 1e-7:
            break
        if fc > fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = loglik(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = loglik(d)
    sigma = math.exp((a + b) / 2)
    return DetectionFit(sigma_m=sigma, f0_per_m=1 / half_normal_mu(sigma, truncation), truncation_m=truncation)


def _detections(transects: Sequence[TransectData], truncation: float | None) -> tuple[list[float], list[int]]:
    distances: list[float] = []
    sizes: list[int] = []
    for t in transects:
        for d, s in zip(t.distances_m, t.sizes, strict=True):
            if d is None or (truncation is not None and d > truncation):
                continue
            distances.append(float(d))
            sizes.append(int(s))
    return distances, sizes


def _half_normal_density(transects: Sequence[TransectData], truncation: float | None) -> tuple[float | None, DetectionFit | None, int, float]:
    effort = sum(t.effort_km for t in transects)
    distances, sizes = _detections(transects, truncation)
    if effort <= 0:
        return None, None, len(distances), 0.0
    if not distances:
        return 0.0, None, 0, 0.0
    fit = fit_half_normal(distances, truncation)
    mean_size = sum(sizes) / len(sizes)
    f0_per_km = fit.f0_per_m * 1000
    return len(distances) * f0_per_km * mean_size / (2 * effort), fit, len(distances), mean_size


def _strip_density(transects: Sequence[TransectData], half_width_m: float) -> tuple[float | None, int]:
    effort = sum(t.effort_km for t in transects)
    counted = 0
    for t in transects:
        for d, s in zip(t.distances_m, t.sizes, strict=True):
            # a strip count records animals inside the strip; an unmeasured distance is taken as inside
            if d is None or d <= half_width_m:
                counted += int(s)
    if effort <= 0:
        return None, counted
    return counted / (2 * (half_width_m / 1000) * effort), counted


def _percentiles(values: list[float]) -> tuple[float | None, float | None]:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if len(finite) < 10:
        return None, None
    low, high = np.percentile(np.asarray(finite), [2.5, 97.5])
    return float(low), float(high)


def estimate_density(
    transects: Sequence[TransectData],
    *,
    truncation_m: float | None = None,
    strip_half_width_m: float | None = None,
    method: str = "auto",
    bootstrap: int = DEFAULT_BOOTSTRAP,
    seed: int = DEFAULT_SEED,
) -> DensityEstimate:
    """Density of individuals per km² from transect data: the half-normal line-transect estimate (when there are
    at least MIN_DETECTIONS_FOR_FIT measured distances, or method="half_normal") and the strip estimate (when a
    strip half-width is known), each with a seeded bootstrap-over-transects 95 % interval."""
    transects = [t for t in transects if t.effort_km > 0]
    effort = sum(t.effort_km for t in transects)
    measured, sizes_measured = _detections(transects, truncation_m)
    all_sizes = [int(s) for t in transects for s in t.sizes]
    notes: list[str] = []
    use_fit = method == "half_normal" or (method == "auto" and len(measured) >= MIN_DETECTIONS_FOR_FIT)
    if method == "strip" or (method == "auto" and not use_fit):
        use_fit = False
    if not use_fit and strip_half_width_m is None:
        notes.append(_("测距记录不足 %(n)d 条且未设定样带宽度，无法估计密度。") % {"n": MIN_DETECTIONS_FOR_FIT})
    result = DensityEstimate(
        method="half_normal" if use_fit else "strip",
        estimate_per_km2=None,
        ci_low=None,
        ci_high=None,
        n=len(measured) if use_fit else 0,
        individuals=sum(all_sizes),
        effort_km=effort,
        transects=len(transects),
        truncation_m=truncation_m,
        mean_cluster_size=(sum(sizes_measured) / len(sizes_measured)) if sizes_measured else None,
        bootstrap=bootstrap,
        seed=seed,
        notes=notes,
    )
    if effort <= 0:
        result.notes.append(_("没有有效的样线调查努力量（行走距离）。"))
        return result
    rng = np.random.default_rng(seed)
    samples = [rng.integers(0, len(transects), size=len(transects)) for _b in range(bootstrap)] if len(transects) > 1 else []
    if use_fit and measured:
        estimate, fit, n, _mean = _half_normal_density(transects, truncation_m)
        result.estimate_per_km2 = estimate
        result.n = n
        if fit is not None:
            result.sigma_m, result.f0_per_m = fit.sigma_m, fit.f0_per_m
        replicates = []
        for pick in samples:
            value, _fit, _n, _m = _half_normal_density([transects[i] for i in pick], truncation_m)
            if value is not None:
                replicates.append(value)
        result.ci_low, result.ci_high = _percentiles(replicates)
    elif use_fit:
        result.estimate_per_km2 = 0.0
    if strip_half_width_m:
        strip, counted = _strip_density(transects, strip_half_width_m)
        result.strip_estimate_per_km2 = strip
        replicates = []
        for pick in samples:
            value, _c = _strip_density([transects[i] for i in pick], strip_half_width_m)
            if value is not None:
                replicates.append(value)
        result.strip_ci_low, result.strip_ci_high = _percentiles(replicates)
        if not use_fit:
            result.estimate_per_km2, result.ci_low, result.ci_high = strip, result.strip_ci_low, result.strip_ci_high
            result.n = counted
    if len(transects) < 2:
        result.notes.append(_("样线少于 2 条，无法用自助法估计置信区间。"))
    return result


# --- from the database -------------------------------------------------------------------------------------------


def transect_data(
    *,
    user: Any,
    project: Any,
    species: Any,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    area: Any = None,
) -> tuple[list[TransectData], dict[str, Any]]:
    """Per transect of the project (within the user's scope): km walked over the visits in the period, and the
    detections of the species on those visits (perpendicular distance, count). Also returns effort facts."""
    from wildlife.geo.models import AdminArea
    from wildlife.surveys.choices import SiteKind
    from wildlife.surveys.filtersets import day_start
    from wildlife.surveys.models import Observation, SamplingEvent, SurveySite

    sites = SurveySite.objects.restrict(user, "view").filter(project=project, kind=SiteKind.TRANSECT)
    if area is not None:
        sites = sites.filter(area_id__in=list(AdminArea.objects.filter(path__startswith=area.path).values_list("pk", flat=True)))
    site_rows = {s.pk: s for s in sites.only("id", "code", "name", "length_m", "strip_half_width_m")}
    events = SamplingEvent.objects.restrict(user, "view").filter(site_id__in=list(site_rows))
    if date_from:
        events = events.filter(started_at__gte=day_start(date_from))
    if date_to:
        events = events.filter(started_at__lt=day_start(date_to + dt.timedelta(days=1)))
    effort: dict[int, float] = defaultdict(float)
    visits = 0
    event_ids: list[int] = []
    for pk, site_id, km in events.values_list("pk", "site_id", "distance_km"):
        walked = km if km is not None else ((site_rows[site_id].length_m or 0) / 1000)
        effort[site_id] += float(walked or 0)
        visits += 1
        event_ids.append(pk)
    detections: dict[int, list[tuple[float | None, int]]] = defaultdict(list)
    observations = Observation.objects.restrict(user, "view").filter(event_id__in=event_ids, species=species, count__gt=0)
    for site_id, distance, count in observations.values_list("event__site_id", "distance_m", "count"):
        detections[site_id].append((distance, count))
    transects = []
    for site_id, site in site_rows.items():
        if effort.get(site_id, 0) <= 0:
            continue
        rows = detections.get(site_id, [])
        transects.append(TransectData(key=site.code, effort_km=effort[site_id], distances_m=[d for d, _c in rows], sizes=[c for _d, c in rows]))
    widths = {s.strip_half_width_m for s in site_rows.values() if s.strip_half_width_m}
    facts = {
        "visits": visits,
        "transects_walked": len(transects),
        "transects_defined": len(site_rows),
        "strip_half_width_m": max(widths) if widths else None,
        "widths_differ": len(widths) > 1,
    }
    return transects, facts


def density_for(
    *,
    user: Any,
    project: Any,
    species: Any,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    area: Any = None,
    method: str = "auto",
    truncation_m: float | None = None,
    bootstrap: int = DEFAULT_BOOTSTRAP,
    seed: int = DEFAULT_SEED,
) -> DensityEstimate:
    """The density of a species from a project's line transects (see the module docstring for the formulas).
    Truncation defaults to the transects' strip half-width when one is set."""
    transects, facts = transect_data(user=user, project=project, species=species, date_from=date_from, date_to=date_to, area=area)
    width = facts["strip_half_width_m"]
    result = estimate_density(
        transects,
        truncation_m=truncation_m if truncation_m is not None else width,
        strip_half_width_m=width,
        method=method,
        bootstrap=bootstrap,
        seed=seed,
    )
    result.visits = facts["visits"]
    if facts["widths_differ"]:
        result.notes.append(_("各样线的样带宽度不一致，按最大宽度 %(w)s 米计算。") % {"w": width})
    return result


# --- trends and richness ------------------------------------------------------------------------------------------

EFFORT_MEASURES: dict[str, tuple[str, str, float]] = {
    # measure → (unit label, index label, scale)
    "distance_km": ("公里", "每公里个体数", 1.0),
    "duration_hours": ("小时", "每小时个体数", 1.0),
    "trap_nights": ("相机工作日", "每百相机工作日个体数", 100.0),
    "net_hauls": ("网次", "每网次渔获数（CPUE）", 1.0),
}


def cpue_trends(
    *,
    user: Any,
    measure: str = "distance_km",
    project: Any = None,
    area: Any = None,
    species: Sequence[Any] = (),
    top: int = 6,
) -> dict[str, Any]:
    """Counts per unit effort per year, species and town: Σ individuals seen on the visits with this kind of effort
    ÷ Σ effort of all those visits (visits that saw nothing count in the effort: absence is data).

    Returns rows (year, area, species, individuals, effort, index) and a chart series per species for the whole
    selection (all its towns together)."""
    from wildlife.geo.models import AdminArea
    from wildlife.surveys.models import Observation, SamplingEvent

    unit, index_label, scale = EFFORT_MEASURES.get(measure, EFFORT_MEASURES["distance_km"])
    if measure not in EFFORT_MEASURES:
        measure = "distance_km"
    events = SamplingEvent.objects.restrict(user, "view").filter(**{f"{measure}__gt": 0})
    if project is not None:
        events = events.filter(project=project)
    if area is not None:
        events = events.filter(area_id__in=list(AdminArea.objects.filter(path__startswith=area.path).values_list("pk", flat=True)))
    effort_rows = events.order_by().annotate(year=ExtractYear("started_at")).values("year", "area_id", "area__name").annotate(effort=Sum(measure))
    effort: dict[tuple[int, int], float] = {}
    area_names: dict[int, str] = {}
    for row in effort_rows:
        effort[(row["year"], row["area_id"])] = float(row["effort"] or 0)
        area_names[row["area_id"]] = row["area__name"]
    observations = Observation.objects.restrict(user, "view").filter(event__in=events.values("pk")).exclude(species__isnull=True)
    if species:
        observations = observations.filter(species__in=list(species))
    count_rows = (
        observations.order_by()
        .annotate(year=ExtractYear("event__started_at"))
        .values("year", "event__area_id", "species_id", "species__name_zh")
        .annotate(individuals=Sum("count"))
    )
    rows = []
    per_species_year: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    for row in count_rows:
        key = (row["year"], row["event__area_id"])
        spent = effort.get(key, 0.0)
        individuals = int(row["individuals"] or 0)
        rows.append(
            {
                "year": row["year"],
                "area": area_names.get(row["event__area_id"], ""),
                "species": row["species__name_zh"],
                "individuals": individuals,
                "effort": round(spent, 2),
                "index": round(individuals / spent * scale, 3) if spent else None,
            }
        )
        per_species_year[row["species__name_zh"]][row["year"]] += individuals
        totals[row["species__name_zh"]] += individuals
    rows.sort(key=lambda r: (r["species"], r["year"], r["area"]))
    effort_by_year: dict[int, float] = defaultdict(float)
    for (year, _area), value in effort.items():
        effort_by_year[year] += value
    years = sorted(effort_by_year)
    chosen = sorted(totals, key=lambda name: -totals[name])[: top if not species else len(totals)]
    series = [
        {
            "name": name,
            "type": "line",
            "data": [round(per_species_year[name].get(year, 0) / effort_by_year[year] * scale, 3) if effort_by_year[year] else None for year in years],
        }
        for name in chosen
    ]
    return {
        "measure": measure,
        "unit": unit,
        "index_label": index_label,
        "years": years,
        "effort_by_year": [round(effort_by_year[y], 2) for y in years],
        "rows": rows,
        "series": series,
        "chart": {
            "tooltip": {"trigger": "axis"},
            "legend": {"type": "scroll", "top": 0},
            "grid": {"left": 48, "right": 16, "top": 40, "bottom": 32},
            "xAxis": {"type": "category", "data": [str(y) for y in years]},
            "yAxis": {"type": "value", "name": index_label},
            "series": series,
        },
    }


def species_richness(*, user: Any, project: Any = None, queryset: QuerySet[Any] | None = None) -> dict[str, Any]:
    """Species richness (distinct species with at least one individual seen) per town and year, and a chart."""
    from wildlife.surveys.models import Observation

    observations = queryset if queryset is not None else Observation.objects.restrict(user, "view")
    if project is not None:
        observations = observations.filter(project=project)
    rows = list(
        observations.order_by()
        .filter(Q(count__gt=0) & Q(species__isnull=False))
        .annotate(year=ExtractYear("observed_at"))
        .values("area__name", "year")
        .annotate(richness=Count("species", distinct=True), records=Count("pk"))
        .order_by("area__name", "year")
    )
    years = sorted({r["year"] for r in rows})
    areas = sorted({r["area__name"] for r in rows})
    table = {(r["area__name"], r["year"]): r["richness"] for r in rows}
    series = [{"name": str(year), "type": "bar", "data": [table.get((a, year), 0) for a in areas]} for year in years]
    return {
        "rows": rows,
        "years": years,
        "areas": areas,
        "chart": {
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0},
            "grid": {"left": 40, "right": 16, "top": 40, "bottom": 60},
            "xAxis": {"type": "category", "data": areas, "axisLabel": {"rotate": 30}},
            "yAxis": {"type": "value", "name": _("物种数")},
            "series": series,
        },
    }


def archive_population(*, archive: Any, user: Any) -> dict[str, Any] | None:
    """A population estimate for an archive: the density of its species from the project with the most transect
    detections in its area, times the area's size (km²). None when no transect data exist."""
    from wildlife.geo.models import AdminArea
    from wildlife.surveys.models import Observation, SurveyProject

    area_ids = list(AdminArea.objects.filter(path__startswith=archive.area.path).values_list("pk", flat=True))
    best = (
        Observation.objects.restrict(user, "view")
        .filter(species=archive.species, area_id__in=area_ids, event__site__kind="transect", count__gt=0)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if not best:
        return None
    project = SurveyProject.objects.restrict(user, "view").filter(pk=best["project"]).first()
    if project is None:
        return None
    estimate = density_for(user=user, project=project, species=archive.species, area=archive.area if archive.area.level != "district" else None, bootstrap=200)
    if estimate.estimate_per_km2 is None:
        return None
    size = float(archive.area.area_km2) if archive.area.area_km2 else None
    population = None
    if size:
        population = {
            "estimate": round(estimate.estimate_per_km2 * size),
            "low": round(estimate.ci_low * size) if estimate.ci_low is not None else None,
            "high": round(estimate.ci_high * size) if estimate.ci_high is not None else None,
        }
    return {"project": project, "density": estimate, "area_km2": size, "population": population}
