"""Walk the audit chain in `seq` order and name the first broken entry.

The walk streams (one query with a server-side cursor on PostgreSQL, chunked on SQLite) and keeps only the previous
entry in memory, so it runs over millions of rows in constant memory. How a break is classified:

* deleted   — a `seq` is missing (also when later rows were renumbered to close the gap: their HMAC only matches with
              the old number);
* edited    — the entry links to its predecessor but its own HMAC does not match its content;
* inserted  — the entry does not belong between its neighbours: the next entry links straight to the previous one, or
              its link to the previous entry is wrong and it is no genuine entry moved from elsewhere;
* reordered — the entry links to an entry that now comes later in the chain (entries swapped).
"""

from __future__ import annotations

import hmac as hmac_module
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from wildlife.audit.models import AuditEvent
from wildlife.audit.services import GENESIS, compute_hmac

EDITED = "edited"
DELETED = "deleted"
INSERTED = "inserted"
REORDERED = "reordered"
RENUMBER_SEARCH = 1000  # how far back a renumbered entry's original seq is searched for

_FIELDS = (
    "id",
    "seq",
    "occurred_at",
    "user_id",
    "username",
    "role",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "outcome",
    "request_id",
    "before_digest",
    "after_digest",
    "detail",
    "prev_hmac",
    "entry_hmac",
)


@dataclass
class ChainReport:
    """The outcome of a verification: ok, how many entries were checked, and the first break if any."""

    ok: bool = True
    checked: int = 0
    last_seq: int = 0
    broken_seq: int | None = None
    kind: str = ""
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "last_seq": self.last_seq,
            "broken_seq": self.broken_seq,
            "kind": self.kind,
            "message": self.message,
        }


KIND_LABELS = {
    EDITED: "被修改",
    DELETED: "被删除",
    INSERTED: "被插入",
    REORDERED: "顺序被调换",
}


def _stream(chunk_size: int) -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").only(*_FIELDS).iterator(chunk_size=chunk_size)


def _own_hmac_ok(event: AuditEvent) -> bool:
    return hmac_module.compare_digest(compute_hmac(event.prev_hmac, event), event.entry_hmac)


def _renumbered_from(event: AuditEvent) -> int | None:
    """If the entry's HMAC matches a higher seq, the entry was moved down to close a gap: return that seq."""
    current = event.seq
    try:
        for delta in range(1, RENUMBER_SEARCH + 1):
            event.seq = current + delta
            if _own_hmac_ok(event):
                return event.seq
    finally:
        event.seq = current
    return None


def _later_entry_with_hmac(value: str, after_seq: int) -> int | None:
    return AuditEvent.objects.filter(entry_hmac=value, seq__gt=after_seq).order_by("seq").values_list("seq", flat=True).first()


def verify_chain(*, chunk_size: int = 5000) -> ChainReport:
    """Verify every entry; stop at the first break and classify it."""
    report = ChainReport()
    stream = _stream(chunk_size)
    try:
        return _walk(report, stream)
    finally:
        stream.close()  # type: ignore[attr-defined]  # releases the server-side cursor at once


def _walk(report: ChainReport, stream: Iterator[AuditEvent]) -> ChainReport:
    expected_seq = 1
    expected_prev = GENESIS
    for event in stream:
        if event.seq != expected_seq:
            if event.seq > expected_seq:
                return _broken(
                    report,
                    expected_seq,
                    DELETED,
                    _("第 %(a)d 至 %(b)d 条审计记录缺失（被删除）。") % {"a": expected_seq, "b": event.seq - 1},
                    missing_from=expected_seq,
                    missing_to=event.seq - 1,
                )
            return _broken(report, event.seq, INSERTED, _("第 %(n)d 条审计记录的序号重复或顺序错误。") % {"n": event.seq})
        links = hmac_module.compare_digest(event.prev_hmac, expected_prev)
        own = _own_hmac_ok(event)
        if not (links and own):
            following = next(stream, None)
            return _classify(report, event, following, expected_prev, links=links, own=own)
        report.checked += 1
        report.last_seq = event.seq
        expected_seq += 1
        expected_prev = event.entry_hmac
    return report


def _classify(
    report: ChainReport, event: AuditEvent, following: AuditEvent | None, expected_prev: str, *, links: bool, own: bool
) -> ChainReport:
    seq = event.seq
    if not links:
        later = _later_entry_with_hmac(event.prev_hmac, seq)
        if later is not None:
            return _broken(
                report, seq, REORDERED, _("第 %(n)d 条审计记录与第 %(m)d 条的顺序被调换。") % {"n": seq, "m": later}, swapped_with=later
            )
    if following is not None and hmac_module.compare_digest(following.prev_hmac, expected_prev):
        return _broken(report, seq, INSERTED, _("第 %(n)d 条审计记录是插入的（前后记录直接相连）。") % {"n": seq})
    if links:
        return _broken(report, seq, EDITED, _("第 %(n)d 条审计记录的内容被修改（校验值不符）。") % {"n": seq})
    if not own:
        original = _renumbered_from(event)
        if original is not None:
            return _broken(
                report,
                seq,
                DELETED,
                _("第 %(n)d 条审计记录被删除，其后的记录被重新编号（本条原为第 %(m)d 条）。") % {"n": seq, "m": original},
                renumbered_from=original,
            )
    return _broken(report, seq, INSERTED, _("第 %(n)d 条审计记录与前一条不相连（被插入或替换）。") % {"n": seq})


def _broken(report: ChainReport, seq: int, kind: str, message: str, **details: Any) -> ChainReport:
    report.ok = False
    report.broken_seq = seq
    report.kind = kind
    report.message = message
    report.details = details
    return report
