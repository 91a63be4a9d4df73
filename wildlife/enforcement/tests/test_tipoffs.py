"""Tip-off services: intake, the public submission and its query code, the workflow with checked transitions, due
dates and overdue alerts, escalation to a case, the informant reveal and the intake role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wildlife.audit.models import AuditEvent
from wildlife.core.exceptions import ConflictError
from wildlife.enforcement import services
from wildlife.enforcement.models import Case, Tipoff, TipoffInformant, TipoffStep, TipoffTimeLimit
from wildlife.enforcement.selectors import tipoff_public_status
from wildlife.enforcement.tests.conftest import CANARY_NAME, CANARY_PHONE, make_tipoff, town_point

pytestmark = pytest.mark.django_db


def test_register_by_staff_gets_receipt_due_date_and_encrypted_informant(district_officer: Any, zhoucun: Any) -> None:
    tipoff = services.tipoff_register(
        actor=district_officer, channel="phone_12345", content="有人在市场卖画眉", area=zhoucun["王村镇"],
        informant={"name": CANARY_NAME, "phone": CANARY_PHONE},
    )
    assert tipoff.receipt_no.startswith("JB") and tipoff.status == "registered"
    assert not tipoff.anonymous
    assert tipoff.due_at is not None and (tipoff.due_at - tipoff.received_at) == dt.timedelta(days=2)
    record = TipoffInformant.objects.get(tipoff=tipoff)
    assert record.name == CANARY_NAME  # decrypted through the field
    raw = TipoffInformant.objects.filter(pk=record.pk).values_list("name", flat=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone FROM enforcement_tipoffinformant WHERE id = %s", [record.pk])
        stored = cursor.fetchone()
    assert stored[0].startswith("enc1:") and CANARY_NAME not in stored[0] and CANARY_PHONE not in stored[1]
    assert list(raw)  # the ORM still reads it
    second = services.tipoff_register(actor=district_officer, channel="walk_in", content="再次举报", area=zhoucun["王村镇"])
    assert second.receipt_no != tipoff.receipt_no and second.anonymous


def test_register_refuses_without_permission_and_bad_input(police_officer: Any, district_officer: Any, zhoucun: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.tipoff_register(actor=police_officer, channel="phone_12345", content="x", area=zhoucun["王村镇"])
    with pytest.raises(ValidationError) as exc:
        services.tipoff_register(actor=district_officer, channel="phone_12345", content="  ", area=zhoucun["王村镇"])
    assert "content" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.tipoff_register(actor=district_officer, channel="web", content="x", area=zhoucun["王村镇"])
    assert "channel" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.tipoff_register(actor=district_officer, channel="walk_in", content="x", area=zhoucun["王村镇"], informant={"phone": "12ab"})
    assert "informant.phone" in exc.value.message_dict and "12ab" not in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.tipoff_register(actor=district_officer, channel="walk_in", content="x", area=zhoucun["王村镇"], informant={"id_number": "123"})
    assert "informant.id_number" in exc.value.message_dict
    assert not Tipoff.objects.exists()


def test_town_officer_registers_in_own_town_only(town_officer: Any, zhoucun: Any) -> None:
    tipoff = services.tipoff_register(actor=town_officer, channel="walk_in", content="村民反映有人下猎夹")
    assert tipoff.area.name == "王村镇"  # from the actor's only assignment
    from wildlife.core.exceptions import OutOfScopeError

    with pytest.raises(OutOfScopeError):
        services.tipoff_register(actor=town_officer, channel="walk_in", content="北郊的事", location=town_point(zhoucun["北郊镇"]))
    assert Tipoff.objects.count() == 1


def test_patrol_registration_is_idempotent_on_source_ref(town_officer: Any, zhoucun: Any) -> None:
    first = services.tipoff_register(actor=town_officer, channel="patrol", content="巡护发现捕鸟网", source_ref="patrols.patrol:42", source_label="巡护 #42")
    again = services.tipoff_register(actor=town_officer, channel="patrol", content="巡护发现捕鸟网", source_ref="patrols.patrol:42", source_label="巡护 #42")
    assert first.pk == again.pk and Tipoff.objects.count() == 1


def test_public_submission_query_code_is_hashed_and_checks(zhoucun: Any) -> None:
    tipoff, code = services.tipoff_submit_public(kind="injured", content="河边有受伤的鹭", location=town_point(zhoucun["北郊镇"]))
    assert tipoff.channel == "web" and tipoff.area.name == "北郊镇" and tipoff.created_by is None
    assert len(code.replace("-", "")) == 16 and code not in tipoff.query_code_hash
    assert tipoff.query_code_hash and len(tipoff.query_code_hash) == 64
    status = tipoff_public_status(receipt_no=tipoff.receipt_no, code=code.lower().replace("-", " "))
    assert status is not None and status.status == "registered" and status.reply == ""
    assert tipoff_public_status(receipt_no=tipoff.receipt_no, code="AAAA-AAAA-AAAA-AAAA") is None
    assert tipoff_public_status(receipt_no="JB00000000-0000", code=code) is None
    _other, other_code = services.tipoff_submit_public(kind="illegal", content="另一条举报内容")
    assert tipoff_public_status(receipt_no=tipoff.receipt_no, code=other_code) is None
    assert _other.area.level == "district"  # no location: the district until triage


def test_full_workflow_with_timeline_and_reply_visible_to_the_public(district_officer: Any, zhoucun: Any, catalogue: Any) -> None:
    tipoff, code = services.tipoff_submit_public(kind="illegal", content="市场有人卖野生鸟")
    tipoff = services.tipoff_triage(actor=district_officer, tipoff=tipoff, category="trade", species=catalogue["画眉"], location=town_point(zhoucun["王村镇"]))
    assert tipoff.area.name == "王村镇" and tipoff.status == "triaged"
    from wildlife.accounts.models import Department

    tipoff = services.tipoff_assign(actor=district_officer, tipoff=tipoff, department=Department.objects.get(code="market"), town=zhoucun["王村镇"])
    assert tipoff.assigned_department.code == "market" and tipoff.due_at == tipoff.received_at + dt.timedelta(days=15)
    tipoff = services.tipoff_handle(actor=district_officer, tipoff=tipoff, findings="现场查获画眉 3 只", actions_taken="已扣押")
    tipoff = services.tipoff_reply(actor=district_officer, tipoff=tipoff, reply="已查处，感谢举报")
    status = tipoff_public_status(receipt_no=tipoff.receipt_no, code=code)
    assert status is not None and status.status == "replied" and status.reply == "已查处，感谢举报"
    tipoff = services.tipoff_close(actor=district_officer, tipoff=tipoff)
    assert tipoff.status == "closed" and tipoff.closed_at is not None and tipoff.due_at is None
    steps = list(TipoffStep.objects.filter(tipoff=tipoff).values_list("action", flat=True))
    assert steps == ["register", "triage", "assign", "handle", "reply", "close"]
    actions = set(AuditEvent.objects.filter(object_type="enforcement.tipoff", object_id=str(tipoff.pk)).values_list("action", flat=True))
    assert {"tipoff_submit_public", "tipoff_triage", "tipoff_assign", "tipoff_handle", "tipoff_reply", "tipoff_close"} <= actions


def test_double_submission_has_one_effect_and_wrong_state_conflicts(district_officer: Any, zhoucun: Any) -> None:
    tipoff = make_tipoff(zhoucun["王村镇"])
    services.tipoff_triage(actor=district_officer, tipoff=tipoff, category="hunting")
    with pytest.raises(ConflictError) as exc:
        services.tipoff_triage(actor=district_officer, tipoff=tipoff, category="trade")
    assert exc.value.code == "tipoff_state_conflict" and exc.value.current == {"status": "triaged"}
    tipoff.refresh_from_db()
    assert tipoff.category == "hunting"
    assert TipoffStep.objects.filter(tipoff=tipoff, action="triage").count() == 1
    with pytest.raises(ConflictError):
        services.tipoff_reply(actor=district_officer, tipoff=tipoff, reply="太早了")
    with pytest.raises(ConflictError):
        services.tipoff_close(actor=district_officer, tipoff=tipoff)


def test_stale_object_cannot_apply_a_step_twice(district_officer: Any, zhoucun: Any) -> None:
    """Two officers hold the same page: the second one's step finds the status already moved (compare-and-swap)."""
    tipoff = make_tipoff(zhoucun["王村镇"])
    stale = Tipoff.objects.get(pk=tipoff.pk)
    services.tipoff_triage(actor=district_officer, tipoff=tipoff, category="hunting")
    with pytest.raises(ConflictError):
        services.tipoff_triage(actor=district_officer, tipoff=stale, category="trade")
    assert Tipoff.objects.get(pk=tipoff.pk).version == tipoff.version


def test_assign_moves_the_tipoff_into_the_town_scope(district_officer: Any, town_officer: Any, other_town_officer: Any, zhoucun: Any) -> None:
    from wildlife.accounts.models import Department

    tipoff, _code = services.tipoff_submit_public(kind="illegal", content="没有位置的举报")
    assert not Tipoff.objects.restrict(town_officer).filter(pk=tipoff.pk).exists()
    services.tipoff_triage(actor=district_officer, tipoff=tipoff, category="hunting")
    services.tipoff_assign(actor=district_officer, tipoff=tipoff, department=Department.objects.get(code="natural_resources"), town=zhoucun["王村镇"])
    assert Tipoff.objects.restrict(town_officer).filter(pk=tipoff.pk).exists()
    assert not Tipoff.objects.restrict(other_town_officer).filter(pk=tipoff.pk).exists()


def test_town_cannot_hand_its_tipoff_to_another_town(town_officer: Any, zhoucun: Any) -> None:
    from wildlife.accounts.models import Department
    from wildlife.core.exceptions import OutOfScopeError

    tipoff = make_tipoff(zhoucun["王村镇"])
    services.tipoff_triage(actor=town_officer, tipoff=tipoff, category="hunting")
    with pytest.raises(OutOfScopeError):
        services.tipoff_assign(actor=town_officer, tipoff=tipoff, department=Department.objects.get(code="natural_resources"), town=zhoucun["北郊镇"])
    assert Tipoff.objects.get(pk=tipoff.pk).status == "triaged"


def test_overdue_flag_and_alert_once_per_stage(zhoucun: Any, district_officer: Any) -> None:
    import time_machine

    tipoff = make_tipoff(zhoucun["王村镇"])
    assert not tipoff.is_overdue
    later = timezone.now() + dt.timedelta(days=3)
    with time_machine.travel(later, tick=False):
        assert Tipoff.objects.get(pk=tipoff.pk).is_overdue
        assert services.tipoff_flag_overdue() == 1
        assert services.tipoff_flag_overdue() == 0
        assert TipoffStep.objects.filter(tipoff=tipoff, action="overdue").count() == 1
        assert AuditEvent.objects.filter(action="tipoff_overdue", object_id=str(tipoff.pk)).count() == 1
        services.tipoff_triage(actor=district_officer, tipoff=tipoff, category="hunting")
        fresh = Tipoff.objects.get(pk=tipoff.pk)
        assert fresh.overdue_flagged_at is None and not fresh.is_overdue  # next stage: 15 days from receipt


def test_time_limits_are_configurable_per_channel(zhoucun: Any) -> None:
    TipoffTimeLimit.objects.create(stage="triage", channel="phone_12345", days=1, effective_from=dt.date(2020, 1, 1), basis="12345 热线 1 日内签收")
    phone = make_tipoff(zhoucun["王村镇"], channel="phone_12345")
    letter = make_tipoff(zhoucun["王村镇"], channel="letter")
    assert phone.due_at - phone.received_at == dt.timedelta(days=1)
    assert letter.due_at - letter.received_at == dt.timedelta(days=2)


def test_escalate_opens_one_case_without_the_informant(district_officer: Any, zhoucun: Any) -> None:
    tipoff = services.tipoff_register(
        actor=district_officer, channel="phone_12345", content="张网捕鸟，现场有十余只", area=zhoucun["王村镇"],
        informant={"name": CANARY_NAME, "phone": CANARY_PHONE}, occurred_at=timezone.now() - dt.timedelta(days=1),
    )
    with pytest.raises(ConflictError):
        services.tipoff_escalate(actor=district_officer, tipoff=tipoff, title="捕鸟案")  # registered: triage first
    services.tipoff_triage(actor=district_officer, tipoff=tipoff, category="hunting")
    case = services.tipoff_escalate(actor=district_officer, tipoff=tipoff, title="王村镇张网捕鸟案", offence_type="hunting")
    assert case.origin == "tipoff" and case.origin_ref == str(tipoff.pk) and case.tipoff_id == tipoff.pk
    assert case.area.name == "王村镇" and case.summary == tipoff.content and case.offence_date is not None
    assert CANARY_NAME not in case.summary + case.origin_label + case.title
    assert Tipoff.objects.get(pk=tipoff.pk).case_id == case.pk
    with pytest.raises(ConflictError) as exc:
        services.tipoff_escalate(actor=district_officer, tipoff=Tipoff.objects.get(pk=tipoff.pk), title="重复")
    assert exc.value.code == "case_exists"
    assert Case.objects.count() == 1


def test_reveal_needs_the_intake_role_and_a_reason(district_officer: Any, intake_officer: Any, zhoucun: Any) -> None:
    tipoff = services.tipoff_register(
        actor=district_officer, channel="phone_12345", content="举报内容", area=zhoucun["王村镇"],
        informant={"name": CANARY_NAME, "phone": CANARY_PHONE},
    )
    with pytest.raises(PermissionDenied):
        services.tipoff_informant_reveal(actor=district_officer, tipoff=tipoff, reason="想看看")
    assert AuditEvent.objects.filter(action="informant_reveal", outcome="denied", username="district_officer").exists()
    with pytest.raises(ValidationError):
        services.tipoff_informant_reveal(actor=intake_officer, tipoff=tipoff, reason="看")
    revealed = services.tipoff_informant_reveal(actor=intake_officer, tipoff=tipoff, reason="核实举报情况需回访")
    assert revealed is not None and revealed.name == CANARY_NAME and revealed.phone == CANARY_PHONE
    event = AuditEvent.objects.filter(action="informant_reveal", outcome="success").get()
    assert event.username == "intake_officer" and event.detail["reason"] == "核实举报情况需回访"
    assert CANARY_NAME not in str(event.detail) + event.object_repr and CANARY_PHONE not in str(event.detail)


def test_intake_role_is_managed_by_the_security_administrator(security_admin: Any, system_admin: Any, district_officer: Any, market_officer: Any, police_officer: Any, town_officer: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.intake_member_add(actor=system_admin, user=district_officer)
    services.intake_member_add(actor=security_admin, user=district_officer)
    services.intake_member_add(actor=security_admin, user=market_officer)
    district_officer = type(district_officer).objects.get(pk=district_officer.pk)
    assert district_officer.has_perm("enforcement.reveal_informant")
    with pytest.raises(ValidationError):
        services.intake_member_add(actor=security_admin, user=police_officer)
    with pytest.raises(ValidationError):
        services.intake_member_add(actor=security_admin, user=town_officer)
    with pytest.raises(ConflictError):
        services.intake_member_add(actor=security_admin, user=market_officer)
    services.intake_member_remove(actor=security_admin, user=market_officer)
    market_officer = type(market_officer).objects.get(pk=market_officer.pk)
    assert not market_officer.has_perm("enforcement.reveal_informant")
    assert AuditEvent.objects.filter(action__in=["intake_member_add", "intake_member_remove"]).count() == 3


def test_public_photos_are_reencoded_and_checked(zhoucun: Any) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    good = SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")
    tipoff, _code = services.tipoff_submit_public(kind="sighting", content="看到一只狐狸", photos=[good])
    photo = tipoff.photos.get()
    assert photo.content_type == "image/jpeg" and photo.file.read(3) == b"\xff\xd8\xff"
    fake = SimpleUploadedFile("b.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.tipoff_submit_public(kind="sighting", content="看到一只狐狸", photos=[fake])
    assert "photos" in exc.value.message_dict
    assert Tipoff.objects.count() == 1
