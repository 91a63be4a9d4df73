"""Reading a GPS track: the checked GPX reader (DTD/entity gate, per-point validation, ellipsoidal length) against
the raw standard-library parse of the same file (ElementTree, coordinates to floats, no checks).

Target: the checks may cost at most half the raw speed (ratio ≥ 0.5) on a 20,000-point track.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from bench.common import Figure, rate

POINTS = 20_000


def _gpx() -> bytes:
    rows = []
    for i in range(POINTS):
        lon = 117.72 + 0.02 * math.sin(i / 500) + i * 1e-6
        lat = 36.66 + 0.00002 * i
        rows.append(f'<trkpt lat="{lat:.6f}" lon="{lon:.6f}"><ele>{100 + i % 50}</ele><time>2026-03-12T00:{(i // 60) % 60:02d}:{i % 60:02d}Z</time></trkpt>')
    return ('<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>' + "".join(rows) + "</trkseg></trk></gpx>").encode()


def run() -> list[Figure]:
    from wildlife.patrols.tracks import parse_gpx

    data = _gpx()
    ns = "{http://www.topografix.com/GPX/1/1}"

    def ours() -> int:
        track = parse_gpx(data)
        track.length_m()
        return track.point_count

    def raw() -> int:
        root = ET.fromstring(data)  # noqa: S314
        points = [(float(p.get("lon", "0")), float(p.get("lat", "0"))) for p in root.iter(f"{ns}trkpt")]
        return len(points)

    return [Figure("GPX track read (20,000 points, checked + length)", rate(ours, repeat=5), rate(raw, repeat=5), "points/s", target=0.5)]
