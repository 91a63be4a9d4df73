"""Pages: my jobs, job detail, the progress and log fragments, checked downloads, the dashboard card."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from wildlife.audit.models import AuditEvent
from wildlife.jobs.apps import job_dashboard_cards
from wildlife.jobs.models import Job, JobStatus
from wildlife.jobs.tests.factories import make_job, with_files

pytestmark = pytest.mark.django_db

OTHERS = ["district_officer", "other_town_officer", "town_viewer", "system_admin", "security_admin", "audit_admin"]


@pytest.fixture
def finished_job(town_officer: Any) -> Job:
    now = timezone.now()
    job = make_job(
        town_officer,
        title="王村镇观测记录导入",
        status=JobStatus.SUCCEEDED,
        processed=1200,
        total=1200,
        error_count=3,
        started_at=now,
        finished_at=now,
        log="[10:00:00] 开始\n[10:00:05] 完成",
        summary={"新增": 1197, "跳过": 3, "checkpoint": {"row": 1200}},
    )
    return with_files(job, result="序号\n1\n".encode(), report="行号,原因\n3,物种未找到\n".encode())


def cast_member(request: Any, name: str) -> Any:
    return request.getfixturevalue(name)


# --- my jobs -----------------------------------------------------------------------------------------------------


def test_my_jobs_lists_only_the_users_jobs_newest_first(town_officer: Any, other_town_officer: Any, client_for: Any) -> None:
    older = make_job(town_officer, title="较早的任务")
    Job.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=1))
    newer = make_job(town_officer, title="较新的任务")
    make_job(other_town_officer, title="别人的任务")
    response = client_for(town_officer).get(reverse("jobs:my_jobs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "别人的任务" not in html
    assert html.index(newer.title) < html.index("较早的任务")
    assert [j.pk for j in response.context["jobs"]] == [newer.pk, older.pk]
    assert reverse("jobs:detail", args=[newer.pk]) in html


def test_my_jobs_filters_by_status_and_kind(town_officer: Any, client_for: Any) -> None:
    failed = make_job(town_officer, kind="test.user_error", status=JobStatus.FAILED, finished_at=timezone.now())
    running = make_job(town_officer, kind="test.count", status=JobStatus.RUNNING)
    client = client_for(town_officer)
    by_status = client.get(reverse("jobs:my_jobs"), {"status": "failed"})
    assert [j.pk for j in by_status.context["jobs"]] == [failed.pk]
    by_kind = client.get(reverse("jobs:my_jobs"), {"kind": "test.count"})
    assert [j.pk for j in by_kind.context["jobs"]] == [running.pk]
    assert "测试计数任务" in by_kind.content.decode()  # the kind's label, in the filter and the row
    nothing = client.get(reverse("jobs:my_jobs"), {"status": "succeeded"})
    assert "没有符合筛选条件的任务" in nothing.content.decode()
    bogus = client.get(reverse("jobs:my_jobs"), {"status": "deleted"})
    assert len(bogus.context["jobs"]) == 2  # an unknown status is ignored, not an error


def test_my_jobs_paginates(town_officer: Any, client_for: Any) -> None:
    for _ in range(30):
        make_job(town_officer)
    client = client_for(town_officer)
    first = client.get(reverse("jobs:my_jobs"))
    assert len(first.context["jobs"]) == 25
    assert 'data-testid="next-page"' in first.content.decode()
    second = client.get(reverse("jobs:my_jobs"), {"page": 2})
    assert len(second.context["jobs"]) == 5
    assert not {j.pk for j in first.context["jobs"]} & {j.pk for j in second.context["jobs"]}


def test_my_jobs_empty_state(town_officer: Any, client_for: Any) -> None:
    response = client_for(town_officer).get(reverse("jobs:my_jobs"))
    assert 'data-testid="empty-state"' in response.content.decode()
    assert "还没有后台任务" in response.content.decode()


def test_my_jobs_needs_login(client: Any) -> None:
    response = client.get(reverse("jobs:my_jobs"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


# --- detail ------------------------------------------------------------------------------------------------------


def test_detail_shows_the_job_to_its_owner(town_officer: Any, finished_job: Job, client_for: Any) -> None:
    response = client_for(town_officer).get(reverse("jobs:detail", args=[finished_job.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("王村镇观测记录导入", "测试计数任务", "已完成", "100%", "[10:00:05] 完成", "跳过"):
        assert text in html, text
    # numbers follow the active locale's grouping (zh-hans: none by default)
    assert re.search(r'data-testid="job-processed">1,?200<', html)
    assert re.search(r"<dd[^>]*>1,?197</dd>", html)
    assert 'data-testid="job-errors" class="text-danger fw-semibold">3<' in html
    assert reverse("jobs:download", args=[finished_job.pk, "result"]) in html
    assert reverse("jobs:download", args=[finished_job.pk, "report"]) in html
    assert "checkpoint" not in html
    assert "/media/" not in html  # files only through the checked download view
    assert "hx-get" not in html  # a finished job does not poll


def test_detail_of_a_failed_job_shows_the_reason(town_officer: Any, client_for: Any) -> None:
    job = make_job(town_officer, status=JobStatus.FAILED, finished_at=timezone.now(), error_message="第 3 行 物种：未找到", error_count=1)
    html = client_for(town_officer).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "第 3 行 物种：未找到" in html and "失败" in html
    assert "job-download-result" not in html


@pytest.mark.parametrize("other", OTHERS)
def test_detail_is_404_for_everyone_else(request: Any, other: str, finished_job: Job, client_for: Any) -> None:
    client = client_for(cast_member(request, other))
    for url in (
        reverse("jobs:detail", args=[finished_job.pk]),
        reverse("jobs:progress", args=[finished_job.pk]),
        reverse("jobs:log", args=[finished_job.pk]),
        reverse("jobs:download", args=[finished_job.pk, "result"]),
        reverse("jobs:download", args=[finished_job.pk, "report"]),
    ):
        assert client.get(url).status_code == 404, url
    assert not AuditEvent.objects.filter(action="export").exists()


def test_detail_needs_login(client: Any, finished_job: Job) -> None:
    for name in ("jobs:detail", "jobs:progress", "jobs:log"):
        response = client.get(reverse(name, args=[finished_job.pk]))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    response = client.get(reverse("jobs:download", args=[finished_job.pk, "result"]))
    assert response.status_code == 302


def test_missing_job_is_404(town_officer: Any, client_for: Any) -> None:
    response = client_for(town_officer).get("/jobs/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


# --- progress and log fragments ------------------------------------------------------------------------------------


def test_progress_fragment_polls_while_running(town_officer: Any, client_for: Any) -> None:
    job = make_job(town_officer, status=JobStatus.RUNNING, processed=25, total=100)
    response = client_for(town_officer).get(reverse("jobs:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'hx-get="{reverse("jobs:progress", args=[job.pk])}"' in html
    assert 'hx-trigger="every 1s"' in html
    assert "data-background-poll" in html
    assert 'aria-valuenow="25"' in html and "width: 25%" in html
    assert "<html" not in html  # a fragment, not a page


def test_progress_without_a_total_is_indeterminate(town_officer: Any, client_for: Any) -> None:
    job = make_job(town_officer, status=JobStatus.RUNNING, processed=25)
    html = client_for(town_officer).get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert "处理中" in html and "progress-bar-animated" in html


def test_progress_fragment_stops_polling_when_finished(town_officer: Any, finished_job: Job, client_for: Any) -> None:
    client = client_for(town_officer)
    url = reverse("jobs:progress", args=[finished_job.pk])
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 286  # htmx: stop polling
    assert json.loads(response["HX-Trigger"]) == {"job-finished": {"id": str(finished_job.pk), "status": "succeeded"}}
    html = response.content.decode()
    assert "hx-get" not in html and "hx-trigger" not in html
    assert "job-download-result" in html and "job-download-report" in html
    plain = client.get(url)
    assert plain.status_code == 200  # without htmx an ordinary answer


def test_progress_options_are_kept_while_polling(town_officer: Any, client_for: Any) -> None:
    job = make_job(town_officer, status=JobStatus.RUNNING, processed=1, total=2)
    url = reverse("jobs:progress", args=[job.pk])
    html = client_for(town_officer).get(url, {"hide_downloads": "1", "compact": "1"}).content.decode()
    assert "hide_downloads=1&amp;compact=1" in html
    assert 'data-testid="job-counts"' not in html


def test_log_fragment_polls_until_finished(town_officer: Any, client_for: Any) -> None:
    job = make_job(town_officer, status=JobStatus.RUNNING, log="[10:00:00] 第一批 500 行")
    client = client_for(town_officer)
    url = reverse("jobs:log", args=[job.pk])
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "第一批 500 行" in html and 'hx-trigger="every 2s"' in html and "data-background-poll" in html
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, finished_at=timezone.now(), summary={"新增": 5})
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 286
    assert "hx-trigger" not in response.content.decode() and "新增" in response.content.decode()


def test_background_poll_does_not_refresh_the_idle_clock(town_officer: Any, client_for: Any) -> None:
    import time

    from wildlife.accounts.middleware import SESSION_LAST_SEEN

    job = make_job(town_officer, status=JobStatus.RUNNING)
    client = client_for(town_officer)
    url = reverse("jobs:progress", args=[job.pk])
    client.get(reverse("jobs:my_jobs"))
    session = client.session
    session[SESSION_LAST_SEEN] = before = time.time() - 60
    session.save()
    client.get(url, HTTP_HX_REQUEST="true", HTTP_X_BACKGROUND_POLL="1")  # what platform.js sends for the component
    assert client.session[SESSION_LAST_SEEN] == before
    client.get(url, HTTP_HX_REQUEST="true")  # the same request as user activity moves the clock
    assert client.session[SESSION_LAST_SEEN] > before


# --- downloads ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("which", "content", "name"), [("result", "序号\n1\n", "result"), ("report", "行号,原因\n3,物种未找到\n", "errors")])
def test_owner_downloads_files_and_it_is_audited(town_officer: Any, finished_job: Job, client_for: Any, which: str, content: str, name: str) -> None:
    response = client_for(town_officer).get(reverse("jobs:download", args=[finished_job.pk, which]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == content
    assert response["Content-Disposition"].startswith("attachment;") and name in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="export", object_id=str(finished_job.pk))
    assert event.user == town_officer and event.detail["file"] == which


def test_download_of_an_absent_file_is_404(town_officer: Any, client_for: Any) -> None:
    job = make_job(town_officer, status=JobStatus.SUCCEEDED, finished_at=timezone.now())
    client = client_for(town_officer)
    assert client.get(reverse("jobs:download", args=[job.pk, "result"])).status_code == 404
    assert client.get(reverse("jobs:download", args=[job.pk, "input"])).status_code == 404


def test_download_of_a_file_removed_from_disk_is_404(town_officer: Any, finished_job: Job, client_for: Any) -> None:
    finished_job.refresh_from_db()
    finished_job.result_file.storage.delete(finished_job.result_file.name)
    assert client_for(town_officer).get(reverse("jobs:download", args=[finished_job.pk, "result"])).status_code == 404


def test_files_are_not_served_from_media(town_officer: Any, finished_job: Job, client_for: Any) -> None:
    finished_job.refresh_from_db()
    response = client_for(town_officer).get("/media/" + finished_job.result_file.name)
    assert response.status_code == 404


# --- dashboard card ----------------------------------------------------------------------------------------------


def test_dashboard_card_counts_the_users_own_jobs(town_officer: Any, district_officer: Any, anonymous: Any) -> None:
    make_job(town_officer, status=JobStatus.RUNNING)
    make_job(town_officer, status=JobStatus.QUEUED)
    make_job(town_officer, status=JobStatus.FAILED, finished_at=timezone.now())
    old_failure = make_job(town_officer, status=JobStatus.FAILED, finished_at=timezone.now())
    Job.objects.filter(pk=old_failure.pk).update(created_at=timezone.now() - timedelta(days=30))
    make_job(town_officer, status=JobStatus.SUCCEEDED, finished_at=timezone.now())
    [card] = job_dashboard_cards(town_officer)
    assert card["key"] == "my-jobs" and card["value"] == 2
    assert "失败 1 个" in card["note"]
    assert card["url"] == reverse("jobs:my_jobs")
    [other] = job_dashboard_cards(district_officer)  # nobody else's jobs count, not even for the district
    assert other["value"] == 0 and "无失败" in other["note"]
    assert job_dashboard_cards(anonymous) == []


def test_home_page_shows_the_card(town_officer: Any, client_for: Any) -> None:
    make_job(town_officer, status=JobStatus.RUNNING)
    html = client_for(town_officer).get(reverse("core:home")).content.decode()
    assert 'data-testid="card-my-jobs"' in html
