from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wildlife.jobs.models import Job


class JobSerializer(serializers.ModelSerializer[Job]):
    """A job as its owner sees it; report_url and result_url point at the checked download views (null if absent)."""

    kind_label = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    progress = serializers.IntegerField(read_only=True, min_value=0, max_value=100)
    report_url = serializers.SerializerMethodField()
    result_url = serializers.SerializerMethodField()
    detail_url = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "status",
            "status_label",
            "progress",
            "processed",
            "total",
            "error_count",
            "error_message",
            "summary",
            "report_url",
            "result_url",
            "detail_url",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_report_url(self, job: Job) -> str | None:
        return self._absolute(job.report_download_url) if job.report_file else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_result_url(self, job: Job) -> str | None:
        return self._absolute(job.result_download_url) if job.result_file else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_detail_url(self, job: Job) -> str:
        return self._absolute(reverse("jobs:detail", args=[job.pk]))

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_summary(self, job: Job) -> dict[str, Any]:
        return job.public_summary
