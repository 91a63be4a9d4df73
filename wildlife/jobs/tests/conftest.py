"""Job handlers used by the tests (registered when this module loads) and an isolated media folder."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from wildlife.jobs.context import JobContext, JobError
from wildlife.jobs.registry import job_handler

CALLS: dict[str, int] = {}


@job_handler("test.count", label="测试计数任务")
def count_handler(ctx: JobContext) -> None:
    """Counts to params["n"], writes a result file and, when asked, an error report."""
    CALLS["test.count"] = CALLS.get("test.count", 0) + 1
    n = int(ctx.params.get("n", 10))
    for i in range(1, n + 1):
        ctx.progress(i, n)
    errors = int(ctx.params.get("errors", 0))
    if errors:
        ctx.add_errors(errors)
        ctx.save_report("errors.csv", "行号,原因\n3,物种未找到\n".encode())
    ctx.log(f"处理 {n} 行")
    ctx.save_result("result.csv", f"序号\n{n}\n".encode())
    ctx.set_summary(新增=n, 跳过=0)


@job_handler("test.user_error", label="测试失败任务")
def user_error_handler(ctx: JobContext) -> None:
    ctx.progress(3, 10, force=True)
    raise JobError("第 3 行 物种：未找到“东北虎”")


@job_handler("test.crash", label="测试崩溃任务")
def crash_handler(ctx: JobContext) -> None:
    secrets: dict[str, Any] = {}
    # an internal error whose text must not reach the user
    secrets["db_password_hint"]


@job_handler("test.invalid", label="测试校验任务")
def invalid_handler(ctx: JobContext) -> None:
    raise ValidationError({"file": ["文件不是有效的 Excel 工作簿"]})


@job_handler("test.resumable", label="测试续跑任务", resumable=True)
def resumable_handler(ctx: JobContext) -> None:
    """Processes rows params["n"] from the checkpoint on; records which rows this run did."""
    n = int(ctx.params.get("n", 100))
    start = int(ctx.resume_state.get("row", 0))
    done_here = []
    for row in range(start, n):
        done_here.append(row)
        ctx.progress(row + 1, n)
        if (row + 1) % 10 == 0:
            ctx.checkpoint(row=row + 1)
    ctx.set_summary(本次起始行=start, 本次处理=len(done_here))


@job_handler("test.plain", label="测试普通任务")
def plain_handler(ctx: JobContext) -> None:
    ctx.progress(1, 1)


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    CALLS.clear()
