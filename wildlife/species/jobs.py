"""The species-list import job: runs the importer on the uploaded file and saves the Excel report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from wildlife.jobs.context import JobError
from wildlife.jobs.registry import job_handler
from wildlife.species.importers import ImportFileError, ImportRejected, VersionSpec, build_report, import_species_list

JOB_KIND = "species_import"


def spec_from_params(params: dict[str, Any]) -> VersionSpec:
    def day(value: Any) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return VersionSpec(
        code=params["version_code"],
        kind=params["kind"],
        effective_from=day(params.get("effective_from")),
        effective_to=day(params.get("effective_to")),
        name=params.get("version_name", ""),
        document=params.get("document", ""),
        issued_by=params.get("issued_by", ""),
        source_note=params.get("source_note", ""),
    )


@job_handler(JOB_KIND, label="导入保护名录")
def run_species_import(ctx: Any) -> None:
    """Import the uploaded list; the report lists every error, conflict and notice as "第 N 行 字段: 原因"."""
    params = ctx.params
    spec = spec_from_params(params)
    ctx.log(f"开始导入：{params.get('filename', '')} → {spec.code}（{params.get('mode')}）")
    try:
        result = import_species_list(
            actor=ctx.actor,
            path=ctx.input_path(),
            spec=spec,
            mode=params.get("mode", "valid_rows"),
            fmt=params.get("format") or None,
            progress=lambda done, total: ctx.progress(done, total),
        )
    except ImportRejected as rejected:
        result = rejected.result
        ctx.add_errors(result.error_count + result.conflict_count)
        ctx.save_report("species-import-report.xlsx", build_report(result))
        ctx.set_summary(**result.summary())
        ctx.log(result.summary_text())
        raise JobError(str(rejected)) from rejected
    except ImportFileError as exc:
        raise JobError(str(exc)) from exc
    except ValidationError as exc:
        raise JobError("；".join(exc.messages)) from exc
    ctx.add_errors(result.error_count + result.conflict_count)
    if result.issues:
        ctx.save_report("species-import-report.xlsx", build_report(result))
    ctx.set_summary(**result.summary())
    ctx.progress(result.total, result.total, force=True)
    ctx.log(result.summary_text())
