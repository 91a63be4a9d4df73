"""PeriodicTask declarations (importable from AppConfig modules: no models here)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    target: str  # dotted path of a no-argument callable
    minutes: float

    def resolve(self) -> Any:
        module, attr = self.target.rsplit(".", 1)
        return getattr(import_module(module), attr)
