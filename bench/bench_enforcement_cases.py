"""Case list API and the tracing graph at scale (issue 4; quality.md: API page of 50 rows ≥ 0.5 × a hand-written
view returning the same 50 rows as JSON; list p95 < 150 ms single user).

Data: BENCH_ENFORCEMENT_CASES cases (default 20,000; the quality table names 100,000) spread over the towns, each with
two parties, where one phone in 40 is shared by several cases (as real sellers reappear), generated once per database.

Figures (requests per second, test client, district user, same process):
- the API page `GET /api/v1/enforcement/cases/?page_size=50` vs a hand-written view of the same 50 rows: the same
  request path (a GET through the middleware, session and login) plus restrict(), count, values() of the rows, their
  parties and items, json.dumps — no DRF, no serializer;
- the graph of a case whose phone is shared (`GET .../cases/{id}/graph/`) vs the raw joins behind it (parties,
  their links, the other cases' links for the same nodes).
"""

from __future__ import annotations

import json
import os
import random
import time
from typing import Any

from django.db import connection, transaction
from django.db.models import Count

from bench.common import Figure, rate

CASES = int(os.environ.get("BENCH_ENFORCEMENT_CASES", "20000"))
MARK = "BENCH-"


def _user() -> Any:
    from wildlife.accounts.models import User
    from wildlife.core.testing.cast import make_business_user, setup_reference
    from wildlife.geo.models import AdminArea

    setup_reference()
    user = User.objects.filter(username="bench_enforcement").first()
    return user or make_business_user("bench_enforcement", department_code="natural_resources", area=AdminArea.objects.get(name="周村区"))


def ensure_data(n: int = CASES) -> None:
    from wildlife.accounts.models import Department
    from wildlife.enforcement import tracing
    from wildlife.enforcement.models import Case, CaseParty, TraceLink, TraceNode
    from wildlife.geo.models import AdminArea

    _user()  # reference data (areas, departments) first
    existing = Case.objects.filter(case_no__startswith=MARK).count()
    if existing >= n:
        return
    rng = random.Random(4)
    towns = list(AdminArea.objects.filter(level="town"))
    nr = Department.objects.get(code="natural_resources")
    district = AdminArea.objects.get(name="周村区")
    started = time.perf_counter()
    phones = [f"137{rng.randrange(10**8):08d}" for _ in range(max(1, n // 40))]
    nodes: dict[str, TraceNode] = {}
    with transaction.atomic():
        for phone in phones:
            key = tracing.trace_key("phone", phone)
            nodes[phone], _ = TraceNode.objects.get_or_create(kind="phone", key=key, defaults={"label": tracing.mask_identifier("phone", phone)})
    batch = 2000
    for start in range(existing, n, batch):
        with transaction.atomic():
            cases = [
                Case(case_no=f"{MARK}{i:07d}", title=f"合成案件 {i}", origin="agency", lead_department=nr, area=towns[i % len(towns)], district=district,
                     status=("opened", "investigating", "closed")[i % 3], offence_type="trade")
                for i in range(start, min(n, start + batch))
            ]
            Case.objects.bulk_create(cases, batch_size=500)
            parties: list[CaseParty] = []
            for case in cases:
                phone = phones[rng.randrange(len(phones))] if rng.random() < 0.5 else f"139{rng.randrange(10**8):08d}"
                parties.append(CaseParty(case=case, kind="person", role="seller", name="合成当事人", phone=phone, phone_index=tracing.trace_key("phone", phone)))
                parties.append(CaseParty(case=case, kind="account", role="seller", name="合成账号", identifier=f"平台:acc{case.pk}"))
            CaseParty.objects.bulk_create(parties, batch_size=500)
            links = [
                TraceLink(node=nodes[p.phone], source_type="enforcement.case", source_id=str(p.case_id), label=p.case.title, role="seller", case=p.case, party=p)
                for p in parties if p.phone in nodes
            ]
            TraceLink.objects.bulk_create(links, batch_size=500)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  generated {n - existing:,} cases in {time.perf_counter() - started:.0f} s")


def run() -> list[Figure]:
    from django.test import Client

    from wildlife.enforcement.models import Case, TraceLink

    ensure_data()
    user = _user()
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    total = Case.objects.count()
    print(f"  cases: {total:,}; trace links: {TraceLink.objects.count():,}")

    def api_page() -> int:
        response = client.get("/api/v1/enforcement/cases/?page_size=50")
        assert response.status_code == 200
        return 1

    def raw_view() -> int:
        # the same request path (middleware, session, login) as a hand-written view, then its body
        assert client.get("/healthz").status_code == 200
        return raw_page()

    def raw_page() -> int:
        # a hand-written view: the same scope, count and 50 rows with their parties and items, straight to JSON
        from wildlife.core.masking import mask_phone
        from wildlife.enforcement.models import CaseParty, SeizedItem

        scoped = Case.objects.restrict(user, "view")
        count = scoped.count()
        rows = list(
            scoped.order_by("-pk").values(
                "id", "case_no", "title", "status", "area_id", "origin", "origin_ref", "origin_label", "offence_type", "offence_date",
                "assessed_value", "transfer_recommended", "opened_at", "updated_at", "version", "lead_department__code",
            )[:50]
        )
        ids = [r["id"] for r in rows]
        parties: dict[int, list[dict[str, Any]]] = {}
        for p in CaseParty.objects.filter(case_id__in=ids).only("id", "case_id", "kind", "role", "name", "phone"):
            parties.setdefault(p.case_id, []).append({"id": p.pk, "kind": p.kind, "role": p.role, "name": p.name, "phone": mask_phone(p.phone)})
        items: dict[int, list[dict[str, Any]]] = {}
        for i in SeizedItem.objects.filter(case_id__in=ids).values("id", "case_id", "species_id", "count", "condition"):
            items.setdefault(i["case_id"], []).append(i)
        for r in rows:
            r["parties"] = parties.get(r["id"], [])
            r["items"] = items.get(r["id"], [])
        json.dumps({"count": count, "results": rows}, default=str)
        return 1

    shared = TraceLink.objects.values("node_id").order_by().annotate(n=Count("pk")).filter(n__gt=3).order_by("-n").first()
    case_id = TraceLink.objects.filter(node_id=shared["node_id"]).values_list("case_id", flat=True).first() if shared else Case.objects.first().pk

    def api_graph() -> int:
        response = client.get(f"/api/v1/enforcement/cases/{case_id}/graph/?depth=1")
        assert response.status_code == 200
        return 1

    def raw_graph() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM enforcement_caseparty WHERE case_id = %s", [case_id])
            party_ids = [r[0] for r in cursor.fetchall()]
            cursor.execute(f"SELECT node_id FROM enforcement_tracelink WHERE party_id IN ({','.join(['%s'] * len(party_ids))})", party_ids)
            node_ids = [r[0] for r in cursor.fetchall()] or [0]
            cursor.execute(
                f"SELECT l.case_id, l.party_id, c.case_no, c.title FROM enforcement_tracelink l JOIN enforcement_case c ON c.id = l.case_id WHERE l.node_id IN ({','.join(['%s'] * len(node_ids))})",
                node_ids,
            )
            json.dumps(cursor.fetchall(), default=str)
        return 1

    for func in (api_page, raw_page, api_graph, raw_graph):
        func()
    return [
        Figure("enforcement: case list API page (50 rows)", rate(lambda: sum(api_page() for _ in range(20))), rate(lambda: sum(raw_view() for _ in range(20))), "req/s", 0.5),
        Figure("enforcement: case graph (shared phone, 1 hop)", rate(lambda: sum(api_graph() for _ in range(10))), rate(lambda: sum(raw_graph() for _ in range(10))), "req/s"),
    ]
