"""Survey services: validation with field-named errors, areas from locations, scope re-checks, audit, locking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.gis.geos import LineString, Point, Polygon
from django.core.exceptions import ValidationError
from django.utils import timezone

from wildlife.audit.models import AuditEvent
from wildlife.core.exceptions import ConflictError, OutOfScopeError
from wildlife.surveys import services
from wildlife.surveys.choices import ObservationMethod, ProjectStatus, SiteKind
from wildlife.surveys.models import Observation, SamplingEvent, SurveySite
from wildlife.surveys.tests import factories as f

pytestmark = pytest.mark.django_db


def when(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def field_errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, Any]:
    return exc.value.message_dict


@pytest.fixture
def project(zhoucun: Any) -> Any:
    return f.SurveyProjectFactory()


# --- projects ----------------------------------------------------------------------------------------------------


def test_project_create_is_the_district_s_and_audited(district_officer: Any) -> None:
    project = services.survey_project_create(
        actor=district_officer, name="2025 鸟类调查", kind="terrestrial", lead_department=f.department("natural_resources"),
        start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31), staff=[district_officer],
    )  # fmt: skip
    assert project.area.name == "周村区" and project.code.startswith("2025-terrestrial-")
    assert list(project.staff.all()) == [district_officer]
    assert AuditEvent.objects.filter(action="survey_project_create", object_id=str(project.pk)).exists()


def test_project_dates_must_be_ordered(district_officer: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.survey_project_create(
            actor=district_officer, name="x", kind="terrestrial", lead_department=f.department("natural_resources"),
            start_date=dt.date(2025, 5, 1), end_date=dt.date(2025, 1, 1),
        )  # fmt: skip
    assert "end_date" in field_errors(exc)


def test_project_code_unique(district_officer: Any, project: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.survey_project_create(
            actor=district_officer, name="x", kind="terrestrial", lead_department=f.department("natural_resources"),
            start_date=dt.date(2025, 5, 1), code=project.code,
        )  # fmt: skip
    assert "code" in field_errors(exc)


def test_project_update_version_conflict(district_officer: Any, project: Any) -> None:
    services.survey_project_update(actor=district_officer, obj=project, version=1, name="新名称")
    assert project.name == "新名称" and project.version == 2
    with pytest.raises(ConflictError):
        services.survey_project_update(actor=district_officer, obj=project, version=1, name="旧版本的修改")


def test_project_close_once_and_then_no_new_records(district_officer: Any, project: Any) -> None:
    site = f.SurveySiteFactory(project=project)
    services.survey_project_close(actor=district_officer, project=project, end_date=dt.date(2026, 6, 30))
    assert project.status == ProjectStatus.COMPLETED and project.end_date == dt.date(2026, 6, 30)
    with pytest.raises(ConflictError) as exc:
        services.survey_project_close(actor=district_officer, project=project)
    assert exc.value.code == "project_already_closed"
    with pytest.raises(ConflictError) as closed:
        services.observation_create(actor=district_officer, project=project, site=site, species=f.species("喜鹊"), observed_at=when(2025, 5, 1, 8))
    assert closed.value.code == "project_closed"


def test_staff_assignment_refuses_administrators(district_officer: Any, system_admin: Any, town_officer: Any, project: Any) -> None:
    services.survey_project_staff_set(actor=district_officer, project=project, staff=[town_officer])
    assert list(project.staff.all()) == [town_officer]
    with pytest.raises(ValidationError):
        services.survey_project_staff_set(actor=district_officer, project=project, staff=[system_admin])


def test_town_officer_cannot_change_a_district_project(town_officer: Any, project: Any) -> None:
    with pytest.raises(OutOfScopeError):
        services.survey_project_update(actor=town_officer, obj=project, version=1, name="改名")
    project.refresh_from_db()
    assert project.name != "改名"


# --- sites -------------------------------------------------------------------------------------------------------


def line_in_wangcun(km: float = 1.0) -> LineString:
    start = f.point_in("王村镇")
    return LineString((start.x, start.y), (start.x + km * 0.0112, start.y), srid=4326)


def test_transect_length_in_metres_and_town_from_geometry(district_officer: Any, project: Any) -> None:
    site = services.survey_site_create(actor=district_officer, project=project, kind=SiteKind.TRANSECT, name="样线", geometry=line_in_wangcun(), strip_half_width_m=50)
    assert site.area.name == "王村镇"
    assert 980 < site.length_m < 1020  # 0.0112° of longitude at 36.7°N ≈ 1 km
    assert site.code == "T001"


def test_plot_area_in_square_metres(district_officer: Any, project: Any) -> None:
    c = f.point_in("王村镇")
    d = 0.0009  # ≈ 100 m north-south, 80 m east-west
    plot = Polygon(((c.x, c.y), (c.x + d, c.y), (c.x + d, c.y + d), (c.x, c.y + d), (c.x, c.y)), srid=4326)
    site = services.survey_site_create(actor=district_officer, project=project, kind=SiteKind.PLOT, name="样方", geometry=plot)
    assert 6000 < site.area_m2 < 10000 and site.length_m is None


def test_site_geometry_must_match_kind_and_lie_in_the_district(district_officer: Any, project: Any) -> None:
    with pytest.raises(ValidationError) as wrong_kind:
        services.survey_site_create(actor=district_officer, project=project, kind=SiteKind.TRANSECT, name="x", geometry=f.point_in())
    assert "geometry" in field_errors(wrong_kind)
    with pytest.raises(ValidationError) as outside:
        services.survey_site_create(actor=district_officer, project=project, kind=SiteKind.POINT, name="x", geometry=Point(116.0, 39.9, srid=4326))
    assert "超出本区" in field_errors(outside)["geometry"][0]
    assert not SurveySite.objects.filter(name="x").exists()


def test_site_update_remeasures_and_moves_town(district_officer: Any, project: Any) -> None:
    site = services.survey_site_create(actor=district_officer, project=project, kind=SiteKind.TRANSECT, name="样线", geometry=line_in_wangcun())
    start = f.point_in("北郊镇")
    services.survey_site_update(actor=district_officer, obj=site, version=site.version, geometry=LineString((start.x, start.y), (start.x + 0.0224, start.y), srid=4326))
    assert site.area.name == "北郊镇" and 1950 < site.length_m < 2050


def test_town_officer_cannot_place_a_site_in_another_town(town_officer: Any, project: Any) -> None:
    with pytest.raises(OutOfScopeError):
        services.survey_site_create(actor=town_officer, project=project, kind=SiteKind.POINT, name="越界", geometry=f.point_in("北郊镇"))
    assert not SurveySite.objects.filter(name="越界").exists()


# --- events ------------------------------------------------------------------------------------------------------


def test_event_on_a_transect_takes_its_length_as_effort(district_officer: Any) -> None:
    site = f.TransectSiteFactory(length_m=1500.0)
    event = services.sampling_event_create(actor=district_officer, project=site.project, site=site, started_at=when(2025, 5, 1, 7))
    assert event.method == ObservationMethod.TRANSECT and event.distance_km == 1.5
    assert event.area == site.area and event.event_id.startswith(f"{site.code}-20250501-")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"started_at": timezone.now() + dt.timedelta(days=2)}, "started_at"),
        ({"ended_at": when(2025, 5, 1, 6)}, "ended_at"),
        ({"method": ObservationMethod.NET}, "net_hauls"),
        ({"distance_km": -1.0}, "distance_km"),
        ({"started_at": when(2023, 5, 1, 7)}, "started_at"),  # before the project started
    ],
)
def test_event_validation_names_the_field(district_officer: Any, fields: dict[str, Any], field: str) -> None:
    site = f.SurveySiteFactory()
    data = {"started_at": when(2025, 5, 1, 7), **fields}
    with pytest.raises(ValidationError) as exc:
        services.sampling_event_create(actor=district_officer, project=site.project, site=site, **data)
    assert field in field_errors(exc)


def test_nothing_seen_is_a_record_and_refuses_sightings(district_officer: Any) -> None:
    site = f.SurveySiteFactory()
    event = services.sampling_event_create(actor=district_officer, project=site.project, site=site, started_at=when(2025, 5, 1, 7), nothing_seen=True, duration_hours=0.5)
    assert SamplingEvent.objects.filter(pk=event.pk, nothing_seen=True).exists()
    with pytest.raises(ValidationError) as exc:
        services.observation_create(actor=district_officer, project=site.project, event=event, species=f.species("喜鹊"), count=2, observed_at=when(2025, 5, 1, 7, 30))
    assert "event" in field_errors(exc)
    # a count of zero (looked, saw none) is allowed on such a visit
    zero = services.observation_create(actor=district_officer, project=site.project, event=event, species=f.species("喜鹊"), count=0, observed_at=when(2025, 5, 1, 7, 30))
    assert zero.count == 0


def test_event_cannot_become_nothing_seen_with_sightings(district_officer: Any) -> None:
    event = f.SamplingEventFactory()
    f.ObservationFactory(event=event, count=3)
    with pytest.raises(ValidationError) as exc:
        services.sampling_event_update(actor=district_officer, obj=event, version=event.version, nothing_seen=True)
    assert "nothing_seen" in field_errors(exc)


# --- observations ------------------------------------------------------------------------------------------------


def test_observation_of_class_one_species_is_sensitive_and_town_from_location(district_officer: Any, project: Any) -> None:
    obs = services.observation_create(actor=district_officer, project=project, species=f.species("黑鹳"), count=2, observed_at=when(2025, 5, 1, 8), location=f.point_in("北郊镇"))
    assert obs.is_sensitive and obs.area.name == "北郊镇" and obs.district.name == "周村区"
    plain = services.observation_create(actor=district_officer, project=project, species=f.species("喜鹊"), observed_at=when(2025, 5, 1, 8), location=f.point_in())
    assert not plain.is_sensitive
    assert AuditEvent.objects.filter(action="observation_create", object_id=str(obs.pk)).exists()


def test_observation_location_defaults_to_the_site(district_officer: Any) -> None:
    site = f.TransectSiteFactory()
    obs = services.observation_create(actor=district_officer, project=site.project, site=site, species=f.species("环颈雉"), observed_at=when(2025, 5, 1, 8))
    assert site.geometry.distance(obs.location) < 1e-9 and obs.site == site


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"count": -1}, "count", "负数"),
        ({"observed_at": timezone.now() + dt.timedelta(hours=2)}, "observed_at", "晚于现在"),
        ({"location": Point(121.47, 31.23, srid=4326)}, "location", "超出本区"),
        ({"location": None}, "location", "GPS"),
        ({"species": None}, "species", "物种"),
        ({"distance_m": 30.0, "method": ObservationMethod.POINT_COUNT}, "distance_m", "样线"),
        ({"observed_at": when(2023, 1, 1, 8)}, "observed_at", "项目期限"),
    ],
)
def test_observation_validation_names_the_field(district_officer: Any, project: Any, fields: dict[str, Any], field: str, text: str) -> None:
    data = {"species": f.species("喜鹊"), "count": 1, "observed_at": when(2025, 5, 1, 8), "location": f.point_in(), **fields}
    with pytest.raises(ValidationError) as exc:
        services.observation_create(actor=district_officer, project=project, **data)
    assert field in field_errors(exc)
    assert text in field_errors(exc)[field][0]
    assert not Observation.objects.exists()


def test_observation_site_and_event_must_belong_to_the_project(district_officer: Any, project: Any) -> None:
    other_site = f.SurveySiteFactory()
    with pytest.raises(ValidationError) as exc:
        services.observation_create(actor=district_officer, project=project, site=other_site, species=f.species("喜鹊"), observed_at=when(2025, 5, 1, 8))
    assert "site" in field_errors(exc)


def test_town_officer_records_in_own_town_only(town_officer: Any, project: Any) -> None:
    mine = services.observation_create(actor=town_officer, project=project, species=f.species("喜鹊"), observed_at=when(2025, 5, 1, 8), location=f.point_in("王村镇"))
    assert mine.area.name == "王村镇"
    with pytest.raises(OutOfScopeError):
        services.observation_create(actor=town_officer, project=project, species=f.species("喜鹊"), observed_at=when(2025, 5, 1, 8), location=f.point_in("北郊镇"))
    assert Observation.objects.count() == 1
    assert not AuditEvent.objects.filter(action="observation_create").exclude(object_id=str(mine.pk)).exists()


def test_town_officer_cannot_use_a_project_they_cannot_see(town_officer: Any) -> None:
    foreign = f.SurveyProjectFactory(area=f.area("北郊镇"))
    with pytest.raises(ValidationError) as exc:
        services.observation_create(actor=town_officer, project=foreign, species=f.species("喜鹊"), observed_at=when(2025, 5, 1, 8), location=f.point_in("王村镇"))
    assert "project" in field_errors(exc)


def test_observation_update_moves_town_reclassifies_and_checks_version(district_officer: Any) -> None:
    obs = f.ObservationFactory(species=f.species("喜鹊"))
    services.observation_update(actor=district_officer, obj=obs, version=obs.version, species=f.species("大鸨"), location=f.point_in("北郊镇"))
    assert obs.is_sensitive and obs.area.name == "北郊镇" and obs.version == 2
    with pytest.raises(ConflictError):
        services.observation_update(actor=district_officer, obj=obs, version=1, count=9)


def test_observation_delete_is_audited(district_officer: Any) -> None:
    obs = f.ObservationFactory()
    pk = obs.pk
    services.observation_delete(actor=district_officer, obj=obs)
    assert not Observation.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action="observation_delete", object_id=str(pk)).exists()


def test_occurrence_id_unique_per_project(district_officer: Any, project: Any) -> None:
    data = {"species": f.species("喜鹊"), "observed_at": when(2025, 5, 1, 8), "location": f.point_in(), "occurrence_id": "A-1"}
    services.observation_create(actor=district_officer, project=project, **data)
    with pytest.raises(ValidationError) as exc:
        services.observation_create(actor=district_officer, project=project, **data)
    assert "occurrence_id" in field_errors(exc)


# --- aquatic -----------------------------------------------------------------------------------------------------


def test_fish_catch_rows_become_observations_with_cpue_data(agri_officer: Any) -> None:
    site = f.WaterSiteFactory()
    event = services.sampling_event_create(actor=agri_officer, project=site.project, site=site, started_at=when(2025, 6, 1, 6), method=ObservationMethod.NET, net_hauls=4)
    created = services.fish_catch_record(
        actor=agri_officer, event=event, catches=[{"species": f.species("鲫"), "count": 12, "biomass_g": 800.0}, {"species": f.species("鲤"), "count": 4}]
    )
    assert [o.count for o in created] == [12, 4] and all(o.method == ObservationMethod.NET and o.event == event for o in created)
    from wildlife.surveys.selectors import fish_cpue

    row = next(r for r in fish_cpue(user=agri_officer) if r["event"].pk == event.pk)
    assert row["total"] == 16 and row["cpue"] == 4.0
    assert {s["name"]: s["cpue"] for s in row["species"]} == {"鲫": 3.0, "鲤": 1.0}


def test_fish_catch_refuses_duplicates_and_non_net_events(agri_officer: Any) -> None:
    event = f.SamplingEventFactory(site=f.WaterSiteFactory(), method=ObservationMethod.NET, net_hauls=2)
    with pytest.raises(ValidationError):
        services.fish_catch_record(actor=agri_officer, event=event, catches=[{"species": f.species("鲫"), "count": 1}, {"species": f.species("鲫"), "count": 2}])
    assert not Observation.objects.exists()
    walk = f.SamplingEventFactory()
    with pytest.raises(ValidationError):
        services.fish_catch_record(actor=agri_officer, event=walk, catches=[{"species": f.species("鲫"), "count": 1}])


@pytest.mark.parametrize(("field", "value"), [("ph", 15.0), ("temperature_c", 60.0), ("dissolved_oxygen_mg_l", -1.0), ("ammonia_n_mg_l", 80.0), ("turbidity_ntu", 9000.0)])
def test_water_reading_ranges(agri_officer: Any, field: str, value: float) -> None:
    site = f.WaterSiteFactory()
    with pytest.raises(ValidationError) as exc:
        services.water_reading_create(actor=agri_officer, project=site.project, site=site, measured_at=when(2025, 6, 1, 9), **{field: value})
    assert field in field_errors(exc)


def test_water_reading_needs_a_water_site_and_a_value(agri_officer: Any) -> None:
    site = f.WaterSiteFactory()
    reading = services.water_reading_create(actor=agri_officer, project=site.project, site=site, measured_at=when(2025, 6, 1, 9), ph=7.4, temperature_c=18.0)
    assert reading.area == site.area
    with pytest.raises(ValidationError):
        services.water_reading_create(actor=agri_officer, project=site.project, site=site, measured_at=when(2025, 6, 2, 9))
    point_site = f.SurveySiteFactory(project=site.project)
    with pytest.raises(ValidationError) as exc:
        services.water_reading_create(actor=agri_officer, project=site.project, site=point_site, measured_at=when(2025, 6, 1, 9), ph=7.0)
    assert "site" in field_errors(exc)


def test_migration_count_one_per_section_species_and_day(agri_officer: Any) -> None:
    site = f.WaterSiteFactory()
    data = {"site": site, "species": f.species("鲫"), "date": dt.date(2025, 4, 10), "upstream": 30, "downstream": 4}
    record = services.migration_count_create(actor=agri_officer, project=site.project, **data)
    assert record.area == site.area
    with pytest.raises(ValidationError) as exc:
        services.migration_count_create(actor=agri_officer, project=site.project, **data)
    assert "date" in field_errors(exc)
    with pytest.raises(ValidationError) as negative:
        services.migration_count_create(actor=agri_officer, project=site.project, **{**data, "date": dt.date(2025, 4, 11), "upstream": -3})
    assert "upstream" in field_errors(negative)


# --- archives ----------------------------------------------------------------------------------------------------


def test_archive_one_per_species_and_area(district_officer: Any) -> None:
    archive = services.species_archive_create(actor=district_officer, species=f.species("环颈雉"), area=f.area("王村镇"), threats="非法猎捕")
    assert archive.area.name == "王村镇"
    with pytest.raises(ValidationError):
        services.species_archive_create(actor=district_officer, species=f.species("环颈雉"), area=f.area("王村镇"))
    services.species_archive_update(actor=district_officer, obj=archive, version=archive.version, threats="农药")
    assert archive.threats == "农药"
