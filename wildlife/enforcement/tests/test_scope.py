"""Scope: the contract tests for every register, and the case matrix by department."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from wildlife.accounts.models import Department
from wildlife.core.testing import cast
from wildlife.core.testing.contracts import ScopedRegisterContract
from wildlife.enforcement.models import Case, Operation, RescueHandover, SeizedItem, Tipoff
from wildlife.enforcement.tests.conftest import make_case, make_tipoff


class TestTipoffContract(ScopedRegisterContract):
    model = Tipoff
    list_url_name = "enforcement:tipoff_list"
    detail_url_name = "enforcement:tipoff_detail"
    api_list_path = "/api/v1/enforcement/tipoffs/"
    no_permission_user = "police_officer"

    def make_record(self, area: Any) -> Tipoff:
        return make_tipoff(area)


class TestCaseContract(ScopedRegisterContract):
    model = Case
    list_url_name = "enforcement:case_list"
    detail_url_name = "enforcement:case_detail"
    api_list_path = "/api/v1/enforcement/cases/"
    no_permission_user = "market_officer"  # holds the permission, but sees only cases it is involved in

    def make_record(self, area: Any) -> Case:
        return make_case(area, involved=("town",))


class TestOperationContract(ScopedRegisterContract):
    model = Operation
    list_url_name = "enforcement:operation_list"
    detail_url_name = "enforcement:operation_detail"
    api_list_path = "/api/v1/enforcement/operations/"

    def make_record(self, area: Any) -> Operation:
        return Operation.objects.create(
            code="op-wangcun", name="王村镇清网行动", start_date=dt.date(2026, 3, 1), lead_department=Department.objects.get(code="natural_resources"),
            area=area, district=area.district_ancestor(),
        )


class TestRescueHandoverContract(ScopedRegisterContract):
    model = RescueHandover
    list_url_name = "enforcement:handover_list"
    detail_url_name = "enforcement:handover_detail"
    api_list_path = "/api/v1/enforcement/handovers/"
    no_permission_user = "market_officer"

    def make_record(self, area: Any) -> RescueHandover:
        case = make_case(area)
        item = SeizedItem.objects.create(case=case, description="活体鸟", count=2, condition="alive")
        return RescueHandover.objects.create(receipt_no=f"YJT-{case.pk}", item=item, case=case, count=2, area=area, district=area.district_ancestor())


CASE_VIEWERS = ("district_officer", "agri_officer", "market_officer", "police_officer", "town_officer", "other_town_officer")




@pytest.mark.django_db
def test_case_scope_matrix(zhoucun: dict[str, Any]) -> None:
    users = {name: cast.make_cast_member(name) for name in CASE_VIEWERS}

    def seen(case: Case) -> set[str]:
        return {name for name, user in users.items() if Case.objects.restrict(user).filter(pk=case.pk).exists()}

    wangcun = zhoucun["王村镇"]
    nr_led = make_case(wangcun, involved=())
    assert seen(nr_led) == {"district_officer", "agri_officer", "police_officer"}
    with_town = make_case(wangcun, involved=("town",))
    assert seen(with_town) == {"district_officer", "agri_officer", "police_officer", "town_officer"}
    with_market = make_case(wangcun, involved=("market",))
    assert seen(with_market) == {"district_officer", "agri_officer", "police_officer", "market_officer"}
    police_led = make_case(wangcun, lead="police", involved=())
    assert seen(police_led) == {"police_officer"}
    police_led_with_nr = make_case(wangcun, lead="police", involved=("natural_resources",))
    assert seen(police_led_with_nr) == {"police_officer", "district_officer"}
    market_led = make_case(wangcun, lead="market", involved=())
    assert "market_officer" in seen(market_led)
    # towns never see another town's case, even when their government is named on it
    beijiao_case = make_case(zhoucun["北郊镇"], involved=("town",))
    assert "town_officer" not in seen(beijiao_case) and "other_town_officer" in seen(beijiao_case)


@pytest.mark.django_db
def test_out_of_scope_case_pages_and_api_are_404(zhoucun: dict[str, Any], client_for: Any, market_officer: Any, catalogue: Any) -> None:
    case = make_case(zhoucun["王村镇"], involved=())
    client = client_for(market_officer)
    for url in (
        f"/enforcement/cases/{case.pk}/", f"/enforcement/cases/{case.pk}/graph/", f"/api/v1/enforcement/cases/{case.pk}/",
        f"/api/v1/enforcement/cases/{case.pk}/graph/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/api/v1/enforcement/cases/{case.pk}/parties/", {"kind": "person", "name": "某"}, content_type="application/json")
    assert response.status_code == 404
    assert client.post(f"/enforcement/cases/{case.pk}/party/", {"kind": "person", "role": "suspect", "name": "某"}).status_code == 404


@pytest.mark.django_db
def test_tipoff_api_scope_for_towns(zhoucun: dict[str, Any], client_for: Any, town_officer: Any) -> None:
    mine = make_tipoff(zhoucun["王村镇"])
    theirs = make_tipoff(zhoucun["北郊镇"])
    unlocated = make_tipoff(zhoucun["周村区"])
    ids = [row["id"] for row in client_for(town_officer).get("/api/v1/enforcement/tipoffs/").json()["results"]]
    assert ids == [mine.pk]
    assert client_for(town_officer).get(f"/api/v1/enforcement/tipoffs/{theirs.pk}/").status_code == 404
    assert client_for(town_officer).get(f"/api/v1/enforcement/tipoffs/{unlocated.pk}/").status_code == 404
    assert client_for(town_officer).post(f"/api/v1/enforcement/tipoffs/{theirs.pk}/triage/", {"category": "trade"}, content_type="application/json").status_code == 404
