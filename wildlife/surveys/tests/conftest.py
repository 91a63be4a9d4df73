"""Fixtures of the surveys tests: uploaded files go to a temporary folder; the demo catalogue on request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> Path:
    """Photos and media written by a test stay in its own temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def catalogue(db: Any) -> dict[str, Any]:
    """The demo species catalogue, species by Chinese name."""
    from wildlife.species.models import Species
    from wildlife.species.testing import load_demo_catalogue

    load_demo_catalogue()
    return {s.name_zh: s for s in Species.objects.all()}
