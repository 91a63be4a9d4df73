"""Inspections: checklist answers, rectification workflow (double submission has one effect), overdue, kinds
hidden from market supervision, templates that do not rewrite history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wildlife.core.exceptions import ConflictError
from wildlife.patrols import services
from wildlife.patrols.choices import Answer, InspectionStatus, TargetKind
from wildlife.patrols.models import Inspection, InspectionFollowUp, InspectionTarget
from wildlife.patrols.selectors import inspection_counts
from wildlife.patrols.tests.factories import make_inspection, make_target, make_template

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def answers(template, failed=()):
    return [
        services.AnswerInput(order=i.order, item_text=i.text, answer=Answer.FAIL if i.order in failed else Answer.PASS, note="问题说明" if i.order in failed else "")
        for i in template.items.all()
    ]


@pytest.fixture
def template(zhoucun):
    return make_template(zhoucun["周村区"])


@pytest.fixture
def target(zhoucun):
    return make_target(zhoucun["王村镇"])


def test_record_with_failed_item_and_deadline_starts_rectifying(template, target, town_officer):
    inspection = services.inspection_record(
        actor=town_officer, target=target, template=template, inspected_on=TODAY, answers=answers(template, failed=[2]),
        inspectors=[town_officer], findings="无来源证明", rectification_requirement="补齐证明", rectify_by=TODAY + dt.timedelta(days=7),
    )
    assert inspection.status == InspectionStatus.RECTIFYING and inspection.failed_items == 1
    assert inspection.area == target.area and inspection.target_kind == TargetKind.MARKET
    assert [a.answer for a in inspection.answers.all()] == ["pass", "fail", "pass"]
    assert inspection.inspection_no.startswith("JC" + TODAY.strftime("%Y%m%d"))
    assert not inspection.overdue


def test_record_validation(template, target, town_officer):
    with pytest.raises(ValidationError) as exc:
        services.inspection_record(
            actor=town_officer, target=target, template=template, inspected_on=TODAY,
            answers=[services.AnswerInput(order=1, item_text="x", answer=Answer.FAIL)], rectify_by=TODAY - dt.timedelta(days=1),
        )
    errors = exc.value.message_dict
    assert "第 1 项不符合：请写明具体问题" in errors["answers"][0]
    assert "rectification_requirement" in errors and "rectify_by" in errors and "inspectors" in errors
    with pytest.raises(ValidationError) as exc:
        services.inspection_record(actor=town_officer, target=target, inspected_on=TODAY + dt.timedelta(days=1), inspector_names="甲")
    assert "inspected_on" in exc.value.message_dict
    assert not Inspection.objects.exists()


def test_follow_up_double_submission_has_one_effect(zhoucun, town_officer):
    inspection = make_inspection(zhoucun["王村镇"], status="rectifying", rectify_by=TODAY + dt.timedelta(days=5))
    version = inspection.version
    services.inspection_follow_up(actor=town_officer, inspection=inspection, version=version, checked_on=TODAY, result="passed")
    assert inspection.status == InspectionStatus.VERIFIED
    with pytest.raises(ConflictError) as exc:
        services.inspection_follow_up(actor=town_officer, inspection=Inspection.objects.get(pk=inspection.pk), version=version, checked_on=TODAY, result="passed")
    assert exc.value.code == "invalid_state"
    assert InspectionFollowUp.objects.filter(inspection=inspection).count() == 1


def test_failed_follow_up_extends_deadline_once(zhoucun, town_officer):
    inspection = make_inspection(zhoucun["王村镇"], status="rectifying", rectify_by=TODAY - dt.timedelta(days=1))
    assert inspection.overdue
    with pytest.raises(ValidationError) as exc:
        services.inspection_follow_up(actor=town_officer, inspection=inspection, version=1, checked_on=TODAY, result="failed")
    assert "new_deadline" in exc.value.message_dict
    services.inspection_follow_up(actor=town_officer, inspection=inspection, version=1, checked_on=TODAY, result="failed", new_deadline=TODAY + dt.timedelta(days=10))
    assert inspection.status == InspectionStatus.RECTIFYING and inspection.rectify_by == TODAY + dt.timedelta(days=10) and not inspection.overdue
    # the same form sent twice: the second carries the old version and changes nothing
    with pytest.raises(ConflictError) as exc:
        services.inspection_follow_up(actor=town_officer, inspection=inspection, version=1, checked_on=TODAY, result="failed", new_deadline=TODAY + dt.timedelta(days=20))
    assert exc.value.code == "version_conflict"
    assert InspectionFollowUp.objects.filter(inspection=inspection).count() == 1


def test_order_rectification_and_close(zhoucun, town_officer):
    inspection = make_inspection(zhoucun["王村镇"])
    with pytest.raises(ValidationError):
        services.inspection_order_rectification(actor=town_officer, inspection=inspection, version=1, rectify_by=TODAY, requirement="")
    services.inspection_order_rectification(actor=town_officer, inspection=inspection, version=1, rectify_by=TODAY + dt.timedelta(days=3), requirement="整改")
    assert inspection.status == InspectionStatus.RECTIFYING
    with pytest.raises(ConflictError):
        services.inspection_order_rectification(actor=town_officer, inspection=inspection, version=2, rectify_by=TODAY, requirement="整改")
    services.inspection_close(actor=town_officer, inspection=inspection, version=2, note="已移交立案")
    assert inspection.status == InspectionStatus.CLOSED and inspection.closed_at is not None
    with pytest.raises(ConflictError):
        services.inspection_close(actor=town_officer, inspection=inspection, version=3, note="again")


def test_overdue_counts_and_filter(zhoucun, town_officer, client_for):
    late = make_inspection(zhoucun["王村镇"], status="rectifying", rectify_by=TODAY - dt.timedelta(days=2))
    on_time = make_inspection(zhoucun["王村镇"], status="rectifying", rectify_by=TODAY + dt.timedelta(days=2))
    make_inspection(zhoucun["北郊镇"], status="rectifying", rectify_by=TODAY - dt.timedelta(days=2))
    assert inspection_counts(user=town_officer) == {"total": 2, "rectifying": 2, "overdue": 1}
    body = client_for(town_officer).get(reverse("patrols:inspection_list") + "?overdue=1").content.decode()
    assert late.get_absolute_url() in body and on_time.get_absolute_url() not in body
    api = client_for(town_officer).get("/api/v1/enforcement/inspections/?overdue=1").json()
    assert [row["id"] for row in api["results"]] == [late.pk] and api["results"][0]["overdue"] is True


def test_market_supervision_sees_market_kinds_not_breeding_sites(zhoucun, market_officer, police_officer, client_for):
    market = make_inspection(zhoucun["王村镇"], kind=TargetKind.PET_SHOP)
    breeding = make_inspection(zhoucun["王村镇"], kind=TargetKind.BREEDING)
    visible = set(Inspection.objects.restrict(market_officer, "view").values_list("pk", flat=True))
    assert market.pk in visible and breeding.pk not in visible
    client = client_for(market_officer)
    assert client.get(breeding.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/enforcement/inspections/{breeding.pk}/").status_code == 404
    assert client.get(breeding.target.get_absolute_url()).status_code == 404
    assert client.get(market.get_absolute_url()).status_code == 200
    assert not InspectionTarget.objects.restrict(market_officer, "view").filter(kind=TargetKind.BREEDING).exists()
    # police view everything, change nothing
    assert set(Inspection.objects.restrict(police_officer, "view").values_list("pk", flat=True)) == {market.pk, breeding.pk}
    assert not Inspection.objects.restrict(police_officer, "change").exists()
    response = client_for(police_officer).post(f"/api/v1/enforcement/inspections/{market.pk}/close/", {"note": "x", "version": 1}, content_type="application/json")
    assert response.status_code == 403


def test_market_cannot_record_a_breeding_site_inspection(zhoucun, market_officer):
    target = make_target(zhoucun["王村镇"], kind=TargetKind.BREEDING, name="养殖场")
    from wildlife.core.exceptions import OutOfScopeError

    with pytest.raises(OutOfScopeError):
        services.inspection_record(actor=market_officer, target=target, inspected_on=TODAY, inspector_names="甲")
    assert not Inspection.objects.exists()


def test_editing_a_template_keeps_past_answers(zhoucun, district_officer, template, target):
    inspection = services.inspection_record(actor=district_officer, target=target, template=template, inspected_on=TODAY, answers=answers(template), inspector_names="甲")
    services.checklist_template_save(actor=district_officer, obj=template, name="新版", target_kind=TargetKind.MARKET, items="新检查项一\n新检查项二｜依据", version=template.version)
    assert [i.text for i in template.items.all()] == ["新检查项一", "新检查项二"]
    assert template.items.get(order=2).legal_basis == "依据"
    assert [a.item_text for a in inspection.answers.all()] == ["是否出售野生动物", "是否有来源证明", "是否张贴公告"]


def test_one_active_template_per_kind(zhoucun, district_officer, template):
    second = services.checklist_template_save(actor=district_officer, name="另一份", target_kind=TargetKind.MARKET, items="一\n二")
    template.refresh_from_db()
    assert second.is_active and not template.is_active
    assert services.checklist_for_kind(TargetKind.MARKET) == second
    with pytest.raises(ValidationError) as exc:
        services.checklist_template_save(actor=district_officer, name="空", target_kind=TargetKind.MARKET, items="\n  \n")
    assert "items" in exc.value.message_dict


def test_templates_are_read_by_towns_and_changed_by_the_district(zhoucun, template, town_officer, district_officer, market_officer):
    from wildlife.patrols.models import ChecklistTemplate

    breeding = make_template(zhoucun["周村区"], kind=TargetKind.BREEDING)
    assert set(ChecklistTemplate.objects.restrict(town_officer, "view")) == {template, breeding}
    assert not ChecklistTemplate.objects.restrict(town_officer, "change").exists()
    assert set(ChecklistTemplate.objects.restrict(district_officer, "change")) == {template, breeding}
    assert set(ChecklistTemplate.objects.restrict(market_officer, "view")) == {template}
