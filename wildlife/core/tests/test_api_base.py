"""API base: problem+json errors, scope, GeoJSON, idempotency, pagination."""

import json

import pytest

from wildlife.core.tests.sample.models import SampleRecord

URL = "/api/v1/sample/records/"


@pytest.mark.django_db
def test_validation_error_is_problem_json(zhoucun, town_officer, client_for):
    response = client_for(town_officer).post(URL, {"name": ""}, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "validation_error" and body["status"] == 400
    assert "name" in body["errors"] and body["title"] == "提交的数据有误"
    assert body["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_location_outside_district_names_the_field(zhoucun, town_officer, client_for):
    payload = {"name": "远处", "location": {"type": "Point", "coordinates": [116.4, 39.9]}}
    response = client_for(town_officer).post(URL, payload, content_type="application/json")
    assert response.status_code == 400
    assert "location" in response.json()["errors"]
    assert not SampleRecord.objects.exists()


@pytest.mark.django_db
def test_create_in_other_town_is_rolled_back(zhoucun, town_officer, client_for):
    # a point in 北郊镇 resolves to 北郊镇, outside the 王村镇 officer's scope: the write is undone
    payload = {"name": "越界", "location": {"type": "Point", "coordinates": [117.85, 36.86]}}
    response = client_for(town_officer).post(URL, payload, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "out_of_scope"
    assert not SampleRecord.objects.exists()


@pytest.mark.django_db
def test_idempotency_key_replays_and_rejects_other_body(zhoucun, town_officer, client_for):
    client = client_for(town_officer)
    payload = {"name": "一次", "location": {"type": "Point", "coordinates": [117.75, 36.75]}}
    first = client.post(URL, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc-123")
    second = client.post(URL, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert SampleRecord.objects.count() == 1
    other = client.post(URL, {**payload, "name": "两次"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert SampleRecord.objects.count() == 1


@pytest.mark.django_db
def test_geojson_format_and_pagination(zhoucun, town_officer, client_for):
    area = zhoucun["王村镇"]
    from django.contrib.gis.geos import Point

    for i in range(3):
        SampleRecord.objects.create(name=f"点{i}", area=area, district=area.district_ancestor(), location=Point(117.75, 36.75 + i / 1000, srid=4326))
    client = client_for(town_officer)
    page = client.get(URL, {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    geo = client.get(URL, {"format": "geojson"})
    assert geo["Content-Type"].startswith("application/geo+json")
    data = json.loads(geo.content)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 3
    assert data["features"][0]["geometry"]["type"] == "Point"
    assert client.get(URL, {"page_size": 100000}).json()["count"] == 3  # capped page size does not error


@pytest.mark.django_db
def test_not_found_and_no_permission(zhoucun, police_officer, audit_admin, client_for):
    assert client_for(police_officer).get(URL).status_code == 403
    assert client_for(audit_admin).get(URL).status_code == 403
    response = client_for(police_officer).get(URL + "999/")
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db
def test_schema_and_docs_need_login(zhoucun, town_officer, client_for):
    from django.test import Client

    assert Client().get("/api/schema/").status_code in (401, 403)
    client = client_for(town_officer)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"openapi" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert b"cdn" not in docs.content.lower() and b"http" not in docs.content.lower().replace(b"http-equiv", b"")
    import re

    for tag in re.findall(rb"<script[^>]*>", docs.content):
        assert b"src=" in tag  # no inline script: the CSP would block it
