"""Sensitive (national class I) locations: generalised to the 0.01° cell centre in EVERY output for users without
surveys.view_precise_location (town officers, ecology, big data), precise for 区自然资源局 / 区农业农村局."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from openpyxl import load_workbook

from wildlife.surveys import selectors
from wildlife.surveys.models import Observation, grid_cell_center
from wildlife.surveys.sensitive import may_see_precise, snap
from wildlife.surveys.tests import factories as f

pytestmark = pytest.mark.django_db

# a precise point inside 王村镇, deliberately off the cell centre
PRECISE = (117.7234567, 36.7512345)
SNAPPED = snap(*PRECISE)


@pytest.fixture
def stork(zhoucun: Any) -> Observation:
    """A 黑鹳 (class I) in 王村镇 at a precise point, on a transect event."""
    event = f.SamplingEventFactory(site=f.TransectSiteFactory())
    return f.ObservationFactory(event=event, species=f.species("黑鹳"), location=Point(*PRECISE, srid=4326), distance_m=20.0)


@pytest.fixture
def pheasant(zhoucun: Any) -> Observation:
    return f.ObservationFactory(species=f.species("环颈雉"), location=Point(117.7111111, 36.7622222, srid=4326))


def precise_texts() -> tuple[str, ...]:
    return (f"{PRECISE[0]:.6f}", f"{PRECISE[1]:.6f}", "117.72345", "36.75123")


def assert_hidden(text: str) -> None:
    for fragment in precise_texts():
        assert fragment not in text, fragment


def test_snap_is_stable_and_matches_the_grid_cell(stork: Observation) -> None:
    assert SNAPPED == (117.725, 36.755)
    assert snap(*PRECISE) == snap(*PRECISE)
    stork.refresh_from_db()
    assert grid_cell_center(stork.grid_cell) == SNAPPED


def test_who_may_see_precise(district_officer: Any, agri_officer: Any, town_officer: Any, police_officer: Any) -> None:
    assert may_see_precise(district_officer) and may_see_precise(agri_officer)
    assert not may_see_precise(town_officer) and not may_see_precise(police_officer)


def test_detail_page(stork: Observation, town_officer: Any, district_officer: Any, client_for: Any) -> None:
    url = stork.get_absolute_url()
    town = client_for(town_officer).get(url).content.decode()
    assert_hidden(town)
    assert "117.725, 36.755" in town and 'data-testid="generalised-note"' in town
    district = client_for(district_officer).get(url).content.decode()
    assert f"{PRECISE[0]:.6f}, {PRECISE[1]:.6f}" in district


def test_point_layer_of_the_detail_map(stork: Observation, town_officer: Any, client_for: Any) -> None:
    data = client_for(town_officer).get(reverse("surveys:observation_point_geojson", args=[stork.pk])).json()
    assert data["features"][0]["geometry"]["coordinates"] == list(SNAPPED)


def test_list_page_and_excel_export(stork: Observation, pheasant: Observation, town_officer: Any, district_officer: Any, client_for: Any) -> None:
    url = reverse("surveys:observation_list")
    page = client_for(town_officer).get(url).content.decode()
    assert_hidden(page)
    assert "117.725, 36.755" in page
    assert "117.711111, 36.762222" in page  # other species stay precise
    rows = list(load_workbook(io.BytesIO(client_for(town_officer).get(url + "?export=xlsx").content)).active.iter_rows(values_only=True))
    header = list(rows[1])
    lon, lat, generalised = header.index("经度"), header.index("纬度"), header.index("位置已模糊")
    stork_row = next(r for r in rows[2:] if r[header.index("物种")] == "黑鹳")
    assert (stork_row[lon], stork_row[lat]) == SNAPPED and stork_row[generalised] == "是"
    pheasant_row = next(r for r in rows[2:] if r[header.index("物种")] == "环颈雉")
    assert (pheasant_row[lon], pheasant_row[lat]) == (117.7111111, 36.7622222)
    rows_district = list(load_workbook(io.BytesIO(client_for(district_officer).get(url + "?export=xlsx").content)).active.iter_rows(values_only=True))
    assert any((r[lon], r[lat]) == PRECISE for r in rows_district[2:])


def test_geojson_layer_points_and_grid(stork: Observation, town_officer: Any, district_officer: Any, client_for: Any) -> None:
    url = reverse("surveys:observation_layer")
    points = client_for(town_officer).get(url)
    assert points["Content-Type"] == "application/geo+json"
    assert_hidden(points.content.decode())
    assert points.json()["features"][0]["geometry"]["coordinates"] == list(SNAPPED)
    assert points.json()["features"][0]["properties"]["generalised"] is True
    grid = client_for(town_officer).get(url + "?mode=grid").json()
    assert grid["mode"] == "grid"
    ring = grid["features"][0]["geometry"]["coordinates"][0]
    assert ring[0] == [SNAPPED[0] - 0.005, SNAPPED[1] - 0.005]
    precise = client_for(district_officer).get(url).json()
    assert precise["features"][0]["geometry"]["coordinates"] == list(PRECISE)


def test_cells_never_more_precise_than_snapping(stork: Observation, town_officer: Any) -> None:
    layer = selectors.observation_layer(user=town_officer, queryset=Observation.objects.all(), point_limit=0)
    assert layer["mode"] == "grid"
    assert [feat["geometry"]["coordinates"] for feat in layer["features"]] == [list(SNAPPED)]


def test_api_list_detail_and_geojson(stork: Observation, town_officer: Any, district_officer: Any, client_for: Any) -> None:
    client = client_for(town_officer)
    listing = client.get("/api/v1/surveys/observations/")
    assert_hidden(listing.content.decode())
    row = listing.json()["results"][0]
    assert row["location"] == {"type": "Point", "coordinates": list(SNAPPED)} and row["location_generalised"] is True
    detail = client.get(f"/api/v1/surveys/observations/{stork.pk}/").json()
    assert detail["location"]["coordinates"] == list(SNAPPED)
    geojson = client.get("/api/v1/surveys/observations/?format=geojson")
    assert_hidden(geojson.content.decode())
    assert geojson.json()["features"][0]["geometry"]["coordinates"] == list(SNAPPED)
    precise = client_for(district_officer).get(f"/api/v1/surveys/observations/{stork.pk}/").json()
    assert precise["location"]["coordinates"] == list(PRECISE) and precise["location_generalised"] is False


def test_event_page(stork: Observation, town_officer: Any, client_for: Any) -> None:
    page = client_for(town_officer).get(stork.event.get_absolute_url()).content.decode()
    assert_hidden(page)
    assert "117.725, 36.755" in page


def test_archive_pages(stork: Observation, town_officer: Any, client_for: Any) -> None:
    archive = f.SpeciesArchiveFactory(species=f.species("黑鹳"), area=f.area("王村镇"))
    for url in (archive.get_absolute_url(), reverse("surveys:archive_print", args=[archive.pk])):
        page = client_for(town_officer).get(url).content.decode()
        assert_hidden(page)
        assert "117.725, 36.755" in page


def test_photo_exif_location_on_the_detail_page(stork: Observation, town_officer: Any, district_officer: Any, client_for: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wildlife.surveys import services
    from wildlife.surveys.tests.test_services_photos import photo_bytes

    services.observation_photo_add(actor=district_officer, observation=stork, image=SimpleUploadedFile("s.jpg", photo_bytes(lon=PRECISE[0], lat=PRECISE[1])))
    page = client_for(town_officer).get(stork.get_absolute_url()).content.decode()
    assert_hidden(page)
    assert page.count("117.725, 36.755") >= 2  # the record and its photo's EXIF position


def test_distribution_page_layer_urls_and_api_density(stork: Observation, town_officer: Any, client_for: Any) -> None:
    page = client_for(town_officer).get(reverse("surveys:distribution") + f"?species={stork.species_id}").content.decode()
    assert_hidden(page)
    layer_url = reverse("surveys:observation_layer") + f"?species={stork.species_id}"
    data = client_for(town_officer).get(layer_url).json()
    assert json.dumps(data).count(str(SNAPPED[0])) >= 1
    assert_hidden(json.dumps(data))
