"""Observation import at scale (issue 3): 1,000,000 CSV rows through the importer vs a raw insert, same run.

- SpatiaLite: the importer (CSV parsing, every row check, species, town of each point, sensitivity, batches of one
  transaction each, idempotent insert) against a raw `executemany` of ready-made tuples into the same table with
  the same spatial index (R-tree) and indexes; only the raw path's database time is counted. Target ≥ 0.5.
  The raw rows are deleted before the importer runs, so both write into a table of the same size.
- PostGIS: the same importer (its writer uses COPY) against a raw COPY of ready-made rows with hex EWKB geometry.
- Memory: the process's peak resident size (resource.getrusage) after the million-row import, and the Python heap
  peak (tracemalloc) of a 100,000-row import, which shows that memory does not grow with the file (< 500 MB).

    WILDLIFE_DATABASE_URL=spatialite:///var/bench-surveys-io.sqlite3 python -m bench.run surveys_import
    BENCH_SURVEYS_ROWS=200000 ... (a smaller run)
"""

from __future__ import annotations

import resource
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from bench.bench_surveys_data import (
    ROWS,
    batched,
    bench_user,
    clear_project_observations,
    ensure_project,
    ensure_sites,
    observation_rows,
    raw_insert_batches,
    raw_tuples,
    reference,
    species_lookup,
    species_weights,
    write_csv,
)
from bench.common import Figure

MEMORY_SAMPLE_ROWS = 100_000


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _import(path: Path, project: Any, user: Any) -> Any:
    from wildlife.surveys.importers.base import ImportOptions
    from wildlife.surveys.importers.services import run_import

    return run_import(path=path, fmt="csv", project=project, actor=user, options=ImportOptions(mode="valid_rows"))


def run() -> list[Figure]:
    from django.db import connection
    from django.utils import timezone

    reference()
    user = bench_user()
    raw_project = ensure_project("bench-import-raw", "基准测试：原始写入（合成数据）")
    ours_project = ensure_project("bench-import-ours", "基准测试：导入器（合成数据）")
    sample_project = ensure_project("bench-import-memory", "基准测试：导入内存（合成数据）")
    raw_sites = ensure_sites(raw_project)
    ours_sites = ensure_sites(ours_project)
    sample_sites = ensure_sites(sample_project)
    for project in (raw_project, ours_project, sample_project):
        clear_project_observations(project)
    weights = species_weights()
    folder = Path(tempfile.mkdtemp(prefix="bench-surveys-import-"))
    path = folder / "observations.csv"
    started = time.perf_counter()
    write_csv(path, observation_rows(ours_sites, weights, n=ROWS, prefix="IMP"))
    print(f"  wrote {ROWS:,} rows ({path.stat().st_size / 1e6:.0f} MB CSV) in {time.perf_counter() - started:.1f} s")

    # the raw baseline: the same rows as ready-made tuples, one transaction per 20,000; database time only
    now = timezone.now().isoformat(" ")
    tuples = raw_tuples(observation_rows(raw_sites, weights, n=ROWS, prefix="IMP"), project=raw_project, sites=raw_sites, species_ids=species_lookup(), now=now)
    raw_rows, raw_seconds = raw_insert_batches(batched(tuples, 20_000))
    raw_rate = raw_rows / raw_seconds
    print(f"  raw {'COPY' if connection.vendor == 'postgresql' else 'executemany'}: {raw_rows:,} rows in {raw_seconds:.1f} s (database time)")
    # the importer then writes into a table of the same size as the raw insert did (inserts slow down as the table
    # and its indexes grow, so a second million would not be a fair comparison)
    started = time.perf_counter()
    clear_project_observations(raw_project)
    print(f"  (raw rows removed again in {time.perf_counter() - started:.0f} s, not timed)")

    rss_before = _peak_rss_mb()
    started = time.perf_counter()
    outcome = _import(path, ours_project, user)
    elapsed = time.perf_counter() - started
    rss_after = _peak_rss_mb()
    print(f"  importer: {outcome.total:,} rows read, {outcome.created:,} stored, {outcome.error_count} errors in {elapsed:.1f} s; peak RSS {rss_after:.0f} MB (before the import {rss_before:.0f} MB)")
    for issue in outcome.errors[:5]:
        print(f"    {issue.text}")

    # memory does not grow with the file: Python heap peak of a 100,000-row import
    sample = folder / "sample.csv"
    write_csv(sample, observation_rows(sample_sites, weights, n=min(MEMORY_SAMPLE_ROWS, ROWS), prefix="MEM"))
    tracemalloc.start()
    _import(sample, sample_project, user)
    _current, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  importer heap peak (tracemalloc, {min(MEMORY_SAMPLE_ROWS, ROWS):,} rows): {heap_peak / 1e6:.0f} MB; process peak RSS {_peak_rss_mb():.0f} MB (target < 500 MB)")
    for file in (path, sample):
        file.unlink(missing_ok=True)
    folder.rmdir()
    name = "observation import CSV → " + ("PostGIS (vs raw COPY)" if connection.vendor == "postgresql" else "SpatiaLite (vs executemany)")
    verdict = "OK" if _peak_rss_mb() < 500 else "ABOVE TARGET"
    print(f"  memory: process peak RSS {_peak_rss_mb():.0f} MB < 500 MB: {verdict}")
    return [Figure(name, ROWS / elapsed, raw_rate, "rows/s", target=0.5)]
