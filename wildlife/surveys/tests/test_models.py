"""Model-level facts: the database-computed grid cell, the area-id scope filter, constraints."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.db import IntegrityError
from django.db.models import Q

from wildlife.surveys.models import GridCellField, Observation, grid_cell_center
from wildlife.surveys.sensitive import snap
from wildlife.surveys.tests import factories as f

pytestmark = pytest.mark.django_db


def test_grid_cell_is_computed_by_the_database_like_snap(zhoucun: Any) -> None:
    rng = random.Random(4)
    for _ in range(30):
        lon, lat = rng.uniform(117.70, 117.80), rng.uniform(36.71, 36.81)
        obs = f.ObservationFactory(location=Point(lon, lat, srid=4326))
        obs.refresh_from_db()
        assert grid_cell_center(obs.grid_cell) == snap(lon, lat)


def test_grid_cell_follows_a_moved_location(zhoucun: Any) -> None:
    obs = f.ObservationFactory(location=Point(117.7311, 36.7311, srid=4326))
    Observation.objects.filter(pk=obs.pk).update(location=Point(117.7499, 36.7601, srid=4326))
    obs.refresh_from_db()
    assert grid_cell_center(obs.grid_cell) == (117.745, 36.765)


def test_grid_cell_field_deconstructs_without_its_expression() -> None:
    _name, path, _args, kwargs = GridCellField(verbose_name="网格单元").deconstruct()
    assert path == "wildlife.surveys.models.GridCellField" and "expression" not in kwargs and "db_persist" not in kwargs


def test_area_id_scope_filter_equals_the_path_filter(zhoucun: Any, town_officer: Any, district_officer: Any, town_viewer: Any) -> None:
    for town in ("王村镇", "北郊镇", "南郊镇"):
        f.ObservationFactory(location=f.point_in(town), area=f.area(town))
    for user in (town_officer, district_officer, town_viewer):
        from wildlife.core.scope import user_scope

        paths = user_scope(user).paths("view")
        by_path = Q()
        for prefix in paths:
            by_path |= Q(area__path__startswith=prefix)
        assert set(Observation.objects.restrict(user, "view").values_list("pk", flat=True)) == set(Observation.objects.filter(by_path).values_list("pk", flat=True))
    assert Observation.objects.restrict(town_viewer, "change").count() == 0  # a viewer assignment may not change


def test_occurrence_id_unique_per_project_in_the_database(zhoucun: Any) -> None:
    obs = f.ObservationFactory(occurrence_id="X-1")
    f.ObservationFactory(occurrence_id="X-1")  # another project: allowed
    with pytest.raises(IntegrityError):
        f.ObservationFactory(occurrence_id="X-1", project=obs.project)
