"""Excel, GeoJSON and GeoPackage exports read back (openpyxl, json, GDAL and sqlite3); generalised locations; scope;
large exports as jobs."""

from __future__ import annotations

import json
import sqlite3
import struct
from pathlib import Path
from typing import Any

import pytest

from wildlife.surveys.exporters.tables import build_geojson, build_gpkg, build_xlsx
from wildlife.surveys.sensitive import snap
from wildlife.surveys.tests.factories import ObservationFactory, SurveyProjectFactory, area, point_in, species

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(zhoucun: Any) -> dict[str, Any]:
    project = SurveyProjectFactory(code="tables-2025")
    rows = [
        ObservationFactory(project=project, occurrence_id="A1", species=species("环颈雉"), count=3, behaviour="觅食", observer="=cmd|' /C calc'!A0"),
        ObservationFactory(project=project, occurrence_id="A2", species=species("黑鹳"), count=1),
        ObservationFactory(project=project, occurrence_id="A3", species=species("喜鹊"), count=2, area=area("北郊镇"), location=point_in("北郊镇")),
    ]
    return {"project": project, "observations": rows}


def test_excel_reads_back_and_imports_again(survey: dict[str, Any], district_officer: Any) -> None:
    from openpyxl import load_workbook

    from wildlife.surveys.importers.testing import import_file
    from wildlife.surveys.models import Observation

    path, rows = build_xlsx(project=survey["project"], user=district_officer)
    sheet = load_workbook(path, read_only=True)["调查记录"]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:4] == ["记录编号", "物种", "数量", "观测时间"] and rows == 3
    by_id = {r[0]: r for r in values[1:]}
    assert by_id["A1"][1] == "环颈雉" and by_id["A1"][2] == 3 and by_id["A1"][12] == "觅食"
    assert by_id["A1"][16].startswith("'=")  # a formula typed into a field is neutralised
    assert by_id["A3"][19] == "北郊镇"
    # the export uses the template's columns: it imports into another project unchanged
    copy = SurveyProjectFactory(code="copy")
    outcome = import_file(path, project=copy, actor=district_officer, fmt="xlsx")
    assert outcome.created == 3, outcome.errors
    assert Observation.objects.get(project=copy, occurrence_id="A1").observer == "'=cmd|' /C calc'!A0"


def test_geojson_reads_back(survey: dict[str, Any], district_officer: Any) -> None:
    path, rows = build_geojson(project=survey["project"], user=district_officer)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and rows == 3
    features = {f["id"]: f for f in data["features"]}
    point = survey["observations"][0].location
    assert features["A1"]["geometry"]["coordinates"] == pytest.approx([point.x, point.y], abs=1e-7)
    assert features["A1"]["properties"]["species"] == "环颈雉" and features["A1"]["properties"]["count"] == 3


def test_geopackage_reads_back_with_gdal(survey: dict[str, Any], district_officer: Any) -> None:
    from django.contrib.gis.gdal import DataSource

    path, rows = build_gpkg(project=survey["project"], user=district_officer)
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
        blob = connection.execute("SELECT geom FROM observations WHERE occurrence_id = 'A1'").fetchone()[0]
        assert blob[:2] == b"GP" and struct.unpack("<i", blob[4:8])[0] == 4326
    finally:
        connection.close()
    source = DataSource(str(path))
    layer = source[0]
    assert layer.name == "observations" and len(layer) == rows == 3 and layer.srs.srid == 4326
    features = {f.get("occurrence_id"): f for f in layer}
    point = survey["observations"][0].location
    assert features["A1"].geom.x == pytest.approx(point.x) and features["A1"].geom.y == pytest.approx(point.y)
    assert features["A1"].get("species") == "环颈雉" and features["A1"].get("count") == 3


@pytest.mark.parametrize("builder", ["xlsx", "geojson", "gpkg"])
def test_class_one_points_are_generalised_in_every_table(survey: dict[str, Any], town_officer: Any, builder: str) -> None:
    stork = survey["observations"][1]
    expected = snap(stork.location.x, stork.location.y)
    points = exported_points(builder, survey["project"], town_officer)
    assert set(points) == {"A1", "A2"}  # 北郊镇's record is not in a 王村镇 officer's export
    assert points["A2"] == pytest.approx(expected, abs=1e-6)
    assert points["A1"] == pytest.approx((survey["observations"][0].location.x, survey["observations"][0].location.y), abs=1e-6)


def exported_points(builder: str, project: Any, user: Any) -> dict[str, tuple[float, float]]:
    if builder == "xlsx":
        from openpyxl import load_workbook

        path, _rows = build_xlsx(project=project, user=user)
        values = list(load_workbook(path, read_only=True)["调查记录"].iter_rows(values_only=True))[1:]
        return {r[0]: (r[4], r[5]) for r in values}
    if builder == "geojson":
        path, _rows = build_geojson(project=project, user=user)
        return {f["id"]: tuple(f["geometry"]["coordinates"]) for f in json.loads(Path(path).read_text(encoding="utf-8"))["features"]}
    from django.contrib.gis.gdal import DataSource

    path, _rows = build_gpkg(project=project, user=user)
    return {f.get("occurrence_id"): (f.geom.x, f.geom.y) for f in DataSource(str(path))[0]}


def test_large_export_runs_as_a_job(survey: dict[str, Any], district_officer: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any) -> None:
    from wildlife.jobs.models import Job
    from wildlife.surveys.exporters import services

    monkeypatch.setattr(services, "EXPORT_SYNC_LIMIT", 2)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.observation_export(actor=district_officer, project_id=survey["project"].pk, fmt="geojson")
    assert isinstance(job, Job)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.summary["导出记录"] == 3 and job.result_file.name.endswith(".geojson")
    with job.result_file.open("rb") as handle:
        assert len(json.loads(handle.read())["features"]) == 3
    from wildlife.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="export", detail__job=str(job.pk)).exists()


def test_project_outside_scope_is_404(zhoucun: Any, other_town_officer: Any) -> None:
    from django.http import Http404

    from wildlife.surveys.exporters.services import observation_export

    town_project = SurveyProjectFactory(area=area("王村镇"))
    with pytest.raises(Http404):
        observation_export(actor=other_town_officer, project_id=town_project.pk, fmt="xlsx")
