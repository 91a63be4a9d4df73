"""restrict(): department permission × the subtree of the assigned areas."""

import pytest

from wildlife.core.scope import forget_scope, user_scope
from wildlife.core.tests.sample.models import SampleRecord
from wildlife.geo.choices import AreaKind, AreaLevel
from wildlife.geo.models import AdminArea


def _record(area, name):
    return SampleRecord.objects.create(name=name, area=area, district=area.district_ancestor())


@pytest.mark.django_db
def test_town_officer_sees_records_of_villages_below_the_town(zhoucun, town_officer, other_town_officer):
    village = AdminArea.objects.create(code="370306100201", name="测试村", level=AreaLevel.VILLAGE, kind=AreaKind.VILLAGE, parent=zhoucun["王村镇"])
    record = _record(village, "村里的记录")
    assert SampleRecord.objects.restrict(town_officer, "view").filter(pk=record.pk).exists()
    assert not SampleRecord.objects.restrict(other_town_officer, "view").filter(pk=record.pk).exists()


@pytest.mark.django_db
def test_subtree_ids_per_action_and_viewer_role(zhoucun, district_officer, town_viewer):
    district_ids = set(user_scope(district_officer).subtree_ids("change"))
    assert {a.pk for a in zhoucun.values()} <= district_ids
    viewer = user_scope(town_viewer)
    assert zhoucun["王村镇"].pk in viewer.subtree_ids("view")
    assert viewer.subtree_ids("change") == ()


@pytest.mark.django_db
def test_scope_is_cached_per_user_object_and_can_be_forgotten(zhoucun, town_officer, django_assert_num_queries):
    user_scope(town_officer).subtree_ids("view")
    with django_assert_num_queries(0):
        user_scope(town_officer).subtree_ids("view")
    forget_scope(town_officer)
    with django_assert_num_queries(2):
        user_scope(town_officer).subtree_ids("view")
