"""Pages of the jobs module: my jobs, one job, its live progress and log fragments, and checked downloads."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wildlife.jobs import selectors, services
from wildlife.jobs.access import access_job_by_id, access_job_file
from wildlife.jobs.models import JobStatus

PER_PAGE = 25
HTMX_STOP_POLLING = 286  # htmx cancels an `every` trigger when it receives this status


@login_required
@require_GET
def my_jobs(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    queryset = selectors.job_list(user=request.user, status=status, kind=kind)
    paginator = Paginator(queryset, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "paginator": paginator,
        "jobs": page.object_list,
        "status": status if status in JobStatus.values else "",
        "kind": kind,
        "status_choices": JobStatus.choices,
        "kind_choices": selectors.job_kind_choices(user=request.user),
        "is_filtered": bool(status or kind),
        "querystring": params.urlencode(),
    }
    return render(request, "jobs/my_jobs.html", context)


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    job = access_job_by_id(request.user, job_id)
    return render(request, "jobs/job_detail.html", {"job": job})


@login_required
@require_GET
def job_progress(request: HttpRequest, job_id: str) -> HttpResponse:
    """The progress component; once the job is finished it no longer polls (and htmx gets 286 to be sure)."""
    job = access_job_by_id(request.user, job_id)
    options = {
        "hide_downloads": request.GET.get("hide_downloads") == "1",
        "compact": request.GET.get("compact") == "1",
    }
    response = render(request, "jobs/components/job_progress.html", {"job": job, **options})
    if job.is_finished and getattr(request, "htmx", False):
        response.status_code = HTMX_STOP_POLLING
        response["HX-Trigger"] = json.dumps({"job-finished": {"id": str(job.pk), "status": job.status}})
    return response


@login_required
@require_GET
def job_log(request: HttpRequest, job_id: str) -> HttpResponse:
    job = access_job_by_id(request.user, job_id)
    response = render(request, "jobs/job_detail.html#job-log", {"job": job})
    if job.is_finished and getattr(request, "htmx", False):
        response.status_code = HTMX_STOP_POLLING
    return response


@login_required
@require_GET
def job_download(request: HttpRequest, job_id: str, which: str) -> FileResponse:
    """The result file or error report, to the job's owner only; every download is an audited export."""
    job = access_job_file(request.user, job_id, which)
    handle, name = services.job_file_open(actor=request.user, job=job, which="result" if which == "result" else "report")
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
