"""Pages of online-trade monitoring: listings and the review queue, a listing with its highlighted text and the
review actions, the two-step import, manual capture, the keyword table and its versions, scans, takedown letters,
collector sources and platforms. Views are an access check, a service call and a response."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from wildlife.audit.services import audit_record
from wildlife.core.excel import XLSX_CONTENT_TYPE, build_template
from wildlife.core.exceptions import ConflictError
from wildlife.core.htmx import hx_redirect
from wildlife.core.tables import Column
from wildlife.core.views import (
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    PlatformPermissionMixin,
    apply_validation_error,
)
from wildlife.trade import services
from wildlife.trade.access import (
    access_collector_source_by_id,
    access_letter_by_id,
    access_listing_by_id,
    access_listing_image_by_id,
    access_platform_by_id,
    access_scan_batch_by_id,
    access_term_by_id,
    access_term_version_by_id,
)
from wildlife.trade.choices import ListingStatus, ScanStatus, TermCategory
from wildlife.trade.filtersets import ListingFilterSet, ScanBatchFilterSet, TermFilterSet
from wildlife.trade.forms import (
    CollectorSourceForm,
    EscalateForm,
    FalsePositiveForm,
    ImageForm,
    ListingCaptureForm,
    MappingForm,
    PlatformForm,
    ReopenForm,
    TakedownForm,
    TermForm,
    TermSettingsForm,
    UploadForm,
)
from wildlife.trade.importers import TARGET_FIELDS
from wildlife.trade.models import CollectorSource, Listing, Platform, ScanBatch, TakedownLetter, TermVersion, TradeTerm
from wildlife.trade.selectors import (
    same_seller_listings,
    term_category_counts,
    term_version_changes,
    term_version_current,
)


def _terms_text(listing: Listing) -> str:
    return "、".join(str(m["term"]) for m in listing.matched_terms if m.get("category") in ("species", "slang", "tool"))


def _form_errors(form: Any) -> list[str]:
    return [f"{form.fields[f].label if f in form.fields else ''}: {e}".lstrip(": ") for f, errs in form.errors.items() for e in errs]


# --- listings -----------------------------------------------------------------------------------------------------


class ListingListView(ObjectListView):
    model = Listing
    template_name = "trade/listing_list.html"
    title = gettext_lazy("商品信息")
    columns = (
        Column("title", gettext_lazy("标题"), link=True, order_by="title"),
        Column("platform", gettext_lazy("平台"), order_by="platform__name"),
        Column("risk_score", gettext_lazy("风险分"), order_by="risk_score", css="text-end"),
        Column("terms", gettext_lazy("命中词"), accessor=_terms_text),
        Column("seller_account", gettext_lazy("卖家账号"), order_by="seller_account"),
        Column("price", gettext_lazy("价格（元）"), order_by="price", css="text-end"),
        Column("captured_at", gettext_lazy("采集时间"), order_by="captured_at"),
        Column("status", gettext_lazy("状态"), order_by="status"),
        Column("source", gettext_lazy("来源"), order_by="source"),
    )
    filterset_class = ListingFilterSet
    search_fields = ("title", "text", "seller_account", "seller_name", "url", "external_id")
    search_placeholder = gettext_lazy("标题、描述、卖家账号或链接")
    default_ordering: tuple[str, ...] = ("-captured_at", "-pk")
    create_url_name = "trade:capture"
    import_url_name = "trade:import"
    export_filename = "listings"
    empty_message = gettext_lazy("还没有商品信息，可导入平台数据或人工采集。")

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset().select_related("platform")
        batch = self.request.GET.get("scan_batch", "")
        # the listings of one scan (linked from the scan page)
        return queryset.filter(scan_batch_id=int(batch)) if batch.isdigit() else queryset


class ListingQueueView(ListingListView):
    """Flagged listings still to be reviewed, riskiest first."""

    title = gettext_lazy("审核队列")
    default_ordering: tuple[str, ...] = ("-risk_score", "-captured_at", "-pk")
    empty_message = gettext_lazy("审核队列是空的：没有待审核的命中商品信息。")

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().filter(flagged=True, status__in=(ListingStatus.NEW, ListingStatus.REVIEWING))


def _segments(text: str, spans: Sequence[Sequence[Any]], field: str) -> list[tuple[str, str, str]]:
    """The text cut into (piece, category, term) with category "" for plain text, for the highlighted view."""
    pieces: list[tuple[str, str, str]] = []
    position = 0
    for span in sorted((s for s in spans if s[0] == field), key=lambda s: s[1]):
        _field, start, end, category, term = span
        if start < position or end > len(text):
            continue  # the text changed since the scan: show it plain rather than mark the wrong words
        if start > position:
            pieces.append((text[position:start], "", ""))
        pieces.append((text[start:end], str(category), str(term)))
        position = end
    if position < len(text):
        pieces.append((text[position:], "", ""))
    return pieces


class ListingDetailView(ObjectDetailView):
    model = Listing
    template_name = "trade/listing_detail.html"
    access = staticmethod(access_listing_by_id)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # a department without the listing permission gets the same answer as for a listing that does not exist
        if request.user.is_authenticated and (getattr(request.user, "is_admin_role", False) or not request.user.has_perm("trade.view_listing")):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def extra_context(self, obj: Listing) -> dict[str, Any]:
        user = self.request.user
        return {
            "title_segments": _segments(obj.title, obj.highlights, "title"),
            "text_segments": _segments(obj.text, obj.highlights, "text"),
            "core_terms": [m for m in obj.matched_terms if m.get("category") in ("species", "slang", "tool")],
            "other_terms": [m for m in obj.matched_terms if m.get("category") not in ("species", "slang", "tool")],
            "images": list(obj.images.all()),
            "letters": list(TakedownLetter.objects.restrict(user, "view").filter(listing=obj)),
            "same_seller": same_seller_listings(user=user, listing=obj),
            "can_review": user.has_perm("trade.review_listing"),
            "can_takedown": user.has_perm("trade.request_takedown"),
            "can_add_image": user.has_perm("trade.add_listingimage"),
            "false_positive_form": FalsePositiveForm(),
            "takedown_form": TakedownForm(initial={"reason": _default_reason(obj)}),
            "escalate_form": EscalateForm(initial={"title": _("网络%(what)s交易案（%(platform)s）") % {"what": _case_word(obj), "platform": obj.platform.name}}),
            "reopen_form": ReopenForm(),
            "image_form": ImageForm(),
            "term_version_current": term_version_current(),
        }


def _case_word(listing: Listing) -> str:
    core = [m for m in listing.matched_terms if m.get("category") in ("species", "slang", "tool")]
    if not core:
        return _("涉野生动物")
    first = core[0]
    return str(first.get("species") or first.get("term"))


def _default_reason(listing: Listing) -> str:
    core = [m for m in listing.matched_terms if m.get("category") in ("species", "slang", "tool")]
    if not core:
        return ""
    words = "、".join(str(m["term"]) for m in core[:5])
    return _("该商品信息含“%(words)s”等内容，涉嫌违法出售野生动物及其制品或禁止使用的猎捕工具。") % {"words": words}


class _ListingActionView(PlatformPermissionMixin, View, abc.ABC):
    """A review action posted from the listing page; problems come back as messages on the same page."""

    model = Listing
    permission_action = "view"
    form_class: Any = None

    @abc.abstractmethod
    def act(self, listing: Listing, data: dict[str, Any]) -> str:
        """Run the service for this action; return the success message."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        listing = access_listing_by_id(request.user, pk, action="view")
        data: dict[str, Any] = {}
        if self.form_class is not None:
            form = self.form_class(request.POST, request.FILES)
            if not form.is_valid():
                for message in _form_errors(form):
                    messages.error(request, message)
                return hx_redirect(request, listing.get_absolute_url())
            data = form.cleaned_data
        try:
            message = self.act(listing, data)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
            return hx_redirect(request, listing.get_absolute_url())
        except ConflictError as exc:
            messages.warning(request, exc.message)
            return hx_redirect(request, listing.get_absolute_url())
        messages.success(request, message)
        return hx_redirect(request, listing.get_absolute_url())


class ListingReviewStartView(_ListingActionView):
    def act(self, listing: Listing, data: dict[str, Any]) -> str:
        services.listing_review_start(actor=self.request.user, listing=listing)
        return _("已开始审核")


class ListingFalsePositiveView(_ListingActionView):
    form_class = FalsePositiveForm

    def act(self, listing: Listing, data: dict[str, Any]) -> str:
        services.listing_mark_false_positive(actor=self.request.user, listing=listing, note=data["note"])
        return _("已标记为误报")


class ListingReopenView(_ListingActionView):
    form_class = ReopenForm

    def act(self, listing: Listing, data: dict[str, Any]) -> str:
        services.listing_reopen(actor=self.request.user, listing=listing, note=data["note"])
        return _("已重新放入审核队列")


class ListingTakedownView(_ListingActionView):
    form_class = TakedownForm

    def act(self, listing: Listing, data: dict[str, Any]) -> str:
        letter = services.listing_request_takedown(actor=self.request.user, listing=listing, reason=data["reason"])
        return _("已生成下架通知函 %(number)s") % {"number": letter.number}


class ListingEscalateView(_ListingActionView):
    form_class = EscalateForm

    def act(self, listing: Listing, data: dict[str, Any]) -> str:
        updated = services.listing_escalate(actor=self.request.user, listing=listing, title=data["title"], note=data["note"])
        return _("已转立案，案件编号 %(no)s") % {"no": updated.case_no or "—"}


class ListingRescanView(_ListingActionView):
    permission_action = "change"

    def act(self, listing: Listing, data: dict[str, Any]) -> str:
        updated = services.listing_rescan(actor=self.request.user, listing=listing)
        return _("已按词库 v%(v)s 重新扫描：风险分 %(s)d") % {"v": updated.term_version.number if updated.term_version else "—", "s": updated.risk_score}


class ListingImageAddView(_ListingActionView):
    form_class = ImageForm

    def act(self, listing: Listing, data: dict[str, Any]) -> str:
        if not self.request.user.has_perm("trade.add_listingimage"):
            raise PermissionDenied
        services.listing_image_add(actor=self.request.user, listing=listing, upload=data["image"], caption=data.get("caption", ""))
        return _("已添加截图")


class ListingImageView(PlatformPermissionMixin, View):
    """A screenshot, after the scope check (never a public media URL)."""

    model = Listing

    def get(self, request: HttpRequest, pk: int, image_id: int) -> HttpResponseBase:
        image = access_listing_image_by_id(request.user, image_id, action="view")
        if image.listing_id != pk:
            raise Http404
        response = FileResponse(image.file.open("rb"), content_type=image.content_type)
        response["Cache-Control"] = "private, max-age=600"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ListingCaptureView(ObjectFormView):
    model = Listing
    permission_action = "add"
    form_class = ListingCaptureForm
    service = staticmethod(services.listing_capture)
    title = gettext_lazy("人工采集商品信息")


# --- import with mapping --------------------------------------------------------------------------------------------


class ImportView(PlatformPermissionMixin, View):
    """Step 1: upload a platform export."""

    model = Listing
    permission_action = "add"

    def render_page(self, form: UploadForm, status: int = 200) -> HttpResponse:
        return render(self.request, "trade/import_upload.html", {"form": form, "fields": TARGET_FIELDS}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(UploadForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_page(form)
        try:
            batch = services.scan_upload_create(
                actor=request.user,
                platform=form.cleaned_data["platform"],
                upload=form.cleaned_data["file"],
                mode=form.cleaned_data["mode"],
                operation=form.cleaned_data.get("operation"),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_page(form)
        return hx_redirect(request, reverse("trade:import_mapping", args=[batch.pk]))


class ImportMappingView(PlatformPermissionMixin, View):
    """Step 2: map the file's columns to listing fields (pre-filled), then the import-and-scan job starts."""

    model = Listing
    permission_action = "add"

    def batch(self, pk: int) -> ScanBatch:
        batch = access_scan_batch_by_id(self.request.user, pk, action="view")
        if batch.created_by_id != self.request.user.pk:
            raise Http404  # an upload waiting for its mapping belongs to the person who uploaded it
        return batch

    def render_page(self, batch: ScanBatch, form: MappingForm) -> HttpResponse:
        headers = list(batch.headers)
        return render(
            self.request,
            "trade/import_mapping.html",
            {"batch": batch, "form": form, "headers": headers, "sample": [[row.get(h, "") for h in headers] for row in batch.sample]},
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(pk)
        if batch.status != ScanStatus.DRAFT:
            return HttpResponseRedirect(batch.get_absolute_url())
        form = MappingForm(headers=list(batch.headers), initial_mapping=batch.mapping, initial={"mode": batch.mode})
        return self.render_page(batch, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(pk)
        form = MappingForm(request.POST, headers=list(batch.headers), initial_mapping=batch.mapping)
        if not form.is_valid():
            return self.render_page(batch, form)
        try:
            services.scan_mapping_submit(
                actor=request.user, batch=batch, mapping=form.mapping(), mode=form.cleaned_data["mode"], save_mapping=form.cleaned_data["save_mapping"]
            )
        except ValidationError as exc:
            by_field = exc.error_dict if hasattr(exc, "error_dict") else {"": exc.error_list}
            for field, errors in by_field.items():
                target = f"map_{field}" if f"map_{field}" in form.fields else None
                for error in errors:
                    form.add_error(target, error)
            return self.render_page(batch, form)
        except ConflictError as exc:
            messages.warning(request, exc.message)
        return hx_redirect(request, batch.get_absolute_url())


class ImportTemplateView(PlatformPermissionMixin, View):
    model = Listing
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        headers = [str(f.label) for f in TARGET_FIELDS]
        content = build_template(
            title="商品信息导入模板",
            headers=headers,
            required=[str(f.label) for f in TARGET_FIELDS if f.required],
            example=["出售画眉鸟活体 包邮", "野生画眉，可寄", "https://example.com/item/1", "1001", "seller_01", "示例卖家", "", "380", "2026-04-01 10:00", "淄博", ""],
            instructions=["平台导出文件无需改成本模板：上传后可逐列选择对应字段。"],
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="listing-import-template.xlsx"'
        return response


# --- scans --------------------------------------------------------------------------------------------------------


class ScanListView(ObjectListView):
    model = ScanBatch
    title = gettext_lazy("扫描任务")
    columns = (
        Column("title", gettext_lazy("名称"), link=True, order_by="title"),
        Column("kind", gettext_lazy("类型"), order_by="kind"),
        Column("status", gettext_lazy("状态"), order_by="status"),
        Column("term_version", gettext_lazy("词库版本")),
        Column("total", gettext_lazy("行数"), order_by="total", css="text-end"),
        Column("created_count", gettext_lazy("新增"), order_by="created_count", css="text-end"),
        Column("flagged_count", gettext_lazy("命中待审"), order_by="flagged_count", css="text-end"),
        Column("error_count", gettext_lazy("错误"), order_by="error_count", css="text-end"),
        Column("created_by", gettext_lazy("发起人")),
        Column("created_at", gettext_lazy("时间"), order_by="created_at"),
    )
    filterset_class = ScanBatchFilterSet
    search_fields = ("title", "original_name")
    default_ordering = ("-created_at",)
    import_url_name = "trade:import"
    export_filename = "trade-scans"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("term_version", "created_by", "platform")


class ScanDetailView(ObjectDetailView):
    model = ScanBatch
    template_name = "trade/scan_detail.html"
    access = staticmethod(access_scan_batch_by_id)

    def extra_context(self, obj: ScanBatch) -> dict[str, Any]:
        job = obj.job if obj.job_id and obj.job and obj.job.owner_id == self.request.user.pk else None
        listings = Listing.objects.restrict(self.request.user, "view").filter(scan_batch=obj)
        return {
            "job": job,
            "flagged": listings.filter(flagged=True).order_by("-risk_score")[:20],
            "listing_count": listings.count(),
            "mapping_rows": [(f.label, obj.mapping.get(f.name, "")) for f in TARGET_FIELDS if obj.mapping.get(f.name)],
        }


# --- keyword table ------------------------------------------------------------------------------------------------


class TermListView(ObjectListView):
    model = TradeTerm
    template_name = "trade/term_list.html"
    title = gettext_lazy("关键词库")
    columns = (
        Column("term", gettext_lazy("关键词"), link=True, order_by="term"),
        Column("category", gettext_lazy("类别"), order_by="category"),
        Column("weight", gettext_lazy("权重"), order_by="weight", css="text-end"),
        Column("variants", gettext_lazy("变体写法"), accessor=lambda t: "、".join(t.variants or [])),
        Column("species", gettext_lazy("物种"), accessor=lambda t: t.species.name_zh if t.species_id else ""),
        Column("protection", gettext_lazy("保护级别"), accessor=lambda t: _protection_label(t.protection)),
        Column("enabled", gettext_lazy("参与扫描"), order_by="enabled"),
        Column("since_version", gettext_lazy("起始版本"), order_by="since_version", css="text-end"),
    )
    filterset_class = TermFilterSet
    search_fields = ("term", "note", "species__name_zh")
    search_placeholder = gettext_lazy("关键词、备注或物种")
    default_ordering = ("category", "-weight", "term")
    create_url_name = "trade:term_create"
    export_filename = "trade-terms"

    def get_queryset(self) -> QuerySet[Any]:
        from django.db.models import Q

        current = term_version_current()
        queryset = super().get_queryset().select_related("species")
        if current is None:
            return queryset.none()
        return queryset.filter(since_version__lte=current.number).filter(Q(until_version__isnull=True) | Q(until_version__gt=current.number))

    def extra_context(self) -> dict[str, Any]:
        current = term_version_current()
        return {
            "current": current,
            "versions": list(TermVersion.objects.restrict(self.request.user, "view")[:8]),
            "counts": term_category_counts(user=self.request.user),
            "categories": TermCategory,
            "settings_form": TermSettingsForm(
                initial={"base_version": current.number, "threshold": current.threshold, "context_window": current.context_window}
            ) if current else None,
            "can_edit": self.request.user.has_perm("trade.change_tradeterm"),
        }


def _protection_label(value: str) -> str:
    from wildlife.species.choices import Protection

    return str(Protection(value).label) if value in Protection.values else ""


class TermFormView(PlatformPermissionMixin, View):
    """Add (pk None) or change a keyword; each save is a new version of the table."""

    model = TradeTerm
    permission_action = "change"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.permission_action = "add" if kwargs.get("pk") is None else "change"
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form: TermForm, obj: TradeTerm | None) -> HttpResponse:
        title = _("修改关键词“%(t)s”") % {"t": obj.term} if obj else _("新增关键词")
        return render(self.request, "trade/term_form.html", {"form": form, "object": obj, "title": title})

    def get_object(self, pk: int | None) -> TradeTerm | None:
        return access_term_by_id(self.request.user, pk, action="change") if pk is not None else None

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object(pk)
        current = term_version_current()
        form = TermForm(instance=obj, initial={"base_version": current.number if current else 0, "weight": 30, "enabled": True})
        return self.render_form(form, obj)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object(pk)
        form = TermForm(request.POST, instance=obj)
        if not form.is_valid():
            return self.render_form(form, obj)
        data = dict(form.cleaned_data)
        base = data.pop("base_version", None)
        try:
            if obj is None:
                services.trade_term_add(actor=request.user, base_version=base, **data)
            else:
                services.trade_term_update(actor=request.user, obj=obj, base_version=base, species=obj.species, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(form, obj)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            return self.render_form(form, obj)
        messages.success(request, _("已保存，关键词库已生成新版本"))
        return hx_redirect(request, reverse("trade:term_list"))


class TermRemoveView(PlatformPermissionMixin, View):
    model = TradeTerm
    permission_action = "delete"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = access_term_by_id(request.user, pk, action="delete")
        try:
            base = int(request.POST.get("base_version", "")) if request.POST.get("base_version") else None
            version = services.trade_term_remove(actor=request.user, obj=obj, base_version=base, change_note=request.POST.get("change_note", ""))
        except ConflictError as exc:
            messages.warning(request, exc.message)
        except ValueError:
            messages.error(request, _("版本号无效"))
        else:
            messages.success(request, _("已删除，关键词库为 v%(n)d") % {"n": version.number})
        return hx_redirect(request, reverse("trade:term_list"))


class TermSettingsView(PlatformPermissionMixin, View):
    model = TradeTerm
    permission_action = "change"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TermSettingsForm(request.POST)
        if not form.is_valid():
            for message in _form_errors(form):
                messages.error(request, message)
            return hx_redirect(request, reverse("trade:term_list"))
        try:
            version = services.term_settings_update(actor=request.user, **form.cleaned_data)
        except (ValidationError, ConflictError) as exc:
            for text in ([exc.message] if isinstance(exc, ConflictError) else exc.messages):
                messages.error(request, text)
        else:
            messages.success(request, _("已保存，关键词库为 v%(n)d") % {"n": version.number})
        return hx_redirect(request, reverse("trade:term_list"))


class TermSyncView(PlatformPermissionMixin, View):
    model = TradeTerm
    permission_action = "change"

    def post(self, request: HttpRequest) -> HttpResponse:
        current = term_version_current()
        if current is None:
            version: TermVersion | None = services.term_table_seed(actor=request.user)
        else:
            version = services.term_table_sync_species(actor=request.user)
        if version is None:
            messages.info(request, _("物种名录没有变化，关键词库无需更新"))
        else:
            messages.success(request, _("已同步，关键词库为 v%(n)d（新增 %(a)d，修改 %(c)d，删除 %(r)d）") % {"n": version.number, "a": version.added, "c": version.changed, "r": version.removed})
        return hx_redirect(request, reverse("trade:term_list"))


class RescanView(PlatformPermissionMixin, View):
    model = Listing
    permission_action = "change"

    def post(self, request: HttpRequest) -> HttpResponse:
        batch = services.term_rescan_start(actor=request.user)
        messages.success(request, _("已开始按当前词库重新扫描待审商品信息"))
        return hx_redirect(request, batch.get_absolute_url())


class TermVersionListView(ObjectListView):
    model = TermVersion
    title = gettext_lazy("关键词库版本")
    columns = (
        Column("number", gettext_lazy("版本"), link=True, order_by="number", accessor=lambda v: f"v{v.number}"),
        Column("note", gettext_lazy("变更说明")),
        Column("added", gettext_lazy("新增"), css="text-end"),
        Column("changed", gettext_lazy("修改"), css="text-end"),
        Column("removed", gettext_lazy("删除"), css="text-end"),
        Column("term_count", gettext_lazy("词条数"), css="text-end"),
        Column("threshold", gettext_lazy("风险阈值"), css="text-end"),
        Column("created_by", gettext_lazy("创建人")),
        Column("created_at", gettext_lazy("时间"), order_by="created_at"),
    )
    default_ordering = ("-number",)
    export_filename = "trade-term-versions"


class TermVersionDetailView(ObjectDetailView):
    model = TermVersion
    template_name = "trade/term_version_detail.html"
    access = staticmethod(access_term_version_by_id)

    def extra_context(self, obj: TermVersion) -> dict[str, Any]:
        return {"changes": term_version_changes(user=self.request.user, version=obj)}


# --- letters ------------------------------------------------------------------------------------------------------


class LetterListView(ObjectListView):
    model = TakedownLetter
    title = gettext_lazy("下架通知函")
    columns = (
        Column("number", gettext_lazy("文号"), link=True, order_by="seq"),
        Column("platform", gettext_lazy("平台"), order_by="platform__name"),
        Column("addressee", gettext_lazy("收件单位")),
        Column("listing", gettext_lazy("商品信息"), accessor=lambda letter: letter.listing.title),
        Column("issued_by", gettext_lazy("签发人")),
        Column("issued_at", gettext_lazy("签发时间"), order_by="issued_at"),
    )
    search_fields = ("number", "listing__title", "addressee")
    default_ordering = ("-issued_at",)
    export_filename = "takedown-letters"
    empty_message = gettext_lazy("还没有下架通知函；在商品信息页面审核时可生成。")

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("platform", "listing", "issued_by")


class LetterDownloadView(PlatformPermissionMixin, View):
    model = TakedownLetter

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        letter = access_letter_by_id(request.user, pk, action="view")
        audit_record(action="export", actor=request.user, obj=letter, detail={"file": "takedown_letter", "sha256": letter.sha256})
        response = FileResponse(letter.file.open("rb"), content_type="application/pdf", as_attachment=False, filename=f"{letter.number}.pdf")
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- collector sources and platforms ------------------------------------------------------------------------------


class CollectorListView(ObjectListView):
    model = CollectorSource
    title = gettext_lazy("采集源")
    columns = (
        Column("name", gettext_lazy("名称"), link=True, order_by="name"),
        Column("platform", gettext_lazy("平台")),
        Column("parser", gettext_lazy("解析方式")),
        Column("enabled", gettext_lazy("启用"), order_by="enabled"),
        Column("interval_minutes", gettext_lazy("间隔（分钟）"), css="text-end"),
        Column("last_run_at", gettext_lazy("上次运行"), order_by="last_run_at"),
        Column("last_status", gettext_lazy("上次结果")),
    )
    search_fields = ("name", "urls")
    default_ordering = ("name",)
    create_url_name = "trade:collector_create"
    export_filename = "collector-sources"


class CollectorDetailView(ObjectDetailView):
    model = CollectorSource
    template_name = "trade/collector_detail.html"
    access = staticmethod(access_collector_source_by_id)

    def extra_context(self, obj: CollectorSource) -> dict[str, Any]:
        from wildlife.trade.collector import allowed_hosts

        return {
            "batches": ScanBatch.objects.restrict(self.request.user, "view").filter(kind="collector", platform=obj.platform).order_by("-created_at")[:10],
            "allowed_hosts": sorted(allowed_hosts()),
            "can_run": self.request.user.has_perm("trade.change_collectorsource"),
        }


class CollectorFormView(ObjectFormView):
    model = CollectorSource
    form_class = CollectorSourceForm
    service = staticmethod(services.collector_source_save)
    access = staticmethod(access_collector_source_by_id)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.permission_action = "add" if kwargs.get("pk") is None else "change"
        return super().dispatch(request, *args, **kwargs)


class CollectorRunView(PlatformPermissionMixin, View):
    model = CollectorSource
    permission_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        source = access_collector_source_by_id(request.user, pk, action="change")
        batch = services.collector_source_run(actor=request.user, source=source)
        messages.success(request, _("已开始采集"))
        return hx_redirect(request, batch.get_absolute_url())


class PlatformListView(ObjectListView):
    model = Platform
    title = gettext_lazy("交易平台")
    permission_action = "view"
    columns = (
        Column("name", gettext_lazy("平台名称"), order_by="name", link=True),
        Column("code", gettext_lazy("代码"), order_by="code"),
        Column("operator", gettext_lazy("运营主体")),
        Column("contact", gettext_lazy("联系方式")),
        Column("is_active", gettext_lazy("启用")),
    )
    search_fields = ("name", "code", "operator")
    default_ordering = ("name",)
    create_url_name = "trade:platform_create"


class PlatformFormView(ObjectFormView):
    model = Platform
    form_class = PlatformForm
    service = staticmethod(services.platform_save)
    access = staticmethod(access_platform_by_id)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.permission_action = "add" if kwargs.get("pk") is None else "change"
        return super().dispatch(request, *args, **kwargs)

    def success_url(self, obj: Any) -> str:
        return reverse("trade:platform_list")
