"""Darwin Core Archive imports: every sample archive of ../shared/data/peers/dwca/ (python-dwca-reader's test suite).

The choice these tests state (see wildlife/surveys/importers/base.py):
- a valid archive is read completely: `total` is its number of core records, whatever happens to them;
- records outside 周村区 are refused with a reason unless the user ticks “接收区外外部数据”; then they are stored at
  district level, marked 【区外外部数据】;
- records without coordinates or without any date are refused with a row-level reason (nothing is invented);
- names not in the catalogue are kept as written and listed (with suggestions) in the report;
- a checklist (Taxon core) is read and checked against the catalogue, and stores no observations;
- an invalid archive is refused as a whole with a Chinese reason, and nothing is stored.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from wildlife.core.testing.data import shared_data
from wildlife.surveys.importers.base import ImportFileError, ImportRejected
from wildlife.surveys.importers.testing import import_file, report_rows, run_import_job
from wildlife.surveys.models import Observation
from wildlife.surveys.tests.factories import SurveyProjectFactory, species

pytestmark = pytest.mark.django_db

NO_PLACE = "缺少坐标"
NO_DATE = "缺少观测日期"

# archive → (core records, stored without / with the external choice, rows refused when external, checklist?)
VALID: dict[str, tuple[int, int, int, int, bool]] = {
    "dwca-simple-test-archive.zip": (2, 0, 0, 2, False),
    "dwca-simple-test-archive.tgz": (2, 0, 0, 2, False),
    "dwca-simple-test-archive-enclosed.zip": (2, 0, 0, 2, False),
    "dwca-simple-dir": (4, 0, 0, 4, False),
    "dwca-simple-subdir.zip": (2, 0, 0, 2, False),
    "dwca-noheaders-1.zip": (2, 0, 0, 2, False),
    "dwca-noheaders-2.zip": (2, 0, 0, 2, False),
    "dwca-test-default.zip": (2, 0, 0, 2, False),
    "dwca-partial-default.zip": (2, 0, 0, 2, False),
    "dwca-meta-default-values": (2, 0, 0, 2, False),
    "dwca-csv-quote-dir": (2, 0, 0, 2, False),
    "dwca-metadata-windows1252-encoding": (4, 0, 0, 4, False),
    "dwca-default-metadata-filename.zip": (2, 0, 0, 2, False),
    "dwca-nometadata.zip": (2, 0, 0, 2, False),
    "dwca-simple-csv.zip": (3, 0, 1, 2, False),
    "dwca-simple-csv-dos.zip": (3, 0, 1, 2, False),
    "dwca-simple-csv-eml.zip": (3, 0, 1, 2, False),
    "dwca-simple-csv-notenclosed.zip": (3, 0, 1, 2, False),
    "dwca-utf8-eol-test.zip": (1, 0, 1, 0, False),
    "gbif-results.zip": (158, 0, 22, 136, False),
    "gbif-results-lacks-s-metadata.zip": (158, 0, 22, 136, False),
    "gbif-results-whitespace-in-xml.zip": (158, 0, 22, 136, False),
    "dwca-star-test-archive.zip": (4, 0, 0, 0, True),
    "dwca-2extensions.zip": (4, 0, 0, 0, True),
    "dwca-ids.zip": (4, 0, 0, 0, True),
    "dwca-orphaned-rows.zip": (4, 0, 0, 0, True),
}

INVALID: dict[str, str] = {
    "dwca-invalid-lacks-metadata": "元数据文件“eml.xml”不存在",
    "dwca-invalid-simple-toomuch.zip": "没有 meta.xml 描述文件，却含有多个文件",
    "dwca-invalid-simple-two.zip": "没有 meta.xml 描述文件，却含有多个文件",
    "dwca-malformed-descriptor": "第 235 列",
    "dwca-missing-extension-details": "没有指定数据文件",
}


def test_the_table_covers_every_sample() -> None:
    folder = shared_data("peers", "dwca")
    samples = {p.name for p in folder.iterdir() if p.name != "description.rst"}
    assert samples == set(VALID) | set(INVALID)


@pytest.fixture
def project(zhoucun: Any) -> Any:
    return SurveyProjectFactory()


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_archive(name: str, project: Any, district_officer: Any) -> None:
    path = shared_data("peers", "dwca", name)
    records, stored_plain, stored_external, refused_external, checklist = VALID[name]

    plain = import_file(path, project=project, actor=district_officer, fmt="dwca")
    assert plain.total == records
    assert plain.created == stored_plain
    if not checklist:
        assert plain.rejected == records - stored_plain
        # every refused record is in the report with a reason (outside the district, no place, no date)
        refused_lines = {issue.line for issue in plain.errors}
        assert len(refused_lines) == records - stored_plain

    external = import_file(path, project=project, actor=district_officer, fmt="dwca", external=True)
    assert external.total == records
    assert external.created == stored_external
    assert Observation.objects.filter(project=project).count() == stored_external
    if checklist:
        assert external.extra["分类单元"] == records and external.error_count == 0
        assert len([n for n in external.notices if n.line is not None]) == records  # every taxon checked and listed
        return
    assert external.rejected == refused_external
    assert len({issue.line for issue in external.errors}) == refused_external
    assert all(NO_PLACE in i.message or NO_DATE in i.message for i in external.errors)
    # foreign names are kept as written and listed, never dropped
    assert external.unresolved
    for obs in Observation.objects.filter(project=project):
        assert obs.species is None and obs.verbatim_name
        assert obs.area.name == "周村区" and obs.remarks.startswith("【区外外部数据】")
    # a repeat import adds nothing
    assert import_file(path, project=project, actor=district_officer, fmt="dwca", external=True).created == 0


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_archive_is_refused_with_a_reason(name: str, project: Any, district_officer: Any) -> None:
    path = shared_data("peers", "dwca", name)
    with pytest.raises(ImportFileError) as caught:
        import_file(path, project=project, actor=district_officer, fmt="dwca", external=True)
    assert str(caught.value).startswith("归档无效") and INVALID[name] in str(caught.value)
    assert not Observation.objects.filter(project=project).exists()


def test_default_values_and_no_header_rows_are_read(project: Any, district_officer: Any) -> None:
    from wildlife.surveys.importers.dwca import local_terms, open_archive

    with open_archive(shared_data("peers", "dwca", "dwca-test-default.zip")) as archive:
        rows = [local_terms(r.data) for r in archive.reader]
    assert [r["country"] for r in rows] == ["Belgium", "Belgium"] and rows[0]["scientificname"] == "tetraodon fluviatilis"
    with open_archive(shared_data("peers", "dwca", "dwca-partial-default.zip")) as archive:
        assert [local_terms(r.data)["country"] for r in archive.reader] == ["France", "Belgium"]
    with open_archive(shared_data("peers", "dwca", "dwca-utf8-eol-test.zip")) as archive:
        # a NEL character inside a field does not split the record
        assert len(list(archive.reader)) == 1


def test_gbif_download_dates_and_places(project: Any, district_officer: Any) -> None:
    import_file(shared_data("peers", "dwca", "gbif-results.zip"), project=project, actor=district_officer, fmt="dwca", external=True)
    stored = list(Observation.objects.filter(project=project))
    assert len(stored) == 22
    # the Java date form of GBIF downloads ("Fri Mar 01 00:00:00 CET 1935") and year-only records are read
    assert all(1800 < o.observed_at.year < 2000 for o in stored)
    assert all("地点：" in o.remarks for o in stored)
    assert {o.verbatim_name for o in stored} <= {"Tetraodon fluviatilis Hamilton, 1822", "Chelonodon fluviatilis (Hamilton, 1822)", "Tetrodon fluviatilis Hamilton, 1822"}


def test_all_or_nothing_refuses_an_archive_with_bad_records(project: Any, district_officer: Any) -> None:
    with pytest.raises(ImportRejected):
        import_file(shared_data("peers", "dwca", "gbif-results.zip"), project=project, actor=district_officer, fmt="dwca", mode="all_or_nothing", external=True)
    assert not Observation.objects.filter(project=project).exists()


def test_town_officer_cannot_take_external_records(project: Any, town_officer: Any) -> None:
    outcome = import_file(shared_data("peers", "dwca", "dwca-utf8-eol-test.zip"), project=project, actor=town_officer, fmt="dwca", external=True)
    assert outcome.created == 0 and "只有全区范围的用户" in outcome.errors[0].message


# --- an archive from a 周村区 survey -------------------------------------------------------------------------------

META = """<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="eml.xml">
  <core encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" fieldsEnclosedBy="" ignoreHeaderLines="0" rowType="http://rs.tdwg.org/dwc/terms/Occurrence">
    <files><location>occurrence.txt</location></files>
    <id index="0" />
    <field index="0" term="http://rs.tdwg.org/dwc/terms/occurrenceID"/>
    <field index="1" term="http://rs.tdwg.org/dwc/terms/scientificName"/>
    <field index="2" term="http://rs.tdwg.org/dwc/terms/individualCount"/>
    <field index="3" term="http://rs.tdwg.org/dwc/terms/eventDate"/>
    <field index="4" term="http://rs.tdwg.org/dwc/terms/decimalLatitude"/>
    <field index="5" term="http://rs.tdwg.org/dwc/terms/decimalLongitude"/>
    <field index="6" term="http://rs.tdwg.org/dwc/terms/sex"/>
    <field default="HumanObservation" term="http://rs.tdwg.org/dwc/terms/basisOfRecord"/>
    <field default="CN" term="http://rs.tdwg.org/dwc/terms/countryCode"/>
  </core>
</archive>"""
EML = """<?xml version="1.0" encoding="UTF-8"?><eml:eml xmlns:eml="eml://ecoinformatics.org/eml-2.1.1" packageId="x" system="x"><dataset><title>王村镇鸟类样线调查</title></dataset></eml:eml>"""


def make_local_archive(folder: Path, rows: list[str]) -> Path:
    path = folder / "local.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("meta.xml", META)
        archive.writestr("eml.xml", EML)
        archive.writestr("occurrence.txt", "\n".join(rows) + "\n")
    return path


def test_local_archive_is_stored_with_catalogue_species(project: Any, district_officer: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any) -> None:
    species("环颈雉")
    species("黑鹳")
    rows = [
        "WC-1\tPhasianus colchicus Linnaeus, 1758\t3\t2025-05-10T07:30:00+08:00\t36.75\t117.73\tmale",
        "WC-2\t黑鹳\t1\t2025-05-11\t36.751\t117.731\t",
        "WC-3\tPhasianus colchicus\t0\t2025-05-12/2025-05-13\t36.752\t117.732\tunknown",
        "WC-4\tPhasianus colchicus\t2\t2025-05-12\t39.9\t116.4\t",  # Beijing: refused
    ]
    job = run_import_job(make_local_archive(tmp_path, rows), project=project, actor=district_officer, fmt="dwca", capture=django_capture_on_commit_callbacks)
    assert job.status == "succeeded" and job.total == 4 and job.error_count == 1
    assert job.summary["新增记录"] == 3
    assert report_rows(job)[0][3].startswith("occurrence.txt 第 4 行 decimalLongitude:")
    by_id = {o.occurrence_id: o for o in Observation.objects.filter(project=project)}
    assert by_id["WC-1"].species == species("环颈雉") and by_id["WC-1"].sex == "male" and by_id["WC-1"].area.name == "王村镇"
    assert by_id["WC-2"].is_sensitive and by_id["WC-3"].count == 0


def test_directory_archive_through_a_zip_upload(project: Any, district_officer: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any) -> None:
    folder = shared_data("peers", "dwca", "dwca-simple-dir")
    target = tmp_path / "dir.zip"
    shutil.make_archive(str(target.with_suffix("")), "zip", folder)
    job = run_import_job(target, project=project, actor=district_officer, fmt="dwca", capture=django_capture_on_commit_callbacks)
    assert job.status == "succeeded" and job.summary["读取记录"] == 4 and job.error_count == 8
    texts = [row[3] for row in report_rows(job)]
    assert "occurrence.txt 第 2 行 eventDate: 缺少观测日期" in texts


def test_invalid_archive_job_fails_with_the_reason(project: Any, district_officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    job = run_import_job(shared_data("peers", "dwca", "dwca-invalid-simple-two.zip"), project=project, actor=district_officer, fmt="dwca", capture=django_capture_on_commit_callbacks)
    assert job.status == "failed" and job.error_message.startswith("归档无效")


def test_unsafe_archive_is_refused(project: Any, district_officer: Any, tmp_path: Path) -> None:
    import io
    import tarfile

    path = tmp_path / "evil.tgz"
    with tarfile.open(path, "w:gz") as archive:
        data = b"x"
        info = tarfile.TarInfo("../../escape.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    with pytest.raises(ImportFileError, match="不安全的路径"):
        import_file(path, project=project, actor=district_officer, fmt="dwca")
    assert not (tmp_path.parent / "escape.txt").exists()
