"""Pages: patrols (list, map, coverage, detail with incidents), inspection targets, checklist templates, inspections
with their workflow, trainings with attendance and hours, and the personnel and equipment registers.

Views are an access check, a service call and a response.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.forms import BaseForm
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from wildlife.core.excel import XLSX_CONTENT_TYPE, build_workbook
from wildlife.core.exceptions import ConflictError, OutOfScopeError
from wildlife.core.htmx import hx_redirect
from wildlife.core.tables import Column
from wildlife.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectFormView,
    ObjectImportView,
    ObjectListView,
    PlatformPermissionMixin,
    apply_validation_error,
)
from wildlife.patrols import escalation, forms, selectors, services
from wildlife.patrols.access import (
    access_attachment_by_id,
    access_attendance_by_id,
    access_equipment_by_id,
    access_incident_by_id,
    access_inspection_by_id,
    access_officer_by_id,
    access_patrol_by_id,
    access_target_by_id,
    access_template_by_id,
    access_training_by_id,
)
from wildlife.patrols.choices import AttachmentRole, InspectionStatus
from wildlife.patrols.filtersets import (
    EquipmentFilterSet,
    InspectionFilterSet,
    OfficerFilterSet,
    PatrolFilterSet,
    TargetFilterSet,
    TrainingFilterSet,
)
from wildlife.patrols.imports import EQUIPMENT_IMPORT, OFFICER_IMPORT, TARGET_IMPORT
from wildlife.patrols.models import (
    ChecklistTemplate,
    EnforcementOfficer,
    Equipment,
    Inspection,
    InspectionTarget,
    Patrol,
    TrainingSession,
)


def _geojson(features: list[dict[str, Any]]) -> JsonResponse:
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Content-Type"] = "application/geo+json"
    return response


class _InstanceFormMixin:
    """ObjectFormView passes `instance` only to ModelForms; the plain forms here take it too."""

    form_class: Any
    request: HttpRequest

    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> BaseForm:
        kwargs: dict[str, Any] = {"data": data, "files": files, "user": self.request.user}
        if obj is not None:
            kwargs["instance"] = obj
        return self.form_class(**kwargs)  # type: ignore[no-any-return]


class _ActionView(PlatformPermissionMixin, View):
    """A POST action from a detail page: form errors and refused steps come back as messages on that page."""

    permission_action = "change"
    form_class: Any = None

    def run(self, request: HttpRequest, obj: Any, call: Callable[[dict[str, Any]], Any], success: str) -> HttpResponse:
        data: dict[str, Any] = {}
        if self.form_class is not None:
            form = self.form_class(request.POST, request.FILES)
            if not form.is_valid():
                for field, errors in form.errors.items():
                    label = form.fields[field].label if field in form.fields else ""
                    for error in errors:
                        messages.error(request, f"{label}：{error}" if label else str(error))
                return hx_redirect(request, obj.get_absolute_url())
            data = dict(form.cleaned_data)
        try:
            call(data)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
            return hx_redirect(request, obj.get_absolute_url())
        except (ConflictError, OutOfScopeError) as exc:
            messages.error(request, exc.message if isinstance(exc, ConflictError) else str(exc))
            return hx_redirect(request, obj.get_absolute_url())
        messages.success(request, success)
        return hx_redirect(request, obj.get_absolute_url())


def _team(patrol: Patrol) -> str:
    return "、".join(patrol.team)


# --- patrols ---------------------------------------------------------------------------------------------------------


class PatrolListView(ObjectListView):
    model = Patrol
    title = gettext_lazy("巡护记录")
    columns = (
        Column("patrol_no", gettext_lazy("编号"), link=True, order_by="patrol_no"),
        Column("title", gettext_lazy("巡护名称"), order_by="title"),
        Column("kind", gettext_lazy("类型"), order_by="kind"),
        Column("started_at", gettext_lazy("开始时间"), order_by="started_at"),
        Column("duration_hours", gettext_lazy("用时(小时)")),
        Column("distance_km", gettext_lazy("里程(公里)"), order_by="distance_m", css="text-end"),
        Column("area", gettext_lazy("所属镇街"), order_by="area__sort_order"),
        Column("team", gettext_lazy("巡护队员"), accessor=_team),
        Column("incident_count", gettext_lazy("发现"), css="text-end"),
        Column("weather", gettext_lazy("天气"), export=True),
    )
    filterset_class = PatrolFilterSet
    search_fields = ("patrol_no", "title", "member_names", "summary")
    search_placeholder = gettext_lazy("编号、名称、队员、巡护情况")
    default_ordering = ("-started_at", "-pk")
    create_url_name = "patrols:patrol_create"
    export_filename = "patrols"
    empty_message = gettext_lazy("还没有巡护记录，可上传 GPX 轨迹或在地图上绘制路线来登记。")

    @property
    def map_url(self) -> str:  # type: ignore[override]
        return reverse("patrols:patrol_layer")

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()
        result: QuerySet[Any] = queryset.select_related("area").prefetch_related("members").annotate(incident_count=Count("incidents"))
        return result


class PatrolLayerView(PatrolListView):
    """The tracks of the list's filtered rows (the list page's map toggle)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        queryset, _filterset = self.filtered()
        return _geojson(selectors.patrol_features(queryset))


class PatrolDetailView(ObjectDetailView):
    model = Patrol
    template_name = "patrols/patrol_detail.html"
    access = staticmethod(access_patrol_by_id)

    def extra_context(self, obj: Patrol) -> dict[str, Any]:
        incidents = list(obj.incidents.select_related("species"))
        for incident in incidents:
            incident.files = services.attachments_of(incident)  # type: ignore[attr-defined]
        return {
            "patrol": obj,
            "incidents": incidents,
            "shares": obj.town_shares.select_related("town").order_by("-metres"),
            "can_change": self.request.user.has_perm("patrols.change_patrol"),
            "can_delete": self.request.user.has_perm("patrols.delete_patrol"),
        }


class PatrolDetailLayerView(PlatformPermissionMixin, View):
    model = Patrol

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        patrol = access_patrol_by_id(request.user, pk)
        return _geojson(selectors.patrol_detail_geojson(patrol)["features"])


class PatrolCreateView(_InstanceFormMixin, ObjectFormView):
    model = Patrol
    permission_action = "add"
    form_class = forms.PatrolForm
    service = services.patrol_record
    template_name = "patrols/patrol_form.html"
    title = gettext_lazy("登记巡护")


class PatrolUpdateView(_InstanceFormMixin, ObjectFormView):
    model = Patrol
    permission_action = "change"
    form_class = forms.PatrolForm
    service = services.patrol_update
    template_name = "patrols/patrol_form.html"
    access = staticmethod(access_patrol_by_id)


class PatrolDeleteView(ObjectDeleteView):
    model = Patrol
    service = services.patrol_delete
    success_url_name = "patrols:patrol_list"
    access = staticmethod(access_patrol_by_id)


class IncidentCreateView(PlatformPermissionMixin, View):
    model = Patrol
    permission_action = "change"

    def render_form(self, patrol: Patrol, form: forms.IncidentForm) -> HttpResponse:
        return render(self.request, "patrols/incident_form.html", {"patrol": patrol, "form": form})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        patrol = access_patrol_by_id(request.user, pk, action="change")
        return self.render_form(patrol, forms.IncidentForm(initial={"observed_at": timezone.localtime(patrol.started_at)}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        patrol = access_patrol_by_id(request.user, pk, action="change")
        form = forms.IncidentForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(patrol, form)
        data = dict(form.cleaned_data)
        try:
            services.patrol_incident_add(actor=request.user, patrol=patrol, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(patrol, form)
        messages.success(request, _("已记录巡护发现"))
        return hx_redirect(request, patrol.get_absolute_url())


class IncidentDeleteView(_ActionView):
    model = Patrol

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = access_incident_by_id(request.user, pk, action="change")
        patrol = incident.patrol
        return self.run(request, patrol, lambda _d: services.patrol_incident_delete(actor=request.user, incident=incident), _("已删除"))


class IncidentEscalateView(_ActionView):
    """Open a tip-off or a case from a patrol incident (through the enforcement services)."""

    model = Patrol

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = access_incident_by_id(request.user, pk, action="change")
        to = request.POST.get("to", "")
        return self.run(
            request,
            incident.patrol,
            lambda _d: escalation.incident_escalate(actor=request.user, incident=incident, to=to),
            _("已移交"),
        )


class CoverageView(PlatformPermissionMixin, View):
    """Patrol kilometres and counts per town and month: a table, a stacked bar chart and a map of towns and tracks."""

    model = Patrol

    def get(self, request: HttpRequest) -> HttpResponse:
        form = forms.CoverageForm(request.GET or None)
        year, month = form.period()
        coverage = selectors.patrol_coverage(user=request.user, year=year, month=month)
        if request.GET.get("export") == "xlsx":
            return self.export(coverage, year, month)
        layer = reverse("patrols:coverage_layer") + f"?year={year}" + (f"&month={month}" if month else "")
        return render(
            request,
            "patrols/coverage.html",
            {
                "form": form if form.is_bound else forms.CoverageForm(initial={"year": year}),
                "coverage": coverage,
                "rows": coverage.rows(),
                "chart_option": coverage.chart_option(),
                "layer_url": layer,
                "year": year,
                "month": month,
                "querystring": request.GET.urlencode(),
            },
        )

    def export(self, coverage: selectors.Coverage, year: int, month: int | None) -> HttpResponse:
        from wildlife.audit.services import audit_record

        headers = [_("镇街")]
        for m in coverage.months:
            headers += [_("%(m)d月 次数") % {"m": m}, _("%(m)d月 公里") % {"m": m}]
        headers += [_("合计 次数"), _("合计 公里")]
        rows = []
        for row in coverage.rows():
            line: list[Any] = [row["town"].name]
            for cell in row["cells"]:
                line += [cell.patrols, cell.km]
            line += [row["total"].patrols, round(row["total"].km, 2)]
            rows.append(line)
        title = _("巡护覆盖 %(y)d年") % {"y": year} + (_("%(m)d月") % {"m": month} if month else "")
        content = build_workbook(title=title, headers=[str(h) for h in headers], rows=rows, note=title)
        audit_record(action="export", actor=self.request.user, object_type="patrols.patrol", detail={"format": "xlsx", "report": "coverage", "year": year})
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="patrol-coverage-{year}.xlsx"'
        return response


class CoverageLayerView(PlatformPermissionMixin, View):
    model = Patrol

    def get(self, request: HttpRequest) -> HttpResponse:
        form = forms.CoverageForm(request.GET or None)
        year, month = form.period()
        return _geojson(selectors.coverage_geojson(user=request.user, year=year, month=month)["features"])


# --- inspection targets ----------------------------------------------------------------------------------------------


def _masked_phone(target: InspectionTarget) -> str:
    from wildlife.core.masking import mask_phone

    return mask_phone(target.contact_phone)


class TargetListView(ObjectListView):
    model = InspectionTarget
    title = gettext_lazy("检查对象")
    columns = (
        Column("name", gettext_lazy("名称"), link=True, order_by="name"),
        Column("kind", gettext_lazy("类型"), order_by="kind"),
        Column("address", gettext_lazy("地址")),
        Column("area", gettext_lazy("所属镇街"), order_by="area__sort_order"),
        Column("operator_name", gettext_lazy("经营者/负责人")),
        Column("contact_phone", gettext_lazy("联系电话"), accessor=_masked_phone),
        Column("inspection_count", gettext_lazy("检查次数"), css="text-end", order_by="inspection_count"),
        Column("is_active", gettext_lazy("在营"), order_by="is_active"),
    )
    filterset_class = TargetFilterSet
    search_fields = ("name", "address", "operator_name", "uscc")
    search_placeholder = gettext_lazy("名称、地址、经营者、信用代码")
    default_ordering = ("kind", "name")
    create_url_name = "patrols:target_create"
    import_url_name = "patrols:target_import"
    export_filename = "inspection-targets"

    @property
    def map_url(self) -> str:  # type: ignore[override]
        return reverse("patrols:target_layer")

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()
        result: QuerySet[Any] = queryset.select_related("area").annotate(inspection_count=Count("inspections"))
        return result


class TargetImportView(ObjectImportView):
    """Inspection targets from Excel/CSV."""

    spec = TARGET_IMPORT
    list_url_name = "patrols:target_list"


class TargetLayerView(TargetListView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        queryset, _filterset = self.filtered()
        if request.GET.get("id", "").isdigit():
            queryset = queryset.filter(pk=int(request.GET["id"]))
        return _geojson(selectors.target_features(queryset))


class TargetDetailView(ObjectDetailView):
    model = InspectionTarget
    template_name = "patrols/target_detail.html"
    access = staticmethod(access_target_by_id)

    def extra_context(self, obj: InspectionTarget) -> dict[str, Any]:
        user = self.request.user
        return {
            "target": obj,
            "layer_url": reverse("patrols:target_layer") + f"?id={obj.pk}",
            "inspections": Inspection.objects.restrict(user, "view").filter(target=obj).order_by("-inspected_on"),
            "can_change": user.has_perm("patrols.change_inspectiontarget"),
            "can_inspect": user.has_perm("patrols.add_inspection"),
            "show_phone": user.has_perm("patrols.change_inspectiontarget"),
        }


class TargetCreateView(ObjectFormView):
    model = InspectionTarget
    permission_action = "add"
    form_class = forms.InspectionTargetForm
    service = services.inspection_target_create
    template_name = "patrols/target_form.html"
    title = gettext_lazy("登记检查对象")


class TargetUpdateView(ObjectFormView):
    model = InspectionTarget
    permission_action = "change"
    form_class = forms.InspectionTargetForm
    service = services.inspection_target_update
    template_name = "patrols/target_form.html"
    access = staticmethod(access_target_by_id)


class TargetDeleteView(ObjectDeleteView):
    model = InspectionTarget
    service = services.inspection_target_delete
    success_url_name = "patrols:target_list"
    access = staticmethod(access_target_by_id)


# --- checklist templates ---------------------------------------------------------------------------------------------


class TemplateListView(ObjectListView):
    model = ChecklistTemplate
    title = gettext_lazy("检查表模板")
    columns = (
        Column("name", gettext_lazy("名称"), link=True, order_by="name"),
        Column("target_kind", gettext_lazy("适用对象类型"), order_by="target_kind"),
        Column("item_count", gettext_lazy("检查项数"), css="text-end"),
        Column("is_active", gettext_lazy("启用"), order_by="is_active"),
        Column("updated_at", gettext_lazy("更新时间"), order_by="updated_at"),
    )
    search_fields = ("name",)
    default_ordering = ("target_kind", "-is_active", "name")
    create_url_name = "patrols:template_create"
    export_filename = "checklist-templates"

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()
        result: QuerySet[Any] = queryset.annotate(item_count=Count("items"))
        return result


class TemplateDetailView(ObjectDetailView):
    model = ChecklistTemplate
    template_name = "patrols/template_detail.html"
    access = staticmethod(access_template_by_id)

    def extra_context(self, obj: ChecklistTemplate) -> dict[str, Any]:
        can_change = ChecklistTemplate.objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists()
        return {"template": obj, "items": obj.items.all(), "can_change": can_change}


class TemplateCreateView(_InstanceFormMixin, ObjectFormView):
    model = ChecklistTemplate
    permission_action = "add"
    form_class = forms.ChecklistTemplateForm
    service = services.checklist_template_save
    title = gettext_lazy("新建检查表模板")


class TemplateUpdateView(_InstanceFormMixin, ObjectFormView):
    model = ChecklistTemplate
    permission_action = "change"
    form_class = forms.ChecklistTemplateForm
    service = services.checklist_template_save
    access = staticmethod(access_template_by_id)


# --- inspections -----------------------------------------------------------------------------------------------------


def _inspectors(inspection: Inspection) -> str:
    names = [str(u) for u in inspection.inspectors.all()]
    from wildlife.patrols.tracks import split_names

    return "、".join(names + [n for n in split_names(inspection.inspector_names) if n not in names])


class InspectionListView(ObjectListView):
    model = Inspection
    title = gettext_lazy("检查记录")
    columns = (
        Column("inspection_no", gettext_lazy("编号"), link=True, order_by="inspection_no"),
        Column("target", gettext_lazy("检查对象"), order_by="target__name"),
        Column("target_kind", gettext_lazy("对象类型"), order_by="target_kind"),
        Column("inspected_on", gettext_lazy("检查日期"), order_by="inspected_on"),
        Column("area", gettext_lazy("所属镇街"), order_by="area__sort_order"),
        Column("inspectors", gettext_lazy("检查人员"), accessor=_inspectors),
        Column("failed_items", gettext_lazy("不符合项"), order_by="failed_items", css="text-end"),
        Column("status", gettext_lazy("状态"), order_by="status"),
        Column("rectify_by", gettext_lazy("整改期限"), order_by="rectify_by"),
        Column("overdue", gettext_lazy("逾期")),
        Column("operation", gettext_lazy("专项行动")),
    )
    filterset_class = InspectionFilterSet
    search_fields = ("inspection_no", "target__name", "target__address", "findings", "inspector_names")
    search_placeholder = gettext_lazy("编号、对象名称、地址、检查发现")
    default_ordering = ("-inspected_on", "-pk")
    create_url_name = "patrols:inspection_create"
    export_filename = "inspections"

    @property
    def map_url(self) -> str:  # type: ignore[override]
        return reverse("patrols:inspection_layer")

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()
        result: QuerySet[Any] = queryset.select_related("target", "area", "operation").prefetch_related("inspectors")
        return result


class InspectionLayerView(InspectionListView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        queryset, _filterset = self.filtered()
        return _geojson(selectors.inspection_features(queryset))


class InspectionDetailView(ObjectDetailView):
    model = Inspection
    template_name = "patrols/inspection_detail.html"
    access = staticmethod(access_inspection_by_id)

    def extra_context(self, obj: Inspection) -> dict[str, Any]:
        can_change = Inspection.objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists()
        initial = {"version": obj.version}
        return {
            "inspection": obj,
            "answers": obj.answers.all(),
            "follow_ups": obj.follow_ups.select_related("created_by"),
            "files": services.attachments_of(obj),
            "can_change": can_change,
            "rectify_form": forms.RectificationForm(initial=initial),
            "follow_up_form": forms.FollowUpForm(initial={**initial, "checked_on": timezone.localdate()}),
            "close_form": forms.CloseForm(initial=initial),
            "statuses": InspectionStatus,
        }


class InspectionCreateView(PlatformPermissionMixin, View):
    """Step 1: choose the target (?target=); step 2: the checklist of its kind, findings and rectification."""

    model = Inspection
    permission_action = "add"

    def target(self, request: HttpRequest) -> InspectionTarget | None:
        raw = request.GET.get("target") or request.POST.get("target")
        return access_target_by_id(request.user, raw, action="view") if raw else None

    def render_form(self, target: InspectionTarget, form: forms.InspectionForm) -> HttpResponse:
        return render(self.request, "patrols/inspection_form.html", {"target": target, "form": form})

    def get(self, request: HttpRequest) -> HttpResponse:
        target = self.target(request)
        if target is None:
            term = request.GET.get("q", "").strip()
            targets = InspectionTarget.objects.restrict(request.user, "view").filter(is_active=True).select_related("area")
            if term:
                targets = targets.filter(name__icontains=term) | targets.filter(address__icontains=term)
            return render(request, "patrols/inspection_pick_target.html", {"targets": targets.order_by("kind", "name")[:200], "q": term})
        template = services.checklist_for_kind(target.kind)
        return self.render_form(target, forms.InspectionForm(user=request.user, template=template))

    def post(self, request: HttpRequest) -> HttpResponse:
        target = self.target(request)
        if target is None:
            return HttpResponseRedirect(reverse("patrols:inspection_create"))
        template = services.checklist_for_kind(target.kind)
        form = forms.InspectionForm(request.POST, request.FILES, user=request.user, template=template)
        if not form.is_valid():
            return self.render_form(target, form)
        try:
            inspection = services.inspection_record(actor=request.user, target=target, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "answers" in exc.error_dict:
                # shown above the checklist rather than at the top of the page
                form.answer_errors = [m for error in exc.error_dict.pop("answers") for m in error.messages]
            apply_validation_error(form, exc)
            return self.render_form(target, form)
        except OutOfScopeError as exc:
            form.add_error(None, str(exc))
            return self.render_form(target, form)
        messages.success(request, _("已登记检查 %(no)s") % {"no": inspection.inspection_no})
        return hx_redirect(request, inspection.get_absolute_url())


class InspectionUpdateView(_InstanceFormMixin, ObjectFormView):
    model = Inspection
    permission_action = "change"
    form_class = forms.InspectionEditForm
    service = services.inspection_update
    access = staticmethod(access_inspection_by_id)


class InspectionRectifyView(_ActionView):
    model = Inspection
    form_class = forms.RectificationForm

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = access_inspection_by_id(request.user, pk, action="change")
        return self.run(
            request, inspection, lambda d: services.inspection_order_rectification(actor=request.user, inspection=inspection, **d), _("已下达整改")
        )


class InspectionFollowUpView(_ActionView):
    model = Inspection
    form_class = forms.FollowUpForm

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = access_inspection_by_id(request.user, pk, action="change")
        return self.run(
            request, inspection, lambda d: services.inspection_follow_up(actor=request.user, inspection=inspection, **d), _("已登记复查")
        )


class InspectionCloseView(_ActionView):
    model = Inspection
    form_class = forms.CloseForm

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = access_inspection_by_id(request.user, pk, action="change")
        return self.run(request, inspection, lambda d: services.inspection_close(actor=request.user, inspection=inspection, **d), _("已办结"))


class InspectionPhotosView(_ActionView):
    model = Inspection
    form_class = forms.PhotosForm

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = access_inspection_by_id(request.user, pk, action="change")
        return self.run(
            request,
            inspection,
            lambda d: services.attachment_add(actor=request.user, parent=inspection, uploads=d["upload"], role=AttachmentRole.PHOTO),
            _("已上传照片"),
        )


class InspectionEscalateView(_ActionView):
    model = Inspection

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = access_inspection_by_id(request.user, pk, action="change")
        to = request.POST.get("to", "")
        return self.run(request, inspection, lambda _d: escalation.inspection_escalate(actor=request.user, inspection=inspection, to=to), _("已移交"))


# --- trainings -------------------------------------------------------------------------------------------------------


class TrainingListView(ObjectListView):
    model = TrainingSession
    title = gettext_lazy("执法培训")
    columns = (
        Column("title", gettext_lazy("培训主题"), link=True, order_by="title"),
        Column("held_on", gettext_lazy("培训日期"), order_by="held_on"),
        Column("hours", gettext_lazy("学时"), order_by="hours", css="text-end"),
        Column("trainer", gettext_lazy("授课人")),
        Column("place", gettext_lazy("地点")),
        Column("organiser", gettext_lazy("组织单位")),
        Column("area", gettext_lazy("所属区划"), order_by="area__path"),
        Column("trainee_count", gettext_lazy("参训人数"), css="text-end", order_by="trainee_count"),
    )
    filterset_class = TrainingFilterSet
    search_fields = ("title", "trainer", "place", "content")
    default_ordering = ("-held_on", "-pk")
    create_url_name = "patrols:training_create"
    export_filename = "trainings"

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()
        result: QuerySet[Any] = queryset.select_related("area", "organiser").annotate(
            trainee_count=Count("attendances", filter=Q(attendances__attended=True))
        )
        return result


class TrainingDetailView(ObjectDetailView):
    model = TrainingSession
    template_name = "patrols/training_detail.html"
    access = staticmethod(access_training_by_id)

    def extra_context(self, obj: TrainingSession) -> dict[str, Any]:
        can_change = TrainingSession.objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists()
        rows = list(obj.attendances.all())
        return {
            "session": obj,
            "attendances": rows,
            "attended": sum(1 for r in rows if r.attended),
            "materials": services.attachments_of(obj),
            "can_change": can_change,
            "attendance_form": forms.AttendanceForm(user=self.request.user),
        }


class TrainingCreateView(ObjectFormView):
    model = TrainingSession
    permission_action = "add"
    form_class = forms.TrainingSessionForm
    service = services.training_session_create
    title = gettext_lazy("登记执法培训")


class TrainingUpdateView(ObjectFormView):
    model = TrainingSession
    permission_action = "change"
    form_class = forms.TrainingSessionForm
    service = services.training_session_update
    access = staticmethod(access_training_by_id)


class TrainingDeleteView(ObjectDeleteView):
    model = TrainingSession
    service = services.training_session_delete
    success_url_name = "patrols:training_list"
    access = staticmethod(access_training_by_id)


class AttendanceAddView(_ActionView):
    model = TrainingSession

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = access_training_by_id(request.user, pk, action="change")
        form = forms.AttendanceForm(request.POST, user=request.user)
        if not form.is_valid():
            for field, errors in form.errors.items():
                for error in errors:
                    messages.error(request, f"{form.fields[field].label}：{error}" if field in form.fields else str(error))
            return hx_redirect(request, session.get_absolute_url())
        data = dict(form.cleaned_data)
        return self.run(request, session, lambda _d: services.training_attendance_add(actor=request.user, session=session, **data), _("已添加参训人员"))


class AttendanceRemoveView(_ActionView):
    model = TrainingSession

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_attendance_by_id(request.user, pk, action="change")
        session = row.session
        return self.run(request, session, lambda _d: services.training_attendance_remove(actor=request.user, attendance=row), _("已移除"))


class MaterialsAddView(_ActionView):
    model = TrainingSession
    form_class = forms.PhotosForm

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = access_training_by_id(request.user, pk, action="change")
        return self.run(
            request,
            session,
            lambda d: services.attachment_add(actor=request.user, parent=session, uploads=d["upload"], role=AttachmentRole.MATERIAL),
            _("已上传培训材料"),
        )


class TrainingHoursView(PlatformPermissionMixin, View):
    """Hours and sessions per person within the user's scope, by year; Excel export."""

    model = TrainingSession

    def get(self, request: HttpRequest) -> HttpResponse:
        form = forms.CoverageForm(request.GET or None)
        year = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None
        people = selectors.training_hours_summary(user=request.user, year=year)
        if request.GET.get("export") == "xlsx":
            from wildlife.audit.services import audit_record

            content = build_workbook(
                title=_("培训学时统计"),
                headers=[_("姓名"), _("单位"), _("参训次数"), _("累计学时")],
                rows=[[p.name, p.department, p.sessions, p.hours] for p in people],
                note=_("培训学时统计 %(y)s") % {"y": year or _("全部年份")},
            )
            audit_record(action="export", actor=request.user, object_type="patrols.trainingattendance", detail={"format": "xlsx", "rows": len(people)})
            response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
            response["Content-Disposition"] = 'attachment; filename="training-hours.xlsx"'
            return response
        return render(request, "patrols/training_hours.html", {"people": people, "year": year, "form": form, "querystring": request.GET.urlencode()})


# --- personnel and equipment -----------------------------------------------------------------------------------------


class OfficerListView(ObjectListView):
    model = EnforcementOfficer
    title = gettext_lazy("执法人员")
    columns = (
        Column("name", gettext_lazy("姓名"), link=True, order_by="name"),
        Column("department", gettext_lazy("所在单位"), order_by="department__sort_order"),
        Column("position", gettext_lazy("职务")),
        Column("certificate_masked", gettext_lazy("执法证号")),
        Column("certificate_valid_until", gettext_lazy("有效期至"), order_by="certificate_valid_until"),
        Column("certificate_warning", gettext_lazy("到期提醒")),
        Column("is_active", gettext_lazy("在岗"), order_by="is_active"),
    )
    filterset_class = OfficerFilterSet
    search_fields = ("name", "position")
    default_ordering = ("department__sort_order", "name")
    create_url_name = "patrols:officer_create"
    import_url_name = "patrols:officer_import"
    export_filename = "enforcement-officers"

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()
        result: QuerySet[Any] = queryset.select_related("department").defer("certificate_no")
        return result


class OfficerImportView(ObjectImportView):
    """Enforcement officers from Excel/CSV (certificate numbers encrypted by the service)."""

    spec = OFFICER_IMPORT
    list_url_name = "patrols:officer_list"


class OfficerDetailView(ObjectDetailView):
    model = EnforcementOfficer
    template_name = "patrols/officer_detail.html"
    access = staticmethod(access_officer_by_id)

    def extra_context(self, obj: EnforcementOfficer) -> dict[str, Any]:
        can_change = EnforcementOfficer.objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists()
        return {
            "officer": obj,
            "equipment": Equipment.objects.restrict(self.request.user, "view").filter(holder=obj),
            "can_change": can_change,
            "reveal_form": forms.RevealForm(),
            "revealed": None,
        }


class OfficerRevealView(PlatformPermissionMixin, View):
    """Show the full certificate number once, after a reason (audited)."""

    model = EnforcementOfficer
    permission_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        officer = access_officer_by_id(request.user, pk, action="change")
        form = forms.RevealForm(request.POST)
        revealed = None
        if form.is_valid():
            try:
                revealed = services.officer_certificate_reveal(actor=request.user, officer=officer, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
        view = OfficerDetailView()
        view.request = request
        context = {"object": officer, "history": [], "view": view, **view.extra_context(officer), "reveal_form": form, "revealed": revealed}
        from wildlife.audit.selectors import object_history

        context["history"] = object_history(officer)
        response = render(request, "patrols/officer_detail.html", context)
        response["Cache-Control"] = "no-store"
        return response


class OfficerCreateView(ObjectFormView):
    model = EnforcementOfficer
    permission_action = "add"
    form_class = forms.OfficerForm
    service = services.officer_create
    title = gettext_lazy("登记执法人员")


class OfficerUpdateView(ObjectFormView):
    model = EnforcementOfficer
    permission_action = "change"
    form_class = forms.OfficerForm
    service = services.officer_update
    access = staticmethod(access_officer_by_id)


class OfficerDeleteView(ObjectDeleteView):
    model = EnforcementOfficer
    service = services.officer_delete
    success_url_name = "patrols:officer_list"
    access = staticmethod(access_officer_by_id)


class EquipmentListView(ObjectListView):
    model = Equipment
    title = gettext_lazy("执法装备")
    columns = (
        Column("kind", gettext_lazy("类别"), link=True, order_by="kind"),
        Column("model_name", gettext_lazy("型号"), order_by="model_name"),
        Column("serial_no", gettext_lazy("编号/序列号"), order_by="serial_no"),
        Column("holder", gettext_lazy("保管人"), order_by="holder__name"),
        Column("area", gettext_lazy("所属区划"), order_by="area__path"),
        Column("status", gettext_lazy("状态"), order_by="status"),
        Column("last_checked_on", gettext_lazy("上次检查"), order_by="last_checked_on"),
        Column("next_check_on", gettext_lazy("下次检查"), order_by="next_check_on"),
        Column("check_due", gettext_lazy("待检查")),
    )
    filterset_class = EquipmentFilterSet
    search_fields = ("model_name", "serial_no", "holder__name")
    default_ordering = ("kind", "model_name", "serial_no")
    create_url_name = "patrols:equipment_create"
    import_url_name = "patrols:equipment_import"
    export_filename = "enforcement-equipment"

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()
        result: QuerySet[Any] = queryset.select_related("holder", "area")
        return result


class EquipmentImportView(ObjectImportView):
    """Enforcement equipment from Excel/CSV."""

    spec = EQUIPMENT_IMPORT
    list_url_name = "patrols:equipment_list"


class EquipmentDetailView(ObjectDetailView):
    model = Equipment
    template_name = "patrols/equipment_detail.html"
    access = staticmethod(access_equipment_by_id)

    def extra_context(self, obj: Equipment) -> dict[str, Any]:
        return {"item": obj, "can_change": Equipment.objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists()}


class EquipmentCreateView(ObjectFormView):
    model = Equipment
    permission_action = "add"
    form_class = forms.EquipmentForm
    service = services.equipment_create
    title = gettext_lazy("登记执法装备")


class EquipmentUpdateView(ObjectFormView):
    model = Equipment
    permission_action = "change"
    form_class = forms.EquipmentForm
    service = services.equipment_update
    access = staticmethod(access_equipment_by_id)


class EquipmentDeleteView(ObjectDeleteView):
    model = Equipment
    service = services.equipment_delete
    success_url_name = "patrols:equipment_list"
    access = staticmethod(access_equipment_by_id)


# --- files -----------------------------------------------------------------------------------------------------------


class AttachmentDownloadView(View):
    """A photo or material, only to users who may see the record it belongs to."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return HttpResponseRedirect(reverse("accounts:login") + "?next=" + request.path)
        attachment = access_attachment_by_id(request.user, pk, action="view")
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.mime_type, as_attachment=not attachment.is_image, filename=attachment.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=300"
        return response


class AttachmentDeleteView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.is_authenticated:
            return HttpResponseRedirect(reverse("accounts:login"))
        attachment = access_attachment_by_id(request.user, pk, action="change")
        parent = attachment.parent
        services.attachment_delete(actor=request.user, attachment=attachment)
        messages.success(request, _("已删除文件"))
        return hx_redirect(request, parent.get_absolute_url() if parent is not None else reverse("core:home"))


