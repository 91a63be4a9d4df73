"""A worker that dies in the middle of an import: the job is re-queued and continues after its last committed batch,
without duplicates and without re-writing the batches it had committed."""

from __future__ import annotations

import socket
import subprocess
from typing import Any

import pytest

from wildlife.jobs.models import Job, JobStatus
from wildlife.jobs.services import job_recover_stale, job_run, job_start
from wildlife.surveys.bulk import ObservationBulkWriter
from wildlife.surveys.importers import base
from wildlife.surveys.importers.services import JOB_KIND
from wildlife.surveys.importers.testing import WANGCUN, upload, write_csv
from wildlife.surveys.models import Observation
from wildlife.surveys.tests.factories import SurveyProjectFactory, species

pytestmark = pytest.mark.django_db


class SimulatedCrash(BaseException):
    """Stands for kill -9: not an Exception, so nothing in the job runner catches it and the job stays “running”."""


def dead_worker() -> str:
    process = subprocess.Popen(["true"])
    process.wait()
    return f"{socket.gethostname()}:{process.pid}"


@pytest.mark.parametrize("mode", ["valid_rows", "all_or_nothing"])
def test_resume_after_a_crash(zhoucun: Any, district_officer: Any, tmp_path: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any, mode: str) -> None:
    import wildlife.surveys.importers.jobs  # noqa: F401  (registers the handler)

    species("环颈雉")
    project = SurveyProjectFactory()
    lon, lat = WANGCUN
    rows = [[f"C{i:03d}", "环颈雉", 1, "2025-05-01 08:00", lon + i * 1e-5, lat, "", "", "", "", "", "", ""] for i in range(35)]
    path = write_csv(tmp_path, rows)
    monkeypatch.setattr(base, "BATCH_SIZE", 10)

    calls: list[int] = []
    original = ObservationBulkWriter.write

    def crashing_write(self: ObservationBulkWriter, batch: Any) -> int:
        calls.append(len(batch))
        if len(calls) == 3:
            raise SimulatedCrash
        return original(self, batch)

    monkeypatch.setattr(ObservationBulkWriter, "write", crashing_write)
    with django_capture_on_commit_callbacks(execute=False):
        job = job_start(actor=district_officer, kind=JOB_KIND, title="断点续传", params={"project": project.pk, "format": "csv", "mode": mode, "external": False, "filename": "obs.csv"}, input_file=upload(path))
    with pytest.raises(SimulatedCrash):
        job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # what a killed worker leaves behind
    assert job.summary["checkpoint"] == {"phase": "write", "line": 21}  # two batches (lines 2–21) committed
    assert Observation.objects.filter(project=project).count() == 20

    # recovery notices the dead worker and re-queues the resumable job
    Job.objects.filter(pk=job.pk).update(worker=dead_worker())
    with django_capture_on_commit_callbacks(execute=False):
        result = job_recover_stale(stale_minutes=10)
    assert str(job.pk) in result.requeued

    calls.clear()
    monkeypatch.setattr(ObservationBulkWriter, "write", original)
    written: list[int] = []

    def counting_write(self: ObservationBulkWriter, batch: Any) -> int:
        written.append(len(batch))
        return original(self, batch)

    monkeypatch.setattr(ObservationBulkWriter, "write", counting_write)
    assert job_run(job_id=str(job.pk)) == "succeeded"
    job.refresh_from_db()
    assert written == [10, 5]  # only the batches after the checkpoint were written again
    assert Observation.objects.filter(project=project).count() == 35
    assert Observation.objects.filter(project=project).values("occurrence_id").distinct().count() == 35
    assert job.summary["新增记录"] == 35 and job.attempts == 2
    assert "继续" in job.log
