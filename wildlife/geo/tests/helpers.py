"""Building boundary files for tests: GeoJSON in memory, Shapefile zips and GeoPackages with GDAL's ogr2ogr."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wildlife.core.testing.data import shared_data


def box(west: float, south: float, east: float, north: float) -> list[list[list[float]]]:
    return [[[west, south], [east, south], [east, north], [west, north], [west, south]]]


def feature(properties: dict[str, Any], rings: list[Any], kind: str = "Polygon") -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": {"type": kind, "coordinates": rings}}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def two_towns() -> dict[str, Any]:
    """王村镇 and 北郊镇 with boundaries a little different from the schematic ones (WGS-84)."""
    return collection(
        feature({"XZQDM": "370306100", "XZQMC": "王村镇"}, box(117.705, 36.645, 117.795, 36.815)),
        feature({"XZQDM": "370306102", "XZQMC": "北郊镇"}, box(117.705, 36.825, 117.975, 36.885)),
    )


def upload(name: str, content: bytes | str | dict[str, Any]) -> SimpleUploadedFile:
    if isinstance(content, dict):
        content = json.dumps(content, ensure_ascii=False)
    if isinstance(content, str):
        content = content.encode("utf-8")
    return SimpleUploadedFile(name, content)


def ogr2ogr(*args: str) -> None:
    if shutil.which("ogr2ogr") is None:
        pytest.skip("ogr2ogr (gdal-bin) is not installed")
    result = subprocess.run(["ogr2ogr", *args], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def write_geojson(directory: Path, data: dict[str, Any], name: str = "source.geojson") -> Path:
    path = directory / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def shapefile_zip(directory: Path, source: Path, *, encoding: str = "UTF-8", keep_cpg: bool = True, folder: str = "") -> bytes:
    """A zip of the Shapefile ogr2ogr writes from `source` (attributes in `encoding`)."""
    out = directory / "shp"
    ogr2ogr("-f", "ESRI Shapefile", "-lco", f"ENCODING={encoding}", "-nln", "boundary", str(out), str(source))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(out.iterdir()):
            if path.suffix == ".cpg" and not keep_cpg:
                continue
            archive.write(path, folder + path.name)
    return buffer.getvalue()


def geopackage(directory: Path, source: Path, name: str = "boundary.gpkg") -> Path:
    target = directory / name
    ogr2ogr("-f", "GPKG", "-nln", "boundary", str(target), str(source))
    return target


def zip_of(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zhoucun_outline_path() -> Path:
    return shared_data("geo", "zhoucun_370306.geojson")
