"""Species pages: list (search, filters, export), detail (names, statuses, group rules, status on a date), edits,
list versions and the import page. Views are an access check, a service call and a response."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from wildlife.core.excel import XLSX_CONTENT_TYPE, build_template
from wildlife.core.tables import Column
from wildlife.core.views import (
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    PlatformPermissionMixin,
    apply_validation_error,
)
from wildlife.species import services
from wildlife.species.access import (
    access_alias_by_id,
    access_list_version_by_id,
    access_species_by_id,
    access_status_by_id,
)
from wildlife.species.choices import ListKind
from wildlife.species.filtersets import SpeciesFilterSet
from wildlife.species.forms import AliasForm, ImportForm, SpeciesForm, StatusForm, StatusOnDateForm
from wildlife.species.models import GroupRule, ListVersion, Species
from wildlife.species.selectors import (
    group_rule_coverage,
    group_rules_for_species,
    species_search,
    species_status_history,
    species_status_on,
)


def _aliases(obj: Species) -> str:
    return "、".join(a.name for a in obj.aliases.all())


class SpeciesListView(ObjectListView):
    model = Species
    title = gettext_lazy("物种名录")
    columns = (
        Column("name_zh", gettext_lazy("中文名"), link=True, order_by="pinyin"),
        Column("scientific_name", gettext_lazy("学名"), order_by="scientific_name", css="fst-italic"),
        Column("protection", gettext_lazy("现行保护级别"), order_by="protection"),
        Column("taxon_class", gettext_lazy("纲"), order_by="taxon_class"),
        Column("taxon_order", gettext_lazy("目"), order_by="taxon_order"),
        Column("taxon_family", gettext_lazy("科"), order_by="taxon_family"),
        Column("aquatic", gettext_lazy("水生"), order_by="aquatic"),
        Column("wild_only", gettext_lazy("仅限野外种群"), order_by="wild_only"),
        Column("aliases", gettext_lazy("别名"), accessor=_aliases),
        Column("protection_list", gettext_lazy("级别依据"), export=True),
    )
    filterset_class = SpeciesFilterSet
    search_placeholder = gettext_lazy("中文名、别名、拼音首字母（如 hxw）或学名")
    default_ordering = ("taxon_class", "pinyin", "pk")
    create_url_name = "species:create"
    import_url_name = "species:import"
    export_filename = "species"
    empty_message = gettext_lazy("名录中还没有物种，可从“导入名录”载入官方名录。")

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("protection_list").prefetch_related("aliases")

    def apply_search(self, queryset: QuerySet[Any], term: str) -> QuerySet[Any]:
        return species_search(term, queryset) if term else queryset

    def ordering(self) -> tuple[list[str], str]:
        order, sort = super().ordering()
        if not sort and self.request.GET.get("q", "").strip():
            return ["-search_rank", "name_length", "pinyin", "pk"], ""
        return order, sort


class SpeciesDetailView(ObjectDetailView):
    model = Species
    template_name = "species/detail.html"
    access = staticmethod(access_species_by_id)

    def extra_context(self, obj: Species) -> dict[str, Any]:
        today = timezone.localdate()
        form = StatusOnDateForm(self.request.GET or None)
        on_result = None
        if form.is_bound and form.is_valid():
            on_result = species_status_on(species=obj, on=form.cleaned_data["on"])
        user = self.request.user
        return {
            "aliases": list(obj.aliases.all()),
            "statuses": species_status_history(species=obj),
            "rules": group_rules_for_species(species=obj),
            "current": species_status_on(species=obj, on=today),
            "today": today,
            "on_form": form,
            "on_result": on_result,
            "can_change": user.has_perm("species.change_species"),
            "alias_form": AliasForm(),
            "status_form": StatusForm(),
        }


class SpeciesCreateView(ObjectFormView):
    model = Species
    permission_action = "add"
    form_class = SpeciesForm
    service = services.species_create
    title = gettext_lazy("新增物种")


class SpeciesUpdateView(ObjectFormView):
    model = Species
    permission_action = "change"
    form_class = SpeciesForm
    service = services.species_update
    access = staticmethod(access_species_by_id)


class _SpeciesPostView(PlatformPermissionMixin, View):
    """Small POST actions from the detail page; errors come back as messages on the same page."""

    model = Species
    permission_action = "change"

    def done(self, species: Species, message: str) -> HttpResponse:
        messages.success(self.request, message)
        return HttpResponseRedirect(species.get_absolute_url())

    def failed(self, species: Species, errors: Sequence[str]) -> HttpResponse:
        for error in errors:
            messages.error(self.request, error)
        return HttpResponseRedirect(species.get_absolute_url())


class AliasAddView(_SpeciesPostView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        species = access_species_by_id(request.user, pk, action="change")
        form = AliasForm(request.POST)
        if not form.is_valid():
            return self.failed(species, [f"{form.fields[f].label}: {e}" for f, errs in form.errors.items() for e in errs])
        try:
            services.species_alias_add(actor=request.user, species=species, **form.cleaned_data)
        except ValidationError as exc:
            return self.failed(species, exc.messages)
        return self.done(species, _("已添加别名"))


class AliasRemoveView(_SpeciesPostView):
    def post(self, request: HttpRequest, pk: int, alias_id: int) -> HttpResponse:
        species = access_species_by_id(request.user, pk, action="change")
        alias = access_alias_by_id(request.user, alias_id, action="delete")
        if alias.species_id != species.pk:
            raise PermissionDenied
        services.species_alias_remove(actor=request.user, alias=alias)
        return self.done(species, _("已删除别名"))


class StatusSetView(_SpeciesPostView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        species = access_species_by_id(request.user, pk, action="change")
        form = StatusForm(request.POST)
        if not form.is_valid():
            return self.failed(species, [f"{form.fields[f].label}: {e}" for f, errs in form.errors.items() for e in errs])
        try:
            services.species_status_set(actor=request.user, species=species, **form.cleaned_data)
        except ValidationError as exc:
            return self.failed(species, exc.messages)
        return self.done(species, _("已保存保护级别"))


class StatusRemoveView(_SpeciesPostView):
    def post(self, request: HttpRequest, pk: int, status_id: int) -> HttpResponse:
        species = access_species_by_id(request.user, pk, action="change")
        status = access_status_by_id(request.user, status_id, action="delete")
        if status.species_id != species.pk:
            raise PermissionDenied
        services.species_status_remove(actor=request.user, status=status)
        return self.done(species, _("已删除该版本的级别记录"))


class ListVersionListView(PlatformPermissionMixin, View):
    model = ListVersion

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        versions = (
            ListVersion.objects.restrict(request.user, "view")
            .annotate(status_count=Count("statuses", distinct=True), rule_count=Count("group_rules", distinct=True))
            .order_by("kind", "-effective_from")
        )
        rows = [(v, v.in_force_on(today)) for v in versions]
        return render(request, "species/versions.html", {"rows": rows, "today": today, "kinds": ListKind})


class ListVersionDetailView(PlatformPermissionMixin, View):
    model = ListVersion

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = access_list_version_by_id(request.user, pk)
        rules = [(rule, list(group_rule_coverage(rule=rule)[:200])) for rule in GroupRule.objects.filter(list_version=version)]
        by_protection = version.statuses.values("protection", "origin").annotate(n=Count("pk")).order_by("protection", "origin")
        return render(
            request,
            "species/version_detail.html",
            {"version": version, "rules": rules, "by_protection": by_protection, "in_force": version.in_force_on(timezone.localdate())},
        )


def job_url(job: Any) -> str:
    """The job's page (the jobs module's detail page when it exists, else the user's job list)."""
    try:
        return reverse("jobs:detail", args=[job.pk])
    except NoReverseMatch:
        try:
            return reverse("jobs:my_jobs")
        except NoReverseMatch:
            return "/jobs/"


class ImportView(PlatformPermissionMixin, View):
    model = Species
    permission_action = "add"

    def context(self, form: ImportForm) -> dict[str, Any]:
        return {"form": form, "versions": ListVersion.objects.order_by("kind", "-effective_from")}

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "species/import.html", self.context(ImportForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        from wildlife.jobs.services import job_start
        from wildlife.species.importers import detect_format
        from wildlife.species.jobs import JOB_KIND

        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "species/import.html", self.context(form))
        data = form.cleaned_data
        upload = data["file"]
        params = {
            "version_code": data["version_code"],
            "kind": data["kind"],
            "version_name": data.get("version_name") or "",
            "document": data.get("document") or "",
            "effective_from": data["effective_from"].isoformat() if data.get("effective_from") else "",
            "effective_to": data["effective_to"].isoformat() if data.get("effective_to") else "",
            "mode": data["mode"],
            "format": detect_format(upload.name),
            "filename": upload.name,
        }
        try:
            job = job_start(
                actor=request.user,
                kind=JOB_KIND,
                title=_("导入名录：%(name)s → %(code)s") % {"name": upload.name, "code": data["version_code"]},
                params=params,
                input_file=upload,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return render(request, "species/import.html", self.context(form))
        messages.success(request, _("导入任务已提交，完成后可在任务页面下载报告。"))
        return HttpResponseRedirect(job_url(job))


IMPORT_HEADERS = ["中文名", "学名", "保护级别", "备注", "水生", "纲", "目", "科", "阶元"]


class ImportTemplateView(PlatformPermissionMixin, View):
    model = Species
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        content = build_template(
            title="保护名录",
            headers=IMPORT_HEADERS,
            required=["中文名", "学名"],
            choices={"保护级别": ["国家一级", "国家二级", "三有", "省重点"], "水生": ["是", "否"], "阶元": ["属", "科", "目"]},
            example=["黄胸鹀", "Emberiza aureola", "国家一级", "", "否", "鸟纲", "雀形目", "鹀科", ""],
            instructions=[
                "每行一个物种；“阶元”只在类群条目（如“闭壳龟属”，学名填 Cuora，阶元填“属”）时填写。",
                "保护级别：国家一级、国家二级、三有、省重点。我国没有“国家三级”，填写将被拒绝。",
                "三有名录和省重点名录可不填保护级别（按名录类型）。",
                "备注可写“仅限野外种群”“仅限陆封种群”“原名“…””，原名将记为别名。",
            ],
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="species-list-template.xlsx"'
        return response
