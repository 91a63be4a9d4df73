"""Events: the reporting chain with server-computed deadlines (countdowns, overdue flags), samples with chain of
custody, lab results, suspected infection → letter to 区农业农村局 (PDF) and timeline, confirmation, closure, response."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from wildlife.core.exceptions import ConflictError
from wildlife.disease import services
from wildlife.disease.choices import AlertKind, EventStatus, Grade, LabOutcome
from wildlife.disease.letters import letter_html
from wildlife.disease.models import Alert, EventDocument, ReportingStep

from .conftest import WANGCUN, local, offset

pytestmark = pytest.mark.django_db
SEEN = local(2026, 4, 15, 8, 0)
ENTERED = local(2026, 4, 15, 8, 30)


@pytest.fixture
def event(make_event, birds, chain_rules, grading_rules):
    with time_machine.travel(ENTERED, tick=False):
        return make_event(WANGCUN, SEEN, [(birds["斑嘴鸭"], 2, 6)], now=ENTERED, place_name="王村镇水库边")


def steps(event):
    return {s.rule.name: s for s in ReportingStep.objects.filter(event=event).select_related("rule")}


def test_reporting_chain_starts_with_the_flash_report(event, chain_rules):
    found = steps(event)
    assert set(found) == {"快报", "报市"}
    flash, city = found["快报"], found["报市"]
    # deadlines are computed by the server from the moment the animals were first seen
    assert flash.due_at == SEEN + dt.timedelta(minutes=60) and flash.done_at == ENTERED and not flash.is_overdue()
    assert city.due_at == SEEN + dt.timedelta(minutes=240) and city.done_at is None
    assert city.is_overdue(local(2026, 4, 15, 12, 1)) and not city.is_overdue(local(2026, 4, 15, 11, 59))


def test_completing_a_step_once_and_late_steps_flagged(event, district_officer):
    city = steps(event)["报市"]
    with time_machine.travel(local(2026, 4, 15, 12, 30), tick=False):
        services.event_step_complete(actor=district_officer, step=city, note="电话报告，市局值班室")
        with pytest.raises(ConflictError) as twice:
            services.event_step_complete(actor=district_officer, step=city)
    assert twice.value.code == "step_already_done"
    city.refresh_from_db()
    assert city.is_overdue() and "（逾期）" in event.timeline.filter(kind="step_done").get().text


def test_overdue_steps_raise_one_alert_each(event):
    with time_machine.travel(local(2026, 4, 15, 12, 5), tick=False):
        assert services.overdue_steps_run() == "逾期报告步骤预警 1 条"
        assert services.overdue_steps_run() == "逾期报告步骤预警 0 条"
    alert = Alert.objects.get(kind=AlertKind.OVERDUE_STEP)
    assert alert.event == event and "市自然资源局" in alert.title


def test_suspected_infection_starts_the_chain_and_writes_the_letter(event, district_officer, chain_rules):
    with time_machine.travel(local(2026, 4, 15, 10, 0), tick=False):
        services.event_mark_suspected(actor=district_officer, event=event, reason="神经症状，疑似禽流感")
        with pytest.raises(ConflictError):
            services.event_mark_suspected(actor=district_officer, event=event, reason="再次")
    event.refresh_from_db()
    assert event.status == EventStatus.SUSPECTED and event.suspected_at == local(2026, 4, 15, 10, 0)
    agri = steps(event)["通报农业农村"]
    assert agri.due_at == local(2026, 4, 15, 12, 0) and agri.to_body == "区农业农村局"
    assert "重大疫情2小时报省" not in steps(event)  # grade Ⅳ is not a major epidemic
    document = EventDocument.objects.get(event=event)
    content = document.file.read()
    assert content.startswith(b"%PDF") and len(content) > 10_000
    assert document.number == "周自然资疫通〔2026〕1号"
    assert event.timeline.filter(kind="letter", text__contains=document.number).exists()
    html = letter_html(event=event, number=document.number, reason="神经症状，疑似禽流感")
    assert "区农业农村局" in html and event.event_no in html and "斑嘴鸭" in html and "第三十三条" in html


def test_major_suspected_epidemic_must_reach_the_province_within_two_hours(make_event, birds, chain_rules, grading_rules, district_officer):
    with time_machine.travel(ENTERED, tick=False):
        event = make_event(offset(WANGCUN, east_m=6000), SEEN, [(birds["斑嘴鸭"], 0, 60)], now=ENTERED)
    assert event.grade == Grade.II
    with time_machine.travel(local(2026, 4, 15, 9, 0), tick=False):
        services.event_mark_suspected(actor=district_officer, event=event, reason="大量死亡")
    province = steps(event)["重大疫情2小时报省"]
    assert province.due_at == local(2026, 4, 15, 11, 0)


def test_samples_custody_and_results(event, district_officer, agri_officer, birds):
    taken = local(2026, 4, 15, 10, 0)
    with time_machine.travel(local(2026, 4, 15, 10, 5), tick=False):
        sample = services.sample_add(
            actor=district_officer, event=event, sample_no="S-1", kind="swab_cl", species=birds["斑嘴鸭"], quantity=6, taken_by="张磊", taken_at=taken, biosafety_level="bsl2", lab_name="市疫控中心"
        )
        with pytest.raises(ValidationError):
            services.sample_add(actor=district_officer, event=event, sample_no="S-1", kind="swab_cl", taken_by="张磊", taken_at=taken, biosafety_level="bsl2")
        services.sample_custody_add(actor=district_officer, sample=sample, at=local(2026, 4, 15, 11, 0), from_person="张磊", to_person="王强")
        with pytest.raises(ValidationError):
            services.sample_custody_add(actor=district_officer, sample=sample, at=local(2026, 4, 15, 10, 30), from_person="王强", to_person="李娜")
        for bad in (
            {"outcome": LabOutcome.NEGATIVE, "tested_count": 6, "positive_count": 1},
            {"outcome": LabOutcome.SUSPECT, "tested_count": 6, "positive_count": 0},
            {"outcome": LabOutcome.SUSPECT, "tested_count": 2, "positive_count": 3},
            {"outcome": LabOutcome.NEGATIVE, "tested_count": 6, "positive_count": 0, "pooled": True, "pool_size": None},
        ):
            with pytest.raises(ValidationError):
                services.lab_result_add(actor=agri_officer, sample=sample, pathogen="H5", test_method="RT-PCR", lab_name="市疫控中心", reported_at=taken, **bad)
        services.lab_result_add(
            actor=agri_officer, sample=sample, pathogen="H5", test_method="RT-PCR", outcome=LabOutcome.NEGATIVE, tested_count=6, positive_count=0, pooled=True, pool_size=3, lab_name="市疫控中心", reported_at=taken
        )
    event.refresh_from_db()
    assert event.status == EventStatus.REPORTED and not event.documents.exists()
    with time_machine.travel(local(2026, 4, 16, 9, 0), tick=False):
        services.lab_result_add(
            actor=agri_officer, sample=sample, pathogen="H5N1", test_method="RT-PCR", outcome=LabOutcome.SUSPECT, tested_count=6, positive_count=2, lab_name="市疫控中心", reported_at=local(2026, 4, 16, 9, 0)
        )
    event.refresh_from_db()
    assert event.status == EventStatus.SUSPECTED and event.documents.count() == 1
    with time_machine.travel(local(2026, 4, 17, 9, 0), tick=False):
        services.lab_result_add(
            actor=agri_officer, sample=sample, pathogen="H5N1", test_method="病毒分离", outcome=LabOutcome.CONFIRMED, tested_count=2, positive_count=2, lab_name="国家禽流感参考实验室", report_no="R-9", reported_at=local(2026, 4, 17, 9, 0)
        )
    event.refresh_from_db()
    assert event.status == EventStatus.CONFIRMED and event.confirmed_at == local(2026, 4, 17, 9, 0)
    assert event.documents.count() == 1  # one letter per event
    kinds = list(event.timeline.values_list("kind", flat=True))
    for kind in ("sample", "custody", "lab_result", "suspected", "letter", "confirmed"):
        assert kind in kinds


def test_response_measures_and_closure(event, district_officer):
    with time_machine.travel(local(2026, 4, 15, 9, 0), tick=False):
        services.event_measures_update(actor=district_officer, event=event, version=event.version, isolation=True, no_touching=True, disinfection=True, carcass_collected=False)
        event.refresh_from_db()
        assert event.status == EventStatus.RESPONDING and event.disinfection
        with pytest.raises(ConflictError):
            services.event_measures_update(actor=district_officer, event=event, version=event.version - 1, isolation=False, no_touching=False, disinfection=False, carcass_collected=False)
        services.event_supply_add(actor=district_officer, event=event, kind="used", item="防护服", quantity=Decimal("6"), unit="套")
        with pytest.raises(ValidationError):
            services.event_supply_add(actor=district_officer, event=event, kind="used", item="消毒剂", quantity=Decimal("0"), unit="千克")
        services.event_dispatch_add(actor=district_officer, event=event, team_name="应急处置队", dispatched_at=local(2026, 4, 15, 8, 40), arrived_at=local(2026, 4, 15, 9, 0))
        with pytest.raises(ValidationError):
            services.event_close(actor=district_officer, event=event, final_diagnosis="  ")
        services.event_close(actor=district_officer, event=event, final_diagnosis="非传染性死亡（农药中毒）")
        with pytest.raises(ConflictError):
            services.event_close(actor=district_officer, event=event, final_diagnosis="再次")
        with pytest.raises(ConflictError):
            services.event_update(actor=district_officer, event=event, version=event.version, place_name="x")
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED and event.supplies.count() == 1 and event.dispatches.count() == 1


def test_photos_are_checked_on_their_bytes(event, district_officer):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    photo = services.event_photo_add(actor=district_officer, event=event, content=png, filename="scene.png", caption="现场")
    assert photo.content_type == "image/png" and photo.file.name.endswith(".png")
    with pytest.raises(ValidationError):
        services.event_photo_add(actor=district_officer, event=event, content=b"<svg onload=alert(1)>", filename="x.jpg")


def test_bad_events_are_refused(district_officer, birds):
    with time_machine.travel(ENTERED, tick=False):
        for species, field in ([], "species"), ([services.SpeciesCount(birds["斑嘴鸭"], 0, 0)], "species"):
            with pytest.raises(ValidationError) as exc:
                services.event_report(actor=district_officer, source="patrol", location=offset(WANGCUN), detected_at=SEEN, species=species)
            assert field in exc.value.message_dict
        with pytest.raises(ValidationError) as future:
            services.event_report(actor=district_officer, source="patrol", location=offset(WANGCUN), detected_at=local(2026, 4, 16, 8, 0), species=[services.SpeciesCount(birds["斑嘴鸭"], 0, 1)])
        assert "detected_at" in future.value.message_dict
        from django.contrib.gis.geos import Point

        with pytest.raises(ValidationError) as outside:
            services.event_report(actor=district_officer, source="patrol", location=Point(36.76, 117.72, srid=4326), detected_at=SEEN, species=[services.SpeciesCount(birds["斑嘴鸭"], 0, 1)])
        assert "location" in outside.value.message_dict
