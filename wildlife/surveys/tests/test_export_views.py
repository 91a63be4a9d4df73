"""Export pages and GET /api/v1/surveys/exports/<format>/: files, scope, generalised locations, jobs, audit."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from wildlife.surveys.sensitive import snap
from wildlife.surveys.tests.factories import ObservationFactory, SurveyProjectFactory, area, point_in, species

pytestmark = pytest.mark.django_db

DWC = "http://rs.tdwg.org/dwc/terms/"


@pytest.fixture
def survey(zhoucun: Any) -> dict[str, Any]:
    project = SurveyProjectFactory(code="api-2025", name="接口导出项目")
    return {
        "project": project,
        "pheasant": ObservationFactory(project=project, occurrence_id="P1", species=species("环颈雉")),
        "stork": ObservationFactory(project=project, occurrence_id="S1", species=species("黑鹳")),
        "north": ObservationFactory(project=project, occurrence_id="N1", species=species("喜鹊"), area=area("北郊镇"), location=point_in("北郊镇")),
    }


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def occurrences(content: bytes) -> dict[str, dict[str, str]]:
    import tempfile
    from pathlib import Path

    from dwca.read import DwCAReader

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.zip"
        path.write_bytes(content)
        with DwCAReader(str(path)) as archive:
            return {ext.data[DWC + "occurrenceID"]: ext.data for row in archive for ext in row.extensions if ext.rowtype == DWC + "Occurrence"}


def test_api_dwca_returns_a_zip_that_reads_back(survey: dict[str, Any], client_for: Any, district_officer: Any) -> None:
    response = client_for(district_officer).get(f"/api/v1/surveys/exports/dwca/?project={survey['project'].pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert 'filename="api-2025-dwca.zip"' in response["Content-Disposition"]
    content = body(response)
    assert set(zipfile.ZipFile(io.BytesIO(content)).namelist()) == {"event.txt", "humboldt.txt", "occurrence.txt", "meta.xml", "eml.xml"}
    assert set(occurrences(content)) == {"P1", "S1", "N1"}


def test_api_dwca_for_a_town_officer_holds_their_town_with_generalised_class_one(survey: dict[str, Any], client_for: Any, town_officer: Any) -> None:
    response = client_for(town_officer).get(f"/api/v1/surveys/exports/dwca/?project={survey['project'].pk}", HTTP_ACCEPT="application/zip")
    assert response.status_code == 200
    rows = occurrences(body(response))
    assert set(rows) == {"P1", "S1"}
    stork = survey["stork"].location
    assert (float(rows["S1"][DWC + "decimalLongitude"]), float(rows["S1"][DWC + "decimalLatitude"])) == snap(stork.x, stork.y)


def test_api_export_outside_scope_or_without_permission(survey: dict[str, Any], client_for: Any, other_town_officer: Any, market_officer: Any, anonymous: Any) -> None:
    town_project = SurveyProjectFactory(area=area("王村镇"))
    response = client_for(other_town_officer).get(f"/api/v1/surveys/exports/dwca/?project={town_project.pk}")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    assert client_for(market_officer).get(f"/api/v1/surveys/exports/dwca/?project={survey['project'].pk}").status_code == 403
    assert client_for(anonymous).get(f"/api/v1/surveys/exports/dwca/?project={survey['project'].pk}").status_code in (401, 403)
    missing = client_for(market_officer).get("/api/v1/surveys/exports/geojson/")
    assert missing.status_code in (400, 403)


@pytest.mark.parametrize(("fmt", "url_name", "content_type"), [
    ("geojson", "surveys:export_geojson", "application/geo+json"),
    ("xlsx", "surveys:export_xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("gpkg", "surveys:export_gpkg", "application/geopackage+sqlite3"),
    ("camtrap", "surveys:export_camtrap_dp", "application/zip"),
])  # fmt: skip
def test_export_pages_download_files(survey: dict[str, Any], client_for: Any, district_officer: Any, fmt: str, url_name: str, content_type: str) -> None:
    response = client_for(district_officer).get(reverse(url_name) + f"?project={survey['project'].pk}")
    assert response.status_code == 200 and response["Content-Type"] == content_type
    content = body(response)
    if fmt == "geojson":
        assert {f["id"] for f in json.loads(content)["features"]} == {"P1", "S1", "N1"}


def test_export_page_lists_the_projects_in_scope(survey: dict[str, Any], client_for: Any, other_town_officer: Any) -> None:
    town_project = SurveyProjectFactory(area=area("王村镇"), name="王村镇自己的项目")
    text = client_for(other_town_officer).get(reverse("surveys:export_index")).content.decode()
    assert "接口导出项目" in text and town_project.name not in text
    assert client_for(other_town_officer).get(reverse("surveys:export_xlsx") + f"?project={town_project.pk}").status_code == 404


def test_large_export_page_redirects_to_the_job(survey: dict[str, Any], client_for: Any, district_officer: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any) -> None:
    from wildlife.surveys.exporters import services

    monkeypatch.setattr(services, "EXPORT_SYNC_LIMIT", 1)
    client = client_for(district_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("surveys:export_dwca") + f"?project={survey['project'].pk}")
    assert response.status_code == 302 and "/exports/jobs/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="job-download-result"' in page
    with django_capture_on_commit_callbacks(execute=True):
        api = client.get(f"/api/v1/surveys/exports/dwca/?project={survey['project'].pk}")
    assert api.status_code == 202 and api.json()["kind"] == "surveys_export"


def test_every_export_is_audited(survey: dict[str, Any], client_for: Any, district_officer: Any) -> None:
    from wildlife.audit.models import AuditEvent

    before = AuditEvent.objects.filter(action="export").count()
    client = client_for(district_officer)
    for name in ("surveys:export_dwca", "surveys:export_xlsx", "surveys:export_geojson", "surveys:export_gpkg", "surveys:export_camtrap_dp"):
        body(client.get(reverse(name) + f"?project={survey['project'].pk}"))
    events = AuditEvent.objects.filter(action="export").order_by("seq")[before:]
    assert [e.detail["format"] for e in events] == ["dwca", "xlsx", "geojson", "gpkg", "camtrap_dp"]
    assert all(e.user == district_officer for e in events)
