"""Import and export pages of the surveys module: upload (format, mode, project), the job's progress and error
report, the template, and the export buttons. Views are an access check, a service call and a response."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wildlife.core.api.permissions import ScopedModelPermission
from wildlife.core.excel import XLSX_CONTENT_TYPE
from wildlife.core.views import PlatformPermissionMixin, apply_validation_error
from wildlife.jobs.access import access_job_by_id
from wildlife.jobs.api.serializers import JobSerializer
from wildlife.jobs.models import Job
from wildlife.surveys.choices import ImportFormat, ImportMode
from wildlife.surveys.exporters import jobs as _export_jobs  # noqa: F401  (registers the job handlers in the web process)
from wildlife.surveys.exporters.services import FORMATS, observation_export
from wildlife.surveys.importers import jobs as _import_jobs  # noqa: F401
from wildlife.surveys.importers.services import JOB_KIND as IMPORT_KIND
from wildlife.surveys.importers.services import importable_projects, observation_import_start
from wildlife.surveys.models import Observation, SurveyProject

EXPORT_KIND = "surveys_export"


class ImportForm(forms.Form):
    project = forms.ModelChoiceField(label=gettext_lazy("调查项目"), queryset=SurveyProject.objects.none(), empty_label=gettext_lazy("请选择项目"))
    format = forms.ChoiceField(label=gettext_lazy("文件格式"), choices=ImportFormat.choices, initial=ImportFormat.XLSX)
    mode = forms.ChoiceField(
        label=gettext_lazy("导入方式"),
        choices=ImportMode.choices,
        initial=ImportMode.VALID_ROWS,
        help_text=gettext_lazy("“全部正确才导入”：有任何一行错误则不写入任何数据；“只导入正确的行”：写入正确的行，错误行列入报告。"),
    )
    external = forms.BooleanField(
        label=gettext_lazy("接收区外外部数据（仅全区范围的用户）"),
        required=False,
        help_text=gettext_lazy("参考数据集（如他处的 Darwin Core、Camtrap DP 样例）的坐标不在周村区时，勾选后作为“区外外部数据”保存在区级，不计入任何镇街。"),
    )
    file = forms.FileField(
        label=gettext_lazy("文件"),
        help_text=gettext_lazy("CSV / Excel（.xlsx）按导入模板填写；Darwin Core Archive 为 .zip 或 .tgz；Camtrap DP 为含 datapackage.json 的 .zip。"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = importable_projects(user)
        for name in ("project", "format", "mode"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs["col"] = "col-12"
        self.fields["external"].widget.attrs["col"] = "col-12"


def _recent_jobs(user: Any, kind: str) -> list[Job]:
    return list(Job.objects.restrict(user, "view").filter(kind=kind).order_by("-created_at")[:5])


class ImportView(PlatformPermissionMixin, View):
    """The upload form; the job runs in the background and its page shows the progress bar and the report."""

    model = Observation
    permission_action = "add"

    def _render(self, request: HttpRequest, form: ImportForm, status: int = 200) -> HttpResponse:
        return render(request, "surveys/io/import.html", {"form": form, "jobs": _recent_jobs(request.user, IMPORT_KIND)}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {}
        if request.GET.get("project"):
            initial["project"] = request.GET["project"]
        return self._render(request, ImportForm(user=request.user, initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self._render(request, form, status=400)
        data = form.cleaned_data
        try:
            job = observation_import_start(
                actor=request.user, project_id=data["project"].pk, fmt=data["format"], mode=data["mode"], external=data["external"], upload=data["file"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self._render(request, form, status=400)
        messages.success(request, _("导入任务已提交，可在本页查看进度；完成后可下载错误报告。"))
        return HttpResponseRedirect(reverse("surveys:import_status", args=[job.pk]))


class IoJobView(PlatformPermissionMixin, View):
    """An import or export job of the current user: progress bar, counts, failure reason, downloads."""

    model = Observation
    permission_action = "view"

    def get(self, request: HttpRequest, job_id: Any) -> HttpResponse:
        job = access_job_by_id(request.user, job_id)
        if job.kind not in (IMPORT_KIND, EXPORT_KIND):
            raise Http404(_("对象不存在或不在您的权限范围内"))
        project = SurveyProject.objects.restrict(request.user, "view").filter(pk=job.params.get("project")).first()
        return render(request, "surveys/io/status.html", {"job": job, "project": project, "is_import": job.kind == IMPORT_KIND})


class ImportTemplateView(PlatformPermissionMixin, View):
    """The import template: Excel (Chinese headers, drop-down lists incl. the species catalogue) or CSV."""

    model = Observation
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        from wildlife.surveys.importers.tabular import build_csv_template, build_observation_template

        if request.GET.get("format") == "csv":
            response = HttpResponse(build_csv_template(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="survey-observations-template.csv"'
            return response
        response = HttpResponse(build_observation_template(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="survey-observations-template.xlsx"'
        return response


class ExportIndexView(PlatformPermissionMixin, View):
    """Export buttons for each project the user sees."""

    model = Observation
    permission_action = "view"

    def get(self, request: HttpRequest) -> HttpResponse:
        projects = SurveyProject.objects.restrict(request.user, "view").order_by("-start_date", "name")
        formats = [(key, label) for key, (label, _suffix, _type) in FORMATS.items()]
        return render(
            request,
            "surveys/io/export.html",
            {"projects": projects, "formats": formats, "jobs": _recent_jobs(request.user, EXPORT_KIND), "selected": request.GET.get("project", "")},
        )


class ExportDownloadView(PlatformPermissionMixin, View):
    """The file (small exports) or, for a large export, the page of the job that builds it."""

    model = Observation
    permission_action = "view"
    fmt = ""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        project_id = request.GET.get("project")
        if not project_id:
            raise Http404(_("请选择调查项目"))
        try:
            result = observation_export(actor=request.user, project_id=project_id, fmt=self.fmt, core=request.GET.get("core", "event"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return HttpResponseRedirect(reverse("surveys:export_index"))
        if isinstance(result, Job):
            messages.info(request, _("记录较多，导出已转为后台任务，完成后在本页下载。"))
            return HttpResponseRedirect(reverse("surveys:export_status", args=[result.pk]))
        handle = result.path.open("rb")
        result.path.unlink()  # the open handle keeps the data until the response is sent (POSIX)
        return FileResponse(handle, as_attachment=True, filename=result.filename, content_type=result.content_type)


# --- API (/api/v1/surveys/imports/, /api/v1/surveys/exports/<format>/) -----------------------------------------------



class ImportRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    file = serializers.FileField(help_text="CSV、Excel（.xlsx）、Darwin Core Archive（.zip/.tgz）或 Camtrap DP（.zip）")
    format = serializers.ChoiceField(choices=ImportFormat.choices)
    project = serializers.IntegerField(help_text="调查项目 id")
    mode = serializers.ChoiceField(choices=ImportMode.choices, default=ImportMode.VALID_ROWS)
    external = serializers.BooleanField(default=False, help_text="接收区外外部数据（仅全区范围的用户）")


class ImportCreateAPIView(APIView):
    """POST surveys/imports/: start an import job; answers 202 with the job (poll GET /api/v1/jobs/{id}/)."""

    model = Observation
    permission_classes = [ScopedModelPermission]
    parser_classes = [MultiPartParser, FormParser]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="导入调查记录（后台任务）",
        description="上传文件并启动导入任务；返回任务（202）。进度、错误数与错误报告链接见 GET /api/v1/jobs/{id}/。项目不在权限范围内时为 404。",
        request={"multipart/form-data": ImportRequestSerializer},
        responses={202: JobSerializer, 400: OpenApiResponse(description="problem+json"), 404: OpenApiResponse(description="problem+json")},
    )
    def post(self, request: Request) -> Response:
        payload = ImportRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        job = observation_import_start(
            actor=request.user, project_id=data["project"], fmt=data["format"], mode=data["mode"], external=data["external"], upload=data["file"]
        )
        body = JobSerializer(job, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": request.build_absolute_uri(reverse("api:jobs-api:job-detail", args=[job.pk]))})


class _AnyRenderer(JSONRenderer):
    """Accepts any Accept header (application/zip, application/geo+json ...): the file itself is a FileResponse that
    is not rendered; problems (404, 400) are still written as JSON."""

    media_type = "*/*"
    format = "file"


class ExportAPIView(APIView):
    """GET surveys/exports/<format>/?project=: the file, or 202 with the export job when the project is large."""

    model = Observation
    permission_classes = [ScopedModelPermission]
    renderer_classes = [JSONRenderer, _AnyRenderer]
    fmt = ""

    @extend_schema(
        summary="导出调查记录",
        description="返回文件（Darwin Core Archive / Camtrap DP 为 zip）；记录数超过同步上限时返回 202 和导出任务。"
        "没有敏感物种精确位置权限时，国家一级保护物种坐标概化至 0.01° 网格中心。",
        parameters=[
            OpenApiParameter("project", OpenApiTypes.INT, required=True, description="调查项目 id"),
            OpenApiParameter("core", OpenApiTypes.STR, enum=["event", "occurrence"], description="仅 DwC-A：事件核心（默认）或观测核心"),
        ],
        responses={(200, "application/zip"): OpenApiTypes.BINARY, 202: JobSerializer, 404: OpenApiResponse(description="problem+json")},
    )
    def get(self, request: Request) -> Any:
        project_id = request.query_params.get("project")
        if not project_id:
            raise ValidationError({"project": [_("请指定调查项目（?project=）")]})
        result = observation_export(actor=request.user, project_id=project_id, fmt=self.fmt, core=request.query_params.get("core", "event"))
        if isinstance(result, Job):
            body = JobSerializer(result, context={"request": request}).data
            return Response(body, status=status.HTTP_202_ACCEPTED)
        handle = result.path.open("rb")
        result.path.unlink()
        return FileResponse(handle, as_attachment=True, filename=result.filename, content_type=result.content_type)
