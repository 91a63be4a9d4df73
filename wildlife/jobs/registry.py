"""Job kinds: a module registers a handler per kind; the worker runs it with a JobContext."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wildlife.jobs.context import JobContext

Handler = Callable[["JobContext"], None]
_HANDLERS: dict[str, tuple[Handler, str]] = {}


def job_handler(kind: str, *, label: str = "") -> Callable[[Handler], Handler]:
    """Register `func(ctx)` as the handler of `kind` (import the module in the app's ready())."""

    def decorator(func: Handler) -> Handler:
        _HANDLERS[kind] = (func, label or kind)
        return func

    return decorator


def get_handler(kind: str) -> Handler:
    try:
        return _HANDLERS[kind][0]
    except KeyError as exc:
        raise LookupError(f"no job handler registered for kind {kind!r}") from exc


def kind_label(kind: str) -> str:
    entry = _HANDLERS.get(kind)
    return entry[1] if entry else kind
