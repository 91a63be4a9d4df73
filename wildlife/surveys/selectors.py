"""Reads of the surveys module, always through restrict(): lists, map layers (points or 0.01° grid cells), project
effort, fish catch per unit effort, aquatic series, dashboard figures. Sensitive (class-I) locations are generalised
here for users without surveys.view_precise_location, so every page, layer and API answer built on these reads
shows the same snapped point.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.geo.models import AdminArea
from wildlife.surveys.choices import ObservationMethod, ProjectStatus, SiteKind
from wildlife.surveys.models import (
    MigrationCount,
    Observation,
    SamplingEvent,
    SpeciesArchive,
    SurveyProject,
    SurveySite,
    WaterQualityReading,
    grid_cell_center,
)
from wildlife.surveys.sensitive import may_see_precise, shown_xy

POINT_LIMIT = 2000  # above this many rows a layer sends grid cells, never the points themselves
LIST_FIELDS = (
    "id", "occurrence_id", "observed_at", "count", "location", "is_sensitive", "method", "observer", "distance_m",
    "observation_type", "verbatim_name", "version", "project", "area",
    "species__id", "species__name_zh", "species__scientific_name", "species__protection",
    "site__id", "site__code", "site__name",
)  # fmt: skip


# --- observations ------------------------------------------------------------------------------------------------


def observation_queryset(*, user: Any, action: str = "view") -> QuerySet[Observation]:
    """The observations the user may `action`, with what lists show (species, project, site, town) joined in."""
    # species and site are nullable (LEFT JOINs keep the observation table as the outer loop, so the time index
    # serves ORDER BY ... LIMIT); project and town come in two small queries for the page's rows: as INNER JOINs
    # they let SQLite start from the project table and sort a million rows (20 s instead of milliseconds)
    return (
        Observation.objects.restrict(user, action)
        .select_related("species", "site")
        .prefetch_related(Prefetch("project", queryset=SurveyProject.objects.only("id", "name")), Prefetch("area", queryset=AdminArea.objects.only("id", "name")))
        .only(*LIST_FIELDS)
    )


def observation_list(*, user: Any, params: Mapping[str, Any] | None = None) -> QuerySet[Observation]:
    """Observations in scope filtered like the list page and API (ObservationFilterSet), newest first.
    Invalid filters are ignored here (the API reports them)."""
    from wildlife.surveys.filtersets import ObservationFilterSet

    queryset = observation_queryset(user=user)
    if params:
        filterset = ObservationFilterSet(params, queryset=queryset, request=_RequestLike(user))
        if filterset.is_valid():
            queryset = filterset.qs
    return queryset.order_by("-observed_at", "-pk")


class _RequestLike:
    """What the filtersets read from a request (the user), for selectors called outside a view."""

    def __init__(self, user: Any) -> None:
        self.user = user


def observation_point(observation: Observation, *, precise: bool) -> tuple[float, float]:
    """(lon, lat) as this viewer may see it."""
    return shown_xy(lon=observation.location.x, lat=observation.location.y, is_sensitive=observation.is_sensitive, precise=precise)


def observation_feature(observation: Observation, *, precise: bool) -> dict[str, Any]:
    """One observation as a GeoJSON Feature (generalised location for a sensitive species without permission)."""
    x, y = observation_point(observation, precise=precise)
    name = observation.species.name_zh if observation.species is not None else (observation.verbatim_name or observation.get_observation_type_display())
    generalised = observation.is_sensitive and not precise
    summary = _("%(time)s · %(count)d 只") % {"time": timezone.localtime(observation.observed_at).strftime("%Y-%m-%d"), "count": observation.count}
    if generalised:
        summary += " · " + _("位置已模糊")
    return {
        "type": "Feature",
        "id": observation.pk,
        "geometry": {"type": "Point", "coordinates": [x, y]},
        "properties": {
            "name": name,
            "summary": summary,
            "url": reverse("surveys:observation_detail", args=[observation.pk]),
            "count": observation.count,
            "generalised": generalised,
        },
    }


def observation_layer(*, user: Any, queryset: QuerySet[Observation], point_limit: int = POINT_LIMIT) -> dict[str, Any]:
    """A map layer of the filtered observations: the points themselves up to `point_limit` rows, else one feature
    per 0.01° grid cell (records and individuals; `cluster_count` for the map's cell markers).

    The cells are the same grid sensitive locations snap to, so a cell never places a class-I record more precisely
    than its generalised point; they are grouped in the database from the `grid_cell` column and its indexes.
    """
    precise = may_see_precise(user)
    base = queryset.order_by()
    total = base.count()
    if total <= point_limit:
        rows = base.select_related("species").only(
            "id", "location", "is_sensitive", "observed_at", "count", "species__name_zh", "verbatim_name", "observation_type"
        )
        features = [observation_feature(obs, precise=precise) for obs in rows]
        return {"type": "FeatureCollection", "features": features, "count": total, "mode": "points"}
    cells = list(_grid_cells(base, total))
    features = []
    for cell in cells:
        if cell["grid_cell"] is None:
            continue
        x, y = grid_cell_center(int(cell["grid_cell"]))
        records, individuals = int(cell["records"]), int(cell["individuals"] or 0)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [x, y]},
                "properties": {
                    "name": _("网格 %(x).2f, %(y).2f") % {"x": x, "y": y},
                    "summary": _("%(records)s 条记录 · %(individuals)s 只") % {"records": f"{records:,}", "individuals": f"{individuals:,}"},
                    "cluster_count": records,
                    "records": records,
                    "individuals": individuals,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features, "count": total, "mode": "grid", "cell_degrees": 0.01}


CACHE_CELLS_ABOVE = 100_000  # grouping this many rows takes longer than the page budget: keep the answer
CELL_CACHE_SECONDS = 600
CELL_CACHE_VERSION_KEY = "surveys:observations:version"


def observations_changed() -> None:
    """Called by the services after an observation is written: cached grid layers are rebuilt on next use."""
    from django.core.cache import cache

    try:
        cache.incr(CELL_CACHE_VERSION_KEY)
    except ValueError:
        cache.set(CELL_CACHE_VERSION_KEY, 1, None)


def _grid_cells(queryset: QuerySet[Observation], total: int) -> list[dict[str, Any]]:
    """Records and individuals per grid cell of the filtered rows. Large groupings are kept in the cache under the
    exact SQL of the grouping (filters and scope included) and a fingerprint of the table — the filtered count,
    the newest id and a version the services bump — so an import, a new record or an edit rebuilds them."""
    grouped = queryset.values("grid_cell").annotate(records=Count("pk"), individuals=Sum("count"))
    if total < CACHE_CELLS_ABOVE:
        return list(grouped)
    import hashlib

    from django.core.cache import cache

    sql, params = grouped.query.sql_with_params()
    newest = Observation.objects.aggregate(newest=Max("pk"))["newest"]
    fingerprint = f"{sql}|{params!r}|{total}|{newest}|{cache.get(CELL_CACHE_VERSION_KEY, 0)}"
    key = "surveys:cells:" + hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()
    cells: list[dict[str, Any]] | None = cache.get(key)
    if cells is None:
        cells = list(grouped)
        cache.set(key, cells, CELL_CACHE_SECONDS)
    return cells


def species_recorded(*, queryset: QuerySet[Observation], limit: int = 200) -> list[dict[str, Any]]:
    """Species in the filtered observations with records and individuals, most recorded first."""
    rows = (
        queryset.order_by()
        .exclude(species__isnull=True)
        .values("species", "species__name_zh", "species__scientific_name", "species__protection")
        .annotate(records=Count("pk"), individuals=Sum("count"), first=Min("observed_at"), last=Max("observed_at"))
        .order_by("-records", "species__name_zh")[:limit]
    )
    return list(rows)


# --- projects and sites ------------------------------------------------------------------------------------------


def project_list(*, user: Any) -> QuerySet[SurveyProject]:
    """Projects the user sees, with the lead department joined."""
    return SurveyProject.objects.restrict(user, "view").select_related("lead_department", "area")


def project_effort_summary(*, project: SurveyProject, user: Any) -> dict[str, Any]:
    """The effort of a project within the user's scope: visits, km walked, hours, trap-nights, net hauls,
    "nothing seen" visits, observations, individuals and species."""
    events = SamplingEvent.objects.restrict(user, "view").filter(project=project)
    effort = events.aggregate(
        visits=Count("pk"),
        km=Sum("distance_km"),
        hours=Sum("duration_hours"),
        trap_nights=Sum("trap_nights"),
        net_hauls=Sum("net_hauls"),
        nothing_seen=Count("pk", filter=Q(nothing_seen=True)),
        first=Min("started_at"),
        last=Max("started_at"),
    )
    observations = Observation.objects.restrict(user, "view").filter(project=project).order_by()
    counts = observations.aggregate(records=Count("pk"), individuals=Sum("count"), species=Count("species", distinct=True))
    sites = SurveySite.objects.restrict(user, "view").filter(project=project)
    by_kind = {row["kind"]: row["n"] for row in sites.order_by().values("kind").annotate(n=Count("pk"))}
    return {
        **effort,
        **counts,
        "sites": sum(by_kind.values()),
        "sites_by_kind": [(SiteKind(kind).label, n) for kind, n in sorted(by_kind.items())],
        "transect_km": round(sum(s.length_m or 0 for s in sites.filter(kind=SiteKind.TRANSECT).only("length_m")) / 1000, 2),
    }


SITE_COLORS: dict[str, str] = {
    SiteKind.TRANSECT: "#d95f0e",
    SiteKind.PLOT: "#31a354",
    SiteKind.POINT: "#2b8cbe",
    SiteKind.CAMERA: "#756bb1",
    SiteKind.WATER_SAMPLING: "#1c9099",
}


def site_feature(site: SurveySite) -> dict[str, Any]:
    geometry: GEOSGeometry = site.geometry
    return {
        "type": "Feature",
        "id": site.pk,
        "geometry": json.loads(geometry.geojson),
        "properties": {
            "name": f"{site.code} {site.name}",
            "summary": site.get_kind_display() + (f" · {site.length_m:,.0f} 米" if site.length_m else ""),
            "url": reverse("surveys:site_detail", args=[site.pk]),
            "kind": site.kind,
            "color": SITE_COLORS.get(site.kind, "#2b8cbe"),
        },
    }




def sites_layer(*, queryset: QuerySet[SurveySite], limit: int = 5000) -> dict[str, Any]:
    """Sites as GeoJSON (sites are hundreds, not millions: no gridding needed)."""
    rows = list(queryset.order_by("code")[:limit])
    return {"type": "FeatureCollection", "features": [site_feature(site) for site in rows], "count": len(rows)}


# --- aquatic -----------------------------------------------------------------------------------------------------


def fish_cpue(*, user: Any, project: SurveyProject | None = None, year: int | None = None) -> list[dict[str, Any]]:
    """Catch per unit effort per net event and species: CPUE = individuals caught / net hauls of the event."""
    events = SamplingEvent.objects.restrict(user, "view").filter(method__in=[ObservationMethod.NET, ObservationMethod.ELECTROFISHING])
    if project is not None:
        events = events.filter(project=project)
    if year:
        events = events.filter(started_at__year=year)
    event_rows = {e.pk: e for e in events.select_related("site", "project").order_by("-started_at")[:500]}
    catches = (
        Observation.objects.restrict(user, "view")
        .filter(event_id__in=list(event_rows))
        .exclude(species__isnull=True)
        .order_by()
        .values("event_id", "species__name_zh")
        .annotate(individuals=Sum("count"), biomass=Sum("biomass_g"))
    )
    by_event: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in catches:
        by_event[row["event_id"]].append(row)
    result = []
    for pk, event in event_rows.items():
        hauls = event.net_hauls or 0
        rows = sorted(by_event.get(pk, []), key=lambda r: -int(r["individuals"] or 0))
        total = sum(int(r["individuals"] or 0) for r in rows)
        result.append(
            {
                "event": event,
                "hauls": hauls,
                "total": total,
                "cpue": round(total / hauls, 2) if hauls else None,
                "species": [
                    {
                        "name": r["species__name_zh"],
                        "individuals": int(r["individuals"] or 0),
                        "biomass_g": r["biomass"],
                        "cpue": round(int(r["individuals"] or 0) / hauls, 2) if hauls else None,
                    }
                    for r in rows
                ],
            }
        )
    return result


def migration_series(*, queryset: QuerySet[MigrationCount]) -> dict[str, Any]:
    """Daily upstream/downstream totals (all sections and species of the filtered rows), for the chart."""
    rows = queryset.order_by().values("date").annotate(up=Sum("upstream"), down=Sum("downstream")).order_by("date")
    dates, up, down = [], [], []
    for row in rows:
        dates.append(row["date"].isoformat())
        up.append(int(row["up"] or 0))
        down.append(int(row["down"] or 0))
    return {"dates": dates, "upstream": up, "downstream": down}


def water_series(*, queryset: QuerySet[WaterQualityReading]) -> dict[str, Any]:
    """Readings over time per indicator, for the habitat-environment chart."""
    rows = list(queryset.order_by("measured_at").values_list("measured_at", "temperature_c", "ph", "dissolved_oxygen_mg_l", "turbidity_ntu", "ammonia_n_mg_l")[:2000])
    times = [timezone.localtime(r[0]).strftime("%Y-%m-%d %H:%M") for r in rows]
    names = ("temperature_c", "ph", "dissolved_oxygen_mg_l", "turbidity_ntu", "ammonia_n_mg_l")
    return {"times": times, **{name: [r[i + 1] for r in rows] for i, name in enumerate(names)}}


# --- archives and dashboard --------------------------------------------------------------------------------------


def archive_list(*, user: Any) -> QuerySet[SpeciesArchive]:
    """Resource archives the user sees (town users read the district's too)."""
    return SpeciesArchive.objects.restrict(user, "view").select_related("species", "area")


def archive_records(*, archive: SpeciesArchive, user: Any) -> QuerySet[Observation]:
    """The observations an archive summarises: its species, in its area (a district archive: the whole district),
    within the user's scope."""
    from wildlife.geo.models import AdminArea

    area_ids = list(AdminArea.objects.filter(path__startswith=archive.area.path).values_list("pk", flat=True))
    return observation_queryset(user=user).filter(species=archive.species, area_id__in=area_ids).order_by("-observed_at", "-pk")


def survey_dashboard_figures(*, user: Any, today: dt.date | None = None) -> dict[str, Any]:
    """Home-page figures for the user's scope: observations and individuals this year, species recorded this year
    (of which national class I), active projects and sites."""
    today = today or timezone.localdate()
    start = timezone.make_aware(dt.datetime(today.year, 1, 1))
    observations = Observation.objects.restrict(user, "view").filter(observed_at__gte=start).order_by()
    counts = observations.aggregate(records=Count("pk"), individuals=Sum("count"))
    species = observations.exclude(species__isnull=True).values("species").distinct()
    class_one = observations.filter(species__protection="national_1").values("species").distinct()
    return {
        "year": today.year,
        "observations_this_year": counts["records"] or 0,
        "individuals_this_year": counts["individuals"] or 0,
        "species_this_year": species.count(),
        "class_one_species_this_year": class_one.count(),
        "active_projects": SurveyProject.objects.restrict(user, "view").filter(status=ProjectStatus.ACTIVE).count(),
        "sites": SurveySite.objects.restrict(user, "view").count(),
    }


def event_choices(*, user: Any, project: SurveyProject | None = None, methods: Iterable[str] = ()) -> QuerySet[SamplingEvent]:
    """Events a user may attach records to (newest first)."""
    events = SamplingEvent.objects.restrict(user, "change").select_related("site", "project").order_by("-started_at")
    if project is not None:
        events = events.filter(project=project)
    methods = list(methods)
    if methods:
        events = events.filter(method__in=methods)
    return events
