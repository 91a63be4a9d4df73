"""Domain errors that views and the API turn into clear messages."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ConflictError(Exception):
    """A workflow step in the wrong state, or a concurrent edit lost the race (HTTP 409)."""

    def __init__(self, message: str, *, code: str = "conflict", current: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.current = current or {}


class OutOfScopeError(Exception):
    """The actor tried to write a record outside their areas; the transaction is rolled back."""


__all__ = ["ConflictError", "OutOfScopeError", "ValidationError"]
