"""Darwin Core Archive export read back with python-dwca-reader; scope, generalised locations, round trip, audit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from wildlife.surveys.exporters.dwca import build_dwca
from wildlife.surveys.sensitive import snap
from wildlife.surveys.tests.factories import (
    ObservationFactory,
    SamplingEventFactory,
    SurveyProjectFactory,
    SurveySiteFactory,
    TransectSiteFactory,
    point_in,
    species,
)

pytestmark = pytest.mark.django_db

DWC = "http://rs.tdwg.org/dwc/terms/"
ECO = "http://rs.tdwg.org/eco/terms/"


@pytest.fixture
def survey(zhoucun: Any) -> dict[str, Any]:
    """A project with a transect in 王村镇 (2 visits), a point station in 北郊镇, observations incl. a class-I
    species, an absence (count 0) and an incidental record without an event."""
    project = SurveyProjectFactory(code="wc-2025", name="2025 王村镇样线调查", description="春季鸟类样线", methodology="样线法，单侧 50 米")
    transect = TransectSiteFactory(project=project, code="T01")
    station = SurveySiteFactory(project=project, code="P09", area=zhoucun["北郊镇"])
    visit1 = SamplingEventFactory(site=transect, event_id="T01-0510", distance_km=1.0, duration_hours=2.0)
    visit2 = SamplingEventFactory(site=transect, event_id="T01-0520", started_at=timezone.make_aware(dt.datetime(2025, 5, 20, 7)), distance_km=1.0)
    count_event = SamplingEventFactory(site=station, event_id="P09-0511", duration_hours=0.5)
    observations = [
        ObservationFactory(event=visit1, occurrence_id="O-1", species=species("环颈雉"), count=2, distance_m=12.0),
        ObservationFactory(event=visit1, occurrence_id="O-2", species=species("黑鹳"), count=1),
        ObservationFactory(event=visit2, occurrence_id="O-3", species=species("环颈雉"), count=0),
        ObservationFactory(event=count_event, occurrence_id="O-4", species=species("喜鹊"), count=5),
        ObservationFactory(project=project, occurrence_id="O-5", species=species("苍鹭"), count=1, site=transect),
    ]
    return {"project": project, "transect": transect, "station": station, "observations": observations}


def read(path: Path) -> Any:
    from dwca.read import DwCAReader

    return DwCAReader(str(path))


def test_event_core_reads_back_with_the_same_records(survey: dict[str, Any], district_officer: Any) -> None:
    result = build_dwca(project=survey["project"], user=district_officer)
    with read(result.path) as archive:
        assert archive.descriptor.core.type == DWC + "Event"
        assert {e.type for e in archive.descriptor.extensions} == {DWC + "Occurrence", ECO + "Event"}
        events = {row.id: row for row in archive}
        assert set(events) == {"T01-0510", "T01-0520", "P09-0511", "wc-2025:T01:2025-05-10"}
        occurrences = {
            ext.data[DWC + "occurrenceID"]: (event_id, ext.data)
            for event_id, row in events.items()
            for ext in row.extensions
            if ext.rowtype == DWC + "Occurrence"
        }
        assert set(occurrences) == {"O-1", "O-2", "O-3", "O-4", "O-5"}
        event_id, o1 = occurrences["O-1"]
        assert event_id == "T01-0510"
        assert (o1[DWC + "scientificName"], o1[DWC + "vernacularName"], o1[DWC + "individualCount"]) == ("Phasianus colchicus", "环颈雉", "2")
        assert o1[DWC + "occurrenceStatus"] == "present" and o1[DWC + "basisOfRecord"] == "HumanObservation"
        assert o1[DWC + "samplingProtocol"] == "line transect" and o1[DWC + "municipality"] == "王村镇"
        assert occurrences["O-3"][1][DWC + "occurrenceStatus"] == "absent"
        assert occurrences["O-5"][0] == "wc-2025:T01:2025-05-10"  # an incidental record gets a day-and-site event
        visit = events["T01-0510"]
        assert visit.data[DWC + "sampleSizeValue"] == "1" and visit.data[DWC + "sampleSizeUnit"] == "km"
        assert visit.data[DWC + "eventDate"].startswith("2025-05-10T07:00:00+08:00/")
        assert visit.data[DWC + "locationID"] == "T01"
        humboldt = [ext.data for ext in visit.extensions if ext.rowtype == ECO + "Event"]
        assert humboldt[0][ECO + "samplingEffortValue"] == "1" and humboldt[0][ECO + "samplingEffortUnit"] == "km"
        assert humboldt[0][ECO + "isAbsenceReported"] == "true"
        assert archive.metadata.find(".//dataset/title").text == "2025 王村镇样线调查"
    assert (result.events, result.occurrences) == (4, 5)


def test_occurrence_core_reads_back(survey: dict[str, Any], district_officer: Any) -> None:
    result = build_dwca(project=survey["project"], user=district_officer, core="occurrence")
    with read(result.path) as archive:
        assert archive.descriptor.core.type == DWC + "Occurrence"
        rows = {row.id: row.data for row in archive}
    assert set(rows) == {"O-1", "O-2", "O-3", "O-4", "O-5"}
    assert rows["O-4"][DWC + "eventID"] == "P09-0511" and rows["O-4"][DWC + "individualCount"] == "5"
    point = survey["observations"][3].location
    assert float(rows["O-4"][DWC + "decimalLongitude"]) == pytest.approx(point.x, abs=1e-6)


def test_class_one_locations_are_generalised_without_the_permission(survey: dict[str, Any], town_officer: Any, district_officer: Any) -> None:
    black_stork = survey["observations"][1]
    assert not town_officer.has_perm("surveys.view_precise_location")
    with read(build_dwca(project=survey["project"], user=town_officer, core="occurrence").path) as archive:
        rows = {row.id: row.data for row in archive}
    lon, lat = snap(black_stork.location.x, black_stork.location.y)
    stork = rows["O-2"]
    assert (float(stork[DWC + "decimalLongitude"]), float(stork[DWC + "decimalLatitude"])) == (lon, lat)
    assert stork[DWC + "dataGeneralizations"] and stork[DWC + "informationWithheld"]
    assert float(stork[DWC + "coordinateUncertaintyInMeters"]) >= 800
    # other species keep their place
    assert float(rows["O-1"][DWC + "decimalLongitude"]) == pytest.approx(survey["observations"][0].location.x, abs=1e-6)
    # the transect where the stork was seen is generalised in the event file too
    with read(build_dwca(project=survey["project"], user=town_officer).path) as archive:
        visit = next(row for row in archive if row.id == "T01-0510")
        transect_point = survey["transect"].geometry.point_on_surface
        assert (float(visit.data[DWC + "decimalLongitude"]), float(visit.data[DWC + "decimalLatitude"])) == snap(transect_point.x, transect_point.y)
    # the same generalised point every time
    with read(build_dwca(project=survey["project"], user=town_officer, core="occurrence").path) as archive:
        again = {row.id: row.data for row in archive}
    assert again["O-2"][DWC + "decimalLongitude"] == stork[DWC + "decimalLongitude"]
    # a survey authority sees the precise point
    assert district_officer.has_perm("surveys.view_precise_location")
    with read(build_dwca(project=survey["project"], user=district_officer, core="occurrence").path) as archive:
        precise = {row.id: row.data for row in archive}
    assert float(precise["O-2"][DWC + "decimalLongitude"]) == pytest.approx(black_stork.location.x, abs=1e-6)
    assert precise["O-2"][DWC + "dataGeneralizations"] == ""


def test_town_officer_exports_only_their_town(survey: dict[str, Any], town_officer: Any) -> None:
    with read(build_dwca(project=survey["project"], user=town_officer).path) as archive:
        events = {row.id for row in archive}
        occurrences = {ext.data[DWC + "occurrenceID"] for row in archive for ext in row.extensions if ext.rowtype == DWC + "Occurrence"}
    assert "O-4" not in occurrences and occurrences == {"O-1", "O-2", "O-3", "O-5"}
    assert "P09-0511" not in events  # the 北郊镇 station's visit is not theirs either


def test_export_imports_again_into_another_project(survey: dict[str, Any], district_officer: Any, tmp_path: Path) -> None:
    from wildlife.surveys.importers.testing import import_file
    from wildlife.surveys.models import Observation, SamplingEvent

    result = build_dwca(project=survey["project"], user=district_officer)
    target = SurveyProjectFactory(code="copy")
    SurveySiteFactory(project=target, code="T01", geometry=point_in("王村镇"))
    SurveySiteFactory(project=target, code="P09", area=survey["station"].area)
    outcome = import_file(result.path, project=target, actor=district_officer, fmt="dwca")
    assert outcome.total == 5 and outcome.created == 5, outcome.errors
    copied = {o.occurrence_id: o for o in Observation.objects.filter(project=target)}
    original = {o.occurrence_id: o for o in survey["observations"]}
    for key, obs in original.items():
        assert (copied[key].species_id, copied[key].count) == (obs.species_id, obs.count)
        assert copied[key].location.distance(obs.location) < 1e-6
        assert copied[key].observed_at == obs.observed_at
    visit = SamplingEvent.objects.get(project=target, event_id="T01-0510")
    assert (visit.distance_km, visit.duration_hours, visit.site.code) == (1.0, 2.0, "T01")
    assert copied["O-1"].event == visit and copied["O-3"].count == 0
    assert import_file(result.path, project=target, actor=district_officer, fmt="dwca").created == 0


def test_export_is_audited(survey: dict[str, Any], district_officer: Any) -> None:
    from wildlife.audit.models import AuditEvent
    from wildlife.surveys.exporters.services import observation_export

    result = observation_export(actor=district_officer, project_id=survey["project"].pk, fmt="dwca")
    assert result.rows == 5
    event = AuditEvent.objects.filter(action="export").latest("seq")
    assert event.detail["format"] == "dwca" and event.detail["rows"] == 5 and event.object_id == str(survey["project"].pk)
