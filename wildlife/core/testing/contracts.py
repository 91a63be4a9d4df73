"""Contract tests that a scoped register gets by declaring a few attributes.

    class TestRescueCaseContract(ScopedRegisterContract):
        model = RescueCase
        list_url_name = "rescue:case_list"
        detail_url_name = "rescue:case_detail"
        api_list_path = "/api/v1/rescue/cases/"

        def make_record(self, area):        # an object that belongs to `area`
            return RescueCaseFactory(area=area)

The record is made in 王村镇. The cast member named by `in_scope_user` (default town_officer, of 王村镇) sees it;
`out_of_scope_user` (other_town_officer, of 北郊镇) gets 404 and does not find it in lists, exports or the API;
`district_user` sees it; `no_permission_user` (a department without the model permission), the three
administrators and anonymous visitors are refused.
"""

from __future__ import annotations

import io
from typing import Any, ClassVar

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wildlife.core.testing import cast

RECORD_TOWN = "王村镇"


@pytest.mark.django_db
class ScopedRegisterContract:
    model: ClassVar[type[Any]]
    list_url_name: ClassVar[str | None] = None
    detail_url_name: ClassVar[str | None] = None
    api_list_path: ClassVar[str | None] = None
    in_scope_user: ClassVar[str] = "town_officer"
    out_of_scope_user: ClassVar[str] = "other_town_officer"
    district_user: ClassVar[str] = "district_officer"
    no_permission_user: ClassVar[str | None] = None
    export: ClassVar[bool] = True

    def make_record(self, area: Any) -> Any:  # pragma: no cover - subclasses implement
        raise AssertionError("subclasses make a record in the given area")

    # --- helpers ---------------------------------------------------------------------------------------------

    @pytest.fixture
    def record(self, zhoucun: dict[str, Any]) -> Any:
        return self.make_record(zhoucun[RECORD_TOWN])

    def user(self, name: str) -> Any:
        return cast.make_cast_member(name)

    def detail_url(self, record: Any) -> str:
        assert self.detail_url_name
        return reverse(self.detail_url_name, args=[record.pk])

    # --- queryset scope --------------------------------------------------------------------------------------

    def test_restrict_in_scope_sees_record(self, record: Any) -> None:
        user = self.user(self.in_scope_user)
        assert self.model.objects.restrict(user, "view").filter(pk=record.pk).exists()

    def test_restrict_out_of_scope_hides_record(self, record: Any) -> None:
        user = self.user(self.out_of_scope_user)
        assert not self.model.objects.restrict(user, "view").filter(pk=record.pk).exists()
        assert not self.model.objects.restrict(user, "change").filter(pk=record.pk).exists()

    def test_restrict_district_sees_record(self, record: Any) -> None:
        user = self.user(self.district_user)
        assert self.model.objects.restrict(user, "view").filter(pk=record.pk).exists()

    def test_restrict_administrators_and_anonymous_see_nothing(self, record: Any) -> None:
        for name in ("system_admin", "security_admin", "audit_admin", "anonymous"):
            assert not self.model.objects.restrict(self.user(name), "view").exists(), name

    def test_restrict_without_department_permission(self, record: Any) -> None:
        if self.no_permission_user is None:
            pytest.skip("every department may view this register")
        assert not self.model.objects.restrict(self.user(self.no_permission_user), "view").exists()

    # --- pages -----------------------------------------------------------------------------------------------

    def test_list_page_scope(self, record: Any) -> None:
        if not self.list_url_name:
            pytest.skip("register has no list page")
        url = reverse(self.list_url_name)
        inside = cast.login_client(self.user(self.in_scope_user)).get(url)
        assert inside.status_code == 200
        assert record.get_absolute_url() in inside.content.decode()
        outside = cast.login_client(self.user(self.out_of_scope_user)).get(url)
        assert outside.status_code in (200, 403)
        assert record.get_absolute_url() not in outside.content.decode()

    def test_list_export_scope(self, record: Any) -> None:
        if not self.list_url_name or not self.export:
            pytest.skip("register has no export")
        url = reverse(self.list_url_name) + "?export=xlsx"
        inside = cast.login_client(self.user(self.in_scope_user)).get(url)
        assert inside.status_code == 200
        rows_in = list(load_workbook(io.BytesIO(inside.content)).active.iter_rows(values_only=True))
        outside = cast.login_client(self.user(self.out_of_scope_user)).get(url)
        if outside.status_code == 200:
            rows_out = list(load_workbook(io.BytesIO(outside.content)).active.iter_rows(values_only=True))
            assert len(rows_out) < len(rows_in)

    def test_detail_page_in_scope(self, record: Any) -> None:
        if not self.detail_url_name:
            pytest.skip("register has no detail page")
        response = cast.login_client(self.user(self.in_scope_user)).get(self.detail_url(record))
        assert response.status_code == 200

    def test_detail_page_out_of_scope_is_404(self, record: Any) -> None:
        if not self.detail_url_name:
            pytest.skip("register has no detail page")
        response = cast.login_client(self.user(self.out_of_scope_user)).get(self.detail_url(record))
        assert response.status_code == 404

    def test_pages_refuse_anonymous_and_administrators(self, record: Any) -> None:
        if not self.detail_url_name:
            pytest.skip("register has no detail page")
        anonymous = cast.login_client(self.user("anonymous")).get(self.detail_url(record))
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
        for name in ("system_admin", "audit_admin"):
            response = cast.login_client(self.user(name)).get(self.detail_url(record))
            assert response.status_code in (403, 404), name

    # --- API -------------------------------------------------------------------------------------------------

    def test_api_list_and_detail_scope(self, record: Any) -> None:
        if not self.api_list_path:
            pytest.skip("register has no API")
        inside = cast.login_client(self.user(self.in_scope_user))
        body = inside.get(self.api_list_path).json()
        assert record.pk in [row["id"] for row in body["results"]]
        assert inside.get(f"{self.api_list_path}{record.pk}/").status_code == 200
        outside = cast.login_client(self.user(self.out_of_scope_user))
        response = outside.get(self.api_list_path)
        if response.status_code == 200:
            assert record.pk not in [row["id"] for row in response.json()["results"]]
        detail = outside.get(f"{self.api_list_path}{record.pk}/")
        assert detail.status_code in (403, 404)
        if detail.status_code == 404:
            assert detail["Content-Type"].startswith("application/problem+json")
        assert cast.login_client(self.user("anonymous")).get(self.api_list_path).status_code == 401
