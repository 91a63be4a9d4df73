"""The demo survey data: believable, idempotent, and showing the feature to demo_town (snapped class-I record)."""

from __future__ import annotations

from typing import Any

import pytest

from wildlife.surveys.models import Observation, SamplingEvent, SpeciesArchive, SurveyProject
from wildlife.surveys.selectors import observation_layer

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent_and_complete(zhoucun: Any, catalogue: Any, town_officer: Any) -> None:
    from wildlife.surveys.demo import load

    summary = load()
    assert "陆生调查项目" in summary and "水生调查项目" in summary
    counts = (SurveyProject.objects.count(), Observation.objects.count(), SpeciesArchive.objects.count())
    assert load() == "已存在（跳过）" and (SurveyProject.objects.count(), Observation.objects.count(), SpeciesArchive.objects.count()) == counts
    assert all("演示" in p.name for p in SurveyProject.objects.all())
    assert 300 <= counts[1] <= 2000
    assert SamplingEvent.objects.filter(nothing_seen=True).exists()
    assert set(SurveyProject.objects.values_list("lead_department__code", flat=True)) == {"natural_resources", "agriculture"}
    stork = Observation.objects.filter(species__name_zh="黑鹳", area__name="王村镇")
    assert stork.exists() and all(o.is_sensitive for o in stork)
    # the 王村镇 officer sees the town's records, the stork generalised
    mine = Observation.objects.restrict(town_officer, "view")
    assert mine.exists() and not mine.exclude(area__name="王村镇").exists()
    layer = observation_layer(user=town_officer, queryset=mine.filter(species__name_zh="黑鹳"))
    assert all(feature["properties"]["generalised"] for feature in layer["features"])
