"""Survey pages: projects, sites, events, observations (list with map, phone entry form, photos), aquatic work,
analysis (distribution, density, trends) and resource archives. Views are thin: an access check, a selector or
service call, a response. Sensitive locations are generalised by the selectors for users without the permission.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from wildlife.core.exceptions import ConflictError, OutOfScopeError
from wildlife.core.htmx import hx_redirect
from wildlife.core.querysets import model_permission
from wildlife.core.tables import Column
from wildlife.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    PlatformPermissionMixin,
    apply_validation_error,
)
from wildlife.species.models import Species
from wildlife.surveys import analysis, selectors, services
from wildlife.surveys.access import (
    access_archive_by_id,
    access_event_by_id,
    access_migration_count_by_id,
    access_observation_by_id,
    access_photo_by_id,
    access_project_by_id,
    access_site_by_id,
    access_water_reading_by_id,
)
from wildlife.surveys.choices import ObservationMethod, SiteKind
from wildlife.surveys.filtersets import (
    AquaticFilterSet,
    ArchiveFilterSet,
    EventFilterSet,
    ObservationFilterSet,
    ProjectFilterSet,
    SiteFilterSet,
)
from wildlife.surveys.forms import (
    FishCatchForm,
    MigrationCountForm,
    ObservationForm,
    PhotoForm,
    ProjectCloseForm,
    SamplingEventForm,
    SpeciesArchiveForm,
    SurveyProjectForm,
    SurveySiteForm,
    WaterReadingForm,
)
from wildlife.surveys.models import (
    MigrationCount,
    Observation,
    ObservationPhoto,
    SamplingEvent,
    SpeciesArchive,
    SurveyProject,
    SurveySite,
    WaterQualityReading,
)
from wildlife.surveys.sensitive import location_text, may_see_precise, shown_xy

# --- shared ------------------------------------------------------------------------------------------------------


def geojson_response(data: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/geo+json"
    return response


def _can(user: Any, model: type[Any], action: str) -> bool:
    return bool(user.has_perm(model_permission(model, action)))


class SurveyFormView(ObjectFormView):
    """ObjectFormView for the survey forms: passes the user and the instance, and any extra form kwargs."""

    template_name = "surveys/form.html"

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> Any:
        return self.form_class(data=data, files=files, instance=obj, user=self.request.user, **self.form_kwargs())  # type: ignore[call-arg]

    def render_form(self, obj: Any, form: Any, status: int = 200) -> HttpResponse:
        context = {"form": form, "object": obj, "title": self.get_title(obj), "view": self}
        context.update(self.form_context(obj, form))
        return render(self.request, self.template_name, context, status=status)

    def get_title(self, obj: Any) -> str:
        return str(self.title) if self.title else (_("编辑") if obj else _("新建")) + str(self.model._meta.verbose_name)

    def form_context(self, obj: Any, form: Any) -> dict[str, Any]:
        return {}


# --- projects ----------------------------------------------------------------------------------------------------


class ProjectListView(ObjectListView):
    model = SurveyProject
    title = gettext_lazy("调查项目")
    columns = (
        Column("name", gettext_lazy("项目名称"), link=True, order_by="name"),
        Column("code", gettext_lazy("编号"), order_by="code"),
        Column("kind", gettext_lazy("类型"), order_by="kind"),
        Column("status", gettext_lazy("状态"), order_by="status"),
        Column("lead_department", gettext_lazy("牵头单位"), order_by="lead_department__sort_order"),
        Column("start_date", gettext_lazy("开始"), order_by="start_date"),
        Column("end_date", gettext_lazy("结束"), order_by="end_date"),
        Column("area", gettext_lazy("区域")),
    )
    search_fields = ("name", "code", "description")
    filterset_class = ProjectFilterSet
    default_ordering = ("-start_date", "-pk")
    create_url_name = "surveys:project_create"
    empty_message = gettext_lazy("还没有调查项目。")

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.project_list(user=self.request.user)


class ProjectDetailView(ObjectDetailView):
    model = SurveyProject
    template_name = "surveys/project_detail.html"
    access = staticmethod(access_project_by_id)

    def extra_context(self, obj: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            "effort": selectors.project_effort_summary(project=obj, user=user),
            "staff": obj.staff.order_by("username"),
            "sites": SurveySite.objects.restrict(user, "view").filter(project=obj).order_by("code")[:200],
            "events": SamplingEvent.objects.restrict(user, "view").filter(project=obj).select_related("site").order_by("-started_at")[:20],
            "species": selectors.species_recorded(queryset=Observation.objects.restrict(user, "view").filter(project=obj), limit=30),
            "sites_url": reverse("surveys:project_sites_geojson", args=[obj.pk]),
            "can_change": SurveyProject.objects.restrict(user, "change").filter(pk=obj.pk).exists(),
            "can_add_site": _can(user, SurveySite, "add") and obj.status not in services.CLOSED_STATUSES,
            "can_add_event": _can(user, SamplingEvent, "add") and obj.status not in services.CLOSED_STATUSES,
            "can_add_observation": _can(user, Observation, "add") and obj.status not in services.CLOSED_STATUSES,
            "is_open": obj.status not in services.CLOSED_STATUSES,
            "site_kinds": SiteKind.choices,
            "close_form": ProjectCloseForm(initial={"end_date": timezone.localdate()}),
        }


class ProjectCreateView(SurveyFormView):
    model = SurveyProject
    permission_action = "add"
    form_class = SurveyProjectForm
    service = staticmethod(services.survey_project_create)


class ProjectUpdateView(SurveyFormView):
    model = SurveyProject
    permission_action = "change"
    form_class = SurveyProjectForm
    service = staticmethod(services.survey_project_update)
    access = staticmethod(access_project_by_id)


class ProjectCloseView(PlatformPermissionMixin, View):
    """POST: close the project (status 已完成, end date)."""

    model = SurveyProject
    permission_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = access_project_by_id(request.user, pk, action="change")
        form = ProjectCloseForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写有效的结束日期。"))
            return HttpResponseRedirect(project.get_absolute_url())
        try:
            services.survey_project_close(actor=request.user, project=project, end_date=form.cleaned_data["end_date"])
        except (ValidationError, ConflictError) as exc:
            messages.error(request, exc.message if isinstance(exc, ConflictError) else "；".join(exc.messages))
        else:
            messages.success(request, _("项目已结束。"))
        return hx_redirect(request, project.get_absolute_url())


def project_sites_geojson(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise PermissionDenied
    project = access_project_by_id(request.user, pk)
    return geojson_response(selectors.sites_layer(queryset=SurveySite.objects.restrict(request.user, "view").filter(project=project)))


# --- sites -------------------------------------------------------------------------------------------------------


class SiteListView(ObjectListView):
    model = SurveySite
    title = gettext_lazy("调查位点")
    columns = (
        Column("code", gettext_lazy("编号"), link=True, order_by="code"),
        Column("name", gettext_lazy("名称"), link=True, order_by="name"),
        Column("kind", gettext_lazy("类型"), order_by="kind"),
        Column("project", gettext_lazy("调查项目"), order_by="project__name"),
        Column("area", gettext_lazy("镇街"), order_by="area__name"),
        Column("length_m", gettext_lazy("长度(米)"), order_by="length_m"),
        Column("area_m2", gettext_lazy("面积(平方米)"), order_by="area_m2"),
        Column("water_body", gettext_lazy("水体")),
    )
    search_fields = ("code", "name", "habitat", "water_body")
    filterset_class = SiteFilterSet
    default_ordering = ("project", "code", "-pk")
    create_url_name = "surveys:site_create"

    @property
    def map_url(self) -> str:  # type: ignore[override]
        return reverse("surveys:site_layer")

    def get_queryset(self) -> QuerySet[Any]:
        return SurveySite.objects.restrict(self.request.user, "view").select_related("project", "area")


def site_layer(request: HttpRequest) -> HttpResponse:
    """Sites of the list's filters as GeoJSON."""
    if not request.user.is_authenticated or not _can(request.user, SurveySite, "view"):
        raise PermissionDenied
    filterset = SiteFilterSet(request.GET or None, queryset=SurveySite.objects.restrict(request.user, "view"), request=request)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    return geojson_response(selectors.sites_layer(queryset=queryset))


class SiteDetailView(ObjectDetailView):
    model = SurveySite
    template_name = "surveys/site_detail.html"
    access = staticmethod(access_site_by_id)

    def extra_context(self, obj: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            "geometry_json": json.loads(obj.geometry.geojson),
            "layer_url": reverse("surveys:site_layer") + f"?project={obj.project_id}",
            "events": SamplingEvent.objects.restrict(user, "view").filter(site=obj).order_by("-started_at")[:30],
            "species": selectors.species_recorded(queryset=Observation.objects.restrict(user, "view").filter(site=obj), limit=30),
            "can_change": SurveySite.objects.restrict(user, "change").filter(pk=obj.pk).exists() and obj.project.status not in services.CLOSED_STATUSES,
            "can_add_event": _can(user, SamplingEvent, "add") and obj.project.status not in services.CLOSED_STATUSES,
        }


class SiteCreateView(SurveyFormView):
    model = SurveySite
    permission_action = "add"
    form_class = SurveySiteForm
    template_name = "surveys/site_form.html"
    service: Any = staticmethod(services.survey_site_create)

    def form_kwargs(self) -> dict[str, Any]:
        return {"kind": self.request.GET.get("kind") or self.request.POST.get("kind")}

    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> Any:
        form = super().get_form(obj, data, files)
        project = self.request.GET.get("project")
        if data is None and project and project.isdigit():
            form.fields["project"].initial = int(project)
        return form

    def form_context(self, obj: Any, form: Any) -> dict[str, Any]:
        return {"site_kinds": SiteKind.choices, "current_kind": form.site_kind}


class SiteUpdateView(SiteCreateView):
    permission_action = "change"
    service = staticmethod(services.survey_site_update)
    access = staticmethod(access_site_by_id)


# --- sampling events ---------------------------------------------------------------------------------------------


class EventListView(ObjectListView):
    model = SamplingEvent
    title = gettext_lazy("调查事件")
    columns = (
        Column("event_id", gettext_lazy("编号"), link=True, order_by="event_id"),
        Column("started_at", gettext_lazy("开始时间"), order_by="started_at"),
        Column("project", gettext_lazy("调查项目"), order_by="project__name"),
        Column("site", gettext_lazy("位点"), order_by="site__code"),
        Column("method", gettext_lazy("方法"), order_by="method"),
        Column("distance_km", gettext_lazy("距离(公里)"), order_by="distance_km"),
        Column("duration_hours", gettext_lazy("用时(小时)")),
        Column("trap_nights", gettext_lazy("相机工作日")),
        Column("net_hauls", gettext_lazy("网次")),
        Column("nothing_seen", gettext_lazy("未发现"), order_by="nothing_seen"),
        Column("team", gettext_lazy("调查组")),
        Column("area", gettext_lazy("镇街")),
    )
    search_fields = ("event_id", "team", "observers", "remarks")
    filterset_class = EventFilterSet
    default_ordering = ("-started_at", "-pk")
    create_url_name = "surveys:event_create"

    def get_queryset(self) -> QuerySet[Any]:
        return SamplingEvent.objects.restrict(self.request.user, "view").select_related("project", "site", "area")


class EventDetailView(ObjectDetailView):
    model = SamplingEvent
    template_name = "surveys/event_detail.html"
    access = staticmethod(access_event_by_id)

    def extra_context(self, obj: Any) -> dict[str, Any]:
        user = self.request.user
        precise = may_see_precise(user)
        observations = list(selectors.observation_queryset(user=user).filter(event=obj).order_by("observed_at", "pk")[:500])
        return {
            "observations": [(o, location_text(o.location, is_sensitive=o.is_sensitive, precise=precise)) for o in observations],
            "totals": Observation.objects.restrict(user, "view").filter(event=obj).order_by().values("species").distinct().count(),
            "can_change": SamplingEvent.objects.restrict(user, "change").filter(pk=obj.pk).exists() and obj.project.status not in services.CLOSED_STATUSES,
            "can_add_observation": _can(user, Observation, "add") and not obj.nothing_seen and obj.project.status not in services.CLOSED_STATUSES,
            "cpue": round(sum(o.count for o in observations) / obj.net_hauls, 2) if obj.net_hauls else None,
        }


class EventCreateView(SurveyFormView):
    model = SamplingEvent
    permission_action = "add"
    form_class = SamplingEventForm
    service = staticmethod(services.sampling_event_create)

    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> Any:
        form = super().get_form(obj, data, files)
        if data is None and obj is None:
            site_id = self.request.GET.get("site", "")
            site = SurveySite.objects.restrict(self.request.user, "view").filter(pk=site_id).first() if site_id.isdigit() else None
            if site is not None:
                form.fields["site"].initial = site.pk
                form.fields["project"].initial = site.project_id
                form.fields["method"].initial = {SiteKind.TRANSECT: ObservationMethod.TRANSECT, SiteKind.POINT: ObservationMethod.POINT_COUNT, SiteKind.CAMERA: ObservationMethod.CAMERA_TRAP, SiteKind.PLOT: ObservationMethod.PLOT}.get(SiteKind(site.kind), "")
            project_id = self.request.GET.get("project", "")
            if project_id.isdigit():
                form.fields["project"].initial = int(project_id)
            form.fields["started_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        return form


class EventUpdateView(SurveyFormView):
    model = SamplingEvent
    permission_action = "change"
    form_class = SamplingEventForm
    service = staticmethod(services.sampling_event_update)
    access = staticmethod(access_event_by_id)


# --- observations ------------------------------------------------------------------------------------------------


def _species_name(o: Observation) -> str:
    if o.species is not None:
        return o.species.name_zh
    return o.verbatim_name or o.get_observation_type_display()


class ObservationListView(ObjectListView):
    """Observations with filters, a map toggle (points, or grid cells above 2,000 rows) and an Excel export in which
    sensitive locations are generalised like everywhere else."""

    model = Observation
    title = gettext_lazy("调查记录")
    template_name = "surveys/observation_list.html"
    search_fields = ("occurrence_id", "observer", "verbatim_name")
    search_placeholder = gettext_lazy("记录编号、观测人、原始名称")
    filterset_class = ObservationFilterSet
    default_ordering = ("-observed_at", "-pk")
    create_url_name = "surveys:observation_create"
    empty_message = gettext_lazy("还没有调查记录。")
    export_filename = "observations"

    @property
    def map_url(self) -> str:  # type: ignore[override]
        return reverse("surveys:observation_layer")

    @property
    def import_url_name(self) -> str | None:  # type: ignore[override]
        from django.urls import NoReverseMatch

        try:
            reverse("surveys:import_start")
        except NoReverseMatch:
            return None
        return "surveys:import_start"

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.observation_queryset(user=self.request.user)

    def get_columns(self) -> Sequence[Column]:
        precise = may_see_precise(self.request.user)

        def shown(o: Observation) -> tuple[float, float]:
            return shown_xy(lon=o.location.x, lat=o.location.y, is_sensitive=o.is_sensitive, precise=precise)

        return (
            Column("observed_at", _("观测时间"), link=True, order_by="observed_at"),
            Column("species", _("物种"), accessor=_species_name, order_by="species__pinyin"),
            Column("count", _("数量"), order_by="count", css="text-end"),
            Column("project", _("调查项目"), accessor="project.name"),
            Column("site", _("位点"), accessor=lambda o: f"{o.site.code} {o.site.name}" if o.site is not None else ""),
            Column("area", _("镇街"), accessor="area.name"),
            Column("method", _("方法")),
            Column("location", _("位置"), accessor=lambda o: location_text(o.location, is_sensitive=o.is_sensitive, precise=precise), export=False, css="small"),
            Column("lon", _("经度"), accessor=lambda o: shown(o)[0], export=True, css="d-none"),
            Column("lat", _("纬度"), accessor=lambda o: shown(o)[1], export=True, css="d-none"),
            Column("generalised", _("位置已模糊"), accessor=lambda o: o.is_sensitive and not precise, css="d-none"),
            Column("distance_m", _("垂直距离(米)"), css="d-none"),
            Column("observer", _("观测人")),
            Column("occurrence_id", _("记录编号"), css="d-none"),
        )


def observation_layer(request: HttpRequest) -> HttpResponse:
    """GeoJSON of the filtered observations: points up to 2,000 rows, 0.01° grid cells above (mode=grid forces
    cells as squares for the heat layer). Sensitive locations generalised for users without the permission."""
    if not request.user.is_authenticated or getattr(request.user, "is_admin_role", False) or not _can(request.user, Observation, "view"):
        raise PermissionDenied
    queryset = Observation.objects.restrict(request.user, "view")
    filterset = ObservationFilterSet(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)
    queryset = filterset.qs if filterset.is_bound else queryset
    if request.GET.get("mode") == "grid":
        return geojson_response(grid_squares(selectors.observation_layer(user=request.user, queryset=queryset, point_limit=-1)))
    return geojson_response(selectors.observation_layer(user=request.user, queryset=queryset, point_limit=selectors.POINT_LIMIT))


HEAT_COLORS = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")


def grid_squares(layer: dict[str, Any]) -> dict[str, Any]:
    """Cell features as 0.01° squares coloured by the number of records (quantile classes), for the heat layer."""
    counts = sorted(f["properties"]["records"] for f in layer["features"])
    bounds = [counts[int(len(counts) * q / len(HEAT_COLORS))] for q in range(1, len(HEAT_COLORS))] if counts else []
    half = 0.005
    features = []
    for feature in layer["features"]:
        x, y = feature["geometry"]["coordinates"]
        records = feature["properties"]["records"]
        klass = sum(1 for b in bounds if records > b)
        ring = [[x - half, y - half], [x + half, y - half], [x + half, y + half], [x - half, y + half], [x - half, y - half]]
        properties = dict(feature["properties"], color=HEAT_COLORS[min(klass, len(HEAT_COLORS) - 1)])
        properties.pop("cluster_count", None)
        features.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": properties})
    return {**layer, "features": features, "mode": "grid"}


class ObservationDetailView(ObjectDetailView):
    model = Observation
    template_name = "surveys/observation_detail.html"
    access = staticmethod(access_observation_by_id)

    def extra_context(self, obj: Any) -> dict[str, Any]:
        user = self.request.user
        precise = may_see_precise(user)
        x, y = shown_xy(lon=obj.location.x, lat=obj.location.y, is_sensitive=obj.is_sensitive, precise=precise)
        photos = []
        for photo in ObservationPhoto.objects.restrict(user, "view").filter(observation=obj).order_by("pk"):
            exif = ""
            if photo.exif_location is not None:
                exif = location_text(photo.exif_location, is_sensitive=obj.is_sensitive, precise=precise)
            photos.append({"photo": photo, "exif_location": exif})
        point = {"type": "FeatureCollection", "features": [selectors.observation_feature(obj, precise=precise)]}
        return {
            "location": location_text(obj.location, is_sensitive=obj.is_sensitive, precise=precise),
            "generalised": obj.is_sensitive and not precise,
            "shown_lon": x,
            "shown_lat": y,
            "point_json": point,
            "photos": photos,
            "photo_form": PhotoForm(),
            "can_change": Observation.objects.restrict(user, "change").filter(pk=obj.pk).exists() and obj.project.status not in services.CLOSED_STATUSES,
            "can_delete": Observation.objects.restrict(user, "delete").filter(pk=obj.pk).exists(),
            "can_add_photo": _can(user, ObservationPhoto, "add") and obj.project.status not in services.CLOSED_STATUSES,
        }


def observation_point_geojson(request: HttpRequest, pk: int) -> HttpResponse:
    """The one observation as a map layer (generalised when sensitive)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    obj = access_observation_by_id(request.user, pk)
    return geojson_response({"type": "FeatureCollection", "features": [selectors.observation_feature(obj, precise=may_see_precise(request.user))]})


class ObservationCreateView(PlatformPermissionMixin, View):
    """The field form (works on a phone): species autocomplete, GPS or map click, optional photo whose EXIF time and
    position can fill the form; the stored photo has its location removed."""

    model = Observation
    permission_action = "add"
    template_name = "surveys/observation_form.html"

    def get_object(self, pk: Any) -> Observation | None:
        return None

    def initial_project(self) -> tuple[dict[str, Any], SurveyProject | None]:
        initial: dict[str, Any] = {}
        project = None
        event_id = self.request.GET.get("event", "")
        if event_id.isdigit():
            event = access_event_by_id(self.request.user, int(event_id))
            project = event.project
            initial.update(event=event.pk, site=event.site_id, method=event.method, project=event.project_id)
            if event.site_id and event.site is not None and event.site.kind == SiteKind.TRANSECT:
                initial["method"] = ObservationMethod.TRANSECT
        project_id = self.request.GET.get("project", "")
        if project is None and project_id.isdigit():
            project = SurveyProject.objects.restrict(self.request.user, "view").filter(pk=int(project_id)).first()
            if project is not None:
                initial["project"] = project.pk
        initial["observer"] = getattr(self.request.user, "display_name", "") or self.request.user.get_username()
        return initial, project

    def get(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        obj = self.get_object(pk)
        if obj is None:
            initial, project = self.initial_project()
            form = ObservationForm(user=request.user, initial=initial, project=project)
        else:
            form = ObservationForm(user=request.user, instance=obj)
        return self.render_form(obj, form)

    def render_form(self, obj: Any, form: ObservationForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "object": obj,
            "title": _("编辑调查记录") if obj else _("新增调查记录"),
            "sensitive_note": bool(obj and obj.is_sensitive and not may_see_precise(self.request.user)),
        }
        template = self.template_name
        if getattr(self.request, "htmx", False) and self.request.headers.get("HX-Target") == "event-site-fields":
            template = f"{self.template_name}#event-site-fields"
        return render(self.request, template, context, status=status)

    def post(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        obj = self.get_object(pk)
        form = ObservationForm(request.POST, request.FILES, user=request.user, instance=obj)
        if not form.is_valid():
            return self.render_form(obj, form)
        data = form.service_data()
        photo = form.cleaned_data.get("photo")
        facts = None
        if photo is not None:
            try:
                content = photo.read()
                photo.seek(0)
                facts = services.photo_read_exif(content)
            except ValidationError as exc:
                apply_validation_error(form, ValidationError({"photo": exc.messages}))
                return self.render_form(obj, form)
            # a photo's GPS is more precise than "at the site"; typed or clicked coordinates win over both
            if form.cleaned_data.get("use_photo_exif") and data.get("location") is None and facts.location is not None:
                data["location"] = facts.location
        try:
            if obj is None:
                observation = services.observation_create(actor=request.user, **data)
                if photo is not None:
                    services.observation_photo_add(actor=request.user, observation=observation, image=photo)
            else:
                observation = services.observation_update(actor=request.user, obj=obj, **data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                # the service names model fields; the form shows a location next to its coordinates, a photo at its input
                renamed = {"location": "lon", "image": "photo"}
                exc = ValidationError({renamed.get(key, key): errors for key, errors in exc.error_dict.items()})
            apply_validation_error(form, exc)
            return self.render_form(obj, form)
        except (ConflictError, OutOfScopeError) as exc:
            form.add_error(None, exc.message if isinstance(exc, ConflictError) else str(exc))
            return self.render_form(obj, form, status=409 if isinstance(exc, ConflictError) else 200)
        messages.success(request, _("已保存调查记录：%(name)s × %(count)d") % {"name": _species_name(observation), "count": observation.count})
        if obj is None and request.POST.get("next") == "another":
            query = f"?event={observation.event_id}" if observation.event_id else f"?project={observation.project_id}"
            return hx_redirect(request, reverse("surveys:observation_create") + query)
        return hx_redirect(request, observation.get_absolute_url())


class ObservationUpdateView(ObservationCreateView):
    permission_action = "change"

    def get_object(self, pk: Any) -> Observation | None:
        return access_observation_by_id(self.request.user, pk, action="change")


class ObservationDeleteView(ObjectDeleteView):
    model = Observation
    service = staticmethod(services.observation_delete)
    success_url_name = "surveys:observation_list"
    access = staticmethod(access_observation_by_id)


class ObservationFormChoicesView(PlatformPermissionMixin, View):
    """HTMX: the event and site choices of the chosen project (the form reloads them when the project changes)."""

    model = Observation
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ObservationForm(user=request.user, initial={"project": request.GET.get("project")})
        return render(request, "surveys/observation_form.html#event-site-fields", {"form": form})


class PhotoAddView(PlatformPermissionMixin, View):
    model = ObservationPhoto
    permission_action = "add"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        observation = access_observation_by_id(request.user, pk, action="view")
        form = PhotoForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
            return HttpResponseRedirect(observation.get_absolute_url())
        try:
            services.observation_photo_add(actor=request.user, observation=observation, image=form.cleaned_data["image"], caption=form.cleaned_data.get("caption") or "")
        except (ValidationError, OutOfScopeError) as exc:
            messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("照片已上传（已去除照片中的位置信息）。"))
        return HttpResponseRedirect(observation.get_absolute_url())


def photo_file(request: HttpRequest, pk: int) -> FileResponse:
    """The stored (location-free) photo, for users who may see its observation."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    photo = access_photo_by_id(request.user, pk)
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("照片文件不存在")) from exc
    return FileResponse(handle, filename=photo.image.name.rsplit("/", 1)[-1])


class PhotoExifView(PlatformPermissionMixin, View):
    """HTMX: read a chosen photo's EXIF time and GPS and offer them to the form (nothing is stored)."""

    model = Observation
    permission_action = "add"

    def post(self, request: HttpRequest) -> HttpResponse:
        upload = request.FILES.get("photo")
        context: dict[str, Any] = {"facts": None, "error": ""}
        if upload is None:
            context["error"] = _("请选择照片。")
        elif upload.size and upload.size > services.MAX_PHOTO_BYTES:
            context["error"] = _("照片不能超过 15 MB。")
        else:
            try:
                facts = services.photo_read_exif(upload.read())
            except ValidationError as exc:
                context["error"] = "；".join(exc.messages)
            else:
                context["facts"] = facts
                context["taken_at"] = timezone.localtime(facts.taken_at).strftime("%Y-%m-%dT%H:%M") if facts.taken_at else ""
        return render(request, "surveys/_photo_exif.html", context)


class SpeciesAutocompleteView(LoginRequiredMixin, View):
    """HTMX: catalogue species matching what was typed (Chinese name, alias, pinyin initials, scientific name)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("species.view_species"):
            raise PermissionDenied
        from wildlife.species.selectors import species_search

        term = (request.GET.get("q") or request.GET.get("species_text") or "").strip()
        results = list(species_search(term, Species.objects.restrict(request.user, "view"))[:12]) if term else []
        return render(request, "surveys/_species_options.html", {"results": results, "term": term})


# --- aquatic -----------------------------------------------------------------------------------------------------


class FishListView(PlatformPermissionMixin, View):
    """Fish surveys: each net/electrofishing event with its catch and CPUE (individuals per net haul)."""

    model = Observation

    def get(self, request: HttpRequest) -> HttpResponse:
        project = None
        project_id = request.GET.get("project", "")
        if project_id.isdigit():
            project = access_project_by_id(request.user, int(project_id))
        year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else None
        rows = selectors.fish_cpue(user=request.user, project=project, year=year)
        projects = SurveyProject.objects.restrict(request.user, "view").filter(kind="aquatic").order_by("-start_date")
        return render(
            request,
            "surveys/fish_list.html",
            {"rows": rows, "projects": projects, "project": project, "year": year, "can_add": _can(request.user, Observation, "add")},
        )


class FishCatchView(PlatformPermissionMixin, View):
    model = Observation
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {}
        if request.GET.get("event", "").isdigit():
            initial["event"] = int(request.GET["event"])
        return render(request, "surveys/fish_form.html", {"form": FishCatchForm(user=request.user, initial=initial)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = FishCatchForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.fish_catch_record(actor=request.user, event=form.cleaned_data["event"], catches=form.catches())
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except (ConflictError, OutOfScopeError) as exc:
                form.add_error(None, exc.message if isinstance(exc, ConflictError) else str(exc))
            else:
                messages.success(request, _("渔获已登记。"))
                return hx_redirect(request, form.cleaned_data["event"].get_absolute_url())
        return render(request, "surveys/fish_form.html", {"form": form})


class MigrationListView(ObjectListView):
    model = MigrationCount
    title = gettext_lazy("洄游观测")
    template_name = "surveys/aquatic_list.html"
    columns = (
        Column("date", gettext_lazy("日期"), link=True, order_by="date"),
        Column("site", gettext_lazy("观测断面"), order_by="site__code"),
        Column("species", gettext_lazy("物种"), accessor="species.name_zh", order_by="species__pinyin"),
        Column("upstream", gettext_lazy("上溯"), order_by="upstream", css="text-end"),
        Column("downstream", gettext_lazy("下行"), order_by="downstream", css="text-end"),
        Column("water_level_m", gettext_lazy("水位(米)")),
        Column("area", gettext_lazy("镇街")),
    )
    filterset_class = AquaticFilterSet
    default_ordering = ("-date", "-pk")
    create_url_name = "surveys:migration_create"

    def get_queryset(self) -> QuerySet[Any]:
        return MigrationCount.objects.restrict(self.request.user, "view").select_related("site", "species", "area")

    def extra_context(self) -> dict[str, Any]:
        queryset, _filterset = self.filtered()
        series = selectors.migration_series(queryset=queryset)
        chart = {
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0},
            "grid": {"left": 48, "right": 16, "top": 36, "bottom": 32},
            "xAxis": {"type": "category", "data": series["dates"]},
            "yAxis": {"type": "value", "name": _("尾数")},
            "series": [
                {"name": _("上溯"), "type": "bar", "stack": "m", "data": series["upstream"]},
                {"name": _("下行"), "type": "bar", "stack": "m", "data": series["downstream"]},
            ],
        }
        return {"chart": chart, "chart_title": _("逐日洄游数量")}


class WaterListView(ObjectListView):
    model = WaterQualityReading
    title = gettext_lazy("水质监测")
    template_name = "surveys/aquatic_list.html"
    columns = (
        Column("measured_at", gettext_lazy("测定时间"), link=True, order_by="measured_at"),
        Column("site", gettext_lazy("采样点"), order_by="site__code"),
        Column("temperature_c", gettext_lazy("水温(℃)"), css="text-end"),
        Column("ph", gettext_lazy("pH"), css="text-end"),
        Column("dissolved_oxygen_mg_l", gettext_lazy("溶解氧(mg/L)"), css="text-end"),
        Column("turbidity_ntu", gettext_lazy("浊度(NTU)"), css="text-end"),
        Column("ammonia_n_mg_l", gettext_lazy("氨氮(mg/L)"), css="text-end"),
        Column("area", gettext_lazy("镇街")),
    )
    filterset_class = AquaticFilterSet
    default_ordering = ("-measured_at", "-pk")
    create_url_name = "surveys:water_create"

    def get_queryset(self) -> QuerySet[Any]:
        return WaterQualityReading.objects.restrict(self.request.user, "view").select_related("site", "area")

    def extra_context(self) -> dict[str, Any]:
        queryset, _filterset = self.filtered()
        series = selectors.water_series(queryset=queryset)
        names = {
            "temperature_c": _("水温(℃)"),
            "ph": _("pH"),
            "dissolved_oxygen_mg_l": _("溶解氧(mg/L)"),
            "turbidity_ntu": _("浊度(NTU)"),
            "ammonia_n_mg_l": _("氨氮(mg/L)"),
        }
        chart = {
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0, "type": "scroll"},
            "grid": {"left": 48, "right": 16, "top": 36, "bottom": 32},
            "xAxis": {"type": "category", "data": series["times"]},
            "yAxis": {"type": "value"},
            "series": [{"name": label, "type": "line", "connectNulls": True, "data": series[key]} for key, label in names.items()],
        }
        return {"chart": chart, "chart_title": _("水质指标变化")}


class MigrationDetailView(ObjectDetailView):
    model = MigrationCount
    template_name = "surveys/record_detail.html"
    access = staticmethod(access_migration_count_by_id)

    def extra_context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("洄游观测"),
            "fields": [
                (_("调查项目"), obj.project),
                (_("观测断面"), obj.site),
                (_("物种"), obj.species),
                (_("日期"), obj.date),
                (_("上溯数量"), obj.upstream),
                (_("下行数量"), obj.downstream),
                (_("水位(米)"), obj.water_level_m),
                (_("镇街"), obj.area),
                (_("备注"), obj.remarks),
            ],
            "edit_url": reverse("surveys:migration_update", args=[obj.pk]) if MigrationCount.objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists() else "",
            "list_url": reverse("surveys:migration_list"),
        }


class WaterDetailView(ObjectDetailView):
    model = WaterQualityReading
    template_name = "surveys/record_detail.html"
    access = staticmethod(access_water_reading_by_id)

    def extra_context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("水质监测"),
            "fields": [
                (_("调查项目"), obj.project),
                (_("采样点"), obj.site),
                (_("测定时间"), obj.measured_at),
                (_("水温(℃)"), obj.temperature_c),
                (_("pH"), obj.ph),
                (_("溶解氧(mg/L)"), obj.dissolved_oxygen_mg_l),
                (_("浊度(NTU)"), obj.turbidity_ntu),
                (_("氨氮(mg/L)"), obj.ammonia_n_mg_l),
                (_("镇街"), obj.area),
                (_("备注"), obj.remarks),
            ],
            "edit_url": reverse("surveys:water_update", args=[obj.pk]) if WaterQualityReading.objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists() else "",
            "list_url": reverse("surveys:water_list"),
        }


class MigrationCreateView(SurveyFormView):
    model = MigrationCount
    permission_action = "add"
    form_class = MigrationCountForm
    service: Any = staticmethod(services.migration_count_create)


class MigrationUpdateView(MigrationCreateView):
    permission_action = "change"
    service = staticmethod(services.migration_count_update)
    access = staticmethod(access_migration_count_by_id)


class WaterCreateView(SurveyFormView):
    model = WaterQualityReading
    permission_action = "add"
    form_class = WaterReadingForm
    service: Any = staticmethod(services.water_reading_create)


class WaterUpdateView(WaterCreateView):
    permission_action = "change"
    service = staticmethod(services.water_reading_update)
    access = staticmethod(access_water_reading_by_id)


# --- analysis ----------------------------------------------------------------------------------------------------


def _params_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


class DistributionView(PlatformPermissionMixin, View):
    """Distribution map of a species (or all species) filtered by time, project and area: points (or grid cells when
    many) plus a grid heat layer; the species recorded under the same filters."""

    model = Observation

    def get(self, request: HttpRequest) -> HttpResponse:
        base = Observation.objects.restrict(request.user, "view")
        filterset = ObservationFilterSet(request.GET or None, queryset=base, request=request)
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
        query = _params_without(request, "page", "mode")
        species = None
        term = request.GET.get("species", "").strip()
        if term.isdigit():
            species = Species.objects.filter(pk=int(term)).first()
        return render(
            request,
            "surveys/distribution.html",
            {
                "filterset": filterset,
                "layer_url": reverse("surveys:observation_layer") + ("?" + query if query else ""),
                "grid_url": reverse("surveys:observation_layer") + "?" + (query + "&" if query else "") + "mode=grid",
                "species_rows": selectors.species_recorded(queryset=queryset, limit=60),
                "species": species,
                "precise": may_see_precise(request.user),
                "query": query,
            },
        )


class DensityView(PlatformPermissionMixin, View):
    """Line-transect density of a species in a project (strip and half-normal estimates, bootstrap CI, effort)."""

    model = Observation

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        projects = SurveyProject.objects.restrict(user, "view").order_by("-start_date")
        project = None
        if request.GET.get("project", "").isdigit():
            project = access_project_by_id(user, int(request.GET["project"]))
        elif projects.filter(sites__kind=SiteKind.TRANSECT).exists():
            project = projects.filter(sites__kind=SiteKind.TRANSECT).first()
        species_choices: list[dict[str, Any]] = []
        if project is not None:
            species_choices = selectors.species_recorded(
                queryset=Observation.objects.restrict(user, "view").filter(project=project, event__site__kind=SiteKind.TRANSECT), limit=100
            )
        species = None
        if request.GET.get("species", "").isdigit():
            species = Species.objects.filter(pk=int(request.GET["species"])).first()
        elif species_choices:
            species = Species.objects.filter(pk=species_choices[0]["species"]).first()
        date_from = _parse_date(request.GET.get("date_from"))
        date_to = _parse_date(request.GET.get("date_to"))
        method = str(request.GET.get("method")) if request.GET.get("method") in ("strip", "half_normal") else "auto"
        estimate = None
        if project is not None and species is not None:
            estimate = analysis.density_for(user=user, project=project, species=species, date_from=date_from, date_to=date_to, method=method)
        return render(
            request,
            "surveys/density.html",
            {
                "projects": projects,
                "project": project,
                "species_choices": species_choices,
                "species": species,
                "estimate": estimate,
                "date_from": date_from,
                "date_to": date_to,
                "method": method,
                "sites_url": reverse("surveys:project_sites_geojson", args=[project.pk]) if project else "",
            },
        )


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class TrendsView(PlatformPermissionMixin, View):
    """Counts per unit effort per year per species and town (ECharts), and species richness per town."""

    model = Observation

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        project = None
        if request.GET.get("project", "").isdigit():
            project = access_project_by_id(user, int(request.GET["project"]))
        from wildlife.surveys.filtersets import scope_areas

        areas = scope_areas(request)
        area = areas.filter(pk=request.GET["area"]).first() if request.GET.get("area", "").isdigit() else None
        measure = str(request.GET.get("measure")) if request.GET.get("measure") in analysis.EFFORT_MEASURES else "distance_km"
        species = []
        term = request.GET.get("species", "").strip()
        if term:
            from wildlife.species.selectors import species_search

            species = list(Species.objects.filter(pk=int(term))) if term.isdigit() else list(species_search(term)[:5])
        trends = analysis.cpue_trends(user=user, measure=measure, project=project, area=area, species=species)
        observations = Observation.objects.restrict(user, "view")
        if area is not None:
            from wildlife.geo.models import AdminArea

            observations = observations.filter(area_id__in=list(AdminArea.objects.filter(path__startswith=area.path).values_list("pk", flat=True)))
        richness = analysis.species_richness(user=user, project=project, queryset=observations)
        return render(
            request,
            "surveys/trends.html",
            {
                "trends": trends,
                "richness": richness,
                "projects": SurveyProject.objects.restrict(user, "view").order_by("-start_date"),
                "project": project,
                "areas": areas,
                "area": area,
                "measure": measure,
                "measures": [(key, value[1]) for key, value in analysis.EFFORT_MEASURES.items()],
                "species_term": term,
            },
        )


# --- archives ----------------------------------------------------------------------------------------------------


class ArchiveListView(ObjectListView):
    model = SpeciesArchive
    title = gettext_lazy("资源档案")
    columns = (
        Column("species", gettext_lazy("物种"), link=True, accessor="species.name_zh", order_by="species__pinyin"),
        Column("scientific_name", gettext_lazy("学名"), accessor="species.scientific_name"),
        Column("protection", gettext_lazy("保护级别"), accessor="species.get_protection_display"),
        Column("area", gettext_lazy("区域"), order_by="area__path"),
        Column("population_estimate", gettext_lazy("种群数量估计")),
        Column("assessed_on", gettext_lazy("评估日期"), order_by="assessed_on"),
    )
    search_fields = ("species__name_zh", "species__scientific_name", "distribution_notes", "threats")
    filterset_class = ArchiveFilterSet
    default_ordering = ("species__pinyin", "area__path")
    create_url_name = "surveys:archive_create"

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.archive_list(user=self.request.user)


class ArchiveDetailView(ObjectDetailView):
    model = SpeciesArchive
    template_name = "surveys/archive_detail.html"
    access = staticmethod(access_archive_by_id)

    def extra_context(self, obj: Any) -> dict[str, Any]:
        return archive_context(self.request, obj)


def archive_context(request: HttpRequest, obj: SpeciesArchive) -> dict[str, Any]:
    user = request.user
    records = selectors.archive_records(archive=obj, user=user)
    precise = may_see_precise(user)
    recent = [(o, location_text(o.location, is_sensitive=o.is_sensitive, precise=precise)) for o in records[:20]]
    summary = records.order_by().aggregate(records=Count("pk"))
    area_query = "" if obj.area.level == "district" else f"&area={obj.area_id}"
    return {
        "recent": recent,
        "record_count": summary["records"],
        "population": analysis.archive_population(archive=obj, user=user),
        "layer_url": reverse("surveys:observation_layer") + f"?species={obj.species_id}{area_query}",
        "distribution_url": reverse("surveys:distribution") + f"?species={obj.species_id}{area_query}",
        "status": _species_status(obj.species),
        "can_change": SpeciesArchive.objects.restrict(user, "change").filter(pk=obj.pk).exists(),
        "printed_at": timezone.localtime(),
    }


def _species_status(species: Species) -> Any:
    from wildlife.species.selectors import species_status_on

    return species_status_on(species=species, on=timezone.localdate())


class ArchivePrintView(ArchiveDetailView):
    """The archive as a printable page (print CSS); ?format=pdf gives a PDF (WeasyPrint, Chinese fonts)."""

    template_name = "surveys/archive_print.html"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        if request.GET.get("format") != "pdf":
            return super().get(request, pk)
        obj = self.get_object(pk)
        from django.template.loader import render_to_string
        from weasyprint import HTML

        from wildlife.audit.services import audit_record

        html = render_to_string("surveys/archive_pdf.html", {"object": obj, **archive_context(request, obj)}, request=request)
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        audit_record(action="export", actor=request.user, obj=obj, detail={"format": "pdf"})
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="archive-{obj.pk}.pdf"'
        return response


class ArchiveCreateView(SurveyFormView):
    model = SpeciesArchive
    permission_action = "add"
    form_class = SpeciesArchiveForm
    service: Any = staticmethod(services.species_archive_create)


class ArchiveUpdateView(ArchiveCreateView):
    permission_action = "change"
    service = staticmethod(services.species_archive_update)
    access = staticmethod(access_archive_by_id)

