"""The demo: two stations (孝妇河, southern hills) with routes, 30 days of reports with late and missing ones, a graded
event with samples, lab result and letter, and a cluster alert; loading twice changes nothing; demo accounts see it."""

from __future__ import annotations

import pytest

from wildlife.disease.demo import SOUTH_HILLS, XIAOFU, load
from wildlife.disease.models import Alert, DailyReport, EventDocument, MortalityEvent, Station
from wildlife.disease.selectors import compliance_monthly

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_is_visible_to_the_demo_accounts(zhoucun):
    from wildlife.accounts.demo import ensure_demo_users
    from wildlife.accounts.models import User
    from wildlife.species.testing import load_demo_catalogue

    ensure_demo_users("Demo-Pass-2026x")
    load_demo_catalogue()
    summary = load()
    assert "监测站 2 个" in summary
    assert "已存在" in load()
    xiaofu, south = Station.objects.get(name=XIAOFU), Station.objects.get(name=SOUTH_HILLS)
    assert xiaofu.routes.count() == 2 and south.routes.count() == 2 and south.area.name == "王村镇"
    assert {a.name for a in south.covered_areas.all()} == {"王村镇", "萌水镇"}
    reports = DailyReport.objects.all()
    assert reports.filter(late=True).exists() and reports.filter(late=False).exists() and reports.count() >= 20
    graded = MortalityEvent.objects.exclude(grade="").get()
    assert graded.grade == "IV" and graded.status == "suspected" and EventDocument.objects.filter(event=graded).exists()
    assert Alert.objects.filter(kind="cluster").count() == 1
    town = User.objects.get(username="demo_town")
    assert set(Station.objects.restrict(town, "view").values_list("name", flat=True)) == {SOUTH_HILLS}
    district = User.objects.get(username="demo_district")
    months = compliance_monthly(user=district, months=2)
    assert sum(m.missing for m in months) > 0 and sum(m.late for m in months) > 0
