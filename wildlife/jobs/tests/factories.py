from __future__ import annotations

from typing import Any

import factory
from django.core.files.base import ContentFile

from wildlife.jobs.models import Job, JobStatus


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    kind = "test.count"
    title = factory.Sequence(lambda n: f"测试任务 {n}")
    status = JobStatus.QUEUED


def with_files(job: Job, *, result: bytes | None = None, report: bytes | None = None) -> Job:
    """Attach result/report files the way JobContext does (stored, then the name written)."""
    if result is not None:
        job.result_file.save("result.csv", ContentFile(result), save=False)
    if report is not None:
        job.report_file.save("errors.csv", ContentFile(report), save=False)
    Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name, report_file=job.report_file.name)
    return job


def make_job(owner: Any, **kwargs: Any) -> Job:
    return JobFactory(owner=owner, **kwargs)
