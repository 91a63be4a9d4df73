"""Camtrap DP imports: the example package of ../shared/data/peers/camtrap-dp/ and packages from 周村区."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from wildlife.core.testing.data import shared_data
from wildlife.surveys.importers.base import ImportFileError
from wildlife.surveys.importers.testing import import_file, run_import_job
from wildlife.surveys.models import CameraMedia, Observation, SamplingEvent, SurveySite
from wildlife.surveys.tests.factories import SurveyProjectFactory

pytestmark = pytest.mark.django_db

DEPLOYMENTS = {"00a2c20d", "29b7d356", "577b543a", "62c200a9"}


@pytest.fixture
def project(zhoucun: Any) -> Any:
    return SurveyProjectFactory(kind="camera_trap")


def example() -> Path:
    return shared_data("peers", "camtrap-dp")


def test_example_outside_the_district_is_refused_without_the_external_choice(project: Any, district_officer: Any, catalogue: Any) -> None:
    outcome = import_file(example(), project=project, actor=district_officer, fmt="camtrap_dp")
    assert outcome.created == 0 and outcome.total == 549
    deployment_errors = [e for e in outcome.errors if e.where == "deployments.csv"]
    assert len(deployment_errors) == 4 and "不在周村区范围内" in deployment_errors[0].message
    assert deployment_errors[0].text.startswith("deployments.csv 第 2 行 latitude:")
    assert not SurveySite.objects.filter(project=project).exists() and not CameraMedia.objects.filter(project=project).exists()


def test_example_as_external_data(project: Any, district_officer: Any, catalogue: Any) -> None:
    outcome = import_file(example(), project=project, actor=district_officer, fmt="camtrap_dp", external=True)
    assert (outcome.total, outcome.created, outcome.error_count) == (549, 549, 0)

    sites = {s.external_id: s for s in SurveySite.objects.filter(project=project)}
    assert set(sites) == DEPLOYMENTS
    site = sites["00a2c20d"]
    assert site.kind == "camera" and site.code == "00a2c20d" and site.name == "B_HS_val 2_processiepark"
    assert (site.camera_model, site.camera_height_m, site.habitat[:15]) == ("Reconyx-HF2X", 1.3, "Campine area wi")
    assert (site.geometry.x, site.geometry.y) == (4.774, 51.496) and site.area.name == "周村区"
    event = SamplingEvent.objects.get(project=project, event_id="00a2c20d")
    assert event.site == site and event.method == "camera_trap" and 32 < event.trap_nights < 33

    media = CameraMedia.objects.filter(project=project)
    assert media.count() == 423
    stored = [m for m in media if m.file]
    assert len(stored) == 10 and all(Path(m.file.path).stat().st_size > 1000 for m in stored)
    first = media.get(media_id="07840dcc")
    assert first.site == site and first.sequence_id == "4bb69c45" and first.file_path.startswith("https://")
    assert first.capture_method == "activityDetection" and first.media_type == "image/jpeg"

    observations = Observation.objects.filter(project=project)
    types = Counter(observations.values_list("observation_type", flat=True))
    assert types == {"animal": 366, "blank": 115, "human": 33, "vehicle": 21, "unknown": 13, "unclassified": 1}
    assert not observations.filter(observation_type__in=["blank", "human", "vehicle"], species__isnull=False).exists()
    assert set(observations.filter(observation_type="blank").values_list("count", flat=True)) == {0}
    assert set(observations.filter(observation_type="human").values_list("count", flat=True)) == {1}
    mallard = observations.get(occurrence_id="07840dcc_1")
    assert mallard.species.name_zh == "绿头鸭" and mallard.media == first and mallard.event == event
    assert (mallard.count, mallard.life_stage, mallard.sex, mallard.method) == (1, "adult", "female", "camera_trap")
    event_level = observations.get(occurrence_id="705e6036")
    assert event_level.media is None and event_level.behaviour == "foraging" and event_level.observer == "Danny Van der beeck"
    assert observations.filter(media__isnull=True).count() == 36
    # names outside the catalogue are kept and listed, never dropped
    assert observations.filter(verbatim_name="Rattus norvegicus", species__isnull=True).count() == 30
    assert outcome.unresolved["Rattus norvegicus"].count == 30


def test_repeat_import_adds_nothing(project: Any, district_officer: Any, catalogue: Any) -> None:
    import_file(example(), project=project, actor=district_officer, fmt="camtrap_dp", external=True)
    # as if a crash had come between a media row and its file: the repeat run saves the file
    lost = CameraMedia.objects.filter(project=project).exclude(file="").first()
    assert lost is not None
    CameraMedia.objects.filter(pk=lost.pk).update(file="")
    again = import_file(example(), project=project, actor=district_officer, fmt="camtrap_dp", external=True)
    assert again.created == 0 and again.skipped_existing == 549
    assert again.extra["新增相机位点"] == 0 and again.extra["新增媒体"] == 0 and again.extra["保存的媒体文件"] == 1
    lost.refresh_from_db()
    assert lost.file
    assert CameraMedia.objects.filter(project=project).count() == 423 and SurveySite.objects.filter(project=project).count() == 4


def local_package(folder: Path, *, lon: float = 117.73, lat: float = 36.75) -> Path:
    """The example package moved to 王村镇 (deployment coordinates replaced)."""
    target = folder / "package"
    shutil.copytree(example(), target)
    path = target / "deployments.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for index, row in enumerate(rows):
        row["latitude"] = f"{lat + index * 0.001:.3f}"
        row["longitude"] = f"{lon + index * 0.001:.3f}"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.chmod(0o644)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return target


def test_package_from_the_district_through_a_zip_upload(project: Any, town_officer: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any) -> None:
    folder = local_package(tmp_path)
    archive = Path(shutil.make_archive(str(tmp_path / "mica"), "zip", folder))
    job = run_import_job(archive, project=project, actor=town_officer, fmt="camtrap_dp", capture=django_capture_on_commit_callbacks)
    assert job.status == "succeeded", job.error_message
    assert job.summary["新增记录"] == 549 and job.summary["保存的媒体文件"] == 10
    assert set(SurveySite.objects.filter(project=project).values_list("area__name", flat=True)) == {"王村镇"}
    assert Observation.objects.filter(project=project, area__name="王村镇").count() == 549
    assert job.report_file  # the unresolved names are listed


def test_other_town_officer_cannot_import_cameras_of_another_town(project: Any, other_town_officer: Any, tmp_path: Path) -> None:
    outcome = import_file(local_package(tmp_path), project=project, actor=other_town_officer, fmt="camtrap_dp")
    assert outcome.created == 0 and "不在您的管辖范围内" in outcome.errors[0].message


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("no_datapackage", "找不到 datapackage.json"),
        ("wrong_profile", "不是 Camtrap DP 数据包"),
        ("missing_column", "缺少必需的列"),
        ("missing_file", "数据包缺少文件"),
    ],
)
def test_broken_packages_are_refused(project: Any, district_officer: Any, tmp_path: Path, damage: str, reason: str) -> None:
    folder = local_package(tmp_path)
    package_path = folder / "datapackage.json"
    package_path.chmod(0o644)
    if damage == "no_datapackage":
        package_path.unlink()
    elif damage == "wrong_profile":
        package = json.loads(package_path.read_text(encoding="utf-8"))
        package["profile"] = "tabular-data-package"
        package_path.write_text(json.dumps(package), encoding="utf-8")
    elif damage == "missing_column":
        path = folder / "deployments.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("deploymentStart", "start"), encoding="utf-8")
    else:
        (folder / "media.csv").chmod(0o644)
        (folder / "media.csv").unlink()
    with pytest.raises(ImportFileError, match=reason):
        import_file(folder, project=project, actor=district_officer, fmt="camtrap_dp")
    assert not Observation.objects.filter(project=project).exists()
