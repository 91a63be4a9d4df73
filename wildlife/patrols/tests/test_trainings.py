"""Trainings: attendance, hours per person, visibility of district sessions to towns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wildlife.patrols import services
from wildlife.patrols.models import TrainingSession
from wildlife.patrols.selectors import training_hours_summary
from wildlife.patrols.tests.factories import make_training

pytestmark = pytest.mark.django_db


def test_hours_per_person_across_sessions(zhoucun, district_officer, town_officer):
    first = make_training(zhoucun["周村区"], hours="6.0", title="区级培训")
    second = make_training(zhoucun["王村镇"], hours="3.0", title="镇级培训")
    services.training_attendance_add(actor=district_officer, session=first, user=town_officer)
    services.training_attendance_add(actor=district_officer, session=first, name="护林员甲", department="王村镇人民政府")
    services.training_attendance_add(actor=district_officer, session=first, name="护林员乙", department="王村镇人民政府", attended=False)
    services.training_attendance_add(actor=town_officer, session=second, user=town_officer, name="另一种写法")
    services.training_attendance_add(actor=town_officer, session=second, name="护林员甲", department="王村镇人民政府", hours=Decimal("1.5"))
    services.training_attendance_add(actor=town_officer, session=second, name="护林员甲", department="北郊镇人民政府")  # a namesake elsewhere
    people = {(p.name, p.department): p for p in training_hours_summary(user=district_officer)}
    officer = next(p for p in people.values() if p.user_id == town_officer.pk)
    assert (officer.sessions, officer.hours) == (2, Decimal("9.0"))
    assert (people[("护林员甲", "王村镇人民政府")].sessions, people[("护林员甲", "王村镇人民政府")].hours) == (2, Decimal("7.5"))
    assert people[("护林员甲", "北郊镇人民政府")].hours == Decimal("3.0")
    assert ("护林员乙", "王村镇人民政府") not in people  # absent: no hours
    ordered = training_hours_summary(user=district_officer)
    assert ordered[0].hours >= ordered[-1].hours


def test_town_sees_district_sessions_not_other_towns(zhoucun, town_officer, other_town_officer):
    district = make_training(zhoucun["周村区"], title="区级")
    own = make_training(zhoucun["王村镇"], title="王村")
    other = make_training(zhoucun["北郊镇"], title="北郊")
    assert set(TrainingSession.objects.restrict(town_officer, "view")) == {district, own}
    assert set(TrainingSession.objects.restrict(town_officer, "change")) == {own}
    assert set(TrainingSession.objects.restrict(other_town_officer, "view")) == {district, other}


def test_attendance_rules(zhoucun, district_officer, town_officer):
    session = make_training(zhoucun["王村镇"], hours="4.0")
    services.training_attendance_add(actor=district_officer, session=session, user=town_officer)
    with pytest.raises(ValidationError) as exc:
        services.training_attendance_add(actor=district_officer, session=session, user=town_officer)
    assert "已在参训名单中" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        services.training_attendance_add(actor=district_officer, session=session, name="甲", hours=Decimal("5"))
    assert "hours" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.training_attendance_add(actor=district_officer, session=session)
    assert "name" in exc.value.message_dict


def test_changing_session_hours_follows_full_attendance(zhoucun, district_officer):
    session = make_training(zhoucun["王村镇"], hours="4.0")
    full = services.training_attendance_add(actor=district_officer, session=session, name="甲")
    partial = services.training_attendance_add(actor=district_officer, session=session, name="乙", hours=Decimal("2.0"))
    services.training_session_update(actor=district_officer, obj=session, version=session.version, hours=Decimal("5.0"))
    full.refresh_from_db()
    partial.refresh_from_db()
    assert full.hours == Decimal("5.0") and partial.hours == Decimal("2.0")
    with pytest.raises(ValidationError):
        services.training_session_update(actor=district_officer, obj=session, version=session.version, hours=Decimal("0"))


def test_create_with_material_and_hours_page(zhoucun, district_officer, town_officer, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("讲义.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    session = services.training_session_create(
        actor=district_officer, title="执法业务培训", held_on=dt.date(2026, 3, 1),
        hours=Decimal("6"), trainer="专家", place="会议室", materials=[pdf],
    )
    assert session.area == zhoucun["周村区"]
    material = services.attachments_of(session)[0]
    services.training_attendance_add(actor=district_officer, session=session, user=town_officer)
    client = client_for(town_officer)
    download = client.get(material.get_absolute_url())
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert client_for(town_officer).get(reverse("patrols:training_hours")).status_code == 200
    body = client.get(reverse("patrols:training_hours") + "?year=2026").content.decode()
    assert "town_officer" in body and "6.0" in body
    api = client.get("/api/v1/enforcement/trainings/hours/?year=2026").json()
    assert api["results"][0]["hours"] == "6.0"
    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as exc:
        services.training_session_create(actor=district_officer, title="x", held_on=session.held_on, hours=Decimal("1"), trainer="t", place="p", materials=[bad])
    assert "materials" in exc.value.message_dict
