"""Area pages and the boundary import pages, per role (including out-of-scope and no-permission cases)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from wildlife.audit.models import AuditEvent
from wildlife.geo.models import AdminArea, BoundaryImport
from wildlife.geo.tests.helpers import box, two_towns, upload


def area(name: str) -> AdminArea:
    return AdminArea.objects.get(name=name)


# --- area list and detail ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_town_officer_sees_only_their_town(zhoucun, town_officer, client_for):
    client = client_for(town_officer)
    page = client.get(reverse("geo:area_list")).content.decode()
    assert "王村镇" in page and "北郊镇" not in page and "示意边界" in page
    assert "新建村/网格" not in page and "边界导入" not in page
    assert client.get(area("王村镇").get_absolute_url()).status_code == 200
    assert client.get(area("北郊镇").get_absolute_url()).status_code == 404
    assert client.get(area("周村区").get_absolute_url()).status_code == 404
    assert client.get(reverse("geo:area_boundary_geojson", args=[area("北郊镇").pk])).status_code == 404


@pytest.mark.django_db
def test_district_officer_sees_the_tree_with_overlays(zhoucun, district_officer, client_for):
    page = client_for(district_officer).get(reverse("geo:area_list")).content.decode()
    for name in ("周村区", "城北路街道", "王村镇", "商家镇", "周村经济开发区", "文昌湖旅游度假区"):
        assert name in page
    assert page.count('data-boundary="schematic"') == 13
    detail = client_for(district_officer).get(area("萌水镇").get_absolute_url()).content.decode()
    assert "文昌湖旅游度假区" in detail  # administered by
    assert "分配用户" not in detail  # only the system administrator sees assignment counts


@pytest.mark.django_db
def test_area_geojson_layers_follow_scope(zhoucun, town_officer, district_officer, client_for, anonymous):
    town = json.loads(client_for(town_officer).get(reverse("geo:areas_geojson")).content)
    assert [f["properties"]["name"] for f in town["features"]] == ["王村镇"]
    district = json.loads(client_for(district_officer).get(reverse("geo:areas_geojson")).content)
    assert len(district["features"]) == 13
    assert client_for(anonymous).get(reverse("geo:areas_geojson")).status_code == 302


@pytest.mark.django_db
def test_system_admin_sees_everything_and_assignment_counts(zhoucun, system_admin, town_officer, town_viewer, client_for):
    client = client_for(system_admin)
    page = client.get(reverse("geo:area_list")).content.decode()
    assert "区划管理" in page and "新建村/网格" in page and "边界导入" in page
    detail = client.get(area("王村镇").get_absolute_url()).content.decode()
    assert "本区划 2 人，含下级共 2 人" in detail
    district = client.get(area("周村区").get_absolute_url()).content.decode()
    assert "本区划 0 人，含下级共 2 人" in district


@pytest.mark.django_db
def test_security_and_audit_administrators_are_refused(zhoucun, security_admin, audit_admin, client_for):
    for user in (security_admin, audit_admin):
        client = client_for(user)
        assert client.get(reverse("geo:area_list")).status_code == 403
        assert client.get(reverse("geo:boundary_import")).status_code == 403


@pytest.mark.django_db
def test_navigation(zhoucun, town_officer, system_admin, audit_admin, client_for):
    town_page = client_for(town_officer).get(reverse("core:home")).content.decode()
    assert "区划与边界" in town_page and "边界导入" not in town_page
    admin_page = client_for(system_admin).get(reverse("geo:area_list")).content.decode()
    assert "区划管理" in admin_page and reverse("geo:boundary_import") in admin_page
    audit_page = client_for(audit_admin).get(reverse("core:home")).content.decode()
    assert "区划管理" not in audit_page


# --- villages and grids ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_system_admin_creates_a_village_with_a_drawn_boundary_and_edits_it(zhoucun, system_admin, client_for):
    client = client_for(system_admin)
    town = area("王村镇")
    assert client.get(reverse("geo:area_create") + f"?parent={town.pk}").status_code == 200
    drawn = json.dumps({"type": "Polygon", "coordinates": box(117.72, 36.70, 117.74, 36.72)})
    response = client.post(
        reverse("geo:area_create"),
        {"parent": town.pk, "level": "village", "code": "370306100201", "name": "示例村", "kind": "village", "sort_order": 1, "boundary": drawn, "boundary_is_schematic": "on"},
    )
    village = AdminArea.objects.get(code="370306100201")
    assert response.status_code == 302 and response["Location"] == village.get_absolute_url()
    assert village.parent == town and village.path == town.path + "370306100201/"
    assert village.boundary_is_schematic and village.area_km2 > 0
    assert AuditEvent.objects.filter(action="area_create", object_id=str(village.pk)).exists()

    edit_url = reverse("geo:area_update", args=[village.pk])
    assert "示例村" in client.get(edit_url).content.decode()
    response = client.post(edit_url, {"name": "示例村（改）", "kind": "village", "sort_order": 2, "is_active": "on", "boundary": drawn})
    assert response.status_code == 302
    village.refresh_from_db()
    assert village.name == "示例村（改）" and not village.boundary_is_schematic
    assert AuditEvent.objects.filter(action="area_update", object_id=str(village.pk)).exists()


@pytest.mark.django_db
def test_village_form_errors_name_the_field(zhoucun, system_admin, client_for):
    client = client_for(system_admin)
    town = area("王村镇")
    response = client.post(reverse("geo:area_create"), {"parent": town.pk, "level": "village", "code": "370306102201", "name": "错村", "kind": "village"})
    assert response.status_code == 200
    assert 'data-field-error="code"' in response.content.decode() and "370306100" in response.content.decode()
    bowtie = json.dumps({"type": "Polygon", "coordinates": [[[117.72, 36.70], [117.74, 36.72], [117.74, 36.70], [117.72, 36.72], [117.72, 36.70]]]})
    response = client.post(reverse("geo:area_create"), {"parent": town.pk, "level": "grid", "code": "370306100-G1", "name": "一号网格", "kind": "grid", "boundary": bowtie})
    assert 'data-field-error="boundary"' in response.content.decode() and "自相交" in response.content.decode()
    assert not AdminArea.objects.filter(level__in=("village", "grid")).exists()


@pytest.mark.django_db
def test_business_users_cannot_create_or_edit_areas(zhoucun, district_officer, client_for):
    client = client_for(district_officer)
    assert client.get(reverse("geo:area_create")).status_code == 403
    response = client.post(reverse("geo:area_create"), {"parent": area("王村镇").pk, "level": "village", "code": "370306100201", "name": "x", "kind": "village"})
    assert response.status_code == 403
    assert not AdminArea.objects.filter(code="370306100201").exists()


@pytest.mark.django_db
def test_towns_are_not_editable_in_the_form(zhoucun, system_admin, client_for):
    assert client_for(system_admin).get(reverse("geo:area_update", args=[area("王村镇").pk])).status_code == 404


@pytest.mark.django_db
def test_town_officer_sees_their_villages(zhoucun, town_officer, system_admin, client_for):
    from wildlife.geo.services import area_create

    area_create(actor=system_admin, parent=area("王村镇"), code="370306100201", name="示例村", level="village", kind="village")
    area_create(actor=system_admin, parent=area("北郊镇"), code="370306102201", name="别处村", level="village", kind="village")
    page = client_for(town_officer).get(reverse("geo:area_list")).content.decode()
    assert "示例村" in page and "别处村" not in page


# --- boundary import flow ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_flow_upload_preview_rematch_confirm(zhoucun, system_admin, client_for):
    client = client_for(system_admin)
    assert client.get(reverse("geo:boundary_import")).status_code == 200
    response = client.post(reverse("geo:boundary_import"), {"file": upload("towns.geojson", two_towns()), "crs": "wgs84", "match_by": "code", "match_field": ""})
    staging = BoundaryImport.objects.get()
    assert response.status_code == 302 and response["Location"] == staging.get_absolute_url()
    assert staging.match_field == "XZQDM"

    preview = client.get(staging.get_absolute_url()).content.decode()
    assert "王村镇" in preview and "北郊镇" in preview and "原为示意边界" in preview
    layer = json.loads(client.get(reverse("geo:boundary_import_geojson", args=[staging.pk])).content)
    assert [f["properties"]["matched"] for f in layer["features"]] == [True, True]

    # match on names instead: the same two towns
    response = client.post(staging.get_absolute_url(), {"match_by": "name", "match_field": "XZQMC"})
    assert response.status_code == 302
    staging.refresh_from_db()
    assert (staging.match_by, staging.match_field) == ("name", "XZQMC")

    response = client.post(reverse("geo:boundary_import_confirm", args=[staging.pk]))
    assert response.status_code == 302
    assert not area("王村镇").boundary_is_schematic and not area("北郊镇").boundary_is_schematic
    # the staging is closed: the preview is gone
    assert client.get(staging.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_import_errors_are_shown_on_the_form(zhoucun, system_admin, client_for):
    client = client_for(system_admin)
    response = client.post(reverse("geo:boundary_import"), {"file": upload("fake.gpkg", b"hello"), "crs": "wgs84", "match_by": "code"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-field-error="file"' in page and "GeoPackage" in page
    response = client.post(reverse("geo:boundary_import"), {"file": upload("towns.geojson", two_towns()), "match_by": "code"})
    assert 'data-field-error="crs"' in response.content.decode()
    assert not BoundaryImport.objects.exists()


@pytest.mark.django_db
def test_staging_is_owner_only(zhoucun, system_admin, client_for):
    from wildlife.core.testing.cast import make_admin
    from wildlife.geo.services import boundary_import_stage

    staging = boundary_import_stage(actor=system_admin, upload=upload("towns.geojson", two_towns()), crs="wgs84")
    other = client_for(make_admin("system_admin_2", "system"))
    assert other.get(staging.get_absolute_url()).status_code == 404
    assert other.get(reverse("geo:boundary_import_geojson", args=[staging.pk])).status_code == 404
    assert other.post(reverse("geo:boundary_import_confirm", args=[staging.pk])).status_code == 404
    assert area("王村镇").boundary_is_schematic


@pytest.mark.django_db
def test_discard(zhoucun, system_admin, client_for):
    from wildlife.geo.services import boundary_import_stage

    staging = boundary_import_stage(actor=system_admin, upload=upload("towns.geojson", two_towns()), crs="wgs84")
    client = client_for(system_admin)
    assert client.post(reverse("geo:boundary_import_discard", args=[staging.pk])).status_code == 302
    staging.refresh_from_db()
    assert staging.status == "discarded" and staging.features == []
    assert area("王村镇").boundary_is_schematic


@pytest.mark.django_db
def test_disabled_village_stays_visible_to_the_system_admin_only(zhoucun, system_admin, town_officer, client_for):
    from wildlife.geo.services import area_create, area_update

    village = area_create(actor=system_admin, parent=area("王村镇"), code="370306100201", name="停用村", level="village", kind="village")
    area_update(actor=system_admin, obj=village, name="停用村", kind="village", is_active=False)
    admin_page = client_for(system_admin).get(reverse("geo:area_list")).content.decode()
    assert "停用村" in admin_page and "已停用" in admin_page
    assert client_for(system_admin).get(village.get_absolute_url()).status_code == 200
    assert "停用村" not in client_for(town_officer).get(reverse("geo:area_list")).content.decode()
    assert client_for(town_officer).get(village.get_absolute_url()).status_code == 404
