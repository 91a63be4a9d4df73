"""One access function per aggregate: the object if the user may act on it, else 404 (missing and out of scope
look the same). Parts of a case (parties, items, evidence) are reached through their case."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from wildlife.core.access import get_in_scope_or_404
from wildlife.enforcement.models import Case, CaseParty, Evidence, Operation, RescueHandover, SeizedItem, Tipoff


def access_tipoff_by_id(user: Any, tipoff_id: Any, *, action: str = "view") -> Tipoff:
    """A tip-off within the user's scope (404 otherwise)."""
    return get_in_scope_or_404(Tipoff, user, tipoff_id, action=action)


def access_case_by_id(user: Any, case_id: Any, *, action: str = "view") -> Case:
    """A case within the user's scope and department rule (404 otherwise)."""
    return get_in_scope_or_404(Case, user, case_id, action=action)


def access_operation_by_id(user: Any, operation_id: Any, *, action: str = "view") -> Operation:
    """A special operation the user may see (404 otherwise)."""
    return get_in_scope_or_404(Operation, user, operation_id, action=action)


def access_handover_by_id(user: Any, handover_id: Any, *, action: str = "view") -> RescueHandover:
    """A rescue hand-over receipt within scope (404 otherwise)."""
    return get_in_scope_or_404(RescueHandover, user, handover_id, action=action)


def access_party_by_id(user: Any, case: Case, party_id: Any) -> CaseParty:
    """A party of a case the user already reached through access_case_by_id."""
    party = CaseParty.objects.filter(case=case, pk=_int(party_id)).select_related("case").first()
    if party is None:
        raise Http404("对象不存在或不在您的权限范围内")
    return party


def access_item_by_id(user: Any, case: Case, item_id: Any) -> SeizedItem:
    item = SeizedItem.objects.filter(case=case, pk=_int(item_id)).select_related("case", "species").first()
    if item is None:
        raise Http404("对象不存在或不在您的权限范围内")
    return item


def access_evidence_by_id(user: Any, case: Case, evidence_id: Any) -> Evidence:
    evidence = Evidence.objects.filter(case=case, pk=_int(evidence_id)).first()
    if evidence is None:
        raise Http404("对象不存在或不在您的权限范围内")
    return evidence


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise Http404("对象不存在或不在您的权限范围内") from exc
