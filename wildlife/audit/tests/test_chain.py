# ruff: noqa: S608  # the tamper tests build SQL from a constant table name on purpose
"""The chain verifier names the first broken entry and how it was broken; the database refuses changes."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from wildlife.audit.guard import guard_installed, guard_suspended
from wildlife.audit.models import AuditEvent
from wildlife.audit.services import GENESIS, audit_record, compute_hmac
from wildlife.audit.verify import DELETED, EDITED, INSERTED, REORDERED, verify_chain

TABLE = "audit_auditevent"


def raw(sql: str, params: list[Any] | None = None) -> None:
    with guard_suspended(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def run_verify() -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue()


def test_intact_chain_verifies(chain: list[AuditEvent]) -> None:
    report = verify_chain(chunk_size=3)
    assert report.ok and report.checked == 10 and report.last_seq == 10
    code, output = run_verify()
    assert code == 0 and "共校验 10 条" in output
    assert chain[0].prev_hmac == GENESIS and chain[1].prev_hmac == chain[0].entry_hmac


def test_empty_log_verifies(db: Any) -> None:
    assert verify_chain().ok


def test_edited_entry_is_named(chain: list[AuditEvent]) -> None:
    raw(f"UPDATE {TABLE} SET username = %s WHERE seq = 4", ["mallory"])
    report = verify_chain(chunk_size=2)
    assert (report.ok, report.broken_seq, report.kind, report.checked) == (False, 4, EDITED, 3)
    code, message = run_verify()
    assert code == 1 and "第 4 条" in message and "edited" in message


def test_edited_detail_json_is_named(chain: list[AuditEvent]) -> None:
    raw(f"UPDATE {TABLE} SET detail = %s WHERE seq = 9", ['{"n": 99, "note": "演示"}'])
    report = verify_chain()
    assert (report.broken_seq, report.kind) == (9, EDITED)


def test_deleted_entry_is_named(chain: list[AuditEvent]) -> None:
    raw(f"DELETE FROM {TABLE} WHERE seq = 6")
    report = verify_chain()
    assert (report.broken_seq, report.kind) == (6, DELETED)
    code, message = run_verify()
    assert code == 1 and "deleted" in message


def test_deleted_first_entries_are_named(chain: list[AuditEvent]) -> None:
    raw(f"DELETE FROM {TABLE} WHERE seq <= 2")
    report = verify_chain()
    assert (report.broken_seq, report.kind) == (1, DELETED)


def test_deleted_and_renumbered_is_named(chain: list[AuditEvent]) -> None:
    raw(f"DELETE FROM {TABLE} WHERE seq = 5")
    for seq in range(6, 11):  # close the gap one row at a time (seq is unique)
        raw(f"UPDATE {TABLE} SET seq = seq - 1 WHERE seq = %s", [seq])
    report = verify_chain()
    assert (report.broken_seq, report.kind) == (5, DELETED)
    assert report.details["renumbered_from"] == 6


def test_inserted_entry_is_named(chain: list[AuditEvent]) -> None:
    # make room at seq 7 and splice in a forged entry that links to seq 6
    for seq in range(10, 6, -1):
        raw(f"UPDATE {TABLE} SET seq = seq + 1 WHERE seq = %s", [seq])
    forged = AuditEvent(seq=7, occurred_at=chain[6].occurred_at, username="mallory", action="login", prev_hmac=chain[5].entry_hmac, detail={})
    forged.entry_hmac = compute_hmac(forged.prev_hmac, forged).replace("a", "b").replace("1", "2")
    with guard_suspended():
        forged.save(force_insert=True)
    report = verify_chain()
    assert (report.broken_seq, report.kind) == (7, INSERTED)


def test_appended_forgery_is_named(chain: list[AuditEvent]) -> None:
    raw(
        f"INSERT INTO {TABLE} (seq, occurred_at, username, role, ip, action, object_type, object_id, object_repr, outcome,"
        " request_id, before_digest, after_digest, detail, prev_hmac, entry_hmac)"
        " VALUES (11, %s, 'mallory', '', '', 'login', '', '', '', 'success', '', '', '', '{}', %s, %s)",
        [chain[-1].occurred_at, "f" * 64, "e" * 64],
    )
    report = verify_chain()
    assert (report.broken_seq, report.kind) == (11, INSERTED)


def test_reordered_entries_are_named(chain: list[AuditEvent]) -> None:
    raw(f"UPDATE {TABLE} SET seq = 1000 WHERE seq = 3")
    raw(f"UPDATE {TABLE} SET seq = 3 WHERE seq = 4")
    raw(f"UPDATE {TABLE} SET seq = 4 WHERE seq = 1000")
    report = verify_chain()
    assert (report.broken_seq, report.kind) == (3, REORDERED)
    assert report.details["swapped_with"] == 4


def test_database_refuses_update_and_delete(chain: list[AuditEvent]) -> None:
    assert guard_installed()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).update(username="mallory")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        event = AuditEvent.objects.get(seq=3)
        event.action = "changed"
        event.save()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
    assert AuditEvent.objects.count() == 10
    assert AuditEvent.objects.get(seq=2).username == "user2"
    assert verify_chain().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_database_refuses_truncate(chain: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.count() == 10


def test_guard_comes_back_after_suspension(chain: list[AuditEvent]) -> None:
    with guard_suspended():
        assert not guard_installed()
    assert guard_installed()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(action="x")


@pytest.mark.django_db(transaction=True)
def test_flush_of_a_test_database_keeps_the_guard() -> None:
    audit_record(action="before_flush")
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    assert guard_installed()


def test_flush_refused_outside_test_and_demo(chain: list[AuditEvent], settings: Any) -> None:
    settings.WILDLIFE_AUDIT_ALLOW_FLUSH = False
    with pytest.raises(CommandError, match="只能追加"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 10


def test_protect_keeps_users_with_history(chain: list[AuditEvent], django_user_model: Any) -> None:
    from django.db.models import ProtectedError

    user = django_user_model.objects.create_user(username="someone", password="x")
    audit_record(action="login", actor=user)
    with pytest.raises(ProtectedError):
        user.delete()
