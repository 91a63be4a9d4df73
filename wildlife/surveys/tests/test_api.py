"""Surveys API (/api/v1/surveys/...): contract fields, filters, GeoJSON, writes through the services, errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from wildlife.surveys.models import Observation, SurveySite
from wildlife.surveys.tests import factories as f

pytestmark = pytest.mark.django_db
BASE = "/api/v1/surveys"


def when(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def test_projects_contract_fields_and_create(zhoucun: Any, district_officer: Any, town_officer: Any, client_for: Any) -> None:
    f.SurveyProjectFactory()
    body = client_for(town_officer).get(f"{BASE}/projects/").json()
    assert body["count"] == 1
    assert {"id", "name", "kind", "start_date", "end_date", "area", "lead_department"} <= set(body["results"][0])
    data = {"name": "API 项目", "kind": "aquatic", "lead_department": "agriculture", "start_date": "2025-01-01"}
    created = client_for(district_officer).post(f"{BASE}/projects/", data, content_type="application/json")
    assert created.status_code == 201 and created.json()["lead_department"] == "agriculture"
    refused = client_for(town_officer).post(f"{BASE}/projects/", data, content_type="application/json")
    assert refused.status_code == 403 and refused["Content-Type"].startswith("application/problem+json")


def test_sites_create_with_geometry_and_geojson(zhoucun: Any, district_officer: Any, client_for: Any) -> None:
    project = f.SurveyProjectFactory()
    start = f.point_in("王村镇")
    line = {"type": "LineString", "coordinates": [[start.x, start.y], [start.x + 0.0112, start.y]]}
    response = client_for(district_officer).post(f"{BASE}/sites/", {"project": project.pk, "kind": "transect", "name": "API 样线", "geometry": line}, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert 980 < response.json()["length_m"] < 1020
    wrong = client_for(district_officer).post(f"{BASE}/sites/", {"project": project.pk, "kind": "plot", "name": "错", "geometry": line}, content_type="application/json")
    assert wrong.status_code == 400 and "geometry" in wrong.json()["errors"]
    geojson = client_for(district_officer).get(f"{BASE}/sites/?format=geojson").json()
    assert geojson["type"] == "FeatureCollection" and geojson["features"][0]["geometry"]["type"] == "LineString"
    assert SurveySite.objects.count() == 1


def test_observation_filters(zhoucun: Any, district_officer: Any, client_for: Any) -> None:
    project = f.SurveyProjectFactory(start_date=dt.date(2024, 1, 1))
    a = f.ObservationFactory(project=project, species=f.species("环颈雉"), observed_at=when(2025, 5, 1, 8))
    b = f.ObservationFactory(project=project, species=f.species("喜鹊"), observed_at=when(2024, 6, 1, 8), location=f.point_in("北郊镇"), area=f.area("北郊镇"))
    c = f.ObservationFactory(species=f.species("喜鹊"), observed_at=when(2025, 6, 1, 8))
    client = client_for(district_officer)

    def ids(query: str) -> set[int]:
        response = client.get(f"{BASE}/observations/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("") == {a.pk, b.pk, c.pk}
    assert ids(f"species={a.species_id}") == {a.pk}
    assert ids("species=喜鹊") == {b.pk, c.pk}
    assert ids(f"project={project.pk}") == {a.pk, b.pk}
    assert ids(f"area={f.area('北郊镇').pk}") == {b.pk}
    assert ids("date_from=2025-01-01&date_to=2025-05-31") == {a.pk}
    box = b.location
    assert ids(f"bbox={box.x - 0.001},{box.y - 0.001},{box.x + 0.001},{box.y + 0.001}") == {b.pk}
    row = client.get(f"{BASE}/observations/{a.pk}/").json()
    assert {"id", "project", "site", "species", "count", "observed_at", "location", "method", "observer", "distance_m", "remarks"} <= set(row)
    assert row["location"]["type"] == "Point"
    bad = client.get(f"{BASE}/observations/?bbox=1,2,3")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json") and "bbox" in bad.json()["errors"]
    geojson = client.get(f"{BASE}/observations/?format=geojson&species=喜鹊").json()
    assert geojson["type"] == "FeatureCollection" and geojson["count"] == 2


def test_observation_create_update_delete_through_services(zhoucun: Any, town_officer: Any, district_officer: Any, client_for: Any) -> None:
    project = f.SurveyProjectFactory()
    point = f.point_in("王村镇")
    payload = {"project": project.pk, "species": f.species("黑鹳").pk, "count": 2, "observed_at": "2025-05-01T08:00:00+08:00", "location": {"type": "Point", "coordinates": [point.x, point.y]}}
    client = client_for(town_officer)
    created = client.post(f"{BASE}/observations/", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="obs-1")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["location_generalised"] is True and body["area"] == f.area("王村镇").pk
    replay = client.post(f"{BASE}/observations/", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="obs-1")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true" and Observation.objects.count() == 1
    obs = Observation.objects.get()
    assert obs.is_sensitive and (obs.location.x, obs.location.y) == (point.x, point.y)  # stored precisely
    patched = client.patch(f"{BASE}/observations/{obs.pk}/", {"count": 4, "version": 1}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["count"] == 4
    stale = client.patch(f"{BASE}/observations/{obs.pk}/", {"count": 5, "version": 1}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    assert client.delete(f"{BASE}/observations/{obs.pk}/").status_code == 403  # towns do not delete
    assert client_for(district_officer).delete(f"{BASE}/observations/{obs.pk}/").status_code == 204
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"observed_at": "2099-01-01T08:00:00+08:00"}, "observed_at"),
        ({"location": {"type": "Point", "coordinates": [116.4, 39.9]}}, "location"),
        ({"count": -1}, "count"),
        ({"location": {"type": "LineString", "coordinates": [[117.75, 36.75], [117.76, 36.75]]}}, "location"),
    ],
)
def test_observation_errors_are_problem_json_naming_the_field(zhoucun: Any, district_officer: Any, client_for: Any, change: dict[str, Any], field: str) -> None:
    project = f.SurveyProjectFactory()
    point = f.point_in("王村镇")
    payload = {"project": project.pk, "species": f.species("喜鹊").pk, "count": 1, "observed_at": "2025-05-01T08:00:00+08:00", "location": {"type": "Point", "coordinates": [point.x, point.y]}, **change}
    response = client_for(district_officer).post(f"{BASE}/observations/", payload, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in response.json()["errors"]
    assert not Observation.objects.exists()


def test_town_officer_cannot_write_into_another_town(zhoucun: Any, town_officer: Any, client_for: Any) -> None:
    project = f.SurveyProjectFactory()
    point = f.point_in("北郊镇")
    payload = {"project": project.pk, "species": f.species("喜鹊").pk, "observed_at": "2025-05-01T08:00:00+08:00", "location": {"type": "Point", "coordinates": [point.x, point.y]}}
    response = client_for(town_officer).post(f"{BASE}/observations/", payload, content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "out_of_scope"
    assert not Observation.objects.exists()
    other = f.ObservationFactory(location=point, area=f.area("北郊镇"))
    assert client_for(town_officer).patch(f"{BASE}/observations/{other.pk}/", {"count": 9}, content_type="application/json").status_code == 404


def test_no_permission_and_anonymous(zhoucun: Any, police_officer: Any, client_for: Any) -> None:
    f.ObservationFactory()
    assert client_for(police_officer).get(f"{BASE}/observations/").status_code == 403
    assert client_for(police_officer).get(f"{BASE}/density/?project=1&species=1").status_code == 403
    from django.test import Client

    assert Client().get(f"{BASE}/projects/").status_code == 401


def test_openapi_schema_lists_the_survey_paths(zhoucun: Any, district_officer: Any, client_for: Any) -> None:
    schema = client_for(district_officer).get("/api/schema/?format=json").json()
    for path in ("/api/v1/surveys/projects/", "/api/v1/surveys/sites/", "/api/v1/surveys/observations/", "/api/v1/surveys/density/"):
        assert path in schema["paths"], path
