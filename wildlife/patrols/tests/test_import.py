"""Excel/CSV imports of inspection targets, enforcement officers and equipment: buttons, templates, uploads with their
audit events, idempotency, the out-of-scope case and permissions."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from wildlife.accounts.models import Department
from wildlife.audit.models import AuditEvent
from wildlife.core.testing.data import xlsx_upload
from wildlife.patrols.models import EnforcementOfficer, Equipment, InspectionTarget

from .factories import make_officer

pytestmark = pytest.mark.django_db


def upload(headers, rows, name="register.xlsx"):
    return xlsx_upload(headers, rows, name)


TARGET_HEADERS = ["名称 *", "类型 *", "地址 *", "所属镇街", "经营者/负责人", "联系电话"]
TARGET_ROWS = [
    ["王村花鸟市场", "农贸/花鸟市场", "王村镇政府路 8 号", "王村镇", "赵六", "13800001111"],
    ["王村宠物店", "宠物店", "王村镇商业街 3 号", "王村镇", "", ""],
]


@pytest.mark.parametrize("name", ["target", "officer", "equipment"])
def test_buttons_and_templates(name, client_for, district_officer):
    client = client_for(district_officer)
    page = client.get(reverse(f"patrols:{name}_list")).content.decode()
    assert reverse(f"patrols:{name}_import") in page and "导入 Excel" in page
    response = client.get(reverse(f"patrols:{name}_import") + "?template=1")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert any(str(c.value).endswith(" *") for c in wb.worksheets[0][1])
    assert wb.worksheets[0].data_validations.dataValidation and "选项" in wb.sheetnames and "填写说明" in wb.sheetnames


def test_no_button_and_403_without_add_permission(client_for, police_officer):
    client = client_for(police_officer)  # police may view targets, not register them
    page = client.get(reverse("patrols:target_list"))
    assert page.status_code == 200 and reverse("patrols:target_import") not in page.content.decode()
    assert client.get(reverse("patrols:target_import")).status_code == 403
    assert client.post(reverse("patrols:target_import"), {"file": upload(TARGET_HEADERS, TARGET_ROWS), "mode": "all"}).status_code == 403
    assert not InspectionTarget.objects.exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("patrols:officer_import"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_town_officer_imports_targets_once(client_for, town_officer):
    client = client_for(town_officer)
    assert reverse("patrols:target_import") in client.get(reverse("patrols:target_list")).content.decode()
    html = client.post(reverse("patrols:target_import"), {"file": upload(TARGET_HEADERS, TARGET_ROWS), "mode": "all"}).content.decode()
    assert 'data-testid="import-created">2<' in html
    targets = {t.name: t for t in InspectionTarget.objects.select_related("area")}
    assert set(targets) == {"王村花鸟市场", "王村宠物店"} and {t.area.name for t in targets.values()} == {"王村镇"}
    assert targets["王村宠物店"].kind == "pet_shop" and targets["王村花鸟市场"].contact_phone == "13800001111"
    assert AuditEvent.objects.filter(action="inspection_target_create").count() == 2
    event = AuditEvent.objects.get(action="register_import")
    assert event.detail["model"] == "patrols.inspectiontarget" and event.detail["created"] == 2

    html = client.post(reverse("patrols:target_import"), {"file": upload(TARGET_HEADERS, TARGET_ROWS), "mode": "all"}).content.decode()
    assert 'data-testid="import-skipped">2<' in html and InspectionTarget.objects.count() == 2


def test_other_town_cannot_import_targets_for_wangcun(client_for, other_town_officer):
    html = client_for(other_town_officer).post(
        reverse("patrols:target_import"), {"file": upload(TARGET_HEADERS, TARGET_ROWS), "mode": "valid"}
    ).content.decode()
    assert "第 2 行「所属镇街」：“王村镇”不在您的管辖范围内" in html
    assert "第 3 行「所属镇街」：“王村镇”不在您的管辖范围内" in html
    assert not InspectionTarget.objects.exists()
    assert AuditEvent.objects.get(action="register_import").outcome == "failure"


def test_officers_import_with_encrypted_certificates(client_for, district_officer, town_officer):
    bureau = Department.objects.get(code="natural_resources")
    town_government = Department.objects.get(area__name="王村镇")
    headers = ["姓名 *", "所在单位 *", "职务", "执法证号", "证件有效期至", "在岗"]
    rows = [
        ["李执法", bureau.name, "科长", "鲁林执3703061111", "2027-12-31", "是"],
        ["钱执法", town_government.name, "", "", "", "否"],
    ]
    client = client_for(district_officer)
    html = client.post(reverse("patrols:officer_import"), {"file": upload(headers, rows), "mode": "all"}).content.decode()
    assert 'data-testid="import-created">2<' in html
    li = EnforcementOfficer.objects.get(name="李执法")
    assert li.certificate_masked.endswith("1111") and li.certificate_valid_until.isoformat() == "2027-12-31"
    with connection.cursor() as cursor:
        cursor.execute("SELECT certificate_no FROM patrols_enforcementofficer WHERE id = %s", [li.pk])
        assert "3703061111" not in cursor.fetchone()[0]
    qian = EnforcementOfficer.objects.select_related("area").get(name="钱执法")
    assert qian.area.name == "王村镇" and not qian.is_active
    assert AuditEvent.objects.filter(action="officer_create").count() == 2

    # same certificate under another spelling of the name: already registered, skipped
    rows[0][0] = "李 执法"
    html = client.post(reverse("patrols:officer_import"), {"file": upload(headers, rows), "mode": "all"}).content.decode()
    assert 'data-testid="import-skipped">2<' in html and EnforcementOfficer.objects.count() == 2

    # a town officer can only name their own town government
    html = client_for(town_officer).post(
        reverse("patrols:officer_import"), {"file": upload(headers, [["孙执法", bureau.name, "", "", "", ""]]), "mode": "all"}
    ).content.decode()
    assert f"第 2 行「所在单位」：“{bureau.name}”不是您管辖范围内的单位" in html


def test_equipment_import_with_holders(client_for, town_officer, other_town_officer, zhoucun):
    holder = make_officer(zhoucun["王村镇"], name="周保管")
    make_officer(zhoucun["北郊镇"], name="吴保管")
    headers = ["装备类别 *", "型号 *", "编号/序列号 *", "保管人", "所属区划", "状态", "下次检查日期"]
    rows = [
        ["执法记录仪", "DSJ-V9", "SN-1", "周保管", "", "", "2026-12-01"],
        ["无人机", "M30", "SN-2", "", "王村镇", "库存", ""],
        ["对讲机", "T1", "SN-3", "吴保管", "", "", ""],  # holder outside the town's scope
        ["对讲机", "T1", "", "", "", "", ""],  # serial number required
    ]
    client = client_for(town_officer)
    html = client.post(reverse("patrols:equipment_import"), {"file": upload(headers, rows), "mode": "valid"}).content.decode()
    assert "第 4 行「保管人」：您的管辖范围内没有名为“吴保管”的在岗执法人员" in html
    assert "第 5 行「编号/序列号」：必填，不能为空" in html
    items = {e.serial_no: e for e in Equipment.objects.select_related("holder", "area")}
    assert set(items) == {"SN-1", "SN-2"}
    assert items["SN-1"].holder == holder and items["SN-1"].status == "in_use" and items["SN-2"].status == "in_stock"
    assert items["SN-2"].area.name == "王村镇"
    assert AuditEvent.objects.filter(action="equipment_create").count() == 2

    again = client.post(reverse("patrols:equipment_import"), {"file": upload(headers, rows[:2]), "mode": "all"}).content.decode()
    assert 'data-testid="import-skipped">2<' in again and Equipment.objects.count() == 2
    # all-or-nothing with a bad row stores nothing
    client_for(other_town_officer).post(reverse("patrols:equipment_import"), {"file": upload(headers, [["对讲机", "T9", "SN-9", "", "", "", ""], rows[0]]), "mode": "all"})
    assert not Equipment.objects.filter(serial_no="SN-9").exists()
