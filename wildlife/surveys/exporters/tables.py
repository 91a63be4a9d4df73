"""Observations as Excel (the import template's columns, so an export can be edited and imported again), GeoJSON
and GeoPackage (written directly with sqlite3: the GeoPackage 1.3 tables and the “GP” header + WKB point blobs, no GDAL
needed at run time; GDAL reads the file back in the tests)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import struct
from pathlib import Path
from typing import Any

from django.utils import timezone

from wildlife.core.excel import safe_cell
from wildlife.surveys.choices import LifeStage, ObservationMethod, ObservationType, Sex
from wildlife.surveys.exporters.base import (
    GENERALISATION_NOTE,
    ExportObservation,
    iter_observations,
    local_iso,
    may_see_precise,
    observations_for,
)
from wildlife.surveys.exporters.dwca import temporary_file
from wildlife.surveys.importers.tabular import TEMPLATE_HEADERS
from wildlife.surveys.models import SurveyProject

XLSX_HEADERS = (*TEMPLATE_HEADERS, "物种学名", "所属镇街", "坐标已概化")
METHODS = dict(ObservationMethod.choices)
TYPES = dict(ObservationType.choices)
SEXES = {k: v for k, v in Sex.choices if k}
STAGES = {k: v for k, v in LifeStage.choices if k}


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def xlsx_row(obs: ExportObservation) -> list[Any]:
    return [
        obs.occurrence_id,
        obs.name,
        obs.count,
        timezone.localtime(obs.observed_at).replace(tzinfo=None),
        round(obs.lon, 6),
        round(obs.lat, 6),
        obs.site_code,
        obs.event_key,
        str(METHODS.get(obs.method, "")),
        str(TYPES.get(obs.observation_type, obs.observation_type)),
        str(SEXES.get(obs.sex, "")),
        str(STAGES.get(obs.life_stage, "")),
        obs.behaviour,
        _number(obs.distance_m),
        _number(obs.uncertainty_m),
        _number(obs.biomass_g),
        obs.observer,
        obs.remarks,
        obs.scientific,
        obs.area_name,
        "是" if obs.generalised else "否",
    ]


def build_xlsx(*, project: SurveyProject, user: Any, target: Path | None = None) -> tuple[Path, int]:
    """The observations the user may see, one sheet “调查记录”; a streaming workbook (a million rows fit)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    precise = may_see_precise(user)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("调查记录")
    header = []
    for title in XLSX_HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    rows = 0
    generalised = 0
    for obs in iter_observations(observations_for(user=user, project=project), precise=precise):
        sheet.append([safe_cell(v) for v in xlsx_row(obs)])
        rows += 1
        generalised += obs.generalised
    notes = workbook.create_sheet("说明")
    notes.append([f"{project.name}（{project.code}）调查记录，导出于 {timezone.localtime():%Y-%m-%d %H:%M}，共 {rows} 条。"])
    notes.append(["本表的列与导入模板一致，修改后可直接导入（记录编号相同的记录不会重复新增）。"])
    if generalised:
        notes.append([f"{GENERALISATION_NOTE}：{generalised} 条。"])
    target = target or temporary_file(".xlsx")
    workbook.save(target)
    return target, rows


def feature(obs: ExportObservation) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": obs.occurrence_id,
        "geometry": {"type": "Point", "coordinates": [round(obs.lon, 7), round(obs.lat, 7)]},
        "properties": {
            "occurrence_id": obs.occurrence_id,
            "species": obs.name,
            "scientific_name": obs.scientific,
            "count": obs.count,
            "observed_at": local_iso(obs.observed_at),
            "observation_type": obs.observation_type,
            "method": obs.method,
            "observer": obs.observer,
            "site": obs.site_code,
            "area": obs.area_name,
            "generalised": obs.generalised,
        },
    }


def build_geojson(*, project: SurveyProject, user: Any, target: Path | None = None) -> tuple[Path, int]:
    """A FeatureCollection of the observations (WGS-84), written feature by feature."""
    precise = may_see_precise(user)
    target = target or temporary_file(".geojson")
    rows = 0
    with target.open("w", encoding="utf-8") as handle:
        handle.write('{"type":"FeatureCollection","name":' + json.dumps(project.code) + ',"features":[\n')
        for obs in iter_observations(observations_for(user=user, project=project), precise=precise):
            handle.write(("," if rows else "") + json.dumps(feature(obs), ensure_ascii=False) + "\n")
            rows += 1
        handle.write("]}\n")
    return target, rows


# --- GeoPackage ----------------------------------------------------------------------------------------------------

GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_USER_VERSION = 10300  # 1.3.0
WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
    'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,'
    'AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]'
)
LAYER = "observations"


def gpkg_point(lon: float, lat: float, srs_id: int = 4326) -> bytes:
    """GeoPackage geometry blob: magic "GP", version 0, flags (little-endian, no envelope), SRS id, then WKB."""
    return b"GP" + struct.pack("<BBi", 0, 0b00000001, srs_id) + struct.pack("<BIdd", 1, 1, lon, lat)


def build_gpkg(*, project: SurveyProject, user: Any, target: Path | None = None) -> tuple[Path, int]:
    """A GeoPackage with one point layer “observations”."""
    precise = may_see_precise(user)
    target = target or temporary_file(".gpkg")
    target.unlink(missing_ok=True)
    connection = sqlite3.connect(target)
    try:
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
        cursor.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
        cursor.executescript(
            """
            CREATE TABLE gpkg_spatial_ref_sys (
                srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
                organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
            CREATE TABLE gpkg_contents (
                table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
                last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
                CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
            CREATE TABLE gpkg_geometry_columns (
                table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
                z TINYINT NOT NULL, m TINYINT NOT NULL,
                CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
                CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
                CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
            """
        )
        cursor.executemany(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
            [
                ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
                ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
                ("WGS 84 geodetic", 4326, "EPSG", 4326, WGS84_WKT, "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"),
            ],
        )
        cursor.execute(
            f"""CREATE TABLE {LAYER} (
                fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom POINT, occurrence_id TEXT, species TEXT,
                scientific_name TEXT, count INTEGER, observed_at DATETIME, observation_type TEXT, method TEXT, observer TEXT,
                site TEXT, area TEXT, generalised BOOLEAN)"""
        )
        rows = 0
        bounds = [180.0, 90.0, -180.0, -90.0]
        batch: list[tuple[Any, ...]] = []
        insert = f"INSERT INTO {LAYER} (geom, occurrence_id, species, scientific_name, count, observed_at, observation_type, method, observer, site, area, generalised) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"  # noqa: S608 - constant table name
        for obs in iter_observations(observations_for(user=user, project=project), precise=precise):
            batch.append(
                (
                    gpkg_point(obs.lon, obs.lat),
                    obs.occurrence_id,
                    obs.name,
                    obs.scientific,
                    obs.count,
                    obs.observed_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                    obs.observation_type,
                    obs.method,
                    obs.observer,
                    obs.site_code,
                    obs.area_name,
                    1 if obs.generalised else 0,
                )
            )
            bounds = [min(bounds[0], obs.lon), min(bounds[1], obs.lat), max(bounds[2], obs.lon), max(bounds[3], obs.lat)]
            rows += 1
            if len(batch) >= 5000:
                cursor.executemany(insert, batch)
                batch.clear()
        if batch:
            cursor.executemany(insert, batch)
        if not rows:
            bounds = [117.695, 36.641, 117.981, 36.892]
        cursor.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, 4326)",
            (LAYER, project.name, project.code, *bounds),
        )
        cursor.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', 4326, 0, 0)", (LAYER,))
        connection.commit()
    finally:
        connection.close()
    return target, rows
