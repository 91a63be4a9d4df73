"""Helpers for tests of imports and exports: files in a temporary folder, running an import, running it as a job."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from wildlife.surveys.importers.base import ImportOptions, ImportOutcome
from wildlife.surveys.importers.services import run_import

# points inside the schematic towns of 周村区 (wildlife.geo.reference)
WANGCUN = (117.73, 36.75)  # 王村镇
BEIJIAO = (117.85, 36.85)  # 北郊镇
OUTSIDE = (116.40, 39.90)  # Beijing

HEADER = ["记录编号", "物种", "数量", "观测时间", "经度", "纬度", "位点编号", "调查方法", "性别", "年龄阶段", "垂直距离(米)", "观测人", "备注"]


def csv_text(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER, *, line_ending: str = "\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_ending)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def write_csv(
    folder: Path, rows: Sequence[Sequence[Any]], *, name: str = "obs.csv", encoding: str = "utf-8", header: Sequence[str] = HEADER, line_ending: str = "\n"
) -> Path:
    path = folder / name
    path.write_bytes(csv_text(rows, header, line_ending=line_ending).encode(encoding))
    return path


def write_xlsx(folder: Path, rows: Sequence[Sequence[Any]], *, name: str = "obs.xlsx", header: Sequence[str] = HEADER) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "调查记录"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    path = folder / name
    workbook.save(path)
    return path


def import_file(path: Path, *, project: Any, actor: Any, fmt: str = "csv", mode: str = "valid_rows", external: bool = False, **hooks: Any) -> ImportOutcome:
    """Run an import in this process (no job)."""
    return run_import(path=path, fmt=fmt, project=project, actor=actor, options=ImportOptions(mode=mode, external=external), **hooks)


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def run_import_job(path: Path, *, project: Any, actor: Any, fmt: str = "csv", mode: str = "valid_rows", external: bool = False, capture: Any) -> Any:
    """Start the import job for `path` and run it at once (pass pytest-django's django_capture_on_commit_callbacks)."""
    from wildlife.jobs.models import Job
    from wildlife.surveys.importers.services import observation_import_start

    with capture(execute=True):
        job = observation_import_start(actor=actor, project_id=project.pk, fmt=fmt, mode=mode, external=external, upload=upload(path))
    return Job.objects.get(pk=job.pk)


def report_rows(job: Any, sheet: str = "错误") -> list[tuple[Any, ...]]:
    """The rows (without the header) of a sheet of the job's error report."""
    from openpyxl import load_workbook

    with job.report_file.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()), read_only=True)
    rows = [tuple(r) for r in workbook[sheet].iter_rows(values_only=True)]
    return rows[1:]
