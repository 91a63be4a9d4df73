"""Uploaded geometry files are checked before GDAL sees them: malicious samples are refused with a clear reason."""

from __future__ import annotations

import io
import json
import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from wildlife.geo import uploads
from wildlife.geo.tests.helpers import (
    box,
    collection,
    feature,
    geopackage,
    shapefile_zip,
    two_towns,
    upload,
    write_geojson,
    zip_of,
)


def refused(name: str, content: bytes | str | dict) -> str:
    with pytest.raises(ValidationError) as caught, uploads.checked_spatial_upload(upload(name, content)):
        pass
    return " ".join(caught.value.messages)


def opened_layer_names(name: str, content: bytes) -> list[str]:
    with uploads.checked_spatial_upload(upload(name, content)) as checked:
        datasource = checked.open()
        return [layer.name for layer in datasource]


# --- good files pass -----------------------------------------------------------------------------------------------


def test_good_geojson_shapefile_and_geopackage_open(tmp_path):
    source = write_geojson(tmp_path, two_towns())
    assert opened_layer_names("towns.geojson", source.read_bytes()) == ["layer"]
    assert opened_layer_names("towns.zip", shapefile_zip(tmp_path, source)) == ["layer"]
    assert opened_layer_names("towns.gpkg", geopackage(tmp_path, source).read_bytes()) == ["boundary"]


def test_the_private_directory_is_removed_afterwards(tmp_path):
    source = write_geojson(tmp_path, two_towns())
    with uploads.checked_spatial_upload(upload("towns.geojson", source.read_bytes())) as checked:
        folder = checked.path.parent
        assert folder.exists()
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not folder.exists()


# --- size and type ---------------------------------------------------------------------------------------------------


def test_unknown_extension_and_empty_file(settings):
    assert "不支持的文件类型" in refused("boundary.kml", b"<kml/>")
    assert "文件为空" in refused("boundary.geojson", b"")


def test_upload_size_limit(settings):
    settings.WILDLIFE_GEO_MAX_UPLOAD_MB = 1
    big = upload("big.geojson", b" " * (1024 * 1024 + 10))
    with pytest.raises(ValidationError) as caught, uploads.checked_spatial_upload(big):
        pass
    assert "文件过大" in caught.value.messages[0]


# --- zip archives --------------------------------------------------------------------------------------------------


def test_path_traversal_member_is_refused():
    data = zip_of({"../../etc/cron.d/evil.shp": b"x", "a.shx": b"x", "a.dbf": b"x"})
    message = refused("evil.zip", data)
    assert "目录穿越" in message and "../../etc/cron.d/evil.shp" in message


def test_absolute_member_path_is_refused():
    assert "绝对路径" in refused("evil.zip", zip_of({"/tmp/evil.shp": b"x"}))
    assert "绝对路径" in refused("evil.zip", zip_of({"C:/evil.shp": b"x"}))


def test_symlink_member_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("boundary.prj")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    assert "符号链接" in refused("link.zip", buffer.getvalue())


def test_unexpected_member_types_are_refused():
    message = refused("extra.zip", zip_of({"a.shp": b"x", "a.shx": b"x", "a.dbf": b"x", "a.vrt": b"<OGRVRTDataSource/>"}))
    assert "a.vrt" in message and ".shp、.shx、.dbf、.prj、.cpg" in message


def test_missing_parts_are_named():
    assert ".dbf" in refused("partial.zip", zip_of({"a.shp": b"x", "a.shx": b"x"}))


def test_zip_bomb_is_refused_by_compression_ratio():
    bomb = zip_of({"a.shp": b"\0" * (20 * 1024 * 1024), "a.shx": b"x", "a.dbf": b"x"})
    assert len(bomb) < 100_000
    assert "压缩炸弹" in refused("bomb.zip", bomb)


def test_zip_bomb_is_refused_by_total_size(settings):
    settings.WILDLIFE_GEO_MAX_UNCOMPRESSED_MB = 1
    incompressible = bytes(range(256)) * 8192  # 2 MB that deflate cannot shrink much
    data = zip_of({"a.shp": incompressible, "a.shx": b"x", "a.dbf": b"x"}, compression=zipfile.ZIP_STORED)
    assert "解压后过大" in refused("big.zip", data)


def _declare_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size a zip declares for `member` (local header and central directory)."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    raw[info.header_offset + 22 : info.header_offset + 26] = size.to_bytes(4, "little")
    position = raw.find(b"PK\x01\x02")
    while position != -1:
        length = int.from_bytes(raw[position + 28 : position + 30], "little")
        if bytes(raw[position + 46 : position + 46 + length]) == member.encode():
            raw[position + 24 : position + 28] = size.to_bytes(4, "little")
            break
        position = raw.find(b"PK\x01\x02", position + 4)
    return bytes(raw)


def test_member_that_lies_about_its_size_is_refused_while_extracting():
    # 20 MB of zeros declared as 1,000 bytes: the ratio check sees nothing odd, extraction stops at the declared size
    data = _declare_size(zip_of({"a.shp": b"\0" * (20 * 1024 * 1024), "a.shx": b"x", "a.dbf": b"x"}), "a.shp", 1000)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("a.shp").file_size == 1000
    assert "声明大小" in refused("liar.zip", data)


def test_prj_with_a_url_is_refused(tmp_path):
    source = write_geojson(tmp_path, two_towns())
    with zipfile.ZipFile(io.BytesIO(shapefile_zip(tmp_path, source))) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist() if not info.filename.endswith(".prj")}
    for prj in (
        'GEOGCS["WGS 84",DATUM["http://evil.example/datum"]]',
        "/vsicurl/http://evil.example/crs.prj",
        'PROJCS["x",GEOGCS["y"],EXTENSION["PROJ4","+proj=longlat +nadgrids=/etc/shadow"]]',
        'GEOGCS["WGS 84",DATUM["file:///etc/passwd"]]',
    ):
        message = refused("url.zip", zip_of({**members, "boundary.prj": prj.encode()}))
        assert ".prj" in message and "外部引用" in message


def test_prj_that_is_not_wkt_is_refused(tmp_path):
    source = write_geojson(tmp_path, two_towns())
    with zipfile.ZipFile(io.BytesIO(shapefile_zip(tmp_path, source))) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist() if not info.filename.endswith(".prj")}
    assert "不是 WKT" in refused("proj4.zip", zip_of({**members, "boundary.prj": b"EPSG:4326"}))


def test_shp_with_a_bad_header_is_refused():
    assert ".shp 文件头无效" in refused("fake.zip", zip_of({"a.shp": b"not a shapefile" * 10, "a.shx": b"x" * 100, "a.dbf": b"\x03" + b"\0" * 40}))


def test_not_a_zip_is_refused():
    assert "不是有效的 zip" in refused("fake.zip", b"just text")


def test_shapefile_in_a_subfolder_is_accepted(tmp_path):
    source = write_geojson(tmp_path, two_towns())
    assert opened_layer_names("nested.zip", shapefile_zip(tmp_path, source, folder="export/")) == ["layer"]


# --- GeoPackage ----------------------------------------------------------------------------------------------------


def test_text_file_renamed_gpkg_is_refused():
    assert "不是有效的 GeoPackage" in refused("fake.gpkg", "这不是数据库\n" * 20)


def test_plain_sqlite_database_is_not_a_geopackage(tmp_path):
    path = tmp_path / "plain.gpkg"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    assert "不是 GeoPackage" in refused("plain.gpkg", path.read_bytes())


def _tampered_gpkg(tmp_path: Path, sql: str) -> bytes:
    path = geopackage(tmp_path, write_geojson(tmp_path, two_towns()))
    connection = sqlite3.connect(path)
    connection.executescript(sql)
    connection.commit()
    connection.close()
    return path.read_bytes()


def test_geopackage_srs_definition_with_url_is_refused(tmp_path):
    data = _tampered_gpkg(tmp_path, "UPDATE gpkg_spatial_ref_sys SET definition = 'GEOGCS[\"x\",DATUM[\"https://evil.example/x\"]]' WHERE srs_id = 4326;")
    message = refused("evil.gpkg", data)
    assert "坐标系定义" in message and "外部引用" in message


def test_geopackage_vsi_reference_in_metadata_is_refused(tmp_path):
    data = _tampered_gpkg(
        tmp_path,
        "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) VALUES ('dataset', 'x', 'text/plain', '<VRTDataset><SrcDataSource>/vsicurl/http://evil.example/a.shp</SrcDataSource></VRTDataset>');",
    )
    assert "gpkg_metadata" in refused("evil.gpkg", data)


def test_geopackage_foreign_virtual_table_is_refused(tmp_path):
    data = _tampered_gpkg(tmp_path, "CREATE VIRTUAL TABLE sneaky USING fts4(content);")
    assert "虚拟表" in refused("evil.gpkg", data)


def test_geopackage_view_reading_files_is_refused(tmp_path):
    data = _tampered_gpkg(tmp_path, "CREATE VIEW leak AS SELECT 'file:/etc/passwd' AS path;")
    assert "外部引用" in refused("evil.gpkg", data)


def test_geopackage_tile_layers_are_refused(tmp_path):
    data = _tampered_gpkg(tmp_path, "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('boundary_tiles', 'tiles', 'tiles', 4326); CREATE TABLE boundary_tiles (id INTEGER);")
    assert "只接受矢量要素图层" in refused("tiles.gpkg", data)


# --- GeoJSON -------------------------------------------------------------------------------------------------------


def test_geojson_crs_link_is_refused():
    data = two_towns()
    data["crs"] = {"type": "link", "properties": {"href": "http://evil.example/crs.wkt", "type": "ogcwkt"}}
    assert "不接受链接" in refused("link.geojson", data)


def test_geojson_crs_name_other_than_wgs84_or_cgcs2000_is_refused():
    data = two_towns()
    data["crs"] = {"type": "name", "properties": {"name": "/vsicurl/http://evil.example/x"}}
    assert "不受支持" in refused("name.geojson", data)
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    assert opened_layer_names("ok.geojson", json.dumps(data).encode()) == ["layer"]


def test_geojson_crs_on_a_feature_is_checked_too():
    data = two_towns()
    data["features"][1]["crs"] = {"type": "link", "properties": {"href": "file:///etc/passwd"}}
    assert "第 2 个要素" in refused("link.geojson", data)


def test_geojson_syntax_error_names_line_and_column():
    message = refused("bad.geojson", '{"type": "FeatureCollection",\n "features": [,]}')
    assert "第 2 行" in message


def test_geojson_nan_and_wrong_types_are_refused():
    assert "NaN" in refused("nan.geojson", '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[NaN,1],[2,2],[3,3],[NaN,1]]]}}]}')
    line = collection(feature({}, [[117.8, 36.7], [117.9, 36.8]], kind="LineString"))
    assert "LineString" in refused("line.geojson", line)


def test_geojson_open_ring_is_reported_not_closed_silently():
    ring = box(117.8, 36.7, 117.9, 36.8)[0][:-1]
    message = refused("open.geojson", collection(feature({}, box(117.7, 36.7, 117.75, 36.75)), feature({}, [ring])))
    assert "第 2 个要素" in message and "未闭合" in message


def test_find_reference_allows_ordinary_wkt():
    wkt = 'PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 117E",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],AUTHORITY["EPSG","4548"]]'
    assert uploads.find_reference(wkt) is None
    uploads.check_wkt(wkt, ".prj")


def test_projected_shapefile_and_geopackage_are_refused_with_the_projection_named(tmp_path):
    from wildlife.geo.tests.helpers import ogr2ogr

    source = write_geojson(tmp_path, two_towns())
    projected = tmp_path / "projected.geojson"
    ogr2ogr("-f", "GeoJSON", "-t_srs", "EPSG:4548", str(projected), str(source))  # CGCS2000 / 3-degree GK CM 117E
    message = refused("gk.zip", shapefile_zip(tmp_path, projected))
    assert "投影坐标" in message and "CGCS2000" in message
    gpkg = tmp_path / "gk.gpkg"
    ogr2ogr("-f", "GPKG", "-t_srs", "EPSG:4548", str(gpkg), str(source))
    assert "投影坐标" in refused("gk.gpkg", gpkg.read_bytes())
