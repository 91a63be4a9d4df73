"""In Chromium: a survey lead imports a Darwin Core Archive, watches the progress bar reach 100 % and downloads the
error report; then exports the project as a Darwin Core Archive from the export page."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from wildlife.surveys.models import Observation
from wildlife.surveys.tests.factories import SurveyProjectFactory, species
from wildlife.surveys.tests.test_import_dwca import EML, META

pytestmark = pytest.mark.e2e


def archive(folder: Path) -> Path:
    rows = [
        "E2E-1\tPhasianus colchicus\t3\t2025-05-10T07:30:00+08:00\t36.75\t117.73\tmale",
        "E2E-2\tPhasianus colchicus\t1\t2025-05-11\t36.751\t117.731\t",
        "E2E-3\tPhasianus colchicus\t2\t2025-05-12\t39.9\t116.4\t",  # Beijing: in the error report
    ]
    path = folder / "wangcun-dwca.zip"
    with zipfile.ZipFile(path, "w") as handle:
        handle.writestr("meta.xml", META)
        handle.writestr("eml.xml", EML)
        handle.writestr("occurrence.txt", "\n".join(rows) + "\n")
    return path


def test_import_a_darwin_core_archive_with_progress_and_report(page: Any, district_officer: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    from wildlife.core.testing.browser import login

    species("环颈雉")
    project = SurveyProjectFactory(name="王村镇鸟类样线 2025")
    login(page, "district_officer")
    page.goto("/surveys/imports/")
    expect(page.get_by_test_id("import-form")).to_be_visible()
    page.select_option("#id_project", str(project.pk))
    page.select_option("#id_format", "dwca")
    page.select_option("#id_mode", "valid_rows")
    page.set_input_files("#id_file", str(archive(tmp_path)))
    page.get_by_test_id("import-submit").click()

    progress = page.get_by_test_id("job-progress")
    expect(progress).to_be_visible()
    expect(page.get_by_test_id("job-percent")).to_contain_text("100%")
    expect(page.get_by_test_id("job-status")).to_contain_text("已完成")
    expect(page.get_by_test_id("job-errors")).to_have_text("1")
    expect(page.get_by_test_id("job-summary")).to_contain_text("新增记录")
    report = page.get_by_test_id("job-download-report")
    expect(report).to_be_visible()
    with page.expect_download() as download_info:
        report.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    from openpyxl import load_workbook

    with open(download.path(), "rb") as handle:
        rows = list(load_workbook(handle, read_only=True)["错误"].iter_rows(values_only=True))
    assert rows[1][3].startswith("occurrence.txt 第 3 行 decimalLongitude:") and "不在周村区范围内" in rows[1][3]
    assert Observation.objects.filter(project=project).count() == 2

    # the same project exported again from the export page
    page.goto(f"/surveys/exports/?project={project.pk}")
    row = page.locator(f"tr[data-project='{project.pk}']")
    with page.expect_download() as export_info:
        row.get_by_test_id("export-dwca").click()
    exported = export_info.value
    assert exported.suggested_filename.endswith("-dwca.zip")
    with zipfile.ZipFile(exported.path()) as package:
        assert "E2E-1" in package.read("occurrence.txt").decode("utf-8")


def test_phone_viewport_import_page(page_factory: Any, town_officer: Any) -> None:
    from playwright.sync_api import expect

    from wildlife.core.testing.browser import login

    SurveyProjectFactory(name="全区样线")
    page = page_factory(viewport=(390, 844))
    login(page, "town_officer")
    page.goto("/surveys/imports/")
    expect(page.get_by_test_id("template-xlsx")).to_be_visible()
    expect(page.locator("#id_project")).to_contain_text("全区样线")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
