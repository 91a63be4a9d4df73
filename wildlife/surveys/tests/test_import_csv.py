"""CSV and Excel imports: template, encodings, line endings, row errors, modes, idempotence, scope, jobs."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone

from wildlife.surveys.importers.base import ImportRejected
from wildlife.surveys.importers.testing import (
    BEIJIAO,
    OUTSIDE,
    WANGCUN,
    import_file,
    report_rows,
    run_import_job,
    write_csv,
    write_xlsx,
)
from wildlife.surveys.models import Observation
from wildlife.surveys.tests.factories import SurveyProjectFactory, SurveySiteFactory, species

pytestmark = pytest.mark.django_db

LON, LAT = WANGCUN


@pytest.fixture
def project(zhoucun: Any) -> Any:
    species("环颈雉")
    species("黑鹳")
    species("苍鹭")
    return SurveyProjectFactory()


def good_rows(n: int = 3, prefix: str = "R") -> list[list[Any]]:
    return [
        [f"{prefix}{i:03d}", "环颈雉", 2, f"2025-05-{10 + i % 10:02d} 08:30", LON + i * 0.0001, LAT, "", "样线法", "雄", "成体", 35, "张三", ""]
        for i in range(n)
    ]


def test_csv_rows_are_stored_with_town_species_and_local_time(project: Any, district_officer: Any, tmp_path: Any) -> None:
    path = write_csv(tmp_path, good_rows(3))
    outcome = import_file(path, project=project, actor=district_officer)
    assert (outcome.total, outcome.created, outcome.error_count) == (3, 3, 0)
    obs = Observation.objects.get(project=project, occurrence_id="R000")
    assert obs.area.name == "王村镇" and obs.district.name == "周村区"
    assert obs.species == species("环颈雉") and obs.count == 2
    assert (obs.sex, obs.life_stage, obs.method, obs.distance_m, obs.observer) == ("male", "adult", "transect", 35.0, "张三")
    # 08:30 Beijing time is 00:30 UTC
    assert obs.observed_at == dt.datetime(2025, 5, 10, 0, 30, tzinfo=dt.UTC)
    assert abs(obs.location.x - LON) < 1e-9 and abs(obs.location.y - LAT) < 1e-9
    assert obs.created_by == district_officer and not obs.is_sensitive


def test_class_one_species_is_marked_sensitive(project: Any, district_officer: Any, tmp_path: Any) -> None:
    path = write_csv(tmp_path, [["K1", "黑鹳", 1, "2025-04-01 07:00", LON, LAT, "", "", "", "", "", "", ""]])
    import_file(path, project=project, actor=district_officer)
    assert Observation.objects.get(occurrence_id="K1").is_sensitive


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings(project: Any, district_officer: Any, tmp_path: Any, encoding: str) -> None:
    rows = good_rows(2)
    rows[0][-1] = "孝妇河北岸，芦苇丛"
    path = write_csv(tmp_path, rows, encoding=encoding)
    outcome = import_file(path, project=project, actor=district_officer)
    assert outcome.created == 2, outcome.errors
    assert Observation.objects.get(occurrence_id="R000").remarks == "孝妇河北岸，芦苇丛"


@pytest.mark.parametrize("line_ending", ["\r\n", "\r"])
def test_dos_and_old_mac_line_endings(project: Any, district_officer: Any, tmp_path: Any, line_ending: str) -> None:
    path = write_csv(tmp_path, good_rows(3), line_ending=line_ending, encoding="gbk")
    assert (b"\r\n" in path.read_bytes()) == (line_ending == "\r\n")
    outcome = import_file(path, project=project, actor=district_officer)
    assert (outcome.total, outcome.created, outcome.error_count) == (3, 3, 0)
    assert Observation.objects.get(occurrence_id="R002").remarks == ""  # no stray \r in the last column


def test_bad_rows_are_reported_by_line_and_field(project: Any, district_officer: Any, tmp_path: Any) -> None:
    future = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    rows = [
        ["OK1", "环颈雉", 1, "2025-05-01 08:00", LON, LAT, "", "", "", "", "", "", ""],  # line 2
        ["F1", "环颈雉", 1, future, LON, LAT, "", "", "", "", "", "", ""],  # line 3: future
        ["O1", "环颈雉", 1, "2025-05-01 08:00", *OUTSIDE, "", "", "", "", "", "", ""],  # line 4: outside
        ["S1", "环劲雉", 1, "2025-05-01 08:00", LON, LAT, "", "", "", "", "", "", ""],  # line 5: unknown species
        ["N1", "环颈雉", "两只", "2025-05-01 08:00", LON, LAT, "", "", "", "", "", "", ""],  # line 6: bad number
        ["N2", "环颈雉", -1, "2025-05-01 08:00", LON, LAT, "", "", "", "", "", "", ""],  # line 7: negative
        ["D1", "环颈雉", 1, "2025-13-45", LON, LAT, "", "", "", "", "", "", ""],  # line 8: bad date
        ["C1", "环颈雉", 1, "2025-05-01", "", "", "", "", "", "", "", "", ""],  # line 9: no place
        ["C2", "环颈雉", 1, "2025-05-01", LAT, LON, "", "", "", "", "", "", ""],  # line 10: swapped -> outside
        ["M1", "环颈雉", 1, "2025-05-01", LON, LAT, "", "飞行", "", "", "", "", ""],  # line 11: unknown method
        ["OK1", "环颈雉", 1, "2025-05-02", LON, LAT, "", "", "", "", "", "", ""],  # line 12: duplicate id
        ["X1", "环颈雉", 1, "2025-05-02", LON, LAT, "T99", "", "", "", "", "", ""],  # line 13: unknown site
        ["W1", "环颈雉", 1, "2025-05-02", LON, LAT, "", "", "", "", "abc", "", ""],  # line 14: bad distance
    ]
    path = write_csv(tmp_path, rows)
    outcome = import_file(path, project=project, actor=district_officer)
    assert outcome.created == 1 and outcome.total == 13
    texts = {issue.line: issue.text for issue in outcome.errors}
    assert texts[3].startswith("第 3 行 观测时间:") and "晚于当前时间" in texts[3]
    assert texts[4].startswith("第 4 行 经度:") and "不在周村区范围内" in texts[4]
    assert texts[5].startswith("第 5 行 物种:") and "环劲雉" in texts[5] and "环颈雉" in texts[5]  # suggestion
    assert texts[6].startswith("第 6 行 数量:") and "两只" in texts[6]
    assert texts[7].startswith("第 7 行 数量:") and "负数" in texts[7]
    assert texts[8].startswith("第 8 行 观测时间:")
    assert texts[9].startswith("第 9 行 位置:") and "缺少坐标" in texts[9]
    assert "经纬度可能填反" in texts[10]
    assert texts[11].startswith("第 11 行 调查方法:") and "样线法" in texts[11]
    assert texts[12].startswith("第 12 行 记录编号:") and "第 2 行重复" in texts[12]
    assert texts[13].startswith("第 13 行 位点编号:") and "T99" in texts[13]
    assert texts[14].startswith("第 14 行 垂直距离(米):")
    assert outcome.error_count == 12
    assert "环劲雉" in outcome.unresolved


def test_unknown_species_is_never_silently_dropped(project: Any, district_officer: Any, tmp_path: Any) -> None:
    path = write_csv(tmp_path, [["U1", "火星鸟", 1, "2025-05-01", LON, LAT, "", "", "", "", "", "", ""]])
    outcome = import_file(path, project=project, actor=district_officer)
    assert outcome.created == 0 and outcome.error_count == 1 and "火星鸟" in outcome.unresolved


def test_all_or_nothing_stores_nothing_when_one_row_is_bad(project: Any, district_officer: Any, tmp_path: Any) -> None:
    rows = good_rows(12)
    rows[10][2] = "abc"
    path = write_csv(tmp_path, rows)
    with pytest.raises(ImportRejected) as caught:
        import_file(path, project=project, actor=district_officer, mode="all_or_nothing")
    assert caught.value.outcome.error_count == 1
    assert not Observation.objects.filter(project=project).exists()
    # the same file in valid_rows mode stores the 11 good rows
    outcome = import_file(path, project=project, actor=district_officer, mode="valid_rows")
    assert outcome.created == 11


def test_all_or_nothing_stores_everything_when_clean(project: Any, district_officer: Any, tmp_path: Any) -> None:
    path = write_csv(tmp_path, good_rows(7))
    outcome = import_file(path, project=project, actor=district_officer, mode="all_or_nothing")
    assert outcome.created == 7 and Observation.objects.filter(project=project).count() == 7


def test_repeat_import_adds_nothing(project: Any, district_officer: Any, tmp_path: Any) -> None:
    rows = good_rows(4)
    rows.append(["", "苍鹭", 1, "2025-06-01 06:00", LON, LAT, "", "", "", "", "", "", "无编号"])  # id derived from content
    path = write_csv(tmp_path, rows)
    first = import_file(path, project=project, actor=district_officer)
    second = import_file(path, project=project, actor=district_officer)
    assert (first.created, second.created, second.skipped_existing) == (5, 0, 5)
    assert Observation.objects.filter(project=project).count() == 5
    assert Observation.objects.get(remarks="无编号").occurrence_id.startswith("auto-")


def test_the_same_record_id_in_another_project_is_another_record(project: Any, district_officer: Any, tmp_path: Any) -> None:
    path = write_csv(tmp_path, good_rows(2))
    other = SurveyProjectFactory()
    import_file(path, project=project, actor=district_officer)
    assert import_file(path, project=other, actor=district_officer).created == 2


def test_site_location_is_used_when_coordinates_are_blank(project: Any, district_officer: Any, tmp_path: Any) -> None:
    site = SurveySiteFactory(project=project, code="P01")
    path = write_csv(tmp_path, [["S1", "环颈雉", 0, "2025-05-01 09:00", "", "", "P01", "样点法", "", "", "", "", "未见"]])
    outcome = import_file(path, project=project, actor=district_officer)
    assert outcome.created == 1
    obs = Observation.objects.get(occurrence_id="S1")
    assert obs.site == site and obs.count == 0 and obs.location.equals_exact(site.geometry, 1e-9)


def test_town_officer_may_only_import_rows_of_their_town(project: Any, town_officer: Any, tmp_path: Any) -> None:
    rows = good_rows(2)
    rows.append(["B1", "环颈雉", 1, "2025-05-01", *BEIJIAO, "", "", "", "", "", "", ""])
    path = write_csv(tmp_path, rows)
    outcome = import_file(path, project=project, actor=town_officer)
    assert outcome.created == 2
    assert "北郊镇" in outcome.errors[0].text and "不在您的管辖范围内" in outcome.errors[0].text
    assert set(Observation.objects.filter(project=project).values_list("area__name", flat=True)) == {"王村镇"}


def test_external_rows_need_the_choice_and_district_scope(project: Any, district_officer: Any, tmp_path: Any) -> None:
    path = write_csv(tmp_path, [["E1", "环颈雉", 1, "2025-05-01", *OUTSIDE, "", "", "", "", "", "", "北京参考记录"]])
    assert import_file(path, project=project, actor=district_officer).created == 0
    outcome = import_file(path, project=project, actor=district_officer, external=True)
    assert outcome.created == 1 and outcome.external == 1
    obs = Observation.objects.get(occurrence_id="E1")
    assert obs.area.name == "周村区" and obs.remarks.startswith("【区外外部数据】")


def test_excel_import(project: Any, district_officer: Any, tmp_path: Any) -> None:
    rows = good_rows(2)
    rows[0][3] = dt.datetime(2025, 5, 10, 8, 30)  # a real Excel date cell
    rows.append(["X9", "环颈雉", "x", "2025-05-01", LON, LAT, "", "", "", "", "", "", ""])
    path = write_xlsx(tmp_path, rows)
    outcome = import_file(path, project=project, actor=district_officer, fmt="xlsx")
    assert outcome.created == 2 and outcome.errors[0].text.startswith("第 4 行 数量:")
    assert Observation.objects.get(occurrence_id="R000").observed_at == dt.datetime(2025, 5, 10, 0, 30, tzinfo=dt.UTC)


def test_file_without_a_header_is_refused(project: Any, district_officer: Any, tmp_path: Any) -> None:
    from wildlife.surveys.importers.base import ImportFileError

    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="未找到表头"):
        import_file(path, project=project, actor=district_officer)


def test_template_has_chinese_headers_and_species_validation(project: Any) -> None:
    from openpyxl import load_workbook

    from wildlife.surveys.importers.tabular import build_observation_template

    workbook = load_workbook(io.BytesIO(build_observation_template()))
    sheet = workbook["调查记录"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["记录编号", "物种 *", "数量 *", "观测时间 *"]
    formulas = [v.formula1 for v in sheet.data_validations.dataValidation]
    species_column = [c.value for c in workbook["选项"]["A"]]
    assert species_column[0] == "物种" and "环颈雉" in species_column
    assert any("$A$2" in f for f in formulas)


def test_template_round_trips_through_the_importer(project: Any, district_officer: Any, tmp_path: Any) -> None:
    from openpyxl import load_workbook

    from wildlife.surveys.importers.tabular import build_observation_template

    path = tmp_path / "filled.xlsx"
    workbook = load_workbook(io.BytesIO(build_observation_template()))
    workbook["调查记录"].append(["T-1", "环颈雉", 3, "2025-05-01 08:00", LON, LAT, None, None, "样线法", "动物", "雌", "幼体", "觅食", 12, 5, None, "李四", None])
    workbook.save(path)
    outcome = import_file(path, project=project, actor=district_officer, fmt="xlsx")
    assert outcome.created == 1, outcome.errors
    obs = Observation.objects.get(occurrence_id="T-1")
    assert (obs.count, obs.sex, obs.life_stage, obs.behaviour, obs.uncertainty_m) == (3, "female", "juvenile", "觅食", 5.0)


# --- as a job ----------------------------------------------------------------------------------------------------


def test_job_reports_progress_errors_and_the_report(project: Any, district_officer: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any) -> None:
    rows = good_rows(5)
    rows[2][2] = "多"
    path = write_csv(tmp_path, rows)
    job = run_import_job(path, project=project, actor=district_officer, capture=django_capture_on_commit_callbacks)
    assert job.status == "succeeded" and job.error_count == 1 and job.progress == 100
    assert job.summary["新增记录"] == 4
    errors = report_rows(job)
    assert errors[0][0] == 4 and errors[0][1] == "数量" and errors[0][3].startswith("第 4 行 数量:")
    assert Observation.objects.filter(import_job=job.pk).count() == 4
    from wildlife.audit.models import AuditEvent

    event = AuditEvent.objects.filter(action="import").latest("seq")
    assert event.detail["created"] == 4 and event.detail["errors"] == 1


def test_job_in_all_or_nothing_mode_fails_with_the_report(project: Any, district_officer: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any) -> None:
    rows = good_rows(5)
    rows[4][3] = "昨天"
    path = write_csv(tmp_path, rows)
    job = run_import_job(path, project=project, actor=district_officer, mode="all_or_nothing", capture=django_capture_on_commit_callbacks)
    assert job.status == "failed" and "未写入任何数据" in job.error_message and job.report_file
    assert report_rows(job)[0][3].startswith("第 6 行 观测时间:")
    assert not Observation.objects.filter(project=project).exists()


def test_project_outside_scope_is_404(zhoucun: Any, other_town_officer: Any, tmp_path: Any) -> None:
    from django.http import Http404

    from wildlife.surveys.importers.services import observation_import_start
    from wildlife.surveys.importers.testing import upload
    from wildlife.surveys.tests.factories import area

    town_project = SurveyProjectFactory(area=area("王村镇"))
    path = write_csv(tmp_path, good_rows(1))
    with pytest.raises(Http404):
        observation_import_start(actor=other_town_officer, project_id=town_project.pk, fmt="csv", mode="valid_rows", external=False, upload=upload(path))


def test_no_permission_is_refused(zhoucun: Any, market_officer: Any, tmp_path: Any) -> None:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from wildlife.surveys.importers.services import observation_import_start
    from wildlife.surveys.importers.testing import upload

    path = write_csv(tmp_path, good_rows(1))
    with pytest.raises((PermissionDenied, Http404)):
        observation_import_start(actor=market_officer, project_id=SurveyProjectFactory().pk, fmt="csv", mode="valid_rows", external=False, upload=upload(path))


def test_start_checks_format_and_external_choice(project: Any, town_officer: Any, tmp_path: Any) -> None:
    from django.core.exceptions import ValidationError

    from wildlife.surveys.importers.services import observation_import_start
    from wildlife.surveys.importers.testing import upload

    path = write_csv(tmp_path, good_rows(1))
    with pytest.raises(ValidationError) as caught:
        observation_import_start(actor=town_officer, project_id=project.pk, fmt="xlsx", mode="valid_rows", external=True, upload=upload(path))
    assert set(caught.value.message_dict) == {"file", "external"}


def test_rows_written_by_someone_else_meanwhile_are_skipped(project: Any, district_officer: Any, tmp_path: Any, monkeypatch: Any) -> None:
    """The existence check and the write are not atomic: a concurrent import of the same ids is skipped, not an error."""
    from wildlife.surveys.bulk import ObservationBulkWriter

    path = write_csv(tmp_path, good_rows(4))
    import_file(path, project=project, actor=district_officer)
    monkeypatch.setattr(ObservationBulkWriter, "existing_ids", lambda self, ids: set())  # as if looked up before
    rows = good_rows(6)
    outcome = import_file(write_csv(tmp_path, rows, name="more.csv"), project=project, actor=district_officer)
    assert outcome.created == 2 and outcome.skipped_existing == 4
    assert Observation.objects.filter(project=project).count() == 6


def test_a_point_on_the_boundary_between_two_towns_belongs_to_one(project: Any, district_officer: Any, tmp_path: Any) -> None:
    # 117.80 is the schematic line between 王村镇 and its eastern neighbours; 36.76 another
    path = write_csv(tmp_path, [["B-1", "环颈雉", 1, "2025-05-01", 117.8, 36.79, "", "", "", "", "", "", ""], ["B-2", "环颈雉", 1, "2025-05-01", 117.84, 36.76, "", "", "", "", "", "", ""]])
    outcome = import_file(path, project=project, actor=district_officer)
    assert outcome.created == 2, outcome.errors
    assert Observation.objects.get(occurrence_id="B-1").area.name in ("王村镇", "大街街道", "城北路街道")  # a corner of three
