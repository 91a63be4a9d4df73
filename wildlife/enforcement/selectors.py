"""Reads of the enforcement app, always within the user's scope (restrict()).

The tracing graph joins case parties and identifiers registered by other apps through blind indexes only; a record
the user may not see (another area, another department's case, an app's record outside scope) is left out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps as django_apps
from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.enforcement import tracing
from wildlife.enforcement.choices import (
    ACTIVE_CASE_STATUSES,
    OPEN_TIPOFF_STATUSES,
    CaseStatus,
    HandoverStatus,
    PartyKind,
    TipoffStatus,
)
from wildlife.enforcement.models import (
    Case,
    CaseFlow,
    CaseParty,
    Operation,
    RescueHandover,
    Tipoff,
    TraceLink,
    TraceNode,
)

GRAPH_NODE_LIMIT = 400


# --- tip-offs ----------------------------------------------------------------------------------------------------


def tipoff_list(*, user: Any) -> QuerySet[Tipoff]:
    """Tip-offs the user may see (never with the informant: that is another table)."""
    return Tipoff.objects.restrict(user, "view").select_related("area", "species", "assigned_department")


@dataclass(frozen=True)
class PublicStatus:
    """What the public may read about their report with the receipt number and query code."""

    receipt_no: str
    status: str
    status_label: str
    updated_at: dt.datetime
    reply: str
    replied_at: dt.datetime | None


PUBLIC_STATUS_LABELS = {
    TipoffStatus.REGISTERED: _("已受理，等待分类"),
    TipoffStatus.TRIAGED: _("已受理，正在交办"),
    TipoffStatus.ASSIGNED: _("已交办，正在核查"),
    TipoffStatus.HANDLED: _("已核查处理，等待答复"),
    TipoffStatus.REPLIED: _("已答复"),
    TipoffStatus.CLOSED: _("已办结"),
}


def tipoff_public_status(*, receipt_no: str, code: str) -> PublicStatus | None:
    """The status of a public report when the query code matches; None for a wrong number or code (same answer, so
    receipt numbers cannot be probed)."""
    from wildlife.enforcement.services import query_code_matches

    receipt_no = (receipt_no or "").strip().upper()
    tipoff = Tipoff.objects.filter(receipt_no=receipt_no).only("receipt_no", "status", "updated_at", "reply", "replied_at", "query_code_hash").first()
    if tipoff is None or not query_code_matches(tipoff, code):
        return None
    shows_reply = tipoff.status in (TipoffStatus.REPLIED, TipoffStatus.CLOSED)
    return PublicStatus(
        receipt_no=tipoff.receipt_no,
        status=tipoff.status,
        status_label=str(PUBLIC_STATUS_LABELS.get(TipoffStatus(tipoff.status), tipoff.get_status_display())),
        updated_at=tipoff.updated_at,
        reply=tipoff.reply if shows_reply else "",
        replied_at=tipoff.replied_at if shows_reply else None,
    )


def tipoff_counts(*, user: Any) -> dict[str, int]:
    """Open, overdue and this month's tip-offs in the user's scope."""
    queryset = Tipoff.objects.restrict(user, "view")
    now = timezone.now()
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return {
        "open": queryset.filter(status__in=OPEN_TIPOFF_STATUSES).count(),
        "overdue": queryset.filter(status__in=OPEN_TIPOFF_STATUSES, due_at__lt=now).count(),
        "month": queryset.filter(received_at__gte=month_start).count(),
    }


# --- cases -------------------------------------------------------------------------------------------------------


def case_list(*, user: Any) -> QuerySet[Case]:
    return Case.objects.restrict(user, "view").select_related("area", "lead_department")


def case_for_origin(*, user: Any, origin: str, origin_ref: str) -> Case | None:
    """The case opened from another app's record, if the user may see it."""
    return Case.objects.restrict(user, "view").filter(origin=origin, origin_ref=str(origin_ref)).first()


def case_counts(*, user: Any) -> dict[str, int]:
    queryset = Case.objects.restrict(user, "view")
    return {
        "active": queryset.filter(status__in=ACTIVE_CASE_STATUSES).count(),
        "transfer_recommended": queryset.filter(transfer_recommended=True, status__in=[CaseStatus.OPENED, CaseStatus.INVESTIGATING]).count(),
        "transferred": queryset.filter(status=CaseStatus.TRANSFERRED).count(),
    }


def handover_list(*, user: Any, status: str | None = None) -> QuerySet[RescueHandover]:
    """Rescue hand-over receipts in scope (the rescue module reads `pending_pickup` ones)."""
    queryset = RescueHandover.objects.restrict(user, "view").select_related("case", "species", "area")
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def pending_handovers(*, user: Any) -> QuerySet[RescueHandover]:
    return handover_list(user=user, status=HandoverStatus.PENDING)


# --- tracing -----------------------------------------------------------------------------------------------------


@dataclass
class TraceAppearance:
    """A record in which an identifier appears (within the user's scope)."""

    source_type: str
    source_id: str
    label: str
    role: str
    url: str
    case_id: int | None = None


def _model(label: str) -> Any:
    try:
        return django_apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _visible_sources(user: Any, refs: dict[str, set[str]]) -> dict[str, dict[str, Any]]:
    """For each model label, the visible objects among the ids (by id text). Models without restrict() are hidden."""
    result: dict[str, dict[str, Any]] = {}
    for label, ids in refs.items():
        model = _model(label)
        manager = getattr(model, "objects", None)
        if model is None or manager is None or not hasattr(manager.all(), "restrict"):
            result[label] = {}
            continue
        numeric = [int(i) for i in ids if i.isdigit()]
        objects = manager.all().restrict(user, "view").filter(pk__in=numeric)
        result[label] = {str(obj.pk): obj for obj in objects}
    return result


def _url(obj: Any) -> str:
    getter = getattr(obj, "get_absolute_url", None)
    try:
        return str(getter()) if callable(getter) else ""
    except NoReverseMatch:  # a foreign model whose detail page is not routed (yet) is shown without a link
        return ""


def _appearances_for_nodes(user: Any, nodes: list[TraceNode], *, exclude_case: int | None = None) -> dict[int, list[TraceAppearance]]:
    links = list(TraceLink.objects.filter(node__in=nodes).select_related("party"))
    refs: dict[str, set[str]] = defaultdict(set)
    for link in links:
        refs[link.source_type].add(link.source_id)
    visible = _visible_sources(user, refs)
    result: dict[int, list[TraceAppearance]] = defaultdict(list)
    seen: set[tuple[int, str, str]] = set()
    for link in links:
        obj = visible.get(link.source_type, {}).get(link.source_id)
        if obj is None:
            continue
        if exclude_case is not None and link.case_id == exclude_case:
            continue
        key = (link.node_id, link.source_type, link.source_id)
        if key in seen:
            continue
        seen.add(key)
        result[link.node_id].append(
            TraceAppearance(
                source_type=link.source_type, source_id=link.source_id, label=link.label or str(obj), role=link.role, url=_url(obj),
                case_id=link.case_id,
            )
        )
    return result


def trace_appearances(*, user: Any, kind: str, value: str) -> list[TraceAppearance]:
    """Where else does this identifier appear (cases, listings, inspections …) among records the user may see."""
    key = tracing.trace_key(kind, value)
    if not key:
        return []
    node = TraceNode.objects.filter(kind=kind, key=key).first()
    if node is None:
        return []
    return _appearances_for_nodes(user, [node]).get(node.pk, [])


def party_nodes(party: CaseParty) -> list[TraceNode]:
    return list(TraceNode.objects.filter(links__party=party).distinct())


def party_appearances(*, user: Any, party: CaseParty) -> list[tuple[TraceNode, list[TraceAppearance]]]:
    """For each identifier of a party, the other records it appears in (this case excluded)."""
    nodes = party_nodes(party)
    found = _appearances_for_nodes(user, nodes, exclude_case=party.case_id)
    return [(node, found.get(node.pk, [])) for node in nodes]


@dataclass
class Graph:
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[dict[str, Any]] = field(default_factory=list)
    edge_keys: set[tuple[str, str, str]] = field(default_factory=set)
    truncated: bool = False

    def node(self, node_id: str, **data: Any) -> str:
        if node_id not in self.nodes:
            if len(self.nodes) >= GRAPH_NODE_LIMIT:
                self.truncated = True
                return ""
            self.nodes[node_id] = {"id": node_id, **data}
        return node_id

    def edge(self, source: str, target: str, kind: str, label: str = "") -> None:
        if not source or not target or source == target:
            return
        key = (source, target, kind)
        if key in self.edge_keys:
            return
        self.edge_keys.add(key)
        self.edges.append({"source": source, "target": target, "kind": kind, "label": label})


def _case_node(graph: Graph, case: Case, *, main: bool = False) -> str:
    return graph.node(
        f"case:{case.pk}", kind="case", label=f"{case.case_no} {case.title}", url=case.get_absolute_url(), case_id=case.pk,
        status=case.get_status_display(), main=main,
    )


def _party_node(graph: Graph, party: CaseParty) -> str:
    return graph.node(
        f"party:{party.pk}", kind=f"party_{party.kind}", label=party.display_name, role=party.get_role_display(), case_id=party.case_id, url="",
    )


def case_graph(*, user: Any, case: Case, depth: int = 2) -> dict[str, Any]:
    """The tracing graph around a case: its parties and flows, the identifiers they use, and every other case or
    record (listing, inspection, patrol …) sharing an identifier, followed `depth` hops; plus the chains of flows
    from source to buyer."""
    depth = max(1, min(depth, 3))
    graph = Graph()
    visible_cases = Case.objects.restrict(user, "view")
    frontier = [case]
    done: set[int] = set()
    for hop in range(depth):
        next_cases: list[Case] = []
        for current in frontier:
            if current.pk in done:
                continue
            done.add(current.pk)
            case_id = _case_node(graph, current, main=current.pk == case.pk)
            if current.origin_label:
                origin_id = graph.node(f"origin:{current.pk}", kind="origin", label=current.origin_label, url=_origin_url(user, current))
                graph.edge(origin_id, case_id, "origin", _("来源"))
            parties = list(current.parties.all())
            for party in parties:
                pid = _party_node(graph, party)
                graph.edge(case_id, pid, "party", party.get_role_display())
            for flow in CaseFlow.objects.filter(case=current).select_related("species", "from_party", "to_party"):
                label = flow.get_kind_display()
                if flow.species is not None:
                    label += " " + flow.species.name_zh
                if flow.quantity:
                    label += " " + flow.quantity
                graph.edge(f"party:{flow.from_party_id}", f"party:{flow.to_party_id}", "flow", label)
            links = list(TraceLink.objects.filter(party__in=parties).select_related("node"))
            nodes = {link.node_id: link.node for link in links}
            for link in links:
                nid = graph.node(f"id:{link.node_id}", kind=f"id_{link.node.kind}", label=link.node.label, url="")
                graph.edge(f"party:{link.party_id}", nid, "uses", _("使用"))
            if not nodes:
                continue
            others = list(TraceLink.objects.filter(node_id__in=nodes).exclude(case=current).select_related("party", "case"))
            other_case_ids = {link.case_id for link in others if link.case_id}
            allowed_cases = {c.pk: c for c in visible_cases.filter(pk__in=other_case_ids)}
            refs: dict[str, set[str]] = defaultdict(set)
            for link in others:
                if link.case_id is None:
                    refs[link.source_type].add(link.source_id)
            visible = _visible_sources(user, refs)
            for link in others:
                nid = f"id:{link.node_id}"
                if link.case_id is not None:
                    other = allowed_cases.get(link.case_id)
                    if other is None:
                        continue
                    other_id = _case_node(graph, other)
                    if link.party is not None:
                        pid = _party_node(graph, link.party)
                        graph.edge(other_id, pid, "party", link.party.get_role_display())
                        graph.edge(pid, nid, "uses", _("使用"))
                    else:
                        graph.edge(other_id, nid, "uses", link.role)
                    if hop + 1 < depth:
                        next_cases.append(other)
                    continue
                obj = visible.get(link.source_type, {}).get(link.source_id)
                if obj is None:
                    continue
                model = _model(link.source_type)
                kind_label = str(model._meta.verbose_name) if model is not None else link.source_type
                src = graph.node(
                    f"src:{link.source_type}:{link.source_id}", kind="record", label=link.label or f"{kind_label} #{link.source_id}",
                    record_type=link.source_type, record_type_label=kind_label, url=_url(obj),
                )
                graph.edge(src, nid, "seen", link.role or _("出现"))
        frontier = next_cases
    return {
        "case": case.pk,
        "nodes": list(graph.nodes.values()),
        "edges": graph.edges,
        "chains": flow_chains(case),
        "truncated": graph.truncated,
    }


def _origin_url(user: Any, case: Case) -> str:
    if case.tipoff_id and Tipoff.objects.restrict(user, "view").filter(pk=case.tipoff_id).exists():
        return str(case.tipoff.get_absolute_url()) if case.tipoff else ""
    label = {"listing": "trade.listing", "inspection": "patrols.inspection", "patrol": "patrols.patrol"}.get(case.origin)
    if label and case.origin_ref.isdigit():
        obj = _visible_sources(user, {label: {case.origin_ref}}).get(label, {}).get(case.origin_ref)
        if obj is not None:
            return _url(obj)
    return ""


def flow_chains(case: Case) -> list[list[dict[str, str]]]:
    """Chains of flows from a party with no incoming flow (the source) to one with no outgoing flow (the buyer)."""
    flows = list(CaseFlow.objects.filter(case=case).select_related("from_party", "to_party", "species").order_by("occurred_on", "pk"))
    if not flows:
        return []
    outgoing: dict[int, list[CaseFlow]] = defaultdict(list)
    incoming: set[int] = set()
    parties: dict[int, CaseParty] = {}
    for flow in flows:
        outgoing[flow.from_party_id].append(flow)
        incoming.add(flow.to_party_id)
        parties[flow.from_party_id] = flow.from_party
        parties[flow.to_party_id] = flow.to_party
    starts = [pk for pk in outgoing if pk not in incoming] or [flows[0].from_party_id]
    chains: list[list[dict[str, str]]] = []

    def walk(pk: int, path: list[dict[str, str]], seen: set[int]) -> None:
        if len(chains) >= 20:
            return
        nexts = [f for f in outgoing.get(pk, []) if f.to_party_id not in seen]
        if not nexts:
            chains.append(path)
            return
        for flow in nexts:
            step = {
                "party": parties[flow.to_party_id].display_name,
                "role": parties[flow.to_party_id].get_role_display(),
                "flow": flow.get_kind_display() + (f" {flow.species.name_zh}" if flow.species is not None else "") + (f" {flow.quantity}" if flow.quantity else ""),
            }
            walk(flow.to_party_id, [*path, step], seen | {flow.to_party_id})

    for start in starts:
        walk(start, [{"party": parties[start].display_name, "role": parties[start].get_role_display(), "flow": ""}], {start})
    return chains


# --- operations --------------------------------------------------------------------------------------------------


def operation_list(*, user: Any) -> QuerySet[Operation]:
    return Operation.objects.restrict(user, "view").select_related("lead_department")


@dataclass
class RelatedGroup:
    """Records of another app grouped under an operation, with a count by result/status."""

    key: str
    label: str
    rows: list[Any]
    total: int
    by_status: list[tuple[str, int]]
    available: bool = True


def _foreign_for_operation(user: Any, operation: Operation, *, app: str, model_name: str, selector: str, label: str) -> RelatedGroup:
    """Another app's records of an operation: its selector `<selector>(user=, operation=)` when present, else
    `Model.objects.restrict(user, "view").filter(operation=operation)`; unavailable if the app has neither."""
    queryset: Any = None
    try:
        module = import_module(f"wildlife.{app}.selectors")
        function = getattr(module, selector, None)
        if callable(function):
            queryset = function(user=user, operation=operation)
    except ImportError:
        module = None
    if queryset is None:
        model = _model(f"{app}.{model_name}")
        if model is None or not any(f.name == "operation" for f in model._meta.get_fields()):
            return RelatedGroup(key=f"{app}.{model_name}", label=label, rows=[], total=0, by_status=[], available=False)
        manager = model.objects.all()
        if not hasattr(manager, "restrict"):
            return RelatedGroup(key=f"{app}.{model_name}", label=label, rows=[], total=0, by_status=[], available=False)
        queryset = manager.restrict(user, "view").filter(operation=operation)
    rows = list(queryset[:50]) if hasattr(queryset, "__getitem__") else list(queryset)[:50]
    total = queryset.count() if hasattr(queryset, "count") and callable(queryset.count) else len(rows)
    by_status: list[tuple[str, int]] = []
    model = getattr(queryset, "model", None)
    status_field = None
    if model is not None:
        for name in ("status", "result", "outcome"):
            if any(f.name == name for f in model._meta.get_fields()):
                status_field = name
                break
    if status_field is not None and hasattr(queryset, "values"):
        assert model is not None
        field_obj = model._meta.get_field(status_field)
        choices = dict(getattr(field_obj, "choices", None) or [])
        for row in queryset.order_by().values(status_field).annotate(n=Count("pk")).order_by(status_field):
            by_status.append((str(choices.get(row[status_field], row[status_field] or "—")), row["n"]))
    return RelatedGroup(key=f"{app}.{model_name}", label=label, rows=rows, total=total, by_status=by_status)


def operation_overview(*, user: Any, operation: Operation) -> dict[str, Any]:
    """An operation with its grouped cases and tip-offs, and the other apps' inspections, patrols, listings and
    trainings (read through their selectors or restrict()), each with counts by status/result."""
    cases = Case.objects.restrict(user, "view").filter(operation=operation).select_related("area")
    tipoffs = Tipoff.objects.restrict(user, "view").filter(operation=operation).select_related("area")
    case_status = [(str(CaseStatus(row["status"]).label), row["n"]) for row in cases.order_by().values("status").annotate(n=Count("pk")).order_by("status")]
    value = sum((c.assessed_value or 0 for c in cases), 0)
    groups = [
        _foreign_for_operation(user, operation, app="patrols", model_name="inspection", selector="inspection_list_for_operation", label=_("执法检查")),
        _foreign_for_operation(user, operation, app="patrols", model_name="patrol", selector="patrol_list_for_operation", label=_("巡护")),
        _foreign_for_operation(user, operation, app="trade", model_name="listing", selector="listing_list_for_operation", label=_("网络交易监测")),
        _foreign_for_operation(user, operation, app="patrols", model_name="training", selector="training_list_for_operation", label=_("执法培训")),
    ]
    return {
        "cases": list(cases[:100]),
        "case_total": cases.count(),
        "case_status": case_status,
        "case_value": value,
        "transferred": cases.filter(Q(status=CaseStatus.TRANSFERRED) | Q(transferred_at__isnull=False)).count(),
        "tipoffs": list(tipoffs[:100]),
        "tipoff_total": tipoffs.count(),
        "groups": [g for g in groups if g.available],
    }


def party_kind_label(kind: str) -> str:
    return str(PartyKind(kind).label) if kind in PartyKind.values else kind
