"""Root test configuration: the 周村区 reference data and the role cast are fixtures everywhere."""

import os
from pathlib import Path

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API against live_server

pytest_plugins = ["wildlife.core.testing.fixtures", "wildlife.core.testing.browser"]

SHARED_DATA = Path(os.environ.get("WILDLIFE_SHARED_DATA", Path(__file__).resolve().parent.parent / "shared" / "data"))


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _audit_guard_released_before_flush(request: pytest.FixtureRequest):
    """Transactional tests (live server, browser) end with a flush of every table; the audit table's append-only
    triggers would refuse it, so they are dropped at the end of such a test. The next migration-built test database
    has them again; the guard's own tests install them explicitly."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    yield
    from wildlife.audit.guard import remove_guard

    remove_guard()
