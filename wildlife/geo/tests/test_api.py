"""GET /api/v1/areas/ (and ?format=geojson): scope, fields, anonymous."""

from __future__ import annotations

import pytest

from wildlife.geo.models import AdminArea

URL = "/api/v1/areas/"


@pytest.mark.django_db
def test_town_officer_gets_only_their_town(zhoucun, town_officer, client_for):
    response = client_for(town_officer).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    wangcun = AdminArea.objects.get(name="王村镇")
    assert row == {
        "id": wangcun.pk,
        "code": "370306100",
        "name": "王村镇",
        "level": "town",
        "parent": AdminArea.objects.get(code="370306").pk,
        "kind": "town",
        "administered_by": None,
        "schematic": True,
        "area_km2": str(wangcun.area_km2),
        "boundary_crs": "wgs84",
        "boundary_updated_at": None,
    }


@pytest.mark.django_db
def test_other_towns_are_404_for_a_town_officer(zhoucun, town_officer, client_for):
    client = client_for(town_officer)
    beijiao = AdminArea.objects.get(name="北郊镇")
    assert client.get(f"{URL}{beijiao.pk}/").status_code == 404
    assert client.get(URL, {"search": "北郊"}).json()["count"] == 0
    geo = client.get(URL, {"format": "geojson"})
    assert geo.status_code == 200 and geo["Content-Type"].startswith("application/geo+json")
    assert [f["properties"]["name"] for f in geo.json()["features"]] == ["王村镇"]


@pytest.mark.django_db
def test_district_officer_gets_the_whole_tree_with_administering_body(zhoucun, district_officer, client_for):
    client = client_for(district_officer)
    body = client.get(URL, {"page_size": 100}).json()
    assert body["count"] == 13
    by_name = {row["name"]: row for row in body["results"]}
    resort = by_name["文昌湖旅游度假区"]
    assert resort["level"] == "overlay" and resort["kind"] == "resort_zone"
    assert by_name["萌水镇"]["administered_by"] == resort["id"]
    assert by_name["城北路街道"]["kind"] == "subdistrict"
    towns = client.get(URL, {"level": "town"}).json()
    assert towns["count"] == 10
    geo = client.get(URL, {"format": "geojson"}).json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 13
    feature = geo["features"][0]
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert set(feature["properties"]) >= {"id", "code", "name", "level", "parent", "kind", "administered_by", "schematic"}


@pytest.mark.django_db
def test_geojson_boundaries_are_simplified(zhoucun, district_officer, system_admin, client_for):
    from wildlife.geo.services import boundary_import_apply, boundary_import_stage
    from wildlife.geo.tests.helpers import upload, zhoucun_outline_path

    staging = boundary_import_stage(actor=system_admin, upload=upload("z.geojson", zhoucun_outline_path().read_bytes()), crs="gcj02")
    boundary_import_apply(actor=system_admin, staging=staging)
    geo = client_for(district_officer).get(URL, {"format": "geojson", "level": "district"}).json()
    (feature,) = geo["features"]
    drawn = sum(len(ring) for polygon in feature["geometry"]["coordinates"] for ring in polygon) if feature["geometry"]["type"] == "MultiPolygon" else sum(len(r) for r in feature["geometry"]["coordinates"])
    assert drawn < AdminArea.objects.get(code="370306").boundary.num_coords
    assert feature["properties"]["schematic"] is False


@pytest.mark.django_db
def test_anonymous_is_401_problem(zhoucun, anonymous, client_for):
    response = client_for(anonymous).get(URL)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "not_authenticated"
    assert client_for(anonymous).get(URL, {"format": "geojson"}).status_code == 401


@pytest.mark.django_db
def test_user_without_assignment_gets_nothing(zhoucun, client_for):
    from wildlife.accounts.models import User

    nobody = User.objects.create_user(username="nobody", password="Wildlife-Test-2026")
    assert client_for(nobody).get(URL).json()["count"] == 0
