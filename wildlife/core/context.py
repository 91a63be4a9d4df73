"""Per-request facts (request id, client IP, acting role) that services and audit read without a request object."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestFacts:
    request_id: str = "-"
    ip: str = ""
    user_agent: str = ""


_facts: contextvars.ContextVar[RequestFacts] = contextvars.ContextVar("wildlife_request_facts", default=RequestFacts())  # noqa: B039 - frozen, immutable


def current_facts() -> RequestFacts:
    return _facts.get()


def set_facts(facts: RequestFacts) -> contextvars.Token[RequestFacts]:
    return _facts.set(facts)


def reset_facts(token: contextvars.Token[RequestFacts]) -> None:
    _facts.reset(token)
