"""Root test configuration: the 周村区 reference data and the role cast are fixtures everywhere."""

import os
from pathlib import Path

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API against live_server

pytest_plugins = ["wildlife.core.testing.fixtures", "wildlife.core.testing.browser"]

SHARED_DATA = Path(os.environ.get("WILDLIFE_SHARED_DATA", Path(__file__).resolve().parent.parent / "shared" / "data"))

