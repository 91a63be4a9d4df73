"""The demo loads once, is clearly demo, and shows the feature working to the demo town and district accounts."""

from __future__ import annotations

import pytest

from wildlife.patrols.models import (
    ChecklistTemplate,
    EnforcementOfficer,
    Equipment,
    Inspection,
    InspectionTarget,
    Patrol,
    TrainingSession,
)
from wildlife.patrols.services import attachments_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(zhoucun):
    from wildlife.accounts.demo import ensure_demo_users
    from wildlife.patrols.demo import load
    from wildlife.species.testing import load_demo_catalogue

    ensure_demo_users("Demo-Pass-2026x")
    load_demo_catalogue()
    return load()


def test_demo_loads_once_and_is_marked(demo):
    from wildlife.patrols.demo import load

    assert "巡护 7 次" in demo and "检查 5 次" in demo
    counts = (Patrol.objects.count(), Inspection.objects.count(), TrainingSession.objects.count(), EnforcementOfficer.objects.count(), Equipment.objects.count())
    assert load() == "检查表模板 0 个，巡护 0 次，检查 0 次，培训 0 场，执法人员 0 人"
    assert counts == (Patrol.objects.count(), Inspection.objects.count(), TrainingSession.objects.count(), EnforcementOfficer.objects.count(), Equipment.objects.count())
    assert all(p.title.startswith("演示·") for p in Patrol.objects.all())
    assert all(t.name.startswith("演示·") for t in InspectionTarget.objects.all())
    assert ChecklistTemplate.objects.filter(is_active=True).count() == 5
    session = TrainingSession.objects.get(title="演示·野生动物保护执法业务培训")
    handout = attachments_of(session)[0]
    assert handout.file.read(5) == b"%PDF-"


def test_demo_accounts_see_their_part(demo):
    from wildlife.accounts.models import User
    from wildlife.patrols.selectors import patrol_coverage

    town = User.objects.get(username="demo_town")
    district = User.objects.get(username="demo_district")
    market = User.objects.get(username="demo_market")
    assert {p.area.name for p in Patrol.objects.restrict(town, "view")} == {"王村镇"}
    assert Patrol.objects.restrict(district, "view").count() == 7
    assert {p.area.name for p in Patrol.objects.restrict(district, "view")} >= {"王村镇", "萌水镇", "北郊镇"}
    river = Patrol.objects.get(title__contains="孝妇河")
    assert river.kind == "river" and river.town_shares.count() >= 3 and river.incidents.filter(kind="illegal_hunting").exists()
    restaurant = Inspection.objects.restrict(town, "view").get()
    assert restaurant.target.kind == "restaurant" and restaurant.overdue
    kinds = {i.target_kind: i.status for i in Inspection.objects.restrict(district, "view")}
    assert kinds == {"market": "rectifying", "restaurant": "rectifying", "pet_shop": "verified", "express": "closed", "breeding": "open"}
    assert "breeding" not in set(Inspection.objects.restrict(market, "view").values_list("target_kind", flat=True))
    from django.utils import timezone

    latest = timezone.localtime(Patrol.objects.latest("started_at").started_at)
    coverage = patrol_coverage(user=district, year=latest.year)
    assert coverage.total_km > 0
