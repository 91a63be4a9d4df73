"""Root test configuration: the 周村区 reference data and the role cast are fixtures everywhere."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API against live_server

pytest_plugins = ["wildlife.core.testing.fixtures", "wildlife.core.testing.browser"]

