"""Area tree reads: scope, point lookup (one indexed query), the spatial index itself, GeoJSON layers."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from wildlife.geo.choices import AreaLevel
from wildlife.geo.locator import bump_generation
from wildlife.geo.models import AdminArea
from wildlife.geo.reference import DISTRICT_CODE, SCHEMATIC_SOURCE, TOWNS, ensure_zhoucun_areas
from wildlife.geo.selectors import (
    area_feature_collection,
    area_for_point,
    area_ids_for_points,
    area_list,
    area_tree,
    areas_for_user,
    district_area,
)


@pytest.mark.django_db
def test_reference_tree_shape_and_idempotence(zhoucun):
    district = AdminArea.objects.get(code=DISTRICT_CODE)
    towns = AdminArea.objects.filter(level=AreaLevel.TOWN)
    assert towns.count() == len(TOWNS) == 10
    assert set(towns.values_list("kind", flat=True)) == {"town", "subdistrict"}
    assert towns.filter(kind="subdistrict").count() == 5
    assert all(t.parent_id == district.pk and t.path.startswith(district.path) for t in towns)
    resort = AdminArea.objects.get(name="文昌湖旅游度假区")
    assert set(resort.administered_areas.values_list("name", flat=True)) == {"萌水镇", "商家镇"}
    assert AdminArea.objects.get(name="萌水镇").parent == district  # legal division unchanged
    assert AdminArea.objects.filter(level=AreaLevel.OVERLAY).count() == 2
    assert all(a.boundary_is_schematic and a.boundary_source == SCHEMATIC_SOURCE for a in AdminArea.objects.all())
    assert all(a.area_km2 and a.area_km2 > 0 for a in AdminArea.objects.all())
    before = list(AdminArea.objects.values_list("pk", "path", "boundary_updated_at"))
    ensure_zhoucun_areas()
    assert list(AdminArea.objects.values_list("pk", "path", "boundary_updated_at")) == before


@pytest.mark.django_db
def test_reference_keeps_an_imported_boundary(zhoucun):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    wangcun = AdminArea.objects.get(name="王村镇")
    official = MultiPolygon(Polygon.from_bbox((117.70, 36.65, 117.79, 36.81)), srid=4326)
    AdminArea.objects.filter(pk=wangcun.pk).update(boundary=official, boundary_is_schematic=False, boundary_source="official")
    ensure_zhoucun_areas()
    wangcun.refresh_from_db()
    assert wangcun.boundary.equals_exact(official, 1e-9) and not wangcun.boundary_is_schematic


@pytest.mark.django_db
def test_scope(zhoucun, town_officer, district_officer, system_admin, anonymous):
    assert list(area_list(user=town_officer).values_list("name", flat=True)) == ["王村镇"]
    assert area_list(user=district_officer).count() == 13
    assert area_list(user=district_officer, include_overlays=False).count() == 11
    assert area_list(user=system_admin).count() == 13
    assert area_list(user=anonymous).count() == 0
    assert [a.name for a in areas_for_user(town_officer)] == ["王村镇"]
    assert district_area().code == DISTRICT_CODE


@pytest.mark.django_db
def test_area_tree_lists_towns_in_their_order_and_overlays_apart(zhoucun, district_officer, town_officer):
    rows, overlays = area_tree(user=district_officer)
    assert [r.area.name for r in rows][:3] == ["周村区", "城北路街道", "永安街街道"]
    assert [r.indent for r in rows][:2] == [0, 1]
    assert {a.name for a in overlays} == {"周村经济开发区", "文昌湖旅游度假区"}
    rows, overlays = area_tree(user=town_officer)
    assert [(r.area.name, r.indent) for r in rows] == [("王村镇", 0)] and overlays == []


@pytest.mark.django_db
def test_area_for_point(zhoucun):
    assert area_for_point(Point(117.75, 36.75, srid=4326)).name == "王村镇"
    assert area_for_point(Point(117.85, 36.86, srid=4326)).name == "北郊镇"
    assert area_for_point(Point(117.85, 36.86)).name == "北郊镇"  # srid defaults to WGS-84
    assert area_for_point(Point(116.4, 39.9, srid=4326)) is None
    assert area_for_point(Point(117.85, 36.86, srid=4326), level="district").code == DISTRICT_CODE
    AdminArea.objects.filter(name="北郊镇").update(is_active=False)
    bump_generation()  # a bulk update bypasses save(); services change areas through save()
    assert area_for_point(Point(117.85, 36.86, srid=4326)) is None


@pytest.mark.django_db
def test_area_for_point_follows_a_saved_boundary_change(zhoucun):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    assert area_for_point(Point(117.75, 36.75, srid=4326)).name == "王村镇"
    wang = AdminArea.objects.get(name="王村镇")
    wang.boundary = MultiPolygon(Polygon(((117.70, 36.64), (117.72, 36.64), (117.72, 36.66), (117.70, 36.66), (117.70, 36.64))), srid=4326)
    wang.save()
    assert area_for_point(Point(117.75, 36.75, srid=4326)) is None
    assert area_for_point(Point(117.71, 36.65, srid=4326)).name == "王村镇"


@pytest.mark.django_db
def test_area_ids_for_points_matches_single_lookups(zhoucun):
    lons = [117.75, 117.85, 116.4, 117.83]
    lats = [36.75, 36.86, 39.9, 36.80]
    singles = [a.pk if (a := area_for_point(Point(x, y, srid=4326))) else None for x, y in zip(lons, lats, strict=True)]
    assert area_ids_for_points(lons, lats) == singles
    assert singles[2] is None


@pytest.mark.django_db
def test_area_for_point_is_one_query(zhoucun, django_assert_num_queries):
    with django_assert_num_queries(1):
        area_for_point(Point(117.75, 36.75, srid=4326))


@pytest.mark.django_db
def test_boundary_has_a_working_spatial_index(zhoucun):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT spatial_index_enabled FROM geometry_columns WHERE f_table_name = 'geo_adminarea' AND f_geometry_column = 'boundary'")
            assert cursor.fetchone()[0] == 1
            # the R-tree is filled by triggers: one entry per area with a boundary
            cursor.execute("SELECT COUNT(*) FROM idx_geo_adminarea_boundary")
            assert cursor.fetchone()[0] == AdminArea.objects.exclude(boundary__isnull=True).count()
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'geo_adminarea'")
            assert any("gist" in row[0].lower() and "boundary" in row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_feature_collection_is_simplified_and_labelled(zhoucun, town_officer):
    data = area_feature_collection(area_list(user=town_officer))
    assert [f["properties"]["name"] for f in data["features"]] == ["王村镇"]
    properties = data["features"][0]["properties"]
    assert properties["schematic"] is True and properties["level"] == "town"
    assert data["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.django_db
def test_demo_villages_are_idempotent_and_in_the_town_scope(zhoucun, town_officer, other_town_officer):
    from wildlife.geo.demo import load_demo

    assert load_demo().endswith("3 个")
    assert load_demo().endswith("0 个")
    names = set(area_list(user=town_officer).values_list("name", flat=True))
    assert {"演示村一", "演示社区二", "演示村一 第1网格"} <= names
    assert "演示村一" not in set(area_list(user=other_town_officer).values_list("name", flat=True))
    grid = AdminArea.objects.get(code="370306100D01G1")
    assert grid.path == "370306/370306100/370306100D01/370306100D01G1/" and grid.boundary_is_schematic
    # point lookup at town level still finds the town inside a village
    assert area_for_point(Point(117.72, 36.73, srid=4326)).name == "王村镇"
    assert area_for_point(Point(117.72, 36.73, srid=4326), level="grid") == grid


@pytest.mark.django_db
def test_a_point_on_the_border_between_two_towns_gets_the_first_town(zhoucun):
    # 117.80 is the schematic border between 王村镇 (west) and 大街街道 (east)
    area = area_for_point(Point(117.80, 36.77, srid=4326))
    assert area is not None and area.name in {"王村镇", "大街街道"}
    assert area_ids_for_points([117.80], [36.77]) == [area.pk]
