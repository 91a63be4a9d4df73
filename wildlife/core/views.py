"""Generic list/detail/edit/delete views that every register uses, the home dashboard and error pages.

Views stay thin: an access check (restrict / get_in_scope_or_404), a service call, a response.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import reduce
from operator import or_
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from wildlife.core.access import get_in_scope_or_404
from wildlife.core.excel import XLSX_CONTENT_TYPE, build_workbook
from wildlife.core.exceptions import ConflictError, OutOfScopeError
from wildlife.core.htmx import hx_redirect
from wildlife.core.imports import (
    MODE_ALL,
    MODE_CHOICES,
    ImportFileError,
    ImportReport,
    RegisterImport,
    RowError,
    errors_bytes,
    read_rows,
    run_import,
    template_bytes,
)
from wildlife.core.querysets import model_permission
from wildlife.core.tables import Column

PER_PAGE_CHOICES = (25, 50, 100)
EXPORT_ROW_LIMIT = 100_000


class PlatformPermissionMixin(LoginRequiredMixin):
    """Login plus the model permission for `action` (the department grants it)."""

    model: type[models.Model]
    permission_action = "view"
    extra_permissions: Sequence[str] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        perms = [model_permission(self.model, self.permission_action), *self.extra_permissions]
        if getattr(request.user, "is_admin_role", False) or not request.user.has_perms(perms):
            raise PermissionDenied(_("您没有访问此页面的权限"))
        return super().dispatch(request, *args, **kwargs)


class ObjectListView(PlatformPermissionMixin, View):
    """Filtered, searchable, sortable, paginated list with a count, Excel export and an empty state."""

    template_name = "core/object_list.html"
    title: Any = ""
    columns: Sequence[Column] = ()
    search_fields: Sequence[str] = ()
    search_placeholder: Any = ""
    filterset_class: Any = None
    default_ordering: Sequence[str] = ("-pk",)
    create_url_name: str | None = None
    import_url_name: str | None = None
    map_url: str | None = None  # GeoJSON layer of the filtered rows (the list's map toggle)
    empty_message: Any = ""
    export_filename: str = ""

    def get_queryset(self) -> QuerySet[Any]:
        manager = self.model._default_manager
        return manager.all().restrict(self.request.user, "view")  # type: ignore[attr-defined,no-any-return]

    def get_columns(self) -> Sequence[Column]:
        return self.columns

    def apply_search(self, queryset: QuerySet[Any], term: str) -> QuerySet[Any]:
        if not term or not self.search_fields:
            return queryset
        return queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": term}) for f in self.search_fields)))

    def filtered(self) -> tuple[QuerySet[Any], Any]:
        queryset = self.get_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
            queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        queryset = self.apply_search(queryset, self.request.GET.get("q", "").strip())
        return queryset, filterset

    def ordering(self) -> tuple[list[str], str]:
        requested = self.request.GET.get("sort", "")
        allowed = {c.name: c.order_by for c in self.get_columns() if c.order_by}
        key = requested.lstrip("-")
        if key in allowed:
            expression = allowed[key]
            assert expression is not None
            prefix = "-" if requested.startswith("-") else ""
            return [prefix + expression, "-pk"], requested
        return list(self.default_ordering), ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        queryset, filterset = self.filtered()
        order, sort = self.ordering()
        queryset = queryset.order_by(*order)
        if request.GET.get("export") == "xlsx":
            return self.export(queryset)
        try:
            per_page = int(request.GET.get("per_page", PER_PAGE_CHOICES[0]))
        except ValueError:
            per_page = PER_PAGE_CHOICES[0]
        per_page = per_page if per_page in PER_PAGE_CHOICES else PER_PAGE_CHOICES[0]
        paginator = Paginator(queryset, per_page)
        page = paginator.get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        params.pop("export", None)
        context = {
            "view": self,
            "title": self.title or self.model._meta.verbose_name_plural,
            "columns": self.get_columns(),
            "rows": [(obj, [(col, col.text(obj)) for col in self.get_columns()]) for obj in page.object_list],
            "page": page,
            "paginator": paginator,
            "filterset": filterset,
            "q": request.GET.get("q", ""),
            "sort": sort,
            "querystring": params.urlencode(),
            "querystring_nosort": urlencode([(k, v) for k, vs in params.lists() if k != "sort" for v in vs]),
            "per_page_choices": PER_PAGE_CHOICES,
            "per_page": per_page,
            "is_filtered": bool(request.GET.get("q")) or bool(filterset and filterset.is_bound and any(v for k, v in request.GET.items() if k in filterset.filters)),
            "can_add": request.user.has_perm(model_permission(self.model, "add")),
        }
        context.update(self.extra_context())
        template = self.template_name
        if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "results":
            template = f"{self.template_name}#results"
        return render(request, template, context)

    def extra_context(self) -> dict[str, Any]:
        return {}

    def export_rows(self, queryset: QuerySet[Any], columns: Sequence[Column]) -> Any:
        for obj in queryset.iterator(chunk_size=2000):
            yield [col.raw(obj) if not isinstance(col.raw(obj), models.Model) else str(col.raw(obj)) for col in columns]

    def export(self, queryset: QuerySet[Any]) -> HttpResponse:
        from wildlife.audit.services import audit_record

        total = queryset.count()
        if total > EXPORT_ROW_LIMIT:
            messages.error(self.request, _("导出行数 %(n)d 超过上限 %(m)d，请先缩小筛选范围。") % {"n": total, "m": EXPORT_ROW_LIMIT})
            return HttpResponseRedirect("?" + self.request.GET.copy().urlencode().replace("export=xlsx", ""))
        columns = [c for c in self.get_columns() if c.export]
        title = str(self.title or self.model._meta.verbose_name_plural)
        note = _("%(title)s · 导出时间 %(time)s · 导出人 %(user)s · 共 %(n)d 条") % {
            "title": title,
            "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "user": self.request.user.get_username(),
            "n": total,
        }
        content = build_workbook(title=title, headers=[str(c.label) for c in columns], rows=self.export_rows(queryset, columns), note=note)
        audit_record(
            action="export",
            actor=self.request.user,
            object_type=f"{self.model._meta.app_label}.{self.model._meta.model_name}",
            detail={"format": "xlsx", "rows": total, "query": self.request.GET.urlencode()[:500]},
        )
        filename = (self.export_filename or self.model._meta.model_name or "export") + timezone.localtime().strftime("-%Y%m%d-%H%M") + ".xlsx"
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ObjectDetailView(PlatformPermissionMixin, View):
    """One record within scope (404 otherwise) with its history."""

    template_name = ""
    access: Callable[..., Any] | None = None

    def get_object(self, pk: Any) -> Any:
        if self.access is not None:
            return type(self).access(self.request.user, pk, action="view")  # type: ignore[misc]
        return get_in_scope_or_404(self.model, self.request.user, pk, action="view")

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.get_object(pk)
        from wildlife.audit.selectors import object_history

        context = {"object": obj, "history": object_history(obj), "view": self}
        context.update(self.extra_context(obj))
        return render(request, self.template_name, context)

    def extra_context(self, obj: Any) -> dict[str, Any]:
        return {}


class ObjectFormView(PlatformPermissionMixin, View):
    """Create (pk None) or edit a record through a service; field errors next to the fields; version conflicts explained.

    `service(actor=..., **cleaned_data)` creates; `service(actor=..., obj=..., **cleaned_data)` updates.
    """

    template_name = "core/object_form.html"
    form_class: type[BaseForm]
    service: Callable[..., Any]
    title: Any = ""
    access: Callable[..., Any] | None = None

    def get_object(self, pk: Any) -> Any:
        if pk is None:
            return None
        if self.access is not None:
            return type(self).access(self.request.user, pk, action="change")  # type: ignore[misc]
        return get_in_scope_or_404(self.model, self.request.user, pk, action="change")

    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> BaseForm:
        kwargs: dict[str, Any] = {"data": data, "files": files}
        if obj is not None and hasattr(self.form_class, "_meta"):
            kwargs["instance"] = obj
        if "user" in getattr(self.form_class, "accepts", ()):  # forms that narrow choices to the user's scope
            kwargs["user"] = self.request.user
        return self.form_class(**kwargs)

    def render_form(self, obj: Any, form: BaseForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "object": obj,
            "title": self.title
            or (_("编辑%(name)s") if obj else _("新建%(name)s")) % {"name": self.model._meta.verbose_name},
            "view": self,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        obj = self.get_object(pk)
        return self.render_form(obj, self.get_form(obj))

    def post(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        obj = self.get_object(pk)
        form = self.get_form(obj, request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(obj, form, status=422 if request.htmx else 200)  # type: ignore[attr-defined]
        data = dict(form.cleaned_data)
        try:
            if obj is None:
                result = type(self).service(actor=request.user, **data)
            else:
                result = type(self).service(actor=request.user, obj=obj, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(obj, form)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            return self.render_form(obj, form, status=409 if request.htmx else 200)  # type: ignore[attr-defined]
        except OutOfScopeError as exc:
            form.add_error(None, str(exc))
            return self.render_form(obj, form)
        messages.success(request, _("已保存"))
        return hx_redirect(request, self.success_url(result))

    def success_url(self, obj: Any) -> str:
        return str(obj.get_absolute_url())


class ObjectDeleteView(PlatformPermissionMixin, View):
    """Asks for confirmation (GET), then deletes through a service (POST)."""

    permission_action = "delete"
    template_name = "core/object_confirm_delete.html"
    service: Callable[..., Any]
    success_url_name: str = ""
    access: Callable[..., Any] | None = None

    def get_object(self, pk: Any) -> Any:
        if self.access is not None:
            return type(self).access(self.request.user, pk, action="delete")  # type: ignore[misc]
        return get_in_scope_or_404(self.model, self.request.user, pk, action="delete")

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return render(request, self.template_name, {"object": self.get_object(pk), "view": self})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.get_object(pk)
        try:
            type(self).service(actor=request.user, obj=obj)
        except (ValidationError, ConflictError) as exc:
            message = exc.message if isinstance(exc, ConflictError) else "；".join(exc.messages)
            messages.error(request, message)
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("已删除"))
        from django.urls import reverse

        return hx_redirect(request, reverse(self.success_url_name))


def apply_validation_error(form: BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: field messages next to their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# --- home, health, errors ---------------------------------------------------------------------------------------


class HomeView(LoginRequiredMixin, View):
    """The user's workbench: figures for their scope contributed by each app, the areas they work in."""

    def get(self, request: HttpRequest) -> HttpResponse:
        cards: list[dict[str, Any]] = []
        for config in apps.get_app_configs():
            provider = getattr(config, "dashboard_cards", None)
            if callable(provider):
                cards.extend(provider(request.user))
        from wildlife.geo.selectors import areas_for_user

        areas = areas_for_user(request.user)
        return render(request, "core/home.html", {"cards": cards, "areas": areas})


def healthz(request: HttpRequest) -> JsonResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", {"message": str(exception) if exception else ""}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", {"request_id": getattr(request, "request_id", "")}, status=500)


__all__ = [
    "Http404",
    "ObjectDeleteView",
    "ObjectDetailView",
    "ObjectFormView",
    "ObjectImportView",
    "ObjectListView",
    "apply_validation_error",
]


# --- register import (Excel / CSV) ------------------------------------------------------------------------------

REPORT_ERROR_LIMIT = 200  # errors shown on the result page; the downloadable report has them all (up to the cap)
SESSION_ERROR_CAP = 5000


class RegisterImportForm(forms.Form):
    """The file and the mode of a register import."""

    file = forms.FileField(
        label=gettext_lazy("Excel 或 CSV 文件"),
        help_text=gettext_lazy("请使用下载的导入模板；.xlsx 或 .csv（UTF-8 / GBK），最多 5 MB、5,000 行。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"}),
    )
    mode = forms.ChoiceField(label=gettext_lazy("导入方式"), choices=MODE_CHOICES, initial=MODE_ALL, widget=forms.RadioSelect)


class ObjectImportView(PlatformPermissionMixin, View):
    """Import a register from Excel/CSV through its create service (see wildlife/core/imports.py).

    GET shows the form, `?template=1` downloads the template, `?errors=1` the error report of the user's last import
    of this register; POST runs the import and shows the result. Needs the model's add permission.
    """

    permission_action = "add"
    template_name = "core/object_import.html"
    spec: RegisterImport
    list_url_name: str = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.model = self.spec.model
        return super().dispatch(request, *args, **kwargs)

    @property
    def session_key(self) -> str:
        return f"register_import:{self.spec.label}"

    def render_page(self, form: RegisterImportForm, report: ImportReport | None = None, file_error: str = "", status: int = 200) -> HttpResponse:
        from django.urls import reverse

        context = {
            "view": self,
            "spec": self.spec,
            "title": _("导入%(title)s") % {"title": self.spec.title},
            "form": form,
            "report": report,
            "errors": [e.text() for e in report.errors[:REPORT_ERROR_LIMIT]] if report else [],
            "more_errors": max(0, len(report.errors) - REPORT_ERROR_LIMIT) if report else 0,
            "file_error": file_error,
            "list_url": reverse(self.list_url_name) if self.list_url_name else "",
            "columns": self.spec.columns,
            "key_headers": "+".join(self.spec.key_headers()),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("template"):
            content = template_bytes(self.spec, request.user)
            response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
            response["Content-Disposition"] = f'attachment; filename="{self.spec.filename}-import-template.xlsx"'
            return response
        if request.GET.get("errors"):
            stored = request.session.get(self.session_key) or {}
            errors = [RowError(int(r), str(h), str(m)) for r, h, m in stored.get("errors", [])]
            if not errors:
                messages.info(request, _("没有可下载的错误报告。"))
                return HttpResponseRedirect(request.path)
            response = HttpResponse(errors_bytes(self.spec, errors), content_type=XLSX_CONTENT_TYPE)
            response["Content-Disposition"] = f'attachment; filename="{self.spec.filename}-import-errors.xlsx"'
            return response
        return self.render_page(RegisterImportForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = RegisterImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form, status=422 if getattr(request, "htmx", False) else 200)
        try:
            table = read_rows(form.cleaned_data["file"])
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.render_page(form, file_error=str(exc))
        report = run_import(self.spec, request.user, table, form.cleaned_data["mode"])
        request.session[self.session_key] = {"errors": [[e.row, e.header, e.message] for e in report.errors[:SESSION_ERROR_CAP]]}
        return self.render_page(RegisterImportForm(initial={"mode": form.cleaned_data["mode"]}), report=report)

