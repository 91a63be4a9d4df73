"""Access to jobs: a job belongs to the user who started it and to nobody else.

Not the district officer, not an administrator: a job's result may be an export of records in its owner's scope
only, so handing it to anyone else would leak across scopes. Everyone else gets 404, the same as a missing job.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404

from wildlife.jobs.models import Job

NOT_FOUND_MESSAGE = "任务不存在或不属于您"


def access_job_by_id(user: Any, job_id: Any) -> Job:
    """The job `job_id` if `user` owns it; 404 otherwise (missing, malformed id, another user's, anonymous)."""
    try:
        pk = job_id if isinstance(job_id, uuid.UUID) else uuid.UUID(str(job_id))
    except (ValueError, TypeError, AttributeError) as exc:
        raise Http404(NOT_FOUND_MESSAGE) from exc
    job = Job.objects.restrict(user, "view").select_related("owner").filter(pk=pk).first()
    if job is None:
        raise Http404(NOT_FOUND_MESSAGE)
    return job


def access_job_file(user: Any, job_id: Any, which: str) -> Job:
    """The owner's job whose `which` file ("result" or "report") exists; 404 otherwise."""
    job = access_job_by_id(user, job_id)
    if which not in ("result", "report"):
        raise Http404(NOT_FOUND_MESSAGE)
    fieldfile = job.result_file if which == "result" else job.report_file
    if not fieldfile or not fieldfile.storage.exists(fieldfile.name):
        raise Http404("文件不存在或已被清理")
    return job
