"""Test settings: the database comes from WILDLIFE_DATABASE_URL (SpatiaLite by default, PostGIS in the second run)."""

from .base import *

WILDLIFE_DEMO_MODE = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WILDLIFE_AUDIT_KEY = "test-audit-key"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

from .base import INSTALLED_APPS  # noqa: E402

# a tiny scoped register that exercises the generic views, API base classes and contract tests
INSTALLED_APPS = [*INSTALLED_APPS, "wildlife.core.tests.sample"]

from .base import DATABASES  # noqa: E402

if "spatialite" in str(DATABASES["default"]["ENGINE"]):
    # an in-memory test database per test process (pytest-xdist workers each get their own)
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
WILDLIFE_AUDIT_ALLOW_FLUSH = True  # test databases are emptied between transactional tests
