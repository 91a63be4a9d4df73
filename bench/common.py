"""Benchmark helpers: time a callable several times, report medians and the ratio to a raw baseline run alongside."""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Figure:
    name: str
    ours: float  # operations per second (median)
    raw: float  # raw baseline, same data, same run
    unit: str = "ops/s"
    target: float | None = None  # minimum ratio

    @property
    def ratio(self) -> float:
        return self.ours / self.raw if self.raw else float("nan")

    def line(self) -> str:
        verdict = ""
        if self.target is not None:
            verdict = "  OK" if self.ratio >= self.target else f"  BELOW TARGET {self.target:.2f}"
        return f"{self.name:<48} ours {self.ours:>12,.0f} {self.unit}   raw {self.raw:>12,.0f} {self.unit}   ratio {self.ratio:5.2f}{verdict}"


def rate(func: Callable[[], int], *, repeat: int = 5) -> float:
    """Median operations per second of `func`, which returns how many operations it did."""
    rates = []
    for _ in range(repeat):
        start = time.perf_counter()
        count = func()
        elapsed = time.perf_counter() - start
        rates.append(count / elapsed if elapsed > 0 else float("inf"))
    return statistics.median(rates)


def machine() -> str:
    import os

    return f"{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} CPU · Python {platform.python_version()}"
