"""The generic list/detail/form/delete views, through the sample register."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wildlife.audit.models import AuditEvent
from wildlife.core.tests.sample.models import SampleRecord


def _make(area, name):
    return SampleRecord.objects.create(name=name, area=area, district=area.district_ancestor())


@pytest.fixture
def records(zhoucun):
    wang = zhoucun["王村镇"]
    return [_make(wang, n) for n in ("苍鹭观测点", "=HYPERLINK(\"http://x\")", "白鹭栖息地", "-12.5")]


@pytest.mark.django_db
def test_list_search_sort_count(records, town_officer, client_for):
    client = client_for(town_officer)
    response = client.get(reverse("sample:list"), {"q": "鹭"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "共 2 条" in body
    assert "苍鹭观测点" in body and "白鹭栖息地" in body
    ordered = client.get(reverse("sample:list"), {"q": "鹭", "sort": "-name"}).content.decode()
    assert ordered.index("苍鹭观测点") < ordered.index("白鹭栖息地") or ordered.index("白鹭栖息地") < ordered.index("苍鹭观测点")
    asc = client.get(reverse("sample:list"), {"q": "鹭", "sort": "name"}).content.decode()
    desc = client.get(reverse("sample:list"), {"q": "鹭", "sort": "-name"}).content.decode()
    assert (asc.index("苍鹭观测点") < asc.index("白鹭栖息地")) != (desc.index("苍鹭观测点") < desc.index("白鹭栖息地"))


@pytest.mark.django_db
def test_empty_state_and_filtered_empty_state(zhoucun, town_officer, client_for):
    client = client_for(town_officer)
    body = client.get(reverse("sample:list")).content.decode()
    assert 'data-testid="empty-state"' in body and "新建第一条" in body
    body = client.get(reverse("sample:list"), {"q": "不存在"}).content.decode()
    assert "没有符合筛选条件的记录" in body


@pytest.mark.django_db
def test_pagination(zhoucun, town_officer, client_for):
    for i in range(30):
        _make(zhoucun["王村镇"], f"记录{i:02d}")
    client = client_for(town_officer)
    first = client.get(reverse("sample:list")).content.decode()
    assert "共 30 条" in first and "第 1 / 2 页" in first
    second = client.get(reverse("sample:list"), {"page": 2}).content.decode()
    assert "第 2 / 2 页" in second
    assert client.get(reverse("sample:list"), {"per_page": 50}).content.decode().count("记录") >= 30


@pytest.mark.django_db
def test_htmx_request_returns_results_fragment(records, town_officer, client_for):
    response = client_for(town_officer).get(reverse("sample:list"), {"q": "苍"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "<html" not in body


@pytest.mark.django_db
def test_excel_export_neutralises_formulas_and_is_audited(records, town_officer, client_for):
    response = client_for(town_officer).get(reverse("sample:list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("名称", "所属镇街", "创建时间")
    names = {row[0] for row in rows[2:]}
    assert "'=HYPERLINK(\"http://x\")" in names  # formula neutralised
    assert "-12.5" in names  # a number-looking text stays as it is
    assert "苍鹭观测点" in names
    event = AuditEvent.objects.filter(action="export").latest("seq")
    assert event.username == "town_officer" and event.detail["rows"] == 4


@pytest.mark.django_db
def test_create_validates_and_saves_with_area_from_assignment(zhoucun, town_officer, client_for):
    client = client_for(town_officer)
    response = client.post(reverse("sample:create"), {"name": ""})
    assert response.status_code == 200
    assert "该字段是必填项" in response.content.decode()
    assert not SampleRecord.objects.exists()
    response = client.post(reverse("sample:create"), {"name": "新记录"})
    assert response.status_code == 302
    record = SampleRecord.objects.get()
    assert record.area == zhoucun["王村镇"] and record.district.name == "周村区"
    assert AuditEvent.objects.filter(action="sample_create", object_id=str(record.pk)).exists()


@pytest.mark.django_db
def test_district_record_without_town_belongs_to_district(zhoucun, district_officer, town_officer, client_for):
    client_for(district_officer).post(reverse("sample:create"), {"name": "全区记录"})
    record = SampleRecord.objects.get()
    assert record.area.name == "周村区"
    # a district-level record is not a town's record
    assert not SampleRecord.objects.restrict(town_officer, "view").exists()


@pytest.mark.django_db
def test_user_with_two_towns_must_choose(zhoucun, town_officer, client_for):
    from wildlife.accounts.models import AreaAssignment

    AreaAssignment.objects.create(user=town_officer, area=zhoucun["南郊镇"])
    response = client_for(town_officer).post(reverse("sample:create"), {"name": "两镇"})
    assert "请选择所属镇街" in response.content.decode()
    assert not SampleRecord.objects.exists()


@pytest.mark.django_db
def test_edit_version_conflict_keeps_typed_values(records, town_officer, client_for):
    record = records[0]
    client = client_for(town_officer)
    SampleRecord.objects.filter(pk=record.pk).update(version=5)  # someone else saved meanwhile
    response = client.post(reverse("sample:update", args=[record.pk]), {"name": "我的修改", "version": 1})
    body = response.content.decode()
    assert "记录已被他人修改" in body
    assert "我的修改" in body  # nothing the user typed is lost
    record.refresh_from_db()
    assert record.name == "苍鹭观测点"


@pytest.mark.django_db
def test_out_of_scope_edit_and_delete_are_404(records, other_town_officer, client_for):
    client = client_for(other_town_officer)
    record = records[0]
    assert client.get(reverse("sample:update", args=[record.pk])).status_code == 404
    assert client.post(reverse("sample:update", args=[record.pk]), {"name": "x", "version": 1}).status_code == 404
    assert client.post(reverse("sample:delete", args=[record.pk])).status_code in (403, 404)
    assert SampleRecord.objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
def test_delete_asks_for_confirmation_then_deletes(records, district_officer, town_officer, client_for):
    record = records[0]
    # town governments have no delete permission on this register
    assert client_for(town_officer).get(reverse("sample:delete", args=[record.pk])).status_code == 403
    client = client_for(district_officer)
    page = client.get(reverse("sample:delete", args=[record.pk]))
    assert page.status_code == 200 and "确认删除" in page.content.decode()
    assert SampleRecord.objects.filter(pk=record.pk).exists()
    response = client.post(reverse("sample:delete", args=[record.pk]))
    assert response.status_code == 302
    assert not SampleRecord.objects.filter(pk=record.pk).exists()
    assert AuditEvent.objects.filter(action="sample_delete", object_id=str(record.pk)).exists()


@pytest.mark.django_db
def test_viewer_role_cannot_change(zhoucun, client_for):
    from wildlife.core.testing.cast import make_cast_member

    viewer = make_cast_member("town_viewer")
    record = _make(zhoucun["王村镇"], "只读")
    client = client_for(viewer)
    assert client.get(reverse("sample:detail", args=[record.pk])).status_code == 200
    assert client.get(reverse("sample:update", args=[record.pk])).status_code == 404


@pytest.mark.django_db
def test_detail_shows_history(records, town_officer, client_for):
    from wildlife.audit.services import audit_record

    audit_record(action="sample_update", actor=town_officer, obj=records[0])
    body = client_for(town_officer).get(reverse("sample:detail", args=[records[0].pk])).content.decode()
    assert "sample_update" in body and "town_officer" in body


@pytest.mark.django_db
def test_navigation_shows_only_permitted_sections(zhoucun, town_officer, police_officer, audit_admin, client_for):
    assert "示例记录" in client_for(town_officer).get("/").content.decode()
    assert "示例记录" not in client_for(police_officer).get("/").content.decode()
    assert "示例记录" not in client_for(audit_admin).get("/").content.decode()
