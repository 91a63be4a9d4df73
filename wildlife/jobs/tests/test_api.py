"""GET /api/v1/jobs/ and /api/v1/jobs/{id}/: the caller's own jobs only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from wildlife.core.testing import cast
from wildlife.jobs.models import Job, JobStatus
from wildlife.jobs.tests.factories import make_job, with_files

pytestmark = pytest.mark.django_db

OTHERS = ["district_officer", "other_town_officer", "system_admin", "security_admin", "audit_admin"]


def api(user: Any) -> APIClient:
    client = APIClient()
    cast.login_client(user, client)
    return client


def detail(job: Job) -> str:
    return f"/api/v1/jobs/{job.pk}/"


def test_owner_reads_status_progress_and_download_links(town_officer: Any) -> None:
    now = timezone.now()
    job = make_job(
        town_officer, kind="test.count", title="导出", status=JobStatus.SUCCEEDED, processed=80, total=80, error_count=2,
        started_at=now, finished_at=now, summary={"新增": 78, "checkpoint": {"row": 80}},
    )
    with_files(job, result=b"x", report=b"y")
    response = api(town_officer).get(detail(job))
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == str(job.pk)
    assert data["status"] == "succeeded" and data["status_label"] == "已完成"
    assert data["progress"] == 100 and data["processed"] == 80 and data["total"] == 80 and data["error_count"] == 2
    assert data["kind"] == "test.count" and data["kind_label"] == "测试计数任务" and data["title"] == "导出"
    assert data["result_url"] == f"http://testserver/jobs/{job.pk}/download/result/"
    assert data["report_url"] == f"http://testserver/jobs/{job.pk}/download/report/"
    assert data["summary"] == {"新增": 78}
    for key in ("created_at", "started_at", "finished_at"):
        assert timezone.datetime.fromisoformat(data[key]).tzinfo is not None
    # the links work for the same caller
    assert api(town_officer).get(data["result_url"]).status_code == 200


def test_running_job_has_null_links_and_real_progress(town_officer: Any) -> None:
    job = make_job(town_officer, status=JobStatus.RUNNING, processed=30, total=120, started_at=timezone.now())
    data = api(town_officer).get(detail(job)).json()
    assert data["status"] == "running" and data["progress"] == 25
    assert data["result_url"] is None and data["report_url"] is None and data["finished_at"] is None


@pytest.mark.parametrize("other", OTHERS)
def test_someone_elses_job_is_404_problem(request: Any, other: str, town_officer: Any) -> None:
    job = make_job(town_officer)
    response = api(request.getfixturevalue(other)).get(detail(job))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "not_found" and body["status"] == 404 and body["title"]
    assert str(job.pk) not in response.content.decode()


def test_anonymous_gets_401(town_officer: Any) -> None:
    job = make_job(town_officer)
    for url in (detail(job), "/api/v1/jobs/"):
        response = APIClient().get(url)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


def test_malformed_id_is_404(town_officer: Any) -> None:
    assert api(town_officer).get("/api/v1/jobs/not-a-uuid/").status_code == 404


def test_list_holds_only_the_callers_jobs_newest_first(town_officer: Any, other_town_officer: Any) -> None:
    older = make_job(town_officer, status=JobStatus.FAILED, finished_at=timezone.now())
    Job.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=1))
    newer = make_job(town_officer, status=JobStatus.RUNNING)
    make_job(other_town_officer)
    body = api(town_officer).get("/api/v1/jobs/").json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [str(newer.pk), str(older.pk)]
    failed = api(town_officer).get("/api/v1/jobs/", {"status": "failed"}).json()
    assert [row["id"] for row in failed["results"]] == [str(older.pk)]
    assert api(other_town_officer).get("/api/v1/jobs/").json()["count"] == 1


def test_jobs_api_is_read_only(town_officer: Any) -> None:
    job = make_job(town_officer)
    client = api(town_officer)
    assert client.post("/api/v1/jobs/", {"kind": "test.count"}, format="json").status_code == 405
    assert client.delete(detail(job)).status_code == 405
    assert Job.objects.filter(pk=job.pk).exists()


def test_token_authentication_works(town_officer: Any) -> None:
    import secrets

    from wildlife.accounts.models import ApiToken
    from wildlife.core.api.authentication import hash_token

    key = secrets.token_hex(20)
    ApiToken.objects.create(user=town_officer, key_hash=hash_token(key), expires_at=timezone.now() + timedelta(hours=1))
    job = make_job(town_officer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(detail(job)).json()["status"] == "queued"


def test_schema_documents_the_jobs_resource(town_officer: Any) -> None:
    response = api(town_officer).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/jobs/{id}/" in schema["paths"] and "/api/v1/jobs/" in schema["paths"]
    props = schema["components"]["schemas"]["Job"]["properties"]
    assert {"status", "progress", "processed", "total", "error_count", "report_url", "result_url"} <= set(props)
    assert props["result_url"].get("nullable") is True
