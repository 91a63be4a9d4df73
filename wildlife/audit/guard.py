"""Database-level protection of the audit log: triggers that refuse UPDATE, DELETE and TRUNCATE.

The application only ever inserts audit events; these triggers make the database itself refuse anything else, so a
bug, a stray ORM call or a careless operator cannot change history. Someone who owns the table can still disable the
triggers — that is what the HMAC chain and `manage.py audit_verify` are for.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection as default_connection

TABLE = "audit_auditevent"
PG_FUNCTION = "audit_auditevent_refuse_change"
PG_ROW_TRIGGER = "audit_auditevent_append_only"
PG_TRUNCATE_TRIGGER = "audit_auditevent_no_truncate"
SQLITE_UPDATE_TRIGGER = "audit_auditevent_no_update"
SQLITE_DELETE_TRIGGER = "audit_auditevent_no_delete"
MESSAGE = "audit_auditevent is append-only"

_PG_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $$ LANGUAGE plpgsql
    """,
    f"DROP TRIGGER IF EXISTS {PG_ROW_TRIGGER} ON {TABLE}",
    f"CREATE TRIGGER {PG_ROW_TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
    f"DROP TRIGGER IF EXISTS {PG_TRUNCATE_TRIGGER} ON {TABLE}",
    f"CREATE TRIGGER {PG_TRUNCATE_TRIGGER} BEFORE TRUNCATE ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
]
_PG_REMOVE = [
    f"DROP TRIGGER IF EXISTS {PG_ROW_TRIGGER} ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {PG_TRUNCATE_TRIGGER} ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
]
# SQLite has no TRUNCATE: `DELETE FROM t` without WHERE fires the row trigger like any other delete.
_SQLITE_INSTALL = [
    f"DROP TRIGGER IF EXISTS {SQLITE_UPDATE_TRIGGER}",
    f"CREATE TRIGGER {SQLITE_UPDATE_TRIGGER} BEFORE UPDATE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END",
    f"DROP TRIGGER IF EXISTS {SQLITE_DELETE_TRIGGER}",
    f"CREATE TRIGGER {SQLITE_DELETE_TRIGGER} BEFORE DELETE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END",
]
_SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {SQLITE_UPDATE_TRIGGER}",
    f"DROP TRIGGER IF EXISTS {SQLITE_DELETE_TRIGGER}",
]


def _statements(vendor: str, install: bool) -> list[str]:
    if vendor == "postgresql":
        return _PG_INSTALL if install else _PG_REMOVE
    if vendor == "sqlite":
        return _SQLITE_INSTALL if install else _SQLITE_REMOVE
    return []  # other databases: the HMAC chain alone protects the log


def install_guard(connection: Any = None) -> None:
    """Create (or re-create) the append-only triggers on this connection's database."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=True):
            cursor.execute(sql)


def remove_guard(connection: Any = None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=False):
            cursor.execute(sql)


def guard_installed(connection: Any = None) -> bool:
    """True when the triggers exist and are enabled."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgname IN (%s, %s) AND tgenabled <> 'D'",
                [TABLE, PG_ROW_TRIGGER, PG_TRUNCATE_TRIGGER],
            )
            return int(cursor.fetchone()[0]) == 2
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s)",
                [SQLITE_UPDATE_TRIGGER, SQLITE_DELETE_TRIGGER],
            )
            return int(cursor.fetchone()[0]) == 2
    return False


@contextmanager
def guard_suspended(connection: Any = None) -> Iterator[None]:
    """Switch the triggers off for the duration (table owner only), and back on afterwards whatever happens.

    Used by `flush` in test and demo databases and by the tamper tests. On PostgreSQL the triggers are disabled with
    ALTER TABLE (which needs the table's owner); deferred foreign-key checks are run first because PostgreSQL refuses
    ALTER TABLE while trigger events are pending. SQLite cannot disable a trigger, so it is dropped and re-created.
    """
    connection = connection or default_connection
    vendor = connection.vendor
    _set_enabled(connection, vendor, enabled=False)
    try:
        yield
    except BaseException:
        if vendor == "postgresql" and connection.in_atomic_block:
            raise  # the transaction is broken; rolling it back also undoes ALTER TABLE
        _set_enabled(connection, vendor, enabled=True)
        raise
    _set_enabled(connection, vendor, enabled=True)


def _set_enabled(connection: Any, vendor: str, *, enabled: bool) -> None:
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            verb = "ENABLE" if enabled else "DISABLE"
            if connection.in_atomic_block:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} {verb} TRIGGER {PG_ROW_TRIGGER}")
            cursor.execute(f"ALTER TABLE {TABLE} {verb} TRIGGER {PG_TRUNCATE_TRIGGER}")
            if connection.in_atomic_block:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        elif vendor == "sqlite":
            for sql in _SQLITE_INSTALL if enabled else _SQLITE_REMOVE:
                cursor.execute(sql)
