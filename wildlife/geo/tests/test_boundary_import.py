"""Boundary import services: staging, matching, conversion, validity errors, saving with audit."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wildlife.audit.models import AuditEvent
from wildlife.geo import services
from wildlife.geo.boundaries import area_km2
from wildlife.geo.choices import BoundaryImportStatus
from wildlife.geo.coords import haversine_m, wgs84_to_gcj02
from wildlife.geo.models import AdminArea, BoundaryImport
from wildlife.geo.selectors import area_for_point, boundary_import_preview
from wildlife.geo.tests.helpers import (
    box,
    collection,
    feature,
    geopackage,
    shapefile_zip,
    two_towns,
    upload,
    write_geojson,
    zhoucun_outline_path,
)

OFFICIAL_AREA_KM2 = 307.29  # 周村区, published figure (domain.md)


def stage(actor, name, content, *, crs="wgs84", match_by="code", match_field=""):
    return services.boundary_import_stage(actor=actor, upload=upload(name, content), crs=crs, match_by=match_by, match_field=match_field)


def messages_of(caught) -> str:
    return " ".join(caught.value.messages)


# --- the shared 周村区 outline as GCJ-02 -------------------------------------------------------------------------


@pytest.mark.django_db
def test_zhoucun_outline_imported_as_gcj02(zhoucun, system_admin):
    raw = zhoucun_outline_path().read_bytes()
    source = json.loads(raw)["features"][0]["geometry"]["coordinates"]
    staging = stage(system_admin, "zhoucun_370306.geojson", raw, crs="gcj02")
    assert staging.match_field == "adcode"  # guessed from the file's fields
    preview = boundary_import_preview(staging)
    assert [row["area"].code for row in preview["areas"]] == ["370306"]

    district = services.boundary_import_apply(actor=system_admin, staging=staging)[0]
    district.refresh_from_db()
    boundary = district.boundary
    assert boundary.valid and not boundary.empty
    assert district.boundary_is_schematic is False
    assert district.boundary_crs == "gcj02"
    assert "zhoucun_370306.geojson" in district.boundary_source
    assert district.boundary_updated_at is not None

    # the centroid moves by the GCJ-02 offset of this place: about 520 m, westwards (GCJ-02 is shifted east here)
    from wildlife.geo.boundaries import geometry_from_polygons

    original = geometry_from_polygons(source)
    before, after = original.centroid, boundary.centroid
    shift = haversine_m(before.x, before.y, after.x, after.y)
    assert 300 < shift < 800
    assert after.x < before.x
    assert abs(after.x - before.x) > 10 * abs(after.y - before.y)
    # and it is exactly the forward offset at the new centroid, to within a few metres (the offset varies slowly)
    assert haversine_m(*wgs84_to_gcj02(after.x, after.y), before.x, before.y) < 10

    # area: the conversion is nearly a translation, so the area hardly changes (< 0.1 %); against the published
    # 307.29 km² the outline (≈ 475 vertices, generalised) may differ by about its perimeter (~100 km) times the
    # generalisation error (~30 m), ≈ 3 km² ≈ 1 %: tolerance 1.5 %
    assert abs(float(area_km2(original)) - float(district.area_km2)) / float(district.area_km2) < 0.001
    assert float(district.area_km2) == pytest.approx(OFFICIAL_AREA_KM2, rel=0.015)

    # the imported boundary now answers point-in-area questions (district level)
    inside = boundary.point_on_surface
    assert area_for_point(inside, level="district") == district


@pytest.mark.django_db
def test_area_is_computed_in_a_metric_projection(zhoucun):
    # a 0.1° × 0.1° cell at 36.75°N: 11.13 km × 8.92 km ≈ 99.3 km² on the WGS-84 ellipsoid
    from django.contrib.gis.geos import Polygon

    cell = Polygon.from_bbox((117.8, 36.7, 117.9, 36.8))
    cell.srid = 4326
    assert area_km2(cell) == pytest.approx(Decimal("99.3"), abs=Decimal("0.3"))


# --- Shapefile and GeoPackage round trips -------------------------------------------------------------------------


@pytest.mark.django_db
def test_shapefile_zip_round_trip_by_code(zhoucun, system_admin, tmp_path):
    source = write_geojson(tmp_path, two_towns())
    staging = stage(system_admin, "towns.zip", shapefile_zip(tmp_path, source), crs="cgcs2000", match_field="XZQDM")
    assert staging.source_format == "shapefile"
    updated = services.boundary_import_apply(actor=system_admin, staging=staging)
    assert {a.name for a in updated} == {"王村镇", "北郊镇"}
    wangcun = AdminArea.objects.get(name="王村镇")
    assert wangcun.boundary_crs == "cgcs2000"
    assert wangcun.boundary.extent == pytest.approx((117.705, 36.645, 117.795, 36.815))  # stored as they came
    assert wangcun.area_km2 == area_km2(wangcun.boundary)
    # areas not in the file keep their schematic boundary
    assert AdminArea.objects.get(name="南郊镇").boundary_is_schematic is True


@pytest.mark.django_db
def test_shapefile_without_cpg_in_gbk_matches_chinese_names(zhoucun, system_admin, tmp_path):
    source = write_geojson(tmp_path, two_towns())
    data = shapefile_zip(tmp_path, source, encoding="CP936", keep_cpg=False)
    staging = stage(system_admin, "towns-gbk.zip", data, match_by="name", match_field="XZQMC")
    assert any("GB18030" in note for note in staging.notes)
    preview = boundary_import_preview(staging)
    assert sorted(row["area"].name for row in preview["areas"]) == ["北郊镇", "王村镇"]


@pytest.mark.django_db
def test_geopackage_round_trip_by_name(zhoucun, system_admin, tmp_path):
    source = write_geojson(tmp_path, two_towns())
    data = geopackage(tmp_path, source).read_bytes()
    staging = stage(system_admin, "towns.gpkg", data, match_by="name")
    assert staging.source_format == "gpkg"
    assert staging.match_field == "XZQMC"  # guessed (XZQMC = 行政区名称)
    staging = services.boundary_import_rematch(actor=system_admin, staging=staging, match_by="name", match_field="XZQMC")
    updated = services.boundary_import_apply(actor=system_admin, staging=staging)
    assert {a.name for a in updated} == {"王村镇", "北郊镇"}
    beijiao = AdminArea.objects.get(name="北郊镇")
    assert beijiao.boundary.extent == pytest.approx((117.705, 36.825, 117.975, 36.885))
    assert not beijiao.boundary_is_schematic


# --- matching -------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_twelve_digit_codes_and_unmatched_features(zhoucun, system_admin):
    data = collection(
        feature({"code": "370306100000"}, box(117.705, 36.645, 117.795, 36.815)),
        feature({"code": "999999"}, box(117.80, 36.80, 117.81, 36.81)),
    )
    preview = boundary_import_preview(stage(system_admin, "codes.geojson", data))
    assert [row["area"].name for row in preview["areas"]] == ["王村镇"]
    assert [row["number"] for row in preview["unmatched"]] == [2]


@pytest.mark.django_db
def test_two_parts_of_one_town_are_combined(zhoucun, system_admin):
    data = collection(
        feature({"code": "370306100"}, box(117.70, 36.64, 117.75, 36.70)),
        feature({"code": "370306100"}, box(117.76, 36.64, 117.80, 36.70)),
    )
    staging = stage(system_admin, "parts.geojson", data)
    area = services.boundary_import_apply(actor=system_admin, staging=staging)[0]
    assert area.boundary.num_geom == 2


@pytest.mark.django_db
def test_overlapping_parts_of_one_town_are_an_error_naming_both_features(zhoucun, system_admin):
    data = collection(
        feature({"code": "370306100"}, box(117.70, 36.64, 117.78, 36.70)),
        feature({"code": "370306100"}, box(117.75, 36.64, 117.80, 36.70)),
    )
    staging = stage(system_admin, "overlap.geojson", data)
    preview = boundary_import_preview(staging)
    assert "第 1、2 个要素" in preview["error"] and not preview["can_apply"]
    with pytest.raises(ValidationError):
        services.boundary_import_apply(actor=system_admin, staging=staging)


@pytest.mark.django_db
def test_unknown_match_field_is_named(zhoucun, system_admin):
    with pytest.raises(ValidationError) as caught:
        stage(system_admin, "towns.geojson", two_towns(), match_field="DM")
    assert "DM" in messages_of(caught) and "XZQDM" in messages_of(caught)


@pytest.mark.django_db
def test_nothing_matched_cannot_be_saved(zhoucun, system_admin):
    staging = stage(system_admin, "towns.geojson", two_towns(), match_field="XZQMC")  # names, matched as codes
    with pytest.raises(ValidationError) as caught:
        services.boundary_import_apply(actor=system_admin, staging=staging)
    assert "没有要素匹配" in messages_of(caught)


# --- validity -------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_self_intersecting_ring_names_feature_and_place(zhoucun, system_admin):
    bowtie = [[[117.80, 36.70], [117.90, 36.80], [117.90, 36.70], [117.80, 36.80], [117.80, 36.70]]]
    data = collection(feature({"code": "370306100"}, box(117.70, 36.64, 117.75, 36.70)), feature({"code": "370306101"}, bowtie))
    with pytest.raises(ValidationError) as caught:
        stage(system_admin, "bowtie.geojson", data)
    message = messages_of(caught)
    assert "第 2 个要素" in message and "自相交" in message and "117.85" in message
    assert not BoundaryImport.objects.exists()


@pytest.mark.django_db
def test_projected_or_swapped_coordinates_are_outside_the_sane_extent(zhoucun, system_admin):
    swapped = collection(feature({"code": "370306100"}, [[[36.70, 117.80], [36.80, 117.80], [36.80, 117.90], [36.70, 117.80]]]))
    with pytest.raises(ValidationError) as caught:
        stage(system_admin, "swapped.geojson", swapped)
    assert "第 1 个要素" in messages_of(caught) and "超出合理范围" in messages_of(caught)
    projected = collection(feature({"code": "370306100"}, box(39_500_000, 4_060_000, 39_510_000, 4_070_000)))
    with pytest.raises(ValidationError) as caught:
        stage(system_admin, "projected.geojson", projected)
    assert "投影坐标" in messages_of(caught)


@pytest.mark.django_db
def test_too_few_points_and_empty_geometry(zhoucun, system_admin):
    with pytest.raises(ValidationError) as caught:
        stage(system_admin, "few.geojson", collection(feature({}, [[[117.8, 36.7], [117.9, 36.7], [117.8, 36.7]]])))
    assert "只有 3 个点" in messages_of(caught)
    with pytest.raises(ValidationError) as caught:
        stage(system_admin, "empty.geojson", collection(feature({}, [], kind="MultiPolygon")))
    assert "为空" in messages_of(caught)


@pytest.mark.django_db
def test_hole_outside_shell_in_a_shapefile_is_reported(zhoucun, system_admin, tmp_path):
    # a polygon with a "hole" outside its shell: valid GeoJSON structure, invalid geometry
    rings = [box(117.70, 36.64, 117.75, 36.70)[0], box(117.76, 36.64, 117.77, 36.65)[0]]
    source = write_geojson(tmp_path, collection(feature({"code": "370306100"}, rings)))
    with pytest.raises(ValidationError) as caught:
        stage(system_admin, "hole.gpkg", geopackage(tmp_path, source).read_bytes())
    assert "第 1 个要素" in messages_of(caught) and "边界无效" in messages_of(caught)


# --- saving, audit, ownership ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_apply_audits_before_and_after_digests(zhoucun, system_admin):
    wangcun = AdminArea.objects.get(name="王村镇")
    before = services.boundary_snapshot(wangcun)
    staging = stage(system_admin, "towns.geojson", two_towns(), match_field="XZQDM")
    services.boundary_import_apply(actor=system_admin, staging=staging)
    event = AuditEvent.objects.get(action="boundary_import", object_id=str(wangcun.pk))
    from wildlife.audit.services import digest

    wangcun.refresh_from_db()
    assert event.before_digest == digest(before)
    assert event.after_digest == digest(services.boundary_snapshot(wangcun))
    assert event.before_digest != event.after_digest
    assert event.detail["features"] == [1]
    assert AuditEvent.objects.filter(action="boundary_import_stage").count() == 1


@pytest.mark.django_db
def test_apply_twice_saves_once(zhoucun, system_admin):
    from wildlife.core.exceptions import ConflictError

    staging = stage(system_admin, "towns.geojson", two_towns(), match_field="XZQDM")
    services.boundary_import_apply(actor=system_admin, staging=staging)
    with pytest.raises(ConflictError):
        services.boundary_import_apply(actor=system_admin, staging=staging)
    assert AuditEvent.objects.filter(action="boundary_import").count() == 2  # two towns, once
    staging.refresh_from_db()
    assert staging.status == BoundaryImportStatus.APPLIED and staging.features == []


@pytest.mark.django_db
def test_only_the_system_administrator_imports_and_only_their_own_staging(zhoucun, system_admin, security_admin, district_officer):
    for user in (security_admin, district_officer):
        with pytest.raises(PermissionDenied):
            stage(user, "towns.geojson", two_towns())
    staging = stage(system_admin, "towns.geojson", two_towns(), match_field="XZQDM")
    from wildlife.core.testing.cast import make_admin

    other_admin = make_admin("system_admin_2", "system")
    with pytest.raises(PermissionDenied):
        services.boundary_import_apply(actor=other_admin, staging=staging)
    assert AdminArea.objects.get(name="王村镇").boundary_is_schematic


@pytest.mark.django_db
def test_bad_file_leaves_nothing_behind(zhoucun, system_admin):
    with pytest.raises(ValidationError):
        stage(system_admin, "fake.gpkg", b"not a database")
    assert not BoundaryImport.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="boundary_import").exists()
