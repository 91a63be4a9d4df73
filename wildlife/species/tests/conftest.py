"""Fixtures of the species tests: the demo catalogue (not loaded by the shared fixtures) and small helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from wildlife.species.choices import ListKind
from wildlife.species.models import ListVersion, Species
from wildlife.species.testing import load_demo_catalogue, make_species


@pytest.fixture
def catalogue(db: Any) -> dict[str, Species]:
    """The demo catalogue loaded; species by Chinese name."""
    load_demo_catalogue()
    return {s.name_zh: s for s in Species.objects.all()}


@pytest.fixture
def species_factory(db: Any) -> Callable[..., Species]:
    return make_species


@pytest.fixture
def version_factory(db: Any) -> Callable[..., ListVersion]:
    def make(code: str, kind: str = ListKind.NATIONAL_KEY, start: dt.date = dt.date(2021, 2, 5), end: dt.date | None = None) -> ListVersion:
        return ListVersion.objects.create(code=code, name=code, kind=kind, effective_from=start, effective_to=end)

    return make
