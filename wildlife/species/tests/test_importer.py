"""Importer: the two shared transcriptions, CSV and Excel files with bad rows, modes, repeat runs, job and command."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from wildlife.core.testing.data import shared_data
from wildlife.jobs.models import Job, JobStatus
from wildlife.jobs.services import job_start
from wildlife.species.choices import ImportMode, ListKind, Protection, StatusOrigin
from wildlife.species.data.catalogue import NK2021, SY2023
from wildlife.species.importers import ImportFileError, ImportRejected, VersionSpec, build_report, import_species_list
from wildlife.species.models import GroupRule, ListVersion, Species, SpeciesAlias, SpeciesStatus

pytestmark = pytest.mark.django_db

NATIONAL = VersionSpec(code="nk-2021", kind=ListKind.NATIONAL_KEY, effective_from=dt.date(2021, 2, 5), name="国家重点保护野生动物名录（2021）", document="公告2021年第3号")
SANYOU = VersionSpec(code="sy-2023", kind=ListKind.SANYOU, effective_from=dt.date(2023, 6, 26), name="三有名录（2023）", document="公告2023年第17号")
HEADER = ["中文名", "学名", "保护级别", "备注", "水生", "纲", "目", "科", "阶元"]
ROWS = [
    ["黄胸鹀", "Emberiza aureola", "国家一级", "", "否", "鸟纲", "雀形目", "鹀科", ""],  # 2: fine
    ["东北刺猬", "Erinaceus amurensis", "国家三级", "", "", "哺乳纲", "劳亚食虫目", "猬科", ""],  # 3: no class III
    ["", "", "国家二级", "", "", "", "", "", ""],  # 4: blank names
    ["Sitta leucopsis", "Sitta leucopsis", "国家二级", "", "", "", "", "", ""],  # 5: Latin in the Chinese-name field
    ["黄胸鹀", "Emberiza aureola", "国家一级", "", "", "", "", "", ""],  # 6: duplicate of row 2
    ["不存在鸟", "", "国家二级", "", "", "", "", "", ""],  # 7: unknown name, no scientific name
    ["大鲵", "Andrias davidianus", "Ⅱ", "仅限野外种群", "是", "两栖纲", "有尾目", "隐鳃鲵科", ""],  # 8: fine
    ["闭壳龟属", "Cuora", "Ⅱ", "仅限野外种群", "是", "", "", "", "属"],  # 9: a group rule
    ["环颈雉", "Phasianus colchicus", "三有", "", "", "", "", "", ""],  # 10: wrong class for a national list
]


def national_file():
    return shared_data("species", "national-key-wildlife-2021.json")


def sanyou_file():
    return shared_data("species", "sanyou-wildlife-2023.json")


def write_csv(tmp_path, rows=ROWS, name="list.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def write_xlsx(tmp_path, rows=ROWS, name="list.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(["演示名录（说明行，不是表头）"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def texts(result):
    return [issue.text for issue in result.issues]


# --- the shared transcriptions ------------------------------------------------------------------------------------


def test_national_list_counts_and_group_rules(species_factory):
    box_turtle = species_factory("黄缘闭壳龟", "Cuora flavomarginata")
    result = import_species_list(actor=None, path=national_file(), spec=NATIONAL)
    assert result.total == 976 + 8
    assert (result.error_count, result.conflict_count) == (0, 0)
    assert result.species_created == 976 and result.rules_created == 8
    version = ListVersion.objects.get(code="nk-2021")
    listed = SpeciesStatus.objects.filter(list_version=version, origin=StatusOrigin.LISTED)
    assert listed.filter(protection=Protection.NATIONAL_1).count() == 230
    assert listed.filter(protection=Protection.NATIONAL_2).count() == 746
    assert GroupRule.objects.filter(list_version=version).count() == 8
    # the genus rule reaches the species already in the catalogue and the ones added later
    box_turtle.refresh_from_db()
    assert (box_turtle.protection, box_turtle.wild_only) == (Protection.NATIONAL_2, True)
    rule = GroupRule.objects.get(taxon_name="闭壳龟属")
    assert SpeciesStatus.objects.get(species=box_turtle, list_version=version).group_rule == rule
    later = species_factory("三线闭壳龟", "Cuora trifasciata")
    assert later.protection == Protection.NATIONAL_2
    assert set(rule.statuses.values_list("species__name_zh", flat=True)) == {"黄缘闭壳龟", "三线闭壳龟"}
    # notes became flags and aliases
    deer = Species.objects.get(scientific_name="Cervus nippon")
    assert deer.protection == Protection.NATIONAL_1 and deer.wild_only
    assert SpeciesAlias.objects.filter(species__name_zh="獐", name="河麂", kind="former").exists()
    assert Species.objects.get(name_zh="黄魟").landlocked_only if Species.objects.filter(name_zh="黄魟").exists() else True


def test_sanyou_list_counts_and_the_latin_name_in_the_chinese_field():
    result = import_species_list(actor=None, path=sanyou_file(), spec=SANYOU)
    assert result.total == 1917
    assert result.error_count == 1 and result.stored
    [error] = [i for i in result.issues if i.severity == "error"]
    assert error.text.startswith("第 1638 条 中文名:") and "Sitta leucopsis" in error.text and "拉丁学名" in error.text
    assert SpeciesStatus.objects.filter(list_version__code="sy-2023", protection=Protection.SANYOU).count() == 1916
    assert not Species.objects.filter(scientific_name="Sitta leucopsis").exists()
    pheasant = Species.objects.get(scientific_name="Phasianus colchicus")
    assert pheasant.wild_only and SpeciesAlias.objects.filter(species=pheasant, name="雉鸡").exists()


def test_conflicts_against_the_demo_catalogue_are_reported_not_written(catalogue):
    crane = catalogue["白枕鹤"]
    spec = VersionSpec(code=NK2021, kind=ListKind.NATIONAL_KEY)
    before = Species.objects.count()
    with pytest.raises(ImportRejected) as info:
        import_species_list(actor=None, path=national_file(), spec=spec, mode=ImportMode.ALL_OR_NOTHING)
    assert Species.objects.count() == before  # all_or_nothing: nothing stored
    conflicts = [i.text for i in info.value.result.issues if i.severity == "conflict"]
    assert any("白枕鹤" in t and "国家一级" in t and "国家二级" in t for t in conflicts)
    assert any("Nyctereutes procyonides" in t for t in conflicts)  # a misspelt scientific name is not a new species

    result = import_species_list(actor=None, path=national_file(), spec=spec, mode=ImportMode.VALID_ROWS)
    assert result.stored and result.conflict_count == len(conflicts)
    crane.refresh_from_db()
    assert crane.protection == Protection.NATIONAL_1
    assert SpeciesStatus.objects.get(species=crane, list_version__code=NK2021).protection == Protection.NATIONAL_1
    assert Species.objects.count() == before + result.species_created
    assert not Species.objects.filter(scientific_name="Nyctereutes procyonides").exists()
    # a second source for the same period that disagrees is a conflict too
    other = VersionSpec(code="nk-2021-copy", kind=ListKind.NATIONAL_KEY, effective_from=dt.date(2021, 2, 5), name="转录本")
    again = import_species_list(actor=None, path=national_file(), spec=other)
    assert any("白枕鹤" in t and "同期" in t for t in texts(again))


def test_repeat_import_adds_nothing():
    import_species_list(actor=None, path=sanyou_file(), spec=SANYOU)
    counts = [m.objects.count() for m in (Species, SpeciesAlias, SpeciesStatus, ListVersion)]
    second = import_species_list(actor=None, path=sanyou_file(), spec=SANYOU)
    assert (second.species_created, second.statuses_created, second.aliases_added, second.statuses_updated) == (0, 0, 0, 0)
    assert [m.objects.count() for m in (Species, SpeciesAlias, SpeciesStatus, ListVersion)] == counts


# --- CSV and Excel files with bad rows ------------------------------------------------------------------------------


def check_bad_rows(result, first_data_row):
    offset = first_data_row - 2

    def row(n):
        return f"第 {n + offset} 行"

    found = texts(result)
    assert any(t.startswith(f"{row(3)} 保护级别:") and "没有“国家三级”" in t for t in found)
    assert any(t.startswith(f"{row(4)} 中文名:") and "均为空" in t for t in found)
    assert any(t.startswith(f"{row(5)} 中文名:") and "拉丁学名" in t for t in found)
    assert any(t.startswith(f"{row(6)} ") and f"与{row(2)}重复" in t for t in found)
    assert any(t.startswith(f"{row(7)} 中文名:") and "物种未知" in t for t in found)
    assert any(t.startswith(f"{row(10)} 保护级别:") and "不符" in t for t in found)
    assert result.error_count == 7  # row 6 is a duplicate by both names


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_bad_rows_valid_rows_mode_stores_the_rest(tmp_path, writer):
    path = writer(tmp_path)
    result = import_species_list(actor=None, path=path, spec=NATIONAL, mode=ImportMode.VALID_ROWS)
    check_bad_rows(result, first_data_row=2 if writer is write_csv else 3)
    assert result.stored
    assert set(Species.objects.values_list("name_zh", flat=True)) == {"黄胸鹀", "大鲵"}
    salamander = Species.objects.get(name_zh="大鲵")
    assert (salamander.protection, salamander.wild_only, salamander.aquatic, salamander.taxon_family) == (Protection.NATIONAL_2, True, True, "隐鳃鲵科")
    assert GroupRule.objects.get().taxon_latin == "Cuora"
    report = load_workbook(io.BytesIO(build_report(result))).active
    lines = [row[5] for row in report.iter_rows(min_row=3, values_only=True)]
    assert len(lines) == len(result.issues)
    assert any(line and "国家三级" in line for line in lines)


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_bad_rows_all_or_nothing_stores_nothing(tmp_path, writer):
    path = writer(tmp_path)
    with pytest.raises(ImportRejected) as info:
        import_species_list(actor=None, path=path, spec=NATIONAL, mode=ImportMode.ALL_OR_NOTHING)
    assert info.value.result.error_count == 7 and not info.value.result.stored
    assert not Species.objects.exists() and not ListVersion.objects.exists() and not GroupRule.objects.exists()


def test_clean_csv_all_or_nothing_stores_everything(tmp_path):
    path = write_csv(tmp_path, rows=[ROWS[0], ROWS[6], ROWS[7]])
    result = import_species_list(actor=None, path=path, spec=NATIONAL, mode=ImportMode.ALL_OR_NOTHING)
    assert result.stored and result.species_created == 2 and result.rules_created == 1


def test_rows_by_chinese_name_only_use_the_catalogue(tmp_path, catalogue):
    path = write_csv(tmp_path, rows=[["禾花雀", "", "省重点", "", "", "", "", "", ""], ["白鹭", "", "", "", "", "", "", "", ""], ["黄胸鸟", "", "", "", "", "", "", "", ""]])
    spec = VersionSpec(code="sd-provincial", kind=ListKind.PROVINCIAL, effective_from=dt.date(2024, 1, 1), name="山东省重点保护野生动物名录（演示）")
    result = import_species_list(actor=None, path=path, spec=spec)
    statuses = SpeciesStatus.objects.filter(list_version__code="sd-provincial")
    assert set(statuses.values_list("species__name_zh", flat=True)) == {"黄胸鹀", "白鹭"}  # 禾花雀 is an alias of 黄胸鹀
    [unknown] = [i for i in result.issues if i.severity == "error"]
    assert "物种未知" in unknown.message and "黄胸鹀" in unknown.message  # a suggestion by similarity
    egret = Species.objects.get(name_zh="白鹭")
    assert egret.protection == Protection.PROVINCIAL  # higher than 三有


def test_unreadable_files_are_refused(tmp_path):
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{ not json", encoding="utf-8")
    with pytest.raises(ImportFileError, match="JSON"):
        import_species_list(actor=None, path=bad_json, spec=NATIONAL)
    with pytest.raises(ImportFileError, match="不支持"):
        import_species_list(actor=None, path=tmp_path / "list.pdf", spec=NATIONAL)
    no_header = tmp_path / "noheader.csv"
    no_header.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="表头"):
        import_species_list(actor=None, path=no_header, spec=NATIONAL)
    fake_xlsx = tmp_path / "fake.xlsx"
    fake_xlsx.write_bytes(b"not a workbook")
    with pytest.raises(ImportFileError, match="Excel"):
        import_species_list(actor=None, path=fake_xlsx, spec=NATIONAL)


def test_existing_version_of_another_kind_is_refused(tmp_path, catalogue):
    from django.core.exceptions import ValidationError

    path = write_csv(tmp_path, rows=[ROWS[0]])
    with pytest.raises(ValidationError):
        import_species_list(actor=None, path=path, spec=VersionSpec(code=SY2023, kind=ListKind.NATIONAL_KEY))


# --- job and command ----------------------------------------------------------------------------------------------


def run_job(user, path, django_capture_on_commit_callbacks, **params):
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    base = {"version_code": "nk-2021", "kind": "national_key", "version_name": "国家重点（2021）", "effective_from": "2021-02-05", "mode": "valid_rows", "filename": path.name}
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=user, kind="species_import", title="导入", params={**base, **params}, input_file=upload)
    job.refresh_from_db()
    return job


def test_import_job_valid_rows_saves_report(tmp_path, district_officer, django_capture_on_commit_callbacks):
    job = run_job(district_officer, write_xlsx(tmp_path), django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED
    assert job.summary["errors"] == 7 and job.summary["stored"] is True and job.error_count == 7
    assert job.report_file
    rows = list(load_workbook(job.report_file.path).active.iter_rows(min_row=3, values_only=True))
    assert any("第 4 行 保护级别" in (r[5] or "") for r in rows)  # Excel: a note on row 1, the header on row 2
    assert Species.objects.filter(name_zh="大鲵").exists()


def test_import_job_all_or_nothing_fails_with_report(tmp_path, district_officer, django_capture_on_commit_callbacks):
    job = run_job(district_officer, write_csv(tmp_path), django_capture_on_commit_callbacks, mode="all_or_nothing")
    assert job.status == JobStatus.FAILED
    assert "未写入任何数据" in job.error_message
    assert job.report_file and not Species.objects.exists()
    assert Job.objects.filter(pk=job.pk, error_count=7).exists()


def test_management_command(tmp_path):
    out = io.StringIO()
    report = tmp_path / "report.xlsx"
    call_command(
        "import_species_list", str(write_csv(tmp_path)), "--version-code", "nk-2021", "--kind", "national_key",
        "--effective-from", "2021-02-05", "--name", "国家重点（2021）", "--report", str(report), stdout=out,
    )
    output = out.getvalue()
    assert "第 3 行 保护级别" in output and "已写入" in output and report.exists()
    with pytest.raises(CommandError, match="未写入"):
        call_command("import_species_list", str(write_csv(tmp_path)), "--version-code", "nk-x", "--kind", "national_key", "--effective-from", "2021-02-05", "--name", "x", "--mode", "all_or_nothing", stdout=io.StringIO())
    with pytest.raises(CommandError, match="不存在"):
        call_command("import_species_list", str(tmp_path / "missing.json"), "--version-code", "x", "--kind", "sanyou", stdout=io.StringIO())
