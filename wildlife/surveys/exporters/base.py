"""What every export shares: the rows the user may see, generalised locations, streaming, the audit event.

Every export starts from `Observation.objects.restrict(user, "view")` (a town officer's export holds only their
town's records), reads in chunks (a million rows never sit in memory as model instances), and passes every location
through sensitive.shown_xy: for a user without surveys.view_precise_location a class-I record's point is the centre of
its 0.01° cell -- in the file as on the map -- and the file says so (Darwin Core dataGeneralizations).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from wildlife.audit.services import audit_record
from wildlife.surveys.models import Observation, SamplingEvent, SurveyProject, SurveySite
from wildlife.surveys.sensitive import GRID_DEGREES, may_see_precise, shown_xy

CHUNK = 5000
GENERALISED_UNCERTAINTY_M = 800  # half the diagonal of a 0.01° cell at 36.7°N (≈ 0.89 km × 1.11 km), rounded up
GENERALISATION_NOTE = "坐标已概化至 0.01° 网格中心（国家一级保护物种）"


@dataclass(slots=True)
class ExportObservation:
    """One observation as an export shows it (location already generalised where it must be)."""

    pk: int
    occurrence_id: str
    observed_at: dt.datetime
    lon: float
    lat: float
    generalised: bool
    count: int
    observation_type: str
    species_id: int | None
    name_zh: str
    scientific_name: str
    verbatim_name: str
    taxon_class: str
    taxon_order: str
    taxon_family: str
    genus: str
    sex: str
    life_stage: str
    behaviour: str
    method: str
    observer: str
    distance_m: float | None
    uncertainty_m: float | None
    biomass_g: float | None
    remarks: str
    site_code: str
    site_name: str
    event_key: str
    media_key: str
    area_name: str
    is_sensitive: bool

    @property
    def name(self) -> str:
        """The species as people read it: the catalogue name, else the name as recorded."""
        return self.name_zh or self.verbatim_name

    @property
    def scientific(self) -> str:
        return self.scientific_name or self.verbatim_name


_FIELDS = (
    "pk",
    "occurrence_id",
    "observed_at",
    "location",
    "is_sensitive",
    "count",
    "observation_type",
    "species_id",
    "species__name_zh",
    "species__scientific_name",
    "verbatim_name",
    "species__taxon_class",
    "species__taxon_order_latin",
    "species__taxon_family_latin",
    "species__genus",
    "sex",
    "life_stage",
    "behaviour",
    "method",
    "observer",
    "distance_m",
    "uncertainty_m",
    "biomass_g",
    "remarks",
    "site__code",
    "site__name",
    "event__event_id",
    "media__media_id",
    "area__name",
)


def observations_for(*, user: Any, project: SurveyProject) -> QuerySet[Observation]:
    """The project's observations the user may see."""
    return Observation.objects.restrict(user, "view").filter(project=project)


def sites_for(*, user: Any, project: SurveyProject) -> QuerySet[SurveySite]:
    return SurveySite.objects.restrict(user, "view").filter(project=project).order_by("code")


def events_for(*, user: Any, project: SurveyProject) -> QuerySet[SamplingEvent]:
    return SamplingEvent.objects.restrict(user, "view").filter(project=project).select_related("site", "area").order_by("started_at", "event_id")


def iter_observations(queryset: QuerySet[Observation], *, precise: bool) -> Iterator[ExportObservation]:
    """The rows in a stable order (time, id), read in chunks, locations generalised for `precise=False`."""
    rows = queryset.order_by("observed_at", "pk").values_list(*_FIELDS).iterator(chunk_size=CHUNK)
    for row in rows:
        (pk, occ, when, point, sensitive, count, obs_type, species_id, name_zh, sci, verbatim, t_class, t_order, t_family, genus,
         sex, stage, behaviour, method, observer, distance, uncertainty, biomass, remarks, site_code, site_name, event_key,
         media_key, area_name) = row  # fmt: skip
        lon, lat = shown_xy(lon=point.x, lat=point.y, is_sensitive=sensitive, precise=precise)
        generalised = bool(sensitive and not precise)
        yield ExportObservation(
            pk=pk,
            occurrence_id=occ,
            observed_at=when,
            lon=lon,
            lat=lat,
            generalised=generalised,
            count=count,
            observation_type=obs_type,
            species_id=species_id,
            name_zh=name_zh or "",
            scientific_name=sci or "",
            verbatim_name=verbatim or "",
            taxon_class=t_class or "",
            taxon_order=t_order or "",
            taxon_family=t_family or "",
            genus=genus or "",
            sex=sex,
            life_stage=stage,
            behaviour=behaviour,
            method=method,
            observer=observer,
            distance_m=distance,
            uncertainty_m=max(uncertainty or 0, GENERALISED_UNCERTAINTY_M) if generalised else uncertainty,
            biomass_g=biomass,
            remarks=remarks,
            site_code=site_code or "",
            site_name=site_name or "",
            event_key=event_key or "",
            media_key=media_key or "",
            area_name=area_name or "",
            is_sensitive=sensitive,
        )


def sensitive_sites(*, queryset: QuerySet[Observation]) -> set[int]:
    """Sites where a class-I species was recorded: their own coordinates are generalised too, or the site would
    give the record's place away."""
    return set(queryset.filter(is_sensitive=True, site__isnull=False).values_list("site_id", flat=True).distinct())


def site_xy(site: SurveySite, *, hidden: bool) -> tuple[float, float]:
    geometry = site.geometry
    point = geometry if geometry.geom_type == "Point" else geometry.point_on_surface
    return shown_xy(lon=float(point.x), lat=float(point.y), is_sensitive=hidden, precise=False)


def local_iso(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")


def clean(value: Any) -> str:
    """A cell of a tab-separated file without quoting: no tabs or line breaks inside."""
    if value is None:
        return ""
    text = str(value)
    if any(c in text for c in "\t\r\n"):
        text = " ".join(text.split())
    return text


def audit_export(*, actor: Any, project: SurveyProject, fmt: str, rows: int, precise: bool, via_job: str = "") -> None:
    audit_record(
        action="export",
        actor=actor,
        obj=project,
        detail={"format": fmt, "rows": rows, "precise_locations": precise, "grid_degrees": None if precise else GRID_DEGREES, "job": via_job},
    )


__all__ = ["may_see_precise"]
