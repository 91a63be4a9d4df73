"""Camtrap DP export: the peer example imported and exported again holds the same deployments, media and
observations (Camtrap DP fields the platform keeps), imports again unchanged, and generalises class-I cameras."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from wildlife.core.testing.data import shared_data
from wildlife.surveys.exporters.camtrap import build_camtrap_dp
from wildlife.surveys.importers.testing import import_file
from wildlife.surveys.models import Observation
from wildlife.surveys.tests.factories import SurveyProjectFactory

pytestmark = pytest.mark.django_db

KEPT_OBSERVATION_FIELDS = ("observationID", "deploymentID", "mediaID", "eventID", "eventStart", "observationLevel", "observationType", "scientificName", "count", "lifeStage", "sex", "behavior", "classifiedBy")


def table(source: Path | zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = source.read(name).decode("utf-8") if isinstance(source, zipfile.ZipFile) else (source / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def same_instant(a: str, b: str) -> bool:
    from datetime import datetime

    return datetime.fromisoformat(a.replace("Z", "+00:00")) == datetime.fromisoformat(b.replace("Z", "+00:00"))


@pytest.fixture
def imported(zhoucun: Any, district_officer: Any, catalogue: Any) -> Any:
    project = SurveyProjectFactory(code="mica", name="MICA 样例", kind="camera_trap")
    outcome = import_file(shared_data("peers", "camtrap-dp"), project=project, actor=district_officer, fmt="camtrap_dp", external=True)
    assert outcome.created == 549
    return project


def test_round_trip_of_the_peer_example(imported: Any, district_officer: Any) -> None:
    original = shared_data("peers", "camtrap-dp")
    result = build_camtrap_dp(project=imported, user=district_officer)
    assert (result.deployments, result.media, result.observations, result.files) == (4, 423, 549, 10)
    with zipfile.ZipFile(result.path) as package:
        descriptor = json.loads(package.read("datapackage.json"))
        assert "camtrap-dp" in descriptor["profile"] and [r["name"] for r in descriptor["resources"]] == ["deployments", "media", "observations"]
        assert {t["scientificName"] for t in descriptor["taxonomic"]} >= {"Anas platyrhynchos", "Rattus norvegicus"}
        deployments = {r["deploymentID"]: r for r in table(package, "deployments.csv")}
        media = {r["mediaID"]: r for r in table(package, "media.csv")}
        observations = {r["observationID"]: r for r in table(package, "observations.csv")}
        assert sum(1 for n in package.namelist() if n.startswith("media/")) == 10

    source_deployments = {r["deploymentID"]: r for r in table(original, "deployments.csv")}
    assert set(deployments) == set(source_deployments)
    for key, row in source_deployments.items():
        assert float(deployments[key]["latitude"]) == float(row["latitude"]) and float(deployments[key]["longitude"]) == float(row["longitude"])
        assert same_instant(deployments[key]["deploymentStart"], row["deploymentStart"])
        assert same_instant(deployments[key]["deploymentEnd"], row["deploymentEnd"])
        assert deployments[key]["cameraModel"] == row["cameraModel"] and deployments[key]["locationName"] == row["locationName"]

    source_media = {r["mediaID"]: r for r in table(original, "media.csv")}
    assert set(media) == set(source_media)
    for key, row in source_media.items():
        assert same_instant(media[key]["timestamp"], row["timestamp"]) and media[key]["deploymentID"] == row["deploymentID"]
        assert media[key]["fileName"] == row["fileName"] and media[key]["captureMethod"] == row["captureMethod"]

    source_observations = {r["observationID"]: r for r in table(original, "observations.csv")}
    assert set(observations) == set(source_observations)
    for key, row in source_observations.items():
        exported = observations[key]
        for name in KEPT_OBSERVATION_FIELDS:
            if name == "eventStart":
                assert same_instant(exported[name], row[name]), (key, name)
            else:
                assert exported[name] == row[name], (key, name, exported[name], row[name])


def test_exported_package_imports_again(imported: Any, district_officer: Any, tmp_path: Path) -> None:
    result = build_camtrap_dp(project=imported, user=district_officer)
    copy = SurveyProjectFactory(code="mica-copy", kind="camera_trap")
    outcome = import_file(result.path, project=copy, actor=district_officer, fmt="camtrap_dp", external=True)
    assert (outcome.total, outcome.created, outcome.error_count) == (549, 549, 0)
    assert outcome.extra["保存的媒体文件"] == 10
    first = {o.occurrence_id: (o.observation_type, o.species_id, o.count, o.media_id is None) for o in Observation.objects.filter(project=imported)}
    second = {o.occurrence_id: (o.observation_type, o.species_id, o.count, o.media_id is None) for o in Observation.objects.filter(project=copy)}
    assert first == second
    assert not Observation.objects.filter(project=copy, remarks__startswith="【区外外部数据】【区外外部数据】").exists()


def test_cameras_that_saw_a_class_one_species_are_generalised(imported: Any, town_officer: Any, district_officer: Any) -> None:
    from wildlife.surveys.sensitive import snap
    from wildlife.surveys.tests.factories import species

    stork = species("黑鹳")
    Observation.objects.filter(project=imported, occurrence_id="705e6036").update(species=stork, is_sensitive=True)
    from wildlife.core.testing.cast import make_business_user

    viewer = make_business_user("ecology_viewer", department_code="ecology", area=imported.area)
    assert viewer.has_perm("surveys.view_observation") and not viewer.has_perm("surveys.view_precise_location")
    result = build_camtrap_dp(project=imported, user=viewer)
    with zipfile.ZipFile(result.path) as package:
        deployments = {r["deploymentID"]: r for r in table(package, "deployments.csv")}
    assert (float(deployments["00a2c20d"]["longitude"]), float(deployments["00a2c20d"]["latitude"])) == snap(4.774, 51.496)
    assert deployments["00a2c20d"]["coordinateUncertainty"] == "800"
    assert deployments["29b7d356"]["latitude"] == "51.181"  # cameras without such records keep their place
    precise = build_camtrap_dp(project=imported, user=district_officer)
    with zipfile.ZipFile(precise.path) as package:
        assert {r["deploymentID"]: r for r in table(package, "deployments.csv")}["00a2c20d"]["latitude"] == "51.496"
    # a town officer sees no external (district-level) data at all
    assert build_camtrap_dp(project=imported, user=town_officer).observations == 0
