from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wildlife.jobs.models import Job


@login_required
def my_jobs(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.filter(owner=request.user).order_by("-created_at")[:100]
    return render(request, "jobs/my_jobs.html", {"jobs": jobs})
