"""In Chromium: the detail page of a running job follows its progress to 100% and offers the download."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from wildlife.jobs.models import Job, JobStatus
from wildlife.jobs.tests.factories import make_job, with_files

pytestmark = pytest.mark.e2e


def test_progress_bar_follows_a_running_job_to_the_download(page: Any, town_officer: Any) -> None:
    from playwright.sync_api import expect

    from wildlife.core.testing.browser import login

    job = make_job(town_officer, title="王村镇观测记录导入", status=JobStatus.RUNNING, processed=2, total=10, started_at=timezone.now())
    poll_headers: list[str | None] = []
    page.on("request", lambda r: poll_headers.append(r.headers.get("x-background-poll")) if "/progress/" in r.url else None)

    login(page, "town_officer")
    page.goto(f"/jobs/{job.pk}/")
    bar = page.get_by_test_id("job-progress-bar")
    expect(bar).to_have_attribute("aria-valuenow", "20")
    expect(page.get_by_test_id("job-status")).to_have_text("运行中")
    expect(page.get_by_test_id("job-download-result")).to_have_count(0)

    Job.objects.filter(pk=job.pk).update(processed=6, heartbeat_at=timezone.now())
    expect(bar).to_have_attribute("aria-valuenow", "60")
    expect(page.get_by_test_id("job-processed")).to_have_text("6")

    with_files(job, result="序号\n10\n".encode())
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, processed=10, finished_at=timezone.now(), log="[10:00:09] 完成")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_test_id("job-percent")).to_have_text("100%")
    expect(page.get_by_test_id("job-status")).to_have_text("已完成")
    link = page.get_by_test_id("job-download-result")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", re.compile(rf"/jobs/{job.pk}/download/result/$"))
    expect(page.get_by_test_id("job-log")).to_contain_text("完成")  # the log panel caught up too

    # polling has stopped: no further progress requests after the finished fragment
    count = len(poll_headers)
    page.wait_for_timeout(2500)
    assert len(poll_headers) == count
    assert poll_headers and all(h == "1" for h in poll_headers)  # polling never counts as user activity

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("result")
    with open(download.path(), encoding="utf-8") as handle:
        assert handle.read() == "序号\n10\n"
