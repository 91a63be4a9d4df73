from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from wildlife.jobs.api.serializers import JobSerializer
from wildlife.jobs.models import Job, JobStatus


class JobFilterSet(filters.FilterSet):  # type: ignore[misc]
    status = filters.ChoiceFilter(choices=JobStatus.choices)
    kind = filters.CharFilter()

    class Meta:
        model = Job
        fields = ["status", "kind"]


@extend_schema_view(
    list=extend_schema(summary="我的后台任务", description="调用者本人发起的任务，按创建时间倒序。"),
    retrieve=extend_schema(summary="任务状态与进度", description="仅任务发起人可见；他人（含管理员）得到 404。"),
)
class JobViewSet(viewsets.ReadOnlyModelViewSet[Job]):
    """The caller's own jobs (status, progress, download links). Anyone else's job is 404, like a missing one."""

    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = JobFilterSet
    search_fields = ["title"]
    ordering_fields = ["created_at", "finished_at", "status"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[Job]:
        return Job.objects.restrict(self.request.user, "view").order_by("-created_at", "-pk")
