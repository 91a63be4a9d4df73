"""Job kinds: a module registers a handler per kind; the worker runs it with a JobContext.

    from wildlife.jobs.registry import job_handler

    @job_handler("surveys.observation_import", label=_("观测记录导入"), resumable=True)
    def observation_import(ctx: JobContext) -> None:
        start = ctx.resume_state.get("row", 0)
        ...
        ctx.checkpoint(row=n)                    # resumable handlers: where to pick up after a worker crash

Import the module that holds the handlers in the app's ready(), so the web process (which starts jobs) and the
worker (which runs them) both know the kind.

A handler reports a problem the user should read by raising `wildlife.jobs.context.JobError("第 3 行 物种: 未找到")`
(or a Django ValidationError); any other exception is logged for the operators and the user sees a generic Chinese
message with the job number, never a stack trace.

`resumable=True` promises that running the handler again after a crash is safe (idempotent writes) and that it
continues from `ctx.resume_state`; `manage.py jobs_recover` then re-queues an interrupted job instead of failing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wildlife.jobs.context import JobContext

Handler = Callable[["JobContext"], None]


@dataclass(frozen=True)
class HandlerSpec:
    func: Handler
    label: Any
    resumable: bool = False


_HANDLERS: dict[str, HandlerSpec] = {}


def job_handler(kind: str, *, label: Any = "", resumable: bool = False) -> Callable[[Handler], Handler]:
    """Register `func(ctx)` as the handler of `kind` (import the module in the app's ready())."""

    def decorator(func: Handler) -> Handler:
        _HANDLERS[kind] = HandlerSpec(func=func, label=label or kind, resumable=resumable)
        return func

    return decorator


def get_spec(kind: str) -> HandlerSpec:
    try:
        return _HANDLERS[kind]
    except KeyError as exc:
        raise LookupError(f"no job handler registered for kind {kind!r}") from exc


def get_handler(kind: str) -> Handler:
    return get_spec(kind).func


def is_resumable(kind: str) -> bool:
    spec = _HANDLERS.get(kind)
    return bool(spec and spec.resumable)


def kind_label(kind: str) -> str:
    spec = _HANDLERS.get(kind)
    return str(spec.label) if spec else kind


def registered_kinds() -> list[tuple[str, str]]:
    """(kind, label) of every registered handler, by label."""
    return sorted(((kind, str(spec.label)) for kind, spec in _HANDLERS.items()), key=lambda item: item[1])
