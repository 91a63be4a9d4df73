"""Disease pages. Each view is an access check, a service call and a response."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from wildlife.audit.services import audit_record
from wildlife.core.exceptions import ConflictError, OutOfScopeError
from wildlife.core.querysets import model_permission
from wildlife.core.tables import Column
from wildlife.core.views import (
    ObjectDetailView,
    ObjectFormView,
    ObjectImportView,
    ObjectListView,
    PlatformPermissionMixin,
    apply_validation_error,
)
from wildlife.disease import forms as f
from wildlife.disease import selectors, services
from wildlife.disease.access import (
    access_alert_by_id,
    access_event_by_id,
    access_notification_by_id,
    access_report_by_id,
    access_sample_by_id,
    access_station_by_id,
    access_step_by_id,
)
from wildlife.disease.choices import GRADE_COLOURS, AlertStatus, ComplianceStatus, EventStatus
from wildlife.disease.filtersets import AlertFilterSet, EventFilterSet, ReportFilterSet, StationFilterSet
from wildlife.disease.imports import STATION_IMPORT
from wildlife.disease.models import (
    Alert,
    ChainRule,
    ClusterRule,
    DailyReport,
    Equipment,
    EventPhoto,
    GradingRule,
    KeyPeriod,
    MortalityEvent,
    ObservationPoint,
    PatrolRoute,
    ReportingRule,
    Station,
)

RULE_MODELS: dict[str, Any] = {"keyperiod": KeyPeriod, "reportingrule": ReportingRule, "gradingrule": GradingRule, "chainrule": ChainRule, "clusterrule": ClusterRule}


def _errors(form: BaseForm) -> list[str]:
    return [f"{form.fields[name].label if name in form.fields else ''}: {e}".lstrip(": ") for name, errs in form.errors.items() for e in errs]


def _exc_messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for errs in exc.message_dict.values() for m in errs]
    return [str(m) for m in exc.messages]


class _PostAction(PlatformPermissionMixin, View):
    """A small POST from a detail page: errors and successes come back as messages on that page."""

    permission_action = "change"

    def back(self, url: str, *, ok: str | None = None, errors: Sequence[str] = ()) -> HttpResponse:
        for error in errors:
            messages.error(self.request, error)
        if ok and not errors:
            messages.success(self.request, ok)
        return HttpResponseRedirect(url)

    def run(self, url: str, ok: str, call: Any) -> HttpResponse:
        try:
            call()
        except ValidationError as exc:
            return self.back(url, errors=_exc_messages(exc))
        except ConflictError as exc:
            return self.back(url, errors=[exc.message])
        except OutOfScopeError as exc:
            return self.back(url, errors=[str(exc)])
        return self.back(url, ok=ok)


# === overview, compliance, map ==================================================================================


class OverviewView(PlatformPermissionMixin, View):
    """District–town linkage: the live map of stations (today's reporting status) and open events (by grade)."""

    model = Station

    def get(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now()
        board = selectors.compliance_for_date(user=request.user, day=selectors.status_day(now), now=now)
        alerts = list(selectors.alert_list(user=request.user).exclude(status=AlertStatus.CLOSED)[:10])
        events = list(selectors.event_list(user=request.user).exclude(status=EventStatus.CLOSED)[:10])
        return render(
            request,
            "disease/overview.html",
            {
                "board": board,
                "alerts": alerts,
                "events": events,
                "status_colours": [(ComplianceStatus(k).label, v) for k, v in selectors.STATUS_COLOURS.items() if k != ComplianceStatus.NOT_EXPECTED],
                "grade_colours": [(MortalityEvent(grade=g).get_grade_display() or _("未分级"), c) for g, c in GRADE_COLOURS.items()],
            },
        )


class MapLayerView(PlatformPermissionMixin, View):
    model = Station

    def get(self, request: HttpRequest) -> HttpResponse:
        station = None
        if request.GET.get("station"):
            station = access_station_by_id(request.user, request.GET["station"])
        return JsonResponse(selectors.map_layer(user=request.user, station_only=station), content_type="application/geo+json")


class ComplianceView(PlatformPermissionMixin, View):
    """For a date: which stations reported (on time / late), which are missing or pending, by town; monthly rates."""

    model = DailyReport

    def get(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now()
        day = parse_date(request.GET.get("date", "") or "") or selectors.status_day(now)
        board = selectors.compliance_for_date(user=request.user, day=day, now=now)
        context: dict[str, Any] = {
            "board": board,
            "day": day,
            "prev_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "today": timezone.localtime(now).date(),
            "can_add": request.user.has_perm("disease.add_dailyreport"),
        }
        if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "board":
            return render(request, "disease/compliance.html#board", context)
        monthly = selectors.compliance_monthly(user=request.user, months=12, now=now)
        context.update({"monthly": monthly, "chart_option": selectors.compliance_chart_option(monthly)})
        return render(request, "disease/compliance.html", context)


# === stations ===================================================================================================


def _town_names(obj: Station) -> str:
    return "、".join(a.name for a in obj.covered_areas.all())


class StationListView(ObjectListView):
    model = Station
    title = gettext_lazy("监测站")
    columns = (
        Column("name", gettext_lazy("站点名称"), link=True, order_by="name"),
        Column("level", gettext_lazy("级别"), order_by="level"),
        Column("area", gettext_lazy("所在镇街"), order_by="area__name"),
        Column("covered", gettext_lazy("监测范围"), accessor=_town_names),
        Column("responsible", gettext_lazy("责任人")),
        Column("established_on", gettext_lazy("建站日期"), order_by="established_on"),
        Column("is_active", gettext_lazy("在用"), order_by="is_active"),
    )
    search_fields = ("name", "code", "address", "habitat")
    filterset_class = StationFilterSet
    create_url_name = "disease:station_create"
    import_url_name = "disease:station_excel_import"
    default_ordering = ("name", "pk")
    export_filename = "monitoring-stations"

    @property
    def map_url(self) -> str:  # type: ignore[override]
        return reverse("disease:map_layer")

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("area", "responsible").prefetch_related("covered_areas")


class StationRegisterImportView(ObjectImportView):
    """Stations from Excel/CSV (template, upload, result); the town of each comes from its coordinates."""

    spec = STATION_IMPORT
    list_url_name = "disease:station_list"


class StationDetailView(ObjectDetailView):
    model = Station
    template_name = "disease/station_detail.html"
    access = staticmethod(access_station_by_id)

    def extra_context(self, obj: Station) -> dict[str, Any]:
        user = self.request.user
        now = timezone.now()
        period = selectors.period_for_day(timezone.localtime(now).date())
        current = DailyReport.objects.restrict(user, "view").filter(station=obj, date=period.start).first()
        can_change = Station.objects.restrict(user, "change").filter(pk=obj.pk).exists()
        return {
            "routes": list(obj.routes.all()),
            "points": list(obj.points.all()),
            "equipment": list(obj.equipment.all()),
            "coverage": list(obj.covered_areas.all()),
            "reports": selectors.station_detail_reports(user=user, station=obj),
            "events": selectors.station_events(user=user, station=obj),
            "period": period,
            "current": current,
            "can_change": can_change,
            "can_edit_parts": can_change and user.has_perm("disease.add_patrolroute"),
            "can_report": user.has_perm("disease.add_dailyreport"),
            "route_form": f.RouteForm(),
            "point_form": f.PointForm(),
            "import_form": f.FeatureImportForm(),
            "equipment_form": f.EquipmentForm(),
            "layer_url": reverse("disease:map_layer") + f"?station={obj.pk}",
        }


class StationFormView(ObjectFormView):
    model = Station
    form_class = f.StationForm
    template_name = "disease/station_form.html"
    access = staticmethod(access_station_by_id)

    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> BaseForm:
        return f.StationForm(data=data, files=files, instance=obj, user=self.request.user)


class StationCreateView(StationFormView):
    permission_action = "add"
    service = staticmethod(services.station_create)
    title = gettext_lazy("新建监测站")


class StationUpdateView(StationFormView):
    permission_action = "change"
    service = staticmethod(services.station_update)


class _StationPart(_PostAction):
    model = PatrolRoute
    permission_action = "add"

    def station(self, pk: int) -> Station:
        return access_station_by_id(self.request.user, pk, action="change")


class StationRouteAddView(_StationPart):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        station = self.station(pk)
        form = f.RouteForm(request.POST)
        if not form.is_valid():
            return self.back(station.get_absolute_url(), errors=_errors(form))
        return self.run(station.get_absolute_url(), _("已添加巡查路线"), lambda: services.station_route_add(actor=request.user, station=station, **form.cleaned_data))


class StationPointAddView(_StationPart):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        station = self.station(pk)
        form = f.PointForm(request.POST)
        if not form.is_valid():
            return self.back(station.get_absolute_url(), errors=_errors(form))
        return self.run(station.get_absolute_url(), _("已添加固定监测点"), lambda: services.station_point_add(actor=request.user, station=station, **form.cleaned_data))


class StationImportView(_StationPart):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        station = self.station(pk)
        form = f.FeatureImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.back(station.get_absolute_url(), errors=_errors(form))
        upload = form.cleaned_data["file"]
        content = upload.read(services.MAX_FEATURE_FILE_BYTES + 1)
        result: dict[str, tuple[int, int]] = {}

        def call() -> None:
            result["n"] = services.station_features_import(actor=request.user, station=station, content=content, filename=upload.name)

        response = self.run(station.get_absolute_url(), "", call)
        if "n" in result:
            messages.success(request, _("已导入路线 %(r)d 条、监测点 %(p)d 个") % {"r": result["n"][0], "p": result["n"][1]})
        return response


class StationFeatureRemoveView(_StationPart):
    permission_action = "delete"

    def post(self, request: HttpRequest, pk: int, kind: str, feature_id: int) -> HttpResponse:
        station = self.station(pk)
        model: Any = {"route": PatrolRoute, "point": ObservationPoint, "equipment": Equipment}.get(kind)
        if model is None:
            raise Http404
        feature = model.objects.filter(pk=feature_id, station=station).first()
        if feature is None:
            raise Http404
        if kind == "equipment":
            return self.run(station.get_absolute_url(), _("已删除"), lambda: services.station_equipment_remove(actor=request.user, station=station, item=feature))
        return self.run(station.get_absolute_url(), _("已删除"), lambda: services.station_feature_remove(actor=request.user, station=station, feature=feature))


class StationEquipmentView(_StationPart):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        station = self.station(pk)
        form = f.EquipmentForm(request.POST)
        if not form.is_valid():
            return self.back(station.get_absolute_url(), errors=_errors(form))
        return self.run(station.get_absolute_url(), _("已保存设备"), lambda: services.station_equipment_set(actor=request.user, station=station, **form.cleaned_data))


# === reports ====================================================================================================


def _period_text(obj: DailyReport) -> str:
    return str(obj)


class ReportListView(ObjectListView):
    model = DailyReport
    title = gettext_lazy("监测报告")
    columns = (
        Column("date", gettext_lazy("报告期起"), link=True, order_by="date"),
        Column("period_end", gettext_lazy("报告期止"), order_by="period_end"),
        Column("period_kind", gettext_lazy("类型"), order_by="period_kind"),
        Column("station", gettext_lazy("监测站"), order_by="station__name"),
        Column("area", gettext_lazy("镇街"), order_by="area__name"),
        Column("is_zero_report", gettext_lazy("零报告"), order_by="is_zero_report"),
        Column("route_km", gettext_lazy("里程(公里)"), order_by="route_km"),
        Column("first_submitted_at", gettext_lazy("提交时间"), order_by="first_submitted_at"),
        Column("late", gettext_lazy("逾期"), order_by="late"),
        Column("submitted_by", gettext_lazy("填报人")),
    )
    search_fields = ("station__name", "notes", "observers")
    filterset_class = ReportFilterSet
    create_url_name = "disease:report_start"
    default_ordering = ("-date", "station__name", "pk")
    export_filename = "monitoring-reports"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("station", "area", "submitted_by")


class ReportStartView(PlatformPermissionMixin, View):
    """The field entry point (phone first): the user's stations with the current period, a one-click zero report and
    a link to the full form."""

    model = DailyReport
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now()
        today = timezone.localtime(now).date()
        rows: list[tuple[Any, dt.date]] = []
        for day in (today, today - dt.timedelta(days=1)):
            board = selectors.compliance_for_date(user=request.user, day=day, now=now)
            for row in board.rows:
                if row.status == ComplianceStatus.NOT_EXPECTED:
                    continue
                if any(r[0].station.pk == row.station.pk and r[0].period.start == row.period.start for r in rows):
                    continue
                rows.append((row, day))
        return render(request, "disease/report_start.html", {"rows": rows, "today": today})


class ReportZeroView(_PostAction):
    model = DailyReport
    permission_action = "add"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        station = access_station_by_id(request.user, pk, action="view")
        day = parse_date(request.POST.get("date", "") or "") or timezone.localdate()
        back = request.POST.get("next") or reverse("disease:report_start")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("disease:report_start")
        return self.run(back, _("已提交零报告：%(s)s") % {"s": station.name}, lambda: services.daily_report_zero(actor=request.user, station=station, date=day))


class ReportFormView(PlatformPermissionMixin, View):
    """The full report: period, route walked, what was seen (sick or dead animals raise a 快报)."""

    model = DailyReport
    permission_action = "add"

    def render_form(self, station: Station, form: f.ReportForm, formset: Any, report: DailyReport | None, status: int = 200) -> HttpResponse:
        return render(self.request, "disease/report_form.html", {"station": station, "form": form, "formset": formset, "report": report}, status=status)

    def forms_for(self, station: Station, report: DailyReport | None, data: Any = None) -> tuple[f.ReportForm, Any]:
        initial: dict[str, Any] = {"date": parse_date(self.request.GET.get("date", "") or "") or timezone.localdate()}
        findings_initial: list[dict[str, Any]] = []
        if report is not None:
            initial = {k: getattr(report, k) for k in ("date", "is_zero_report", "route", "route_km", "observers", "weather", "notes", "version")}
            for key in ("patrol_started_at", "patrol_ended_at"):
                value = getattr(report, key)
                initial[key] = timezone.localtime(value) if value else None
            findings_initial = [
                {"group": x.group, "species": x.species, "species_text": x.species_text, "count": x.count, "sick": x.sick, "dead": x.dead, "notes": x.notes}
                for x in report.findings.all()
            ]
        form = f.ReportForm(data=data, initial=initial, station=station)
        formset = f.FindingFormSet(data=data, initial=findings_initial or None, prefix="findings")
        return form, formset

    def post_common(self, station: Station, report: DailyReport | None) -> HttpResponse:
        form, formset = self.forms_for(station, report, self.request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return self.render_form(station, form, formset, report)
        findings = [
            services.FindingInput(**{k: v for k, v in row.items() if k in ("group", "species", "species_text", "count", "sick", "dead", "notes")})
            for row in formset.cleaned_data
            if row and (row.get("species") or row.get("species_text")) and (row.get("count") or row.get("sick") or row.get("dead"))
        ]
        data = dict(form.cleaned_data)
        if report is None:
            data["version"] = None
        try:
            saved = services.daily_report_submit(actor=self.request.user, station=station, findings=findings, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(station, form, formset, report)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            if exc.code == "report_exists" and exc.current.get("id"):
                form.add_error(None, _("请打开已提交的报告进行修改。"))
            return self.render_form(station, form, formset, report, status=409 if getattr(self.request, "htmx", False) else 200)
        except OutOfScopeError as exc:
            form.add_error(None, str(exc))
            return self.render_form(station, form, formset, report)
        messages.success(self.request, _("报告已提交（逾期补报）") if saved.late else _("报告已提交"))
        if saved.events.exists():
            messages.warning(self.request, _("报告含异常或死亡个体，已生成快报事件，请补充现场处置与采样信息。"))
        return HttpResponseRedirect(saved.get_absolute_url())


class ReportCreateView(ReportFormView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        station = access_station_by_id(request.user, pk, action="view")
        day = parse_date(request.GET.get("date", "") or "") or timezone.localdate()
        existing = DailyReport.objects.restrict(request.user, "change").filter(station=station, date=selectors.period_for_day(day).start).first()
        if existing is not None:
            messages.info(request, _("本期报告已提交，可在此修改。"))
            return HttpResponseRedirect(reverse("disease:report_update", args=[existing.pk]))
        form, formset = self.forms_for(station, None)
        return self.render_form(station, form, formset, None)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        station = access_station_by_id(request.user, pk, action="view")
        return self.post_common(station, None)


class ReportUpdateView(ReportFormView):
    permission_action = "change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = access_report_by_id(request.user, pk, action="change")
        form, formset = self.forms_for(report.station, report)
        return self.render_form(report.station, form, formset, report)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = access_report_by_id(request.user, pk, action="change")
        return self.post_common(report.station, report)


class ReportDetailView(ObjectDetailView):
    model = DailyReport
    template_name = "disease/report_detail.html"
    access = staticmethod(access_report_by_id)

    def extra_context(self, obj: DailyReport) -> dict[str, Any]:
        return {
            "findings": list(obj.findings.select_related("species")),
            "events": list(MortalityEvent.objects.restrict(self.request.user, "view").filter(report=obj)),
            "can_change": DailyReport.objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists(),
        }


# === events =====================================================================================================


def _species_text(obj: MortalityEvent) -> str:
    return "、".join(f"{line.species.name_zh}({line.sick}/{line.dead})" for line in obj.species_lines.all())


class EventListView(ObjectListView):
    model = MortalityEvent
    title = gettext_lazy("疫情事件")
    columns = (
        Column("event_no", gettext_lazy("编号"), link=True, order_by="event_no"),
        Column("detected_at", gettext_lazy("首次发现"), order_by="detected_at"),
        Column("area", gettext_lazy("镇街"), order_by="area__name"),
        Column("place_name", gettext_lazy("地点")),
        Column("species", gettext_lazy("物种(病/死)"), accessor=_species_text),
        Column("dead", gettext_lazy("死亡合计"), accessor=lambda o: o.dead_total),
        Column("grade", gettext_lazy("等级"), order_by="grade"),
        Column("status", gettext_lazy("状态"), order_by="status"),
        Column("source", gettext_lazy("来源"), order_by="source"),
    )
    search_fields = ("event_no", "place_name", "signs", "source_ref", "final_diagnosis")
    filterset_class = EventFilterSet
    create_url_name = "disease:event_create"
    default_ordering = ("-detected_at", "pk")
    export_filename = "mortality-events"

    @property
    def map_url(self) -> str:  # type: ignore[override]
        return reverse("disease:map_layer")

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("area", "station").prefetch_related("species_lines__species")


def _species_counts(formset: Any) -> list[services.SpeciesCount]:
    return [
        services.SpeciesCount(row["species"], row.get("sick") or 0, row.get("dead") or 0, row.get("local_population"))
        for row in formset.cleaned_data
        if row and row.get("species")
    ]


class EventCreateView(PlatformPermissionMixin, View):
    model = MortalityEvent
    permission_action = "add"

    def render_form(self, form: Any, formset: Any) -> HttpResponse:
        return render(self.request, "disease/event_form.html", {"form": form, "formset": formset, "title": _("填报疫情事件（快报）")})

    def get(self, request: HttpRequest) -> HttpResponse:
        initial: dict[str, Any] = {"detected_at": timezone.localtime().replace(second=0, microsecond=0)}
        source = request.GET.get("source")
        if source:
            initial["source"] = source
        if request.GET.get("station"):
            station = access_station_by_id(request.user, request.GET["station"])
            initial.update(station=station, location=station.location.json, place_name=station.name)
        return self.render_form(f.EventForm(initial=initial, user=request.user), f.SpeciesLineFormSet(prefix="species"))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = f.EventForm(request.POST, user=request.user)
        formset = f.SpeciesLineFormSet(request.POST, prefix="species")
        if not (form.is_valid() and formset.is_valid()):
            return self.render_form(form, formset)
        try:
            event = services.event_report(actor=request.user, species=_species_counts(formset), **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(form, formset)
        except OutOfScopeError as exc:
            form.add_error(None, str(exc))
            return self.render_form(form, formset)
        messages.success(request, _("快报已提交：%(no)s（%(grade)s）") % {"no": event.event_no, "grade": event.get_grade_display() or _("未达分级阈值")})
        return HttpResponseRedirect(event.get_absolute_url())


class EventUpdateView(PlatformPermissionMixin, View):
    model = MortalityEvent
    permission_action = "change"

    def render_form(self, event: MortalityEvent, form: Any, formset: Any) -> HttpResponse:
        return render(self.request, "disease/event_form.html", {"form": form, "formset": formset, "object": event, "title": _("修改事件 %(no)s") % {"no": event.event_no}})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = access_event_by_id(request.user, pk, action="change")
        form = f.EventEditForm(
            initial={
                "place_name": event.place_name,
                "detected_at": timezone.localtime(event.detected_at),
                "signs": event.signs,
                "source_ref": event.source_ref,
                "location": event.location.json,
                "version": event.version,
            }
        )
        lines = [{"species": x.species, "sick": x.sick, "dead": x.dead, "local_population": x.local_population} for x in event.species_lines.all()]
        return self.render_form(event, form, f.SpeciesLineFormSet(initial=lines, prefix="species"))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = access_event_by_id(request.user, pk, action="change")
        form = f.EventEditForm(request.POST)
        formset = f.SpeciesLineFormSet(request.POST, prefix="species")
        if not (form.is_valid() and formset.is_valid()):
            return self.render_form(event, form, formset)
        try:
            services.event_update(actor=request.user, event=event, species=_species_counts(formset), **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(event, form, formset)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            return self.render_form(event, form, formset)
        messages.success(request, _("已保存"))
        return HttpResponseRedirect(event.get_absolute_url())


class EventDetailView(ObjectDetailView):
    model = MortalityEvent
    template_name = "disease/event_detail.html"
    access = staticmethod(access_event_by_id)

    def extra_context(self, obj: MortalityEvent) -> dict[str, Any]:
        user = self.request.user
        can_change = MortalityEvent.objects.restrict(user, "change").filter(pk=obj.pk).exists()
        now = timezone.now()
        return {
            "now": now,
            "lines": list(obj.species_lines.select_related("species")),
            "steps": [(step, step.is_overdue(now)) for step in obj.steps.all()],
            "samples": list(obj.samples.prefetch_related("custody", "results").select_related("species")),
            "documents": list(obj.documents.all()),
            "photos": list(obj.photos.all()),
            "supplies": list(obj.supplies.all()),
            "dispatches": list(obj.dispatches.all()),
            "timeline": list(obj.timeline.select_related("actor")),
            "alerts": list(Alert.objects.restrict(user, "view").filter(events=obj).distinct()),
            "can_change": can_change and obj.status != EventStatus.CLOSED,
            "can_sample": can_change and user.has_perm("disease.add_sample") and obj.status != EventStatus.CLOSED,
            "can_result": can_change and user.has_perm("disease.add_labresult") and obj.status != EventStatus.CLOSED,
            "measures_form": f.MeasuresForm(initial={k: getattr(obj, k) for k in ("isolation", "no_touching", "disinfection", "carcass_collected", "measures_note", "version")}),
            "suspect_form": f.SuspectForm(),
            "close_form": f.CloseForm(),
            "photo_form": f.PhotoForm(),
            "sample_form": f.SampleForm(initial={"taken_at": timezone.localtime(now).replace(second=0, microsecond=0)}),
            "custody_form": f.CustodyForm(),
            "result_form": f.LabResultForm(event=obj),
            "supply_form": f.SupplyForm(),
            "dispatch_form": f.DispatchForm(),
            "step_form": f.StepCompleteForm(),
            "can_suspect": can_change and obj.status in (EventStatus.REPORTED, EventStatus.RESPONDING),
            "can_close": can_change and obj.status != EventStatus.CLOSED,
        }


class _EventAction(_PostAction):
    model = MortalityEvent
    form_class: Any = None

    def event(self, pk: int) -> MortalityEvent:
        return access_event_by_id(self.request.user, pk, action="change")

    def form(self, event: MortalityEvent) -> Any:
        return self.form_class(self.request.POST, self.request.FILES)


class EventMeasuresView(_EventAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.event(pk)
        form = f.MeasuresForm(request.POST)
        if not form.is_valid():
            return self.back(event.get_absolute_url(), errors=_errors(form))
        return self.run(event.get_absolute_url(), _("已保存现场处置"), lambda: services.event_measures_update(actor=request.user, event=event, **form.cleaned_data))


class EventStepCompleteView(_EventAction):
    def post(self, request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
        event = self.event(pk)
        step = access_step_by_id(request.user, step_id, event=event)
        form = f.StepCompleteForm(request.POST)
        form.is_valid()
        return self.run(event.get_absolute_url(), _("已记录报告完成"), lambda: services.event_step_complete(actor=request.user, step=step, note=form.cleaned_data.get("note", "")))


class EventSuspectView(_EventAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.event(pk)
        form = f.SuspectForm(request.POST)
        if not form.is_valid():
            return self.back(event.get_absolute_url(), errors=_errors(form))
        return self.run(
            event.get_absolute_url(), _("已标记疑似疫情，已生成致区农业农村局的通报函"), lambda: services.event_mark_suspected(actor=request.user, event=event, **form.cleaned_data)
        )


class EventCloseView(_EventAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.event(pk)
        form = f.CloseForm(request.POST)
        if not form.is_valid():
            return self.back(event.get_absolute_url(), errors=_errors(form))
        return self.run(event.get_absolute_url(), _("事件已结案"), lambda: services.event_close(actor=request.user, event=event, **form.cleaned_data))


class EventPhotoAddView(_EventAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.event(pk)
        form = f.PhotoForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.back(event.get_absolute_url(), errors=_errors(form))
        upload = form.cleaned_data["photo"]
        content = upload.read(services.MAX_PHOTO_BYTES + 1)
        return self.run(
            event.get_absolute_url(),
            _("已上传照片"),
            lambda: services.event_photo_add(actor=request.user, event=event, content=content, filename=upload.name, caption=form.cleaned_data["caption"]),
        )


class EventSampleAddView(_EventAction):
    extra_permissions = ("disease.add_sample",)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.event(pk)
        form = f.SampleForm(request.POST)
        if not form.is_valid():
            return self.back(event.get_absolute_url(), errors=_errors(form))
        return self.run(event.get_absolute_url(), _("已登记样品"), lambda: services.sample_add(actor=request.user, event=event, **form.cleaned_data))


class EventCustodyAddView(_EventAction):
    extra_permissions = ("disease.change_sample",)

    def post(self, request: HttpRequest, pk: int, sample_id: int) -> HttpResponse:
        event = self.event(pk)
        sample = access_sample_by_id(request.user, sample_id, event=event, action="change")
        form = f.CustodyForm(request.POST)
        if not form.is_valid():
            return self.back(event.get_absolute_url(), errors=_errors(form))
        return self.run(event.get_absolute_url(), _("已登记交接"), lambda: services.sample_custody_add(actor=request.user, sample=sample, **form.cleaned_data))


class EventLabResultAddView(_EventAction):
    extra_permissions = ("disease.add_labresult",)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.event(pk)
        form = f.LabResultForm(request.POST, event=event)
        if not form.is_valid():
            return self.back(event.get_absolute_url(), errors=_errors(form))
        data = dict(form.cleaned_data)
        sample = access_sample_by_id(request.user, data.pop("sample").pk, event=event, action="view")
        return self.run(event.get_absolute_url(), _("已登记检测结果"), lambda: services.lab_result_add(actor=request.user, sample=sample, **data))


class EventSupplyAddView(_EventAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.event(pk)
        form = f.SupplyForm(request.POST)
        if not form.is_valid():
            return self.back(event.get_absolute_url(), errors=_errors(form))
        return self.run(event.get_absolute_url(), _("已登记物资"), lambda: services.event_supply_add(actor=request.user, event=event, **form.cleaned_data))


class EventDispatchAddView(_EventAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.event(pk)
        form = f.DispatchForm(request.POST)
        if not form.is_valid():
            return self.back(event.get_absolute_url(), errors=_errors(form))
        return self.run(event.get_absolute_url(), _("已登记队伍派遣"), lambda: services.event_dispatch_add(actor=request.user, event=event, **form.cleaned_data))


class EventFileView(PlatformPermissionMixin, View):
    """A photo or document of an event, after the scope check (there is no public media URL); documents are audited
    as exports."""

    model = MortalityEvent

    def get(self, request: HttpRequest, pk: int, kind: str, file_id: int) -> Any:
        event = access_event_by_id(request.user, pk)
        if kind == "photo":
            item: Any = EventPhoto.objects.filter(pk=file_id, event=event).first()
            content_type = item.content_type if item else ""
        elif kind == "document":
            item = event.documents.filter(pk=file_id).first()
            content_type = "application/pdf"
        else:
            raise Http404
        if item is None or not item.file:
            raise Http404
        if kind == "document":
            audit_record(action="export", actor=request.user, obj=event, detail={"document": item.number})
        response = FileResponse(item.file.open("rb"), content_type=content_type)
        name = f"{item.number}.pdf" if kind == "document" else item.file.name.rsplit("/", 1)[-1]
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
        return response


# === alerts =====================================================================================================


class AlertListView(ObjectListView):
    model = Alert
    title = gettext_lazy("预警")
    columns = (
        Column("title", gettext_lazy("预警"), link=True),
        Column("kind", gettext_lazy("类型"), order_by="kind"),
        Column("level", gettext_lazy("级别"), order_by="level"),
        Column("raised_at", gettext_lazy("发出时间"), order_by="raised_at"),
        Column("area", gettext_lazy("镇街"), order_by="area__name"),
        Column("status", gettext_lazy("状态"), order_by="status"),
        Column("acknowledged_by", gettext_lazy("确认人")),
    )
    search_fields = ("title", "detail", "group_name")
    filterset_class = AlertFilterSet
    default_ordering = ("-raised_at", "pk")
    export_filename = "alerts"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("area", "acknowledged_by")


class AlertDetailView(ObjectDetailView):
    model = Alert
    template_name = "disease/alert_detail.html"
    access = staticmethod(access_alert_by_id)

    def extra_context(self, obj: Alert) -> dict[str, Any]:
        user = self.request.user
        return {
            "events": list(MortalityEvent.objects.restrict(user, "view").filter(cluster_alerts=obj).prefetch_related("species_lines__species")),
            "follow_ups": list(obj.follow_ups.select_related("by")),
            "can_change": Alert.objects.restrict(user, "change").filter(pk=obj.pk).exists() and obj.status != AlertStatus.CLOSED,
            "follow_form": f.FollowUpForm(),
        }


class AlertAcknowledgeView(_PostAction):
    model = Alert

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        alert = access_alert_by_id(request.user, pk, action="change")
        return self.run(alert.get_absolute_url(), _("已确认预警"), lambda: services.alert_acknowledge(actor=request.user, alert=alert))


class AlertFollowUpView(_PostAction):
    model = Alert

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        alert = access_alert_by_id(request.user, pk, action="change")
        form = f.FollowUpForm(request.POST)
        if not form.is_valid():
            return self.back(alert.get_absolute_url(), errors=_errors(form))
        return self.run(alert.get_absolute_url(), _("已记录跟进"), lambda: services.alert_follow_up(actor=request.user, alert=alert, **form.cleaned_data))


# === notifications ==============================================================================================


class NotificationListView(View):
    """The bell: the user's own notifications, unread first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return HttpResponseRedirect(reverse("accounts:login") + f"?next={request.path}")
        items = list(selectors.notification_list(user=request.user)[:200])
        return render(request, "disease/notifications.html", {"items": items, "unread": sum(1 for n in items if n.read_at is None)})


class NotificationReadView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.is_authenticated:
            raise PermissionDenied
        notification = access_notification_by_id(request.user, pk)
        services.notification_mark_read(actor=request.user, notification=notification)
        target = notification.url if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}) else reverse("disease:notification_list")
        return HttpResponseRedirect(target)


class NotificationReadAllView(View):
    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            raise PermissionDenied
        services.notification_mark_all_read(actor=request.user)
        return HttpResponseRedirect(reverse("disease:notification_list"))


# === rules ======================================================================================================


class RulesView(PlatformPermissionMixin, View):
    """The configurable rule tables side by side, with their validity periods and legal basis."""

    model = GradingRule

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        user = request.user
        sections = []
        for key, model in RULE_MODELS.items():
            rows = list(model.objects.restrict(user, "view"))
            sections.append(
                {
                    "key": key,
                    "label": f.RULE_FORMS[key][1],
                    "rows": [(row, getattr(row, "effective_from", today) <= today and (getattr(row, "effective_to", None) is None or today < row.effective_to)) for row in rows],
                    "can_change": user.has_perm(model_permission(model, "change")),
                }
            )
        return render(request, "disease/rules.html", {"sections": sections, "period": selectors.period_for_day(today)})


class RuleFormView(PlatformPermissionMixin, View):
    model: Any = GradingRule
    permission_action = "change"

    rule_model: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.rule_model = RULE_MODELS.get(kwargs.get("kind", ""))
        if self.rule_model is None:
            raise Http404
        self.model = self.rule_model
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, pk: int | None) -> Any:
        if pk is None:
            return None
        obj = self.rule_model.objects.restrict(self.request.user, "change").filter(pk=pk).first()
        if obj is None:
            raise Http404
        return obj

    def render_form(self, kind: str, form: Any, obj: Any) -> HttpResponse:
        label = f.RULE_FORMS[kind][1]
        return render(self.request, "disease/rule_form.html", {"form": form, "object": obj, "title": (_("编辑") if obj else _("新增")) + str(label)})

    def get(self, request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
        obj = self.get_object(pk)
        form_class = f.RULE_FORMS[kind][0]
        return self.render_form(kind, form_class(instance=obj, initial={"version": obj.version} if obj else None), obj)

    def post(self, request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
        obj = self.get_object(pk)
        form_class = f.RULE_FORMS[kind][0]
        form = form_class(request.POST, instance=obj)
        if not form.is_valid():
            return self.render_form(kind, form, obj)
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        if obj is not None:
            obj.refresh_from_db()
        try:
            services.rule_save(actor=request.user, model=self.rule_model, obj=obj, version=form.cleaned_data.get("version"), **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(kind, form, obj)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            return self.render_form(kind, form, obj)
        messages.success(request, _("已保存"))
        return HttpResponseRedirect(reverse("disease:rules") + f"#{kind}")
