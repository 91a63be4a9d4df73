"""Synthetic survey data: 1,000,000 observations over 5 years (2021–2025) at 300 sites of 周村区.

Realistic enough to exercise imports, lists and maps: 300 sites spread over the ten towns (120 transects, 100
point-count stations, 50 camera traps, 30 water sampling points on 孝妇河/范阳河/文昌湖), the demo catalogue's
species with a long-tailed (Zipf) frequency and class-I species rare, survey seasons (spring and autumn peaks,
mornings), counts that are mostly 1–3 with flocks now and then, 4 % absence records (count 0), points scattered
within ~300 m of their site, perpendicular distances on transects, and observers from small teams.

    rows = observation_rows(sites, species, n=1_000_000)     # a generator: memory stays flat
    write_csv(path, rows)                                     # the import template's columns (Chinese headers)
    load_raw(project, rows)                                   # raw executemany (SpatiaLite) / COPY (PostGIS)

`python -m bench.run surveys_data` loads the dataset into the project “bench-surveys-data” (once) and prints the raw
load rate. The import benchmark (bench_surveys_import.py) uses the same generator.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import random
import struct
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import Figure

ROWS = int(os.environ.get("BENCH_SURVEYS_ROWS", "1000000"))
SITES = 300
YEARS = (2021, 2022, 2023, 2024, 2025)
SEED = 20260301
PROJECT_CODE = "bench-surveys-data"
CSV_HEADER = ["记录编号", "物种", "数量", "观测时间", "经度", "纬度", "位点编号", "调查方法", "性别", "年龄阶段", "垂直距离(米)", "观测人", "备注"]
KIND_PLAN = (("transect", 120), ("point", 100), ("camera", 50), ("water_sampling", 30))
METHOD_OF_KIND = {"transect": "样线法", "point": "样点法", "camera": "红外相机", "water_sampling": "网捕/渔获"}
METHOD_CODE = {"样线法": "transect", "样点法": "point_count", "红外相机": "camera_trap", "网捕/渔获": "net"}
WATER_BODIES = ((117.80, 36.78, "孝妇河"), (117.86, 36.72, "范阳河"), (117.84, 36.67, "文昌湖"))
OBSERVERS = ("张伟", "王芳", "李强", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴婷", "孙浩", "马丽")
SEXES = ("", "", "", "雄", "雌")
STAGES = ("", "", "成体", "成体", "幼体")


@dataclass(frozen=True)
class SiteSpec:
    code: str
    kind: str
    lon: float
    lat: float
    method: str
    pk: int = 0
    area_id: int = 0


# --- reference data ------------------------------------------------------------------------------------------------


def reference() -> Any:
    """Areas, departments and the demo species catalogue (idempotent)."""
    from wildlife.core.testing.cast import setup_reference
    from wildlife.species.models import Species

    areas = setup_reference()
    if Species.objects.count() < 100:
        from wildlife.species.demo import load

        load()
    return areas


def bench_user(username: str = "bench_surveys_io") -> Any:
    """A district officer of 区自然资源局 (the importing user)."""
    from wildlife.accounts.models import User
    from wildlife.core.testing.cast import make_business_user
    from wildlife.geo.models import AdminArea

    user = User.objects.filter(username=username).first()
    if user is None:
        user = make_business_user(username, department_code="natural_resources", area=AdminArea.objects.get(name="周村区"))
    return user


def ensure_project(code: str, name: str) -> Any:
    from wildlife.accounts.models import Department
    from wildlife.geo.models import AdminArea
    from wildlife.surveys.models import SurveyProject

    district = AdminArea.objects.get(name="周村区")
    project, _created = SurveyProject.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": "terrestrial",
            "lead_department": Department.objects.get(code="natural_resources"),
            "start_date": dt.date(YEARS[0], 1, 1),
            "end_date": dt.date(YEARS[-1], 12, 31),
            "area": district,
            "district": district,
            "description": "合成数据（基准测试用），非真实调查记录",
        },
    )
    return project


def species_weights(seed: int = SEED) -> list[tuple[str, float]]:
    """(Chinese name, weight): Zipf over the catalogue's wild species; class-I species 20× rarer."""
    from wildlife.species.models import Species

    rng = random.Random(seed)
    rows = list(Species.objects.filter(is_livestock=False).order_by("pk").values_list("name_zh", "protection"))
    rng.shuffle(rows)
    weights = []
    for rank, (name, protection) in enumerate(rows[:150], start=1):
        weight = 1.0 / rank**1.1
        if protection == "national_1":
            weight /= 20
        weights.append((name, weight))
    return weights


def ensure_sites(project: Any, n: int = SITES, seed: int = SEED) -> list[SiteSpec]:
    """`n` sites of the four kinds, each inside a town (created once per project)."""
    from django.contrib.gis.geos import LineString, Point

    from wildlife.geo.selectors import area_ids_for_points
    from wildlife.surveys.models import SurveySite

    existing = list(SurveySite.objects.filter(project=project).order_by("code"))
    if len(existing) < n:
        rng = random.Random(seed)
        specs: list[tuple[str, str, float, float]] = []
        number = 0
        for kind, count in KIND_PLAN:
            for _ in range(count * n // SITES):
                while True:
                    if kind == "water_sampling":
                        x, y, _water = WATER_BODIES[number % len(WATER_BODIES)]
                        lon, lat = x + rng.uniform(-0.02, 0.02), y + rng.uniform(-0.01, 0.01)
                    else:
                        lon, lat = rng.uniform(117.705, 117.975), rng.uniform(36.645, 36.885)
                    if area_ids_for_points([lon], [lat])[0] is not None:
                        break
                number += 1
                specs.append((f"{kind[0].upper()}{number:03d}", kind, lon, lat))
        area_ids = area_ids_for_points([s[2] for s in specs], [s[3] for s in specs])
        sites = []
        for (code, kind, lon, lat), area_id in zip(specs, area_ids, strict=True):
            geometry = LineString((lon - 0.0056, lat), (lon + 0.0056, lat), srid=4326) if kind == "transect" else Point(lon, lat, srid=4326)
            sites.append(
                SurveySite(
                    project=project,
                    code=code,
                    name=f"合成{METHOD_OF_KIND[kind]}位点 {code}",
                    kind=kind,
                    geometry=geometry,
                    length_m=1000.0 if kind == "transect" else None,
                    strip_half_width_m=50.0 if kind == "transect" else None,
                    area_id=area_id,
                    district_id=project.district_id,
                )
            )
        SurveySite.objects.filter(project=project).delete()
        SurveySite.objects.bulk_create(sites, batch_size=500)
        existing = list(SurveySite.objects.filter(project=project).order_by("code"))
    result = []
    for site in existing:
        point = site.geometry if site.geometry.geom_type == "Point" else site.geometry.point_on_surface
        result.append(SiteSpec(site.code, site.kind, float(point.x), float(point.y), METHOD_OF_KIND[site.kind], site.pk, site.area_id))
    return result


# --- observations ----------------------------------------------------------------------------------------------------


def _season_days(rng: random.Random, year: int) -> dt.date:
    # survey seasons: April–June and September–November, a little in winter for waterbirds
    month = rng.choices((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), weights=(4, 3, 5, 12, 14, 9, 4, 4, 10, 13, 10, 5))[0]
    day = rng.randint(1, 28)
    return dt.date(year, month, day)


def observation_rows(sites: list[SiteSpec], species: list[tuple[str, float]], *, n: int = ROWS, seed: int = SEED, prefix: str = "SYN") -> Iterator[tuple[Any, ...]]:
    """`n` observations as template rows: (id, species, count, time, lon, lat, site, method, sex, stage, distance,
    observer, remarks). Deterministic for a seed; generated lazily."""
    rng = random.Random(seed)
    names = [s[0] for s in species]
    cumulative = []
    total = 0.0
    for _name, weight in species:
        total += weight
        cumulative.append(total)
    site_weights = [3 if s.kind == "transect" else 2 if s.kind == "point" else 1 for s in sites]
    site_cumulative = []
    acc = 0
    for w in site_weights:
        acc += w
        site_cumulative.append(acc)
    choices = rng.choices
    for i in range(n):
        site = choices(sites, cum_weights=site_cumulative)[0]
        year = YEARS[i * len(YEARS) // n]
        day = _season_days(rng, year)
        hour = rng.choice((6, 7, 7, 8, 8, 9, 10, 16, 17)) if site.kind != "camera" else rng.randint(0, 23)
        when = f"{day.isoformat()} {hour:02d}:{rng.randint(0, 59):02d}"
        absent = rng.random() < 0.04
        name = choices(names, cum_weights=cumulative)[0]
        count = 0 if absent else (1 if rng.random() < 0.55 else rng.randint(2, 4) if rng.random() < 0.8 else rng.randint(5, 60))
        r = 300 * math.sqrt(rng.random())
        angle = rng.random() * 2 * math.pi
        lon = site.lon + (r * math.cos(angle)) / 89_300
        lat = site.lat + (r * math.sin(angle)) / 111_000
        distance = f"{abs(rng.gauss(0, 25)):.1f}" if site.kind == "transect" and not absent else ""
        yield (
            f"{prefix}-{i:07d}",
            name,
            count,
            when,
            f"{lon:.6f}",
            f"{lat:.6f}",
            site.code,
            site.method,
            rng.choice(SEXES),
            rng.choice(STAGES),
            distance,
            rng.choice(OBSERVERS),
            "未见个体" if absent else "",
        )


def write_csv(path: Path, rows: Iterable[tuple[Any, ...]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


# --- raw loading (also the baseline of the import benchmark) --------------------------------------------------------

RAW_COLUMNS = (
    "created_at", "updated_at", "area_id", "district_id", "version", "project_id", "site_id", "occurrence_id",
    "species_id", "verbatim_name", "observation_type", "count", "sex", "life_stage", "behaviour", "observed_at",
    "location", "method", "observer", "is_sensitive", "remarks",
)  # fmt: skip
SEX_CODE = {"雄": "male", "雌": "female", "": ""}
STAGE_CODE = {"成体": "adult", "幼体": "juvenile", "": ""}


def raw_tuples(rows: Iterable[tuple[Any, ...]], *, project: Any, sites: list[SiteSpec], species_ids: dict[str, tuple[int, bool]], now: str) -> Iterator[tuple[Any, ...]]:
    """Template rows → values for RAW_COLUMNS (the town of each row is its site's: no lookup in the raw path)."""
    by_code = {s.code: s for s in sites}
    for occ, name, count, when, lon, lat, code, method, sex, stage, _distance, observer, remarks in rows:
        site = by_code[code]
        species_id, sensitive = species_ids[name]
        observed = dt.datetime.fromisoformat(when) - dt.timedelta(hours=8)  # Asia/Shanghai → UTC
        yield (
            now, now, site.area_id, project.district_id, 1, project.pk, site.pk, occ, species_id, name, "animal", count,
            SEX_CODE[sex], STAGE_CODE[stage], "", observed.isoformat(" "), float(lon), float(lat), METHOD_CODE[method],
            observer, sensitive, remarks,
        )  # fmt: skip


def _hex_point(lon: float, lat: float) -> str:
    return struct.pack("<BIIdd", 1, 0x20000001, 4326, lon, lat).hex()


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def raw_insert_batches(batches: Iterable[list[tuple[Any, ...]]]) -> tuple[int, float]:
    """Insert pre-built batches with raw executemany (SpatiaLite) or COPY (PostGIS), one transaction per batch;
    returns (rows, seconds spent in the database only)."""
    from django.db import connection, transaction

    connection.ensure_connection()
    rows = 0
    spent = 0.0
    if connection.vendor == "postgresql":
        columns = ", ".join(RAW_COLUMNS)
        for batch in batches:
            lines = []
            for t in batch:
                values = [*t[:15], t[15] + "+00:00", _hex_point(t[16], t[17]), *t[18:]]
                lines.append("\t".join(_copy_text(v) for v in values))
            payload = ("\n".join(lines) + "\n").encode("utf-8")
            started = time.perf_counter()
            with transaction.atomic(), connection.connection.cursor() as cursor, cursor.copy(f"COPY surveys_observation ({columns}) FROM STDIN") as copy:
                copy.write(payload)
            spent += time.perf_counter() - started
            rows += len(batch)
        return rows, spent
    marks = ", ".join("MakePoint(?, ?, 4326)" if c == "location" else "?" for c in RAW_COLUMNS)
    sql = f"INSERT INTO surveys_observation ({', '.join(RAW_COLUMNS)}) VALUES ({marks})"
    for batch in batches:
        params = [(*t[:16], t[16], t[17], *t[18:19], t[19], 1 if t[20] else 0, t[21]) for t in batch]
        started = time.perf_counter()
        with transaction.atomic():
            cursor = connection.connection.cursor()
            cursor.executemany(sql, params)
            cursor.close()
        spent += time.perf_counter() - started
        rows += len(batch)
    return rows, spent


def species_lookup() -> dict[str, tuple[int, bool]]:
    from wildlife.species.models import Species

    return {name: (pk, protection == "national_1") for pk, name, protection in Species.objects.values_list("pk", "name_zh", "protection")}


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def clear_project_observations(project: Any) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM surveys_observation WHERE project_id = %s", [project.pk])


def run() -> list[Figure]:
    """Load the synthetic dataset into “bench-surveys-data” (once; BENCH_SURVEYS_ROWS sets the size)."""
    from django.utils import timezone

    from wildlife.surveys.models import Observation

    reference()
    project = ensure_project(PROJECT_CODE, "基准测试：合成监测数据（五年、300 个位点）")
    sites = ensure_sites(project)
    have = Observation.objects.filter(project=project).count()
    if have >= ROWS:
        print(f"  {PROJECT_CODE}: {have:,} observations already present")
        return []
    clear_project_observations(project)
    now = timezone.now().isoformat(" ")
    tuples = raw_tuples(observation_rows(sites, species_weights(), n=ROWS), project=project, sites=sites, species_ids=species_lookup(), now=now)
    started = time.perf_counter()
    rows, in_db = raw_insert_batches(batched(tuples, 20_000))
    elapsed = time.perf_counter() - started
    print(f"  generated {rows:,} observations at {len(sites)} sites over {len(YEARS)} years in {elapsed:.1f} s ({in_db:.1f} s in the database)")
    return [Figure("synthetic data load (generate + raw insert)", rows / elapsed, rows / in_db, "rows/s")]
