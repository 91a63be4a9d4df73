"""Area pages, the boundary import (upload → preview → confirm) and the area GeoJSON layer used by every map."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from wildlife.core.exceptions import ConflictError
from wildlife.core.views import apply_validation_error
from wildlife.geo import services
from wildlife.geo.access import (
    access_area_by_id,
    access_boundary_import_by_id,
    access_editable_area_by_id,
    is_system_admin,
    may_see_area_pages,
)
from wildlife.geo.forms import AreaCreateForm, AreaUpdateForm, BoundaryUploadForm, RematchForm
from wildlife.geo.selectors import (
    area_children,
    area_feature,
    area_feature_collection,
    area_list,
    area_tree,
    assignment_counts,
    boundary_import_feature_collection,
    boundary_import_preview,
)

GEOJSON = "application/geo+json"


def _geojson(data: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type=GEOJSON)


@login_required
def areas_geojson(request: HttpRequest) -> HttpResponse:
    """Boundaries of the areas in the user's scope (simplified for display)."""
    return _geojson(area_feature_collection(area_list(user=request.user)))


class AreaPagesMixin(LoginRequiredMixin):
    """Business users (their scope) and the system administrator; the other administrators are refused."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not may_see_area_pages(request.user):
            raise PermissionDenied(_("您没有访问此页面的权限"))
        return super().dispatch(request, *args, **kwargs)


class SystemAdminMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_system_admin(request.user):
            raise PermissionDenied(_("只有系统管理员可以维护行政区划和边界"))
        return super().dispatch(request, *args, **kwargs)


class AreaListView(AreaPagesMixin, View):
    """The area tree within the user's scope (the whole tree for the system administrator)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        rows, overlays = area_tree(user=request.user)
        return render(
            request,
            "geo/area_list.html",
            {"rows": rows, "overlays": overlays, "is_system_admin": is_system_admin(request.user)},
        )


class AreaDetailView(AreaPagesMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        area = access_area_by_id(request.user, pk)
        admin = is_system_admin(request.user)
        context = {
            "area": area,
            "children": area_children(user=request.user, area=area),
            "administered": area_list(user=request.user).filter(administered_by=area).order_by("sort_order"),
            "is_system_admin": admin,
            "assignments": assignment_counts(area) if admin else None,
            "editable": admin and area.level in services.CHILD_KINDS,
        }
        return render(request, "geo/area_detail.html", context)


@login_required
def area_boundary_geojson(request: HttpRequest, pk: int) -> HttpResponse:
    """One area's boundary (for its detail page map); 404 outside the user's scope."""
    area = access_area_by_id(request.user, pk)
    return _geojson({"type": "FeatureCollection", "features": [area_feature(area)] if area.boundary is not None else []})


class AreaCreateView(SystemAdminMixin, View):
    template_name = "geo/area_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {}
        if request.GET.get("parent", "").isdigit():
            initial["parent"] = int(request.GET["parent"])
        return self.render_form(AreaCreateForm(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AreaCreateForm(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            area = services.area_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(form)
        messages.success(request, _("已新建区划「%(name)s」") % {"name": area.name})
        return HttpResponseRedirect(area.get_absolute_url())

    def render_form(self, form: AreaCreateForm) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form, "title": _("新建村/社区或网格"), "object": None})


class AreaUpdateView(SystemAdminMixin, View):
    template_name = "geo/area_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        area = access_editable_area_by_id(request.user, pk)
        return self.render_form(area, AreaUpdateForm(initial=AreaUpdateForm.initial_for(area)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        area = access_editable_area_by_id(request.user, pk)
        form = AreaUpdateForm(request.POST)
        if not form.is_valid():
            return self.render_form(area, form)
        try:
            services.area_update(actor=request.user, obj=area, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(area, form)
        messages.success(request, _("已保存"))
        return HttpResponseRedirect(area.get_absolute_url())

    def render_form(self, area: Any, form: AreaUpdateForm) -> HttpResponse:
        title = _("编辑「%(name)s」") % {"name": area.name}
        return render(self.request, self.template_name, {"form": form, "title": title, "object": area})


# --- boundary import -----------------------------------------------------------------------------------------------


class BoundaryImportView(SystemAdminMixin, View):
    """Step 1: upload a boundary file and say which coordinate system it uses."""

    template_name = "geo/boundary_import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": BoundaryUploadForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BoundaryUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        data = form.cleaned_data
        try:
            staging = services.boundary_import_stage(
                actor=request.user, upload=data["file"], crs=data["crs"], match_by=data["match_by"], match_field=data["match_field"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return render(request, self.template_name, {"form": form})
        return HttpResponseRedirect(staging.get_absolute_url())


class BoundaryImportPreviewView(SystemAdminMixin, View):
    """Step 2: the new boundaries over the current ones, feature by feature; choose the matching field; confirm."""

    template_name = "geo/boundary_preview.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        staging = access_boundary_import_by_id(request.user, pk)
        form = RematchForm(fields=staging.fields, initial={"match_by": staging.match_by, "match_field": staging.match_field})
        return self.render_page(staging, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        staging = access_boundary_import_by_id(request.user, pk)
        form = RematchForm(request.POST, fields=staging.fields)
        if not form.is_valid():
            return self.render_page(staging, form)
        try:
            services.boundary_import_rematch(actor=request.user, staging=staging, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_page(staging, form)
        except ConflictError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(staging.get_absolute_url())

    def render_page(self, staging: Any, form: RematchForm) -> HttpResponse:
        context = {"staging": staging, "form": form, "preview": boundary_import_preview(staging)}
        return render(self.request, self.template_name, context)


@login_required
def boundary_import_geojson(request: HttpRequest, pk: int) -> HttpResponse:
    """The staged features for the preview map (owner only)."""
    staging = access_boundary_import_by_id(request.user, pk)
    return _geojson(boundary_import_feature_collection(staging))


class BoundaryImportConfirmView(SystemAdminMixin, View):
    """Step 3: save the matched boundaries."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        staging = access_boundary_import_by_id(request.user, pk)
        try:
            areas = services.boundary_import_apply(actor=request.user, staging=staging)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return HttpResponseRedirect(staging.get_absolute_url())
        except ConflictError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("geo:area_list"))
        names = "、".join(a.name for a in areas)
        messages.success(request, _("已更新 %(n)d 个区划的边界：%(names)s") % {"n": len(areas), "names": names})
        return HttpResponseRedirect(reverse("geo:area_list"))


class BoundaryImportDiscardView(SystemAdminMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        staging = access_boundary_import_by_id(request.user, pk)
        try:
            services.boundary_import_discard(actor=request.user, staging=staging)
        except ConflictError as exc:
            messages.error(request, exc.message)
        else:
            messages.info(request, _("已放弃本次导入，边界未改变。"))
        return HttpResponseRedirect(reverse("geo:boundary_import"))
