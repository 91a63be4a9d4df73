"""Import pages and POST /api/v1/surveys/imports/: permissions, scope (404), the job page, the template."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from wildlife.surveys.importers.testing import WANGCUN, upload, write_csv
from wildlife.surveys.models import Observation
from wildlife.surveys.tests.factories import SurveyProjectFactory, area, species

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(zhoucun: Any) -> Any:
    species("环颈雉")
    return SurveyProjectFactory(name="王村镇样线 2025")


def csv_file(tmp_path: Any, n: int = 3, bad: int = 0) -> Any:
    lon, lat = WANGCUN
    rows = [[f"V{i}", "环颈雉", 1, "2025-05-01 08:00", lon + i * 1e-4, lat, "", "", "", "", "", "", ""] for i in range(n)]
    for i in range(bad):
        rows[i][2] = "很多"
    return write_csv(tmp_path, rows)


def test_page_lists_projects_and_template_links(project: Any, client_for: Any, district_officer: Any) -> None:
    response = client_for(district_officer).get(reverse("surveys:import_start"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "王村镇样线 2025" in text and reverse("surveys:import_template") in text and "接收区外外部数据" in text


def test_page_needs_the_add_permission(project: Any, client_for: Any, market_officer: Any, anonymous: Any) -> None:
    assert client_for(market_officer).get(reverse("surveys:import_start")).status_code == 403
    response = client_for(anonymous).get(reverse("surveys:import_start"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_upload_starts_the_job_and_shows_its_progress(project: Any, client_for: Any, district_officer: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(district_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("surveys:import_start"),
            {"project": project.pk, "format": "csv", "mode": "valid_rows", "file": upload(csv_file(tmp_path, 4, bad=1))},
        )
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="job-progress"' in text and "100%" in text
    assert 'data-testid="job-download-report"' in text and "新增记录" in text
    assert Observation.objects.filter(project=project).count() == 3


def test_invalid_upload_shows_errors_next_to_the_fields(project: Any, client_for: Any, town_officer: Any, tmp_path: Any) -> None:
    response = client_for(town_officer).post(
        reverse("surveys:import_start"), {"project": project.pk, "format": "xlsx", "mode": "valid_rows", "external": "on", "file": upload(csv_file(tmp_path))}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert 'data-field-error="file"' in text and 'data-field-error="external"' in text


def test_project_outside_scope_cannot_be_chosen(zhoucun: Any, client_for: Any, other_town_officer: Any, tmp_path: Any) -> None:
    town_project = SurveyProjectFactory(area=area("王村镇"))
    response = client_for(other_town_officer).post(
        reverse("surveys:import_start"), {"project": town_project.pk, "format": "csv", "mode": "valid_rows", "file": upload(csv_file(tmp_path))}
    )
    assert response.status_code == 400 and 'data-field-error="project"' in response.content.decode()


def test_someone_elses_job_page_is_404(project: Any, client_for: Any, district_officer: Any, agri_officer: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(district_officer).post(
            reverse("surveys:import_start"), {"project": project.pk, "format": "csv", "mode": "valid_rows", "file": upload(csv_file(tmp_path))}
        )
    assert client_for(agri_officer).get(response["Location"]).status_code == 404


def test_templates_download(project: Any, client_for: Any, district_officer: Any) -> None:
    client = client_for(district_officer)
    xlsx = client.get(reverse("surveys:import_template"))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    csv = client.get(reverse("surveys:import_template") + "?format=csv")
    assert csv.content.startswith(b"\xef\xbb\xbf") and "物种 *".encode() in csv.content


# --- API -----------------------------------------------------------------------------------------------------------


def test_api_import_answers_202_with_the_job(project: Any, client_for: Any, district_officer: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(district_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/surveys/imports/", {"file": upload(csv_file(tmp_path, 3, bad=1)), "format": "csv", "project": project.pk, "mode": "valid_rows"})
    assert response.status_code == 202
    body = response.json()
    assert body["kind"] == "surveys_import" and response["Location"].endswith(f"/api/v1/jobs/{body['id']}/")
    job = client.get(f"/api/v1/jobs/{body['id']}/").json()
    assert (job["status"], job["progress"], job["error_count"]) == ("succeeded", 100, 1) and job["report_url"]


def test_api_import_into_a_project_outside_scope_is_404(zhoucun: Any, client_for: Any, other_town_officer: Any, tmp_path: Any) -> None:
    town_project = SurveyProjectFactory(area=area("王村镇"))
    response = client_for(other_town_officer).post(
        "/api/v1/surveys/imports/", {"file": upload(csv_file(tmp_path)), "format": "csv", "project": town_project.pk, "mode": "valid_rows"}
    )
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


def test_api_import_validation_and_permissions(project: Any, client_for: Any, district_officer: Any, market_officer: Any, anonymous: Any, tmp_path: Any) -> None:
    bad = client_for(district_officer).post("/api/v1/surveys/imports/", {"file": upload(csv_file(tmp_path)), "format": "pdf", "project": project.pk})
    assert bad.status_code == 400 and "format" in bad.json()["errors"]
    wrong = client_for(district_officer).post("/api/v1/surveys/imports/", {"file": upload(csv_file(tmp_path)), "format": "xlsx", "project": project.pk})
    assert wrong.status_code == 400 and "file" in wrong.json()["errors"] and wrong.json()["title"]
    assert client_for(market_officer).post("/api/v1/surveys/imports/", {"file": upload(csv_file(tmp_path)), "format": "csv", "project": project.pk}).status_code == 403
    assert client_for(anonymous).post("/api/v1/surveys/imports/", {}).status_code in (401, 403)
