"""The one django-tasks task: run a Job by id (idempotent: a finished or running job is not run twice)."""

from __future__ import annotations

from django_tasks import task

from wildlife.jobs import services


@task(queue_name="default")
def run_job(job_id: str) -> str:
    return services.job_run(job_id=job_id)
