"""GCJ-02 ⇄ WGS-84 conversion."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wildlife.geo.coords import (
    convert_coordinates,
    converter_for,
    gcj02_to_wgs84,
    gcj02_to_wgs84_arrays,
    haversine_m,
    wgs84_to_gcj02,
)

# published test vectors of the forward formula: (WGS-84 lon, lat) → (GCJ-02 lon, lat)
# eviltransform's test suite (Shanghai, Shenzhen, Beijing) and coordtransform's README example
FORWARD_VECTORS = [
    ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),
    ((113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),
    ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),
    ((116.404, 39.915), (116.41024449916938, 39.91640428150164)),
]


@pytest.mark.parametrize(("wgs", "gcj"), FORWARD_VECTORS)
def test_forward_formula_matches_published_vectors(wgs, gcj):
    lon, lat = wgs84_to_gcj02(*wgs)
    assert lon == pytest.approx(gcj[0], abs=1e-9)
    assert lat == pytest.approx(gcj[1], abs=1e-9)


@pytest.mark.parametrize(("wgs", "gcj"), FORWARD_VECTORS)
def test_inverse_recovers_the_wgs84_point(wgs, gcj):
    lon, lat = gcj02_to_wgs84(*gcj)
    assert haversine_m(lon, lat, *wgs) < 0.01


def test_known_zhoucun_point_round_trip_within_half_a_metre():
    # 周村区 centre: the GCJ-02 offset here is about 520 m, almost due east
    wgs = (117.85, 36.77)
    gcj = wgs84_to_gcj02(*wgs)
    offset = haversine_m(*wgs, *gcj)
    assert 400 < offset < 700
    assert gcj[0] > wgs[0]
    back = gcj02_to_wgs84(*gcj)
    assert haversine_m(*back, *wgs) < 0.5


def test_the_simple_one_step_inverse_would_not_be_good_enough():
    # subtracting the offset once (what many snippets do) leaves 1–2 m of error here; the iteration does not
    wgs = (117.85, 36.77)
    gcj = np.array([wgs84_to_gcj02(*wgs)])
    fwd = np.array([wgs84_to_gcj02(*gcj[0])])
    one_step = (2 * gcj[0][0] - fwd[0][0], 2 * gcj[0][1] - fwd[0][1])
    iterated = gcj02_to_wgs84(*gcj[0])
    assert haversine_m(*one_step, *wgs) > 0.5
    assert haversine_m(*iterated, *wgs) < 0.001


@settings(max_examples=200, deadline=None)
@given(lon=st.floats(min_value=73.7, max_value=134.9), lat=st.floats(min_value=3.9, max_value=53.5))
def test_round_trip_anywhere_in_china_is_sub_metre(lon, lat):
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert haversine_m(*back, lon, lat) < 0.5


def test_outside_china_nothing_moves():
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert gcj02_to_wgs84(-74.0, 40.7) == (-74.0, 40.7)


def test_arrays_and_nested_coordinates_keep_rings_closed():
    ring = [[117.8, 36.7], [117.9, 36.7], [117.9, 36.8], [117.8, 36.8], [117.8, 36.7]]
    converted = convert_coordinates([[ring]], gcj02_to_wgs84_arrays)
    out = converted[0][0]
    assert len(out) == 5
    assert out[0] == out[-1]
    assert all(haversine_m(*a, *b) > 300 for a, b in zip(ring, out, strict=True))


def test_cgcs2000_and_wgs84_are_stored_as_they_are():
    assert converter_for("wgs84") is None
    assert converter_for("cgcs2000") is None
    assert converter_for("gcj02") is gcj02_to_wgs84_arrays
    with pytest.raises(ValueError):
        converter_for("bd09")
