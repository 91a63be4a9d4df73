"""`flush`, aware of the append-only audit log.

Django's flush empties every table, which the audit table's triggers refuse. Test and demo databases (setting
WILDLIFE_AUDIT_ALLOW_FLUSH, by default on in demo mode) may be emptied: the triggers are switched off for the flush and
back on afterwards. Elsewhere flush stops with an explanation instead of a database error.

Rows that data migrations wrote (an app's `reference_loader`, e.g. the enforcement penalty rules) belong to the schema,
not to the data: after an allowed flush they are written again, so an emptied test database still has them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as FlushCommand
from django.db import DatabaseError, connections

from wildlife.audit.guard import guard_installed, guard_suspended


def flush_allowed() -> bool:
    return bool(getattr(settings, "WILDLIFE_AUDIT_ALLOW_FLUSH", getattr(settings, "WILDLIFE_DEMO_MODE", False)))


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        try:
            protected = guard_installed(connection)
        except DatabaseError:
            protected = False  # no audit table yet (database not migrated)
        if not protected:
            super().handle(**options)
            return
        if not flush_allowed():
            raise CommandError("审计日志只能追加，不能清空：生产数据库不允许 flush（审计事件须保留至少 180 天）。")
        with guard_suspended(connection):
            super().handle(**options)
        reload_reference_rows(options["database"])


def reload_reference_rows(using: str) -> None:
    """Run each app's `reference_loader` (the function its data migration runs) against the emptied database."""
    from django.apps import apps
    from django.db import transaction
    from django.utils.module_loading import import_string

    with transaction.atomic(using=using):
        for config in apps.get_app_configs():
            loader = getattr(config, "reference_loader", None)
            if loader:
                import_string(loader)(apps)
