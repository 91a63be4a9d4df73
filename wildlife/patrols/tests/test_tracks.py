"""Reading GPX and GeoJSON tracks (including malformed and hostile files) and measuring them."""

from __future__ import annotations

import itertools
import json

import pytest
from django.core.exceptions import ValidationError

from wildlife.patrols.tests.factories import WANGCUN_LINE, WANGCUN_LINE_M, gpx
from wildlife.patrols.tracks import (
    ParsedTrack,
    convert_track,
    geodesic_m,
    parse_geojson_track,
    parse_gpx,
    parse_track_upload,
    path_length_m,
)


def messages(exc: pytest.ExceptionInfo[ValidationError], field: str = "track_file") -> str:
    return " ".join(exc.value.message_dict[field])


# --- distance -------------------------------------------------------------------------------------------------------


def test_known_track_length_matches_geographiclib():
    # reference lengths computed with GeographicLib (pyproj.Geod, WGS-84) outside the product
    assert path_length_m(WANGCUN_LINE) == pytest.approx(WANGCUN_LINE_M, abs=0.01)
    assert geodesic_m(117.8, 36.0, 117.8, 37.0) == pytest.approx(110_968.304, abs=0.01)  # one degree of latitude
    assert geodesic_m(117.0, 36.7, 118.0, 36.7) == pytest.approx(89_359.743, abs=0.01)  # one degree of longitude
    assert geodesic_m(117.8, 36.7, 117.8, 36.7) == 0.0


def test_gaps_between_segments_are_not_walked():
    one = ParsedTrack(segments=[WANGCUN_LINE[:2], WANGCUN_LINE[2:]])
    expected = geodesic_m(*WANGCUN_LINE[0], *WANGCUN_LINE[1]) + geodesic_m(*WANGCUN_LINE[2], *WANGCUN_LINE[3])
    assert one.length_m() == pytest.approx(expected)
    assert one.length_m() < WANGCUN_LINE_M


def test_gcj02_track_is_moved_to_wgs84():
    track = parse_geojson_track(json.dumps({"type": "LineString", "coordinates": [list(p) for p in WANGCUN_LINE]}))
    moved = convert_track(track, "gcj02")
    shift = geodesic_m(*track.points[0], *moved.points[0])
    assert 200 < shift < 800  # GCJ-02 is offset by a few hundred metres in Shandong
    assert convert_track(track, "wgs84") is track


# --- GPX ------------------------------------------------------------------------------------------------------------


def test_gpx_11_points_times_and_name():
    track = parse_gpx(gpx())
    assert track.points == WANGCUN_LINE
    assert track.name == "测试轨迹"
    assert track.started_at.isoformat() == "2026-03-12T00:30:00+00:00"
    assert track.ended_at.isoformat() == "2026-03-12T01:30:00+00:00"
    assert track.length_m() == pytest.approx(WANGCUN_LINE_M, abs=0.01)


def test_gpx_10_and_route_points_and_no_namespace():
    assert parse_gpx(gpx(version="1.0")).point_count == 4
    route = b'<gpx version="1.1"><rte><name>R</name><rtept lat="36.66" lon="117.72"/><rtept lat="36.68" lon="117.74"/></rte></gpx>'
    track = parse_gpx(route)
    assert track.points == [(117.72, 36.66), (117.74, 36.68)] and track.name == "R"


def test_gpx_duplicate_points_are_dropped_and_one_point_refused():
    doubled = gpx([WANGCUN_LINE[0], WANGCUN_LINE[0], WANGCUN_LINE[1]])
    assert parse_gpx(doubled).point_count == 2
    with pytest.raises(ValidationError) as exc:
        parse_gpx(gpx([WANGCUN_LINE[0], WANGCUN_LINE[0]]))
    assert "至少需要两个" in messages(exc)


def test_gpx_broken_xml_names_line_and_column():
    with pytest.raises(ValidationError) as exc:
        parse_gpx(b'<?xml version="1.0"?>\n<gpx>\n<trk><trkseg><trkpt lat="1" lon="2"></trkseg></trk></gpx>')
    text = messages(exc)
    assert "不是有效的 XML" in text and "第 3 行" in text


def test_gpx_bad_points_name_point_and_field():
    data = (
        b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        b'<trkpt lat="36.66" lon="117.72"/>'
        b'<trkpt lat="abc" lon="117.74"/>'
        b'<trkpt lon="117.75"/>'
        b'<trkpt lat="36.7" lon="250"/>'
        b'<trkpt lat="36.72" lon="117.73"><time>yesterday</time></trkpt>'
        b"</trkseg></trk></gpx>"
    )
    with pytest.raises(ValidationError) as exc:
        parse_gpx(data)
    text = messages(exc)
    assert "第 1 条轨迹第 1 段第 2 个点：纬度 lat「abc」不是数字" in text
    assert "第 3 个点：缺少纬度 lat" in text
    assert "第 4 个点：经度 lon 250 超出范围" in text
    assert "第 5 个点：时间「yesterday」格式不正确" in text


def test_gpx_wrong_root_namespace_and_empty():
    with pytest.raises(ValidationError) as exc:
        parse_gpx(b"<kml><Document/></kml>")
    assert "根元素应为 <gpx>" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        parse_gpx(b'<gpx xmlns="http://example.com/other"><trk/></gpx>')
    assert "命名空间" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        parse_gpx(b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><metadata/></gpx>')
    assert "没有轨迹点" in messages(exc)
    with pytest.raises(ValidationError):
        parse_gpx(b"   ")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&lol9;</name><trkseg>
<trkpt lat="36.66" lon="117.72"/><trkpt lat="36.68" lon="117.74"/></trkseg></trk></gpx>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&xxe;</name><trkseg>
<trkpt lat="36.66" lon="117.72"/><trkpt lat="36.68" lon="117.74"/></trkseg></trk></gpx>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE gpx SYSTEM "http://example.com/evil.dtd">
<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="36.66" lon="117.72"/><trkpt lat="36.68" lon="117.74"/></trkseg></trk></gpx>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE, EXTERNAL_DTD], ids=["billion-laughs", "xxe-file", "external-dtd"])
def test_gpx_dtd_and_entities_are_refused(payload):
    with pytest.raises(ValidationError) as exc:
        parse_gpx(payload)
    text = messages(exc)
    assert "安全原因拒绝" in text
    assert "root:" not in text


def test_gpx_entity_declared_without_doctype_wrapper_is_refused_in_utf16():
    # the same attack in another encoding still reaches the DTD gate (expat decodes before the handlers run)
    with pytest.raises(ValidationError) as exc:
        parse_gpx(BILLION_LAUGHS.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16"))
    assert "安全原因拒绝" in messages(exc)


def test_gpx_undefined_entity_is_an_xml_error():
    with pytest.raises(ValidationError) as exc:
        parse_gpx(b'<gpx><trk><name>&nope;</name></trk></gpx>')
    assert "不是有效的 XML" in messages(exc)


def test_gpx_point_limit(monkeypatch):
    monkeypatch.setattr("wildlife.patrols.tracks.MAX_TRACK_POINTS", 3)
    with pytest.raises(ValidationError) as exc:
        parse_gpx(gpx())
    assert "轨迹点过多" in messages(exc)


# --- GeoJSON --------------------------------------------------------------------------------------------------------


def test_geojson_forms_accepted():
    line = {"type": "LineString", "coordinates": [list(p) for p in WANGCUN_LINE]}
    assert parse_geojson_track(json.dumps(line)).points == WANGCUN_LINE
    feature = {"type": "Feature", "geometry": line, "properties": {"name": "河道巡护", "coordTimes": ["2026-03-12T08:00:00+08:00", "2026-03-12T09:00:00+08:00"]}}
    parsed = parse_geojson_track(json.dumps(feature))
    assert parsed.name == "河道巡护" and parsed.started_at.hour == 8
    multi = {"type": "MultiLineString", "coordinates": [[list(p) for p in WANGCUN_LINE[:2]], [list(p) for p in WANGCUN_LINE[2:]]]}
    collection = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}, {"type": "Feature", "geometry": multi}]}
    assert len(parse_geojson_track(json.dumps(collection)).segments) == 2


def test_geojson_errors_name_position():
    bad = {"type": "LineString", "coordinates": [[117.72, 36.66], [117.74, "x"], [117.75], [200, 36.7]]}
    with pytest.raises(ValidationError) as exc:
        parse_geojson_track(json.dumps(bad))
    text = messages(exc)
    assert "几何第 2 个坐标：纬度「x」不是数字" in text
    assert "第 3 个坐标：应为 [经度, 纬度]" in text
    assert "第 4 个坐标：经度 200 超出范围" in text


def test_geojson_syntax_and_type_errors():
    with pytest.raises(ValidationError) as exc:
        parse_geojson_track('{"type": "LineString",\n "coordinates": [[1, 2],, ]}')
    assert "第 2 行" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        parse_geojson_track('{"type": "LineString", "coordinates": [[NaN, 36.6], [117.7, 36.7]]}')
    assert "NaN" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        parse_geojson_track(json.dumps({"type": "Polygon", "coordinates": []}))
    assert "不支持的 GeoJSON 类型" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        parse_geojson_track(json.dumps({"type": "FeatureCollection", "features": []}))
    assert "没有线要素" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        parse_geojson_track("[1, 2]")
    assert "顶层应为对象" in messages(exc)


def test_geojson_crs_link_refused():
    data = {"type": "LineString", "crs": {"type": "link", "properties": {"href": "http://example.com/crs"}}, "coordinates": [[117.72, 36.66], [117.74, 36.68]]}
    with pytest.raises(ValidationError) as exc:
        parse_geojson_track(json.dumps(data))
    assert "crs" in messages(exc)
    named = {**data, "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}}
    assert parse_geojson_track(json.dumps(named)).point_count == 2


def test_upload_dispatch_by_name_and_content():
    assert parse_track_upload(name="a.gpx", data=gpx()).source_format == "gpx"
    assert parse_track_upload(name="noext", data=gpx()).source_format == "gpx"
    geo = json.dumps({"type": "LineString", "coordinates": [list(p) for p in WANGCUN_LINE]}).encode()
    assert parse_track_upload(name="a.geojson", data=geo).source_format == "geojson"
    with pytest.raises(ValidationError) as exc:
        parse_track_upload(name="track.kml", data=b"PK\x03\x04zip")
    assert "不支持的轨迹文件类型" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        parse_track_upload(name="bad.geojson", data="轨迹".encode("gbk"))
    assert "UTF-8" in messages(exc)


def test_short_legs_measured_flat_agree_with_vincenty():
    from wildlife.patrols.tracks import leg_lengths_m

    # a GPS-like track: 2,000 legs of about 10 m across the hills of 王村镇
    points = [(117.72 + i * 0.0001, 36.66 + (i % 7) * 0.00003) for i in range(2001)]
    flat = leg_lengths_m(points)
    exact = [geodesic_m(*a, *b) for a, b in itertools.pairwise(points)]
    assert max(abs(f - e) for f, e in zip(flat, exact, strict=True)) < 1e-6
    assert path_length_m(points) == pytest.approx(sum(exact), abs=1e-3)  # 0.08 µm per leg, 1 mm in 2,000 legs


def test_oversized_upload_refused_before_reading(monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wildlife.patrols.tracks import read_track_upload

    monkeypatch.setattr("wildlife.patrols.tracks.MAX_TRACK_BYTES", 100)
    class Unread(SimpleUploadedFile):
        def read(self, *args):  # type: ignore[override]
            pytest.fail("the file was read")

    with pytest.raises(ValidationError) as exc:
        read_track_upload(Unread("big.gpx", gpx()))
    assert "过大" in messages(exc)
    assert read_track_upload(SimpleUploadedFile("ok.gpx", b'<gpx><trk><trkseg><trkpt lat="1" lon="2"/><trkpt lat="1.1" lon="2"/></trkseg></trk></gpx>')).point_count == 2
