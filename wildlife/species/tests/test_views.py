"""Pages: list (search, filters, sort, pagination, export), detail, edits, versions, import; who may open them."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from wildlife.jobs.models import Job
from wildlife.species.choices import Protection
from wildlife.species.models import Species, SpeciesAlias, SpeciesStatus

pytestmark = pytest.mark.django_db
LIST = reverse("species:list")


def test_every_business_department_and_town_reads_the_catalogue(catalogue, client_for, town_officer, market_officer, police_officer):
    for user in (town_officer, market_officer, police_officer):
        response = client_for(user).get(LIST)
        assert response.status_code == 200
        assert f"共 {len(catalogue)} 条" in response.content.decode()


def test_anonymous_and_administrators_are_refused(catalogue, client_for, anonymous, system_admin, audit_admin):
    species = catalogue["黄胸鹀"]
    for url in (LIST, species.get_absolute_url(), reverse("species:versions"), reverse("species:import")):
        response = client_for(anonymous).get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        for admin in (system_admin, audit_admin):
            assert client_for(admin).get(url).status_code == 403, url


def test_search_box_uses_aliases_and_initials(catalogue, client_for, town_officer):
    client = client_for(town_officer)
    for term in ("禾花雀", "hxw", "Emberiza aureola"):
        body = client.get(LIST, {"q": term}).content.decode()
        assert catalogue["黄胸鹀"].get_absolute_url() in body, term
    body = client.get(LIST, {"q": "果子狸"}).content.decode()
    assert catalogue["花面狸"].get_absolute_url() in body


def test_filters_sort_and_pagination(catalogue, client_for, town_officer):
    client = client_for(town_officer)
    body = client.get(LIST, {"protection": "national_1", "per_page": 100}).content.decode()
    expected = Species.objects.filter(protection=Protection.NATIONAL_1).count()
    assert f"共 {expected} 条" in body and catalogue["黄胸鹀"].get_absolute_url() in body
    assert catalogue["环颈雉"].get_absolute_url() not in body
    aquatic = client.get(LIST, {"aquatic": "1", "per_page": 100}).content.decode()
    assert f"共 {Species.objects.filter(aquatic=True).count()} 条" in aquatic
    wild = client.get(LIST, {"wild_only": "1", "taxon_class": "哺乳纲"}).content.decode()
    assert catalogue["梅花鹿"].get_absolute_url() in wild and catalogue["豹猫"].get_absolute_url() not in wild
    page2 = client.get(LIST, {"page": 2}).content.decode()
    assert "第 2 / " in page2
    by_name = client.get(LIST, {"sort": "scientific_name"})
    assert by_name.status_code == 200


def test_export_reads_back_with_the_filtered_rows(catalogue, client_for, market_officer):
    response = client_for(market_officer).get(LIST, {"protection": "national_1", "export": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = rows[1]
    assert header[:3] == ("中文名", "学名", "现行保护级别")
    data = rows[2:]
    assert len(data) == Species.objects.filter(protection=Protection.NATIONAL_1).count()
    bunting = next(r for r in data if r[0] == "黄胸鹀")
    assert bunting[1] == "Emberiza aureola" and bunting[2] == "国家一级" and "禾花雀" in bunting[8]


def test_detail_shows_names_statuses_rules_and_status_on_date(catalogue, client_for, town_officer):
    client = client_for(town_officer)
    pangolin = catalogue["穿山甲"]
    body = client.get(pangolin.get_absolute_url()).content.decode()
    for text in ("甲片", "国家重点保护野生动物名录（2021）", "公告2021年第3号", "穿山甲属所有种", "2021年2月5日"):
        assert text in body, text
    assert 'data-testid="alias-form"' not in body  # a town officer reads, does not edit
    on = client.get(pangolin.get_absolute_url(), {"on": "2020-07-01"}).content.decode()
    assert 'data-testid="on-result"' in on and "公告2020年第12号" in on and "国家一级" in on
    bad = client.get(pangolin.get_absolute_url(), {"on": "2020-13-45"})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    assert client.get(reverse("species:detail", args=[999999])).status_code == 404


def test_officers_of_the_two_authorities_edit(catalogue, client_for, district_officer, agri_officer, town_officer, market_officer):
    bunting = catalogue["黄胸鹀"]
    client = client_for(district_officer)
    response = client.post(reverse("species:alias_add", args=[bunting.pk]), {"name": "黄胸鹀子", "kind": "folk"})
    assert response.status_code == 302
    assert SpeciesAlias.objects.filter(species=bunting, name="黄胸鹀子").exists()
    alias = SpeciesAlias.objects.get(species=bunting, name="黄胸鹀子")
    for outsider in (town_officer, market_officer):
        assert client_for(outsider).post(reverse("species:alias_remove", args=[bunting.pk, alias.pk])).status_code == 403
        assert client_for(outsider).get(reverse("species:update", args=[bunting.pk])).status_code == 403
        assert client_for(outsider).get(reverse("species:import")).status_code == 403
    client.post(reverse("species:alias_remove", args=[bunting.pk, alias.pk]))
    assert not SpeciesAlias.objects.filter(pk=alias.pk).exists()
    created = client_for(agri_officer).post(
        reverse("species:create"),
        {"name_zh": "花鳗鲡", "scientific_name": "Anguilla marmorata", "taxon_class": "辐鳍鱼纲", "aquatic": "on"},
    )
    assert created.status_code == 302
    eel = Species.objects.get(name_zh="花鳗鲡")
    assert eel.pinyin_initials == "hml" and eel.aquatic
    duplicate = client.post(reverse("species:create"), {"name_zh": "黄胸鹀", "scientific_name": "Emberiza aureola"})
    assert duplicate.status_code == 200 and "已在名录中" in duplicate.content.decode()
    version = SpeciesStatus.objects.filter(species=bunting).first().list_version
    response = client.post(reverse("species:status_set", args=[eel.pk]), {"list_version": version.pk, "protection": "national_2"})
    assert response.status_code == 302
    eel.refresh_from_db()
    assert eel.protection == Protection.NATIONAL_2
    edit = client.post(reverse("species:update", args=[eel.pk]), {"name_zh": "花鳗鲡", "scientific_name": "Anguilla marmorata", "version": 1, "description": "演示"})
    assert edit.status_code == 302
    stale = client.post(reverse("species:update", args=[eel.pk]), {"name_zh": "花鳗鲡", "scientific_name": "Anguilla marmorata", "version": 1})
    assert "已被他人修改" in stale.content.decode()


def test_versions_pages(catalogue, client_for, town_officer):
    client = client_for(town_officer)
    body = client.get(reverse("species:versions")).content.decode()
    assert "国家林业局令第7号" in body and "现行有效" in body and "已失效" in body
    version = SpeciesStatus.objects.filter(species=catalogue["黄缘闭壳龟"]).first().list_version
    detail = client.get(version.get_absolute_url()).content.decode()
    assert "闭壳龟属所有种" in detail and "黄缘闭壳龟" in detail and "三线闭壳龟" in detail


def test_import_page_starts_a_job_and_links_to_it(client_for, district_officer, zhoucun):
    client = client_for(district_officer)
    assert client.get(reverse("species:import")).status_code == 200
    template = client.get(reverse("species:import_template"))
    assert load_workbook(io.BytesIO(template.content)).active["A1"].value.startswith("中文名")
    upload = SimpleUploadedFile("list.csv", "中文名,学名,保护级别\n黄胸鹀,Emberiza aureola,国家一级\n".encode())
    response = client.post(
        reverse("species:import"),
        {"file": upload, "mode": "valid_rows", "version_code": "nk-2021", "kind": "national_key", "version_name": "国家重点（2021）", "effective_from": "2021-02-05"},
    )
    job = Job.objects.get(kind="species_import")
    assert response.status_code == 302 and str(job.pk) in response["Location"]
    assert job.params["version_code"] == "nk-2021" and job.params["format"] == "csv"


def test_import_form_errors_name_the_field(client_for, district_officer, zhoucun):
    client = client_for(district_officer)
    response = client.post(reverse("species:import"), {"file": SimpleUploadedFile("list.pdf", b"%PDF"), "mode": "valid_rows", "version_code": "new", "kind": "sanyou"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-field-error="file"' in body and 'data-field-error="version_name"' in body and 'data-field-error="effective_from"' in body
    assert not Job.objects.exists()


def test_home_card(catalogue, client_for, town_officer):
    body = client_for(town_officer).get(reverse("core:home")).content.decode()
    assert "名录物种" in body


def test_dates_use_chinese_format(catalogue, client_for, town_officer):
    body = client_for(town_officer).get(reverse("species:versions")).content.decode()
    assert dt.date(2023, 6, 26).strftime("%Y年%-m月%-d日") in body
