"""Status on a date: lists in force (effective_from ≤ D < effective_to), group rules, highest class wins."""

import datetime as dt

import pytest

from wildlife.species.choices import Protection, StatusOrigin
from wildlife.species.data.catalogue import NK1989, NK2020, NK2021, SY2000, SY2023
from wildlife.species.selectors import species_status_on, versions_in_force

pytestmark = pytest.mark.django_db
D = dt.date


def status(species, day):
    return species_status_on(species=species, on=day)


def test_versions_in_force_respect_both_ends(catalogue):
    codes = lambda day: set(versions_in_force(day).values_list("code", flat=True))  # noqa: E731
    assert codes(D(2021, 2, 4)) == {NK1989, NK2020, SY2000}
    assert codes(D(2021, 2, 5)) == {NK2021, SY2000}  # effective_to is exclusive, effective_from inclusive
    assert codes(D(2023, 6, 25)) == {NK2021, SY2000}
    assert codes(D(2023, 6, 26)) == {NK2021, SY2023}
    assert codes(D(1988, 12, 31)) == set()


def test_yellow_breasted_bunting_from_sanyou_to_class_one(catalogue):
    bunting = catalogue["黄胸鹀"]
    before = status(bunting, D(2021, 2, 4))
    assert (before.protection, before.list_version.code) == (Protection.SANYOU, SY2000)
    after = status(bunting, D(2021, 2, 5))
    assert (after.protection, after.list_version.code) == (Protection.NATIONAL_1, NK2021)
    assert {e.list_version.code for e in after.entries} == {NK2021, SY2000}  # both in force, the highest wins
    assert status(bunting, D(1999, 1, 1)).protection == Protection.NONE


def test_pangolin_upgraded_by_the_2020_group_rule(catalogue):
    pangolin = catalogue["穿山甲"]
    assert status(pangolin, D(2020, 6, 4)).protection == Protection.NATIONAL_2
    upgraded = status(pangolin, D(2020, 6, 5))
    assert (upgraded.protection, upgraded.list_version.code, upgraded.origin) == (Protection.NATIONAL_1, NK2020, StatusOrigin.GROUP_RULE)
    assert str(upgraded.group_rule) == "穿山甲属所有种"
    assert status(pangolin, D(2022, 1, 1)).list_version.code == NK2021


def test_wild_boar_left_the_sanyou_list_in_2023(catalogue):
    boar = catalogue["野猪"]
    assert status(boar, D(2023, 6, 25)).protection == Protection.SANYOU
    assert status(boar, D(2023, 6, 26)).protection == Protection.NONE
    assert catalogue["野猪"].protection == Protection.NONE


def test_white_naped_crane_class_two_until_2021(catalogue):
    crane = catalogue["白枕鹤"]
    assert status(crane, D(2020, 12, 31)).protection == Protection.NATIONAL_2
    assert status(crane, D(2021, 3, 1)).protection == Protection.NATIONAL_1


def test_box_turtles_only_through_the_genus_rule(catalogue):
    turtle = catalogue["黄缘闭壳龟"]
    on = status(turtle, D(2021, 3, 1))
    assert (on.protection, on.origin, on.wild_only) == (Protection.NATIONAL_2, StatusOrigin.GROUP_RULE, True)
    assert status(turtle, D(2020, 3, 1)).protection == Protection.NONE


def test_cached_protection_matches_today(catalogue):
    today = dt.date.today()
    for name in ("黄胸鹀", "环颈雉", "梅花鹿", "三线闭壳龟", "鲤"):
        species = catalogue[name]
        assert species.protection == status(species, today).protection, name
    deer = catalogue["梅花鹿"]
    assert deer.protection == Protection.NATIONAL_1 and deer.wild_only and deer.is_livestock


def test_daily_refresh_picks_up_a_list_that_expired(db):
    import io

    import time_machine
    from django.core.management import call_command

    from wildlife.audit.models import AuditEvent
    from wildlife.species.models import Species
    from wildlife.species.testing import load_demo_catalogue

    with time_machine.travel(dt.datetime(2023, 6, 25, 12, 0), tick=False):
        load_demo_catalogue()
        assert Species.objects.get(name_zh="野猪").protection == Protection.SANYOU
    out = io.StringIO()
    call_command("refresh_species_protection", stdout=out)
    assert Species.objects.get(name_zh="野猪").protection == Protection.NONE
    assert AuditEvent.objects.filter(action="species_protection_refresh").exists()
    call_command("refresh_species_protection", stdout=out)
    assert "0 种" in out.getvalue().splitlines()[-1]
