"""Where the shared reference and peer data live (never copied into the repository)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_REPO = Path(__file__).resolve().parents[3]
_CANDIDATES = [
    os.environ.get("WILDLIFE_SHARED_DATA", ""),
    str(_REPO.parent / "shared" / "data"),
    "/work/shared/data",
]


def shared_data_root() -> Path | None:
    for candidate in _CANDIDATES:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def shared_data(*parts: str) -> Path:
    """Path inside the shared data folder; skips the test with a clear reason when the folder is absent."""
    root = shared_data_root()
    if root is None:
        pytest.skip("shared data folder not found (set WILDLIFE_SHARED_DATA to the folder holding species/, geo/, peers/)")
    path = root.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data file missing: {path}")
    return path


def xlsx_upload(headers: list[str], rows: list[list[object]], name: str = "register.xlsx") -> object:
    """An uploaded .xlsx with a header row and data rows, as a browser would post it."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
