"""Pages of the enforcement app. Each view: an access check, a service call, a response.

Informant identity appears on exactly one response: the reveal page for the intake role (no-store, audited). No list,
export, detail page, case file or error message reads TipoffInformant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from wildlife.accounts.models import User
from wildlife.audit.selectors import object_history
from wildlife.audit.services import audit_record
from wildlife.core.exceptions import ConflictError, OutOfScopeError
from wildlife.core.tables import Column
from wildlife.core.views import (
    ObjectFormView,
    ObjectListView,
    PlatformPermissionMixin,
    apply_validation_error,
)
from wildlife.enforcement import forms, selectors, services
from wildlife.enforcement.access import (
    access_case_by_id,
    access_evidence_by_id,
    access_handover_by_id,
    access_item_by_id,
    access_operation_by_id,
    access_party_by_id,
    access_tipoff_by_id,
)
from wildlife.enforcement.choices import CaseStatus, ItemCondition, TipoffStatus
from wildlife.enforcement.filtersets import CaseFilterSet, HandoverFilterSet, TipoffFilterSet
from wildlife.enforcement.models import (
    BaseValue,
    Case,
    LawVersion,
    Operation,
    PenaltyRule,
    RescueHandover,
    Tipoff,
    TipoffInformant,
    TipoffTimeLimit,
    TransferThreshold,
    ValueCoefficient,
)

# --- tip-offs ----------------------------------------------------------------------------------------------------


def _overdue_text(tipoff: Tipoff) -> str:
    return _("超期") if tipoff.is_overdue else ""


class TipoffListView(ObjectListView):
    model = Tipoff
    title = gettext_lazy("举报受理")
    filterset_class = TipoffFilterSet
    columns = (
        Column("receipt_no", gettext_lazy("受理编号"), link=True, order_by="receipt_no"),
        Column("received_at", gettext_lazy("受理时间"), order_by="received_at"),
        Column("channel", gettext_lazy("渠道"), order_by="channel"),
        Column("kind", gettext_lazy("类型")),
        Column("category", gettext_lazy("分类"), order_by="category"),
        Column("area", gettext_lazy("镇街"), order_by="area__path"),
        Column("status", gettext_lazy("状态"), order_by="status"),
        Column("due_at", gettext_lazy("当前环节期限"), order_by="due_at"),
        Column("overdue", gettext_lazy("超期"), accessor=_overdue_text, css="text-danger"),
        Column("case", gettext_lazy("转立案件"), accessor="case.case_no"),
    )
    search_fields = ("receipt_no", "content", "address")
    search_placeholder = gettext_lazy("受理编号、内容、地点")
    default_ordering = ("-received_at", "-pk")
    create_url_name = "enforcement:tipoff_create"
    empty_message = gettext_lazy("还没有举报。")
    export_filename = "tipoffs"

    map_url = reverse_lazy("enforcement:tipoff_map")  # type: ignore[assignment]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.tipoff_list(user=self.request.user).select_related("case")


class TipoffMapView(TipoffListView):
    """GeoJSON of the filtered tip-offs that have a location (the list's map toggle)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        queryset, _filterset = self.filtered()
        features = []
        for tipoff in queryset.exclude(location__isnull=True).order_by("-received_at")[:2000]:
            assert tipoff.location is not None
            features.append({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [tipoff.location.x, tipoff.location.y]},
                "properties": {"name": tipoff.receipt_no, "summary": f"{tipoff.get_status_display()} · {tipoff.area}", "url": tipoff.get_absolute_url()},
            })
        return JsonResponse({"type": "FeatureCollection", "features": features}, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})


@method_decorator(sensitive_post_parameters("informant_name", "informant_phone", "informant_id_number", "informant_address"), name="dispatch")
class TipoffCreateView(ObjectFormView):
    model = Tipoff
    permission_action = "add"
    form_class = forms.TipoffIntakeForm
    service = services.tipoff_register
    template_name = "enforcement/form.html"
    title = gettext_lazy("登记举报")

    def render_form(self, obj: Any, form: BaseForm, status: int = 200) -> HttpResponse:
        if form.is_bound:
            # informant fields are never echoed back in a page: after an error they are typed again
            data = QueryDict(mutable=True)
            for key, values in form.data.lists():  # type: ignore[attr-defined]  # a bound form holds request.POST
                if key not in INFORMANT_FORM_FIELDS:
                    data.setlist(key, values)
            form.data = data
            if form.errors:
                form.add_error(None, _("为保护举报人信息，出错后举报人信息需重新填写。"))
        return super().render_form(obj, form, status)


INFORMANT_FORM_FIELDS = ("informant_name", "informant_phone", "informant_id_number", "informant_address")
TIPOFF_ACTIONS: dict[str, tuple[type[BaseForm], Callable[..., Any], list[str], Any]] = {
    "triage": (forms.TriageForm, services.tipoff_triage, [TipoffStatus.REGISTERED], gettext_lazy("分类")),
    "assign": (forms.AssignForm, services.tipoff_assign, [TipoffStatus.TRIAGED, TipoffStatus.ASSIGNED], gettext_lazy("交办")),
    "handle": (forms.HandleForm, services.tipoff_handle, [TipoffStatus.ASSIGNED], gettext_lazy("办理")),
    "reply": (forms.ReplyForm, services.tipoff_reply, [TipoffStatus.HANDLED], gettext_lazy("答复")),
    "close": (forms.TipoffCloseForm, services.tipoff_close, [TipoffStatus.REPLIED], gettext_lazy("办结")),
    "escalate": (forms.EscalateForm, services.tipoff_escalate, [TipoffStatus.TRIAGED, TipoffStatus.ASSIGNED, TipoffStatus.HANDLED], gettext_lazy("转立案件")),
}


class TipoffDetailView(PlatformPermissionMixin, View):
    model = Tipoff

    def render_detail(self, request: HttpRequest, tipoff: Tipoff, bound: dict[str, BaseForm] | None = None, status: int = 200) -> HttpResponse:
        may_change = Tipoff.objects.restrict(request.user, "change").filter(pk=tipoff.pk).exists()
        actions = []
        if may_change:
            for name, (form_class, _service, allowed, label) in TIPOFF_ACTIONS.items():
                if tipoff.status not in allowed:
                    continue
                if name == "escalate" and (tipoff.case_id or not request.user.has_perm("enforcement.add_case")):
                    continue
                form = (bound or {}).get(name) or _initial_tipoff_form(name, form_class, tipoff)
                actions.append({"name": name, "label": label, "form": form, "open": bool(bound and name in bound)})
        informant_present = TipoffInformant.objects.filter(tipoff=tipoff).exists()
        context = {
            "object": tipoff,
            "steps": tipoff.steps.select_related("actor").order_by("at", "pk"),
            "photos": tipoff.photos.all(),
            "history": object_history(tipoff),
            "actions": actions,
            "can_reveal": services.can_reveal_informant(request.user) and informant_present,
            "informant_present": informant_present,
            "reveal_form": (bound or {}).get("reveal") or forms.RevealForm(),
            "case_visible": bool(tipoff.case_id and Case.objects.restrict(request.user, "view").filter(pk=tipoff.case_id).exists()),
        }
        return render(request, "enforcement/tipoff_detail.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_detail(request, access_tipoff_by_id(request.user, pk))


def _initial_tipoff_form(name: str, form_class: type[BaseForm], tipoff: Tipoff) -> BaseForm:
    if name == "triage":
        initial: dict[str, Any] = {"category": tipoff.category, "species": tipoff.species.name_zh if tipoff.species else ""}
        if tipoff.area.level == "town":
            initial["area"] = tipoff.area
        if tipoff.location is not None:
            initial["lon"], initial["lat"] = round(tipoff.location.x, 6), round(tipoff.location.y, 6)
        return form_class(initial=initial)
    if name == "escalate":
        return form_class(initial={"title": (tipoff.get_category_display() or _("涉野生动物")) + _("案（举报 %(no)s）") % {"no": tipoff.receipt_no}})
    if name == "assign" and tipoff.area.level == "town":
        return form_class(initial={"town": tipoff.area})
    return form_class()


class TipoffActionView(TipoffDetailView):
    """POST a workflow step; wrong state → message (and 409 for htmx); double submission has one effect."""

    permission_action = "change"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in TIPOFF_ACTIONS:
            raise Http404
        tipoff = access_tipoff_by_id(request.user, pk, action="change")
        form_class, service, _allowed, _label = TIPOFF_ACTIONS[action]
        form = form_class(request.POST)
        if not form.is_valid():
            return self.render_detail(request, tipoff, {action: form}, status=422 if getattr(request, "htmx", False) else 200)
        try:
            result = service(actor=request.user, tipoff=tipoff, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_detail(request, tipoff, {action: form})
        except (ConflictError, OutOfScopeError, PermissionDenied) as exc:
            messages.error(request, exc.message if isinstance(exc, ConflictError) else str(exc))
            return HttpResponseRedirect(tipoff.get_absolute_url())
        if action == "escalate":
            messages.success(request, _("已转立案件 %(no)s") % {"no": result.case_no})
            return HttpResponseRedirect(result.get_absolute_url())
        messages.success(request, _("已%(action)s") % {"action": TIPOFF_ACTIONS[action][3]})
        if Tipoff.objects.restrict(request.user, "view").filter(pk=tipoff.pk).exists():
            return HttpResponseRedirect(tipoff.get_absolute_url())
        return HttpResponseRedirect(reverse("enforcement:tipoff_list"))


@method_decorator(never_cache, name="dispatch")
class TipoffRevealView(TipoffDetailView):
    """The intake role reads the informant after giving a reason; the response is not cached and is audited."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponseRedirect(reverse("enforcement:tipoff_detail", args=[pk]))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        tipoff = access_tipoff_by_id(request.user, pk)
        form = forms.RevealForm(request.POST)
        if not form.is_valid():
            return self.render_detail(request, tipoff, {"reveal": form})
        try:
            revealed = services.tipoff_informant_reveal(actor=request.user, tipoff=tipoff, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_detail(request, tipoff, {"reveal": form})
        response = render(request, "enforcement/tipoff_reveal.html", {"object": tipoff, "informant": revealed, "reason": form.cleaned_data["reason"]})
        response["Cache-Control"] = "no-store"
        return response


class TipoffPhotoView(PlatformPermissionMixin, View):
    model = Tipoff

    def get(self, request: HttpRequest, pk: int, photo_id: int) -> HttpResponseBase:
        tipoff = access_tipoff_by_id(request.user, pk)
        photo = tipoff.photos.filter(pk=photo_id).first()
        if photo is None:
            raise Http404
        response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
        response["Cache-Control"] = "private, no-store"
        return response


# --- cases -------------------------------------------------------------------------------------------------------


def _money(value: Any) -> str:
    return "" if value is None else f"{value:,.2f}"


class CaseListView(ObjectListView):
    model = Case
    title = gettext_lazy("案件")
    filterset_class = CaseFilterSet
    columns = (
        Column("case_no", gettext_lazy("案件编号"), link=True, order_by="case_no"),
        Column("title", gettext_lazy("案件名称"), order_by="title"),
        Column("origin", gettext_lazy("来源"), order_by="origin"),
        Column("area", gettext_lazy("镇街"), order_by="area__path"),
        Column("lead_department", gettext_lazy("主办单位")),
        Column("status", gettext_lazy("状态"), order_by="status"),
        Column("assessed_value", gettext_lazy("涉案价值(元)"), order_by="assessed_value"),
        Column("transfer_recommended", gettext_lazy("建议移送")),
        Column("opened_at", gettext_lazy("立案时间"), order_by="opened_at"),
    )
    search_fields = ("case_no", "title", "origin_label", "summary")
    search_placeholder = gettext_lazy("案件编号、名称、来源、案情")
    default_ordering = ("-opened_at", "-pk")
    create_url_name = "enforcement:case_create"
    empty_message = gettext_lazy("还没有案件。")
    export_filename = "cases"

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.case_list(user=self.request.user)


class CaseCreateView(ObjectFormView):
    model = Case
    permission_action = "add"
    form_class = forms.CaseCreateForm
    service = services.case_open
    template_name = "enforcement/form.html"
    title = gettext_lazy("立案（其他机关移送或直接立案）")


class CaseEditView(ObjectFormView):
    model = Case
    permission_action = "change"
    form_class = forms.CaseEditForm
    service = services.case_update
    template_name = "enforcement/form.html"
    title = gettext_lazy("编辑案件")
    access = staticmethod(access_case_by_id)

    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> BaseForm:
        return forms.CaseEditForm(data=data, instance=obj, user=self.request.user)


CASE_PARTS: dict[str, tuple[Any, Any]] = {
    "party": (forms.PartyForm, gettext_lazy("当事人")),
    "item": (forms.SeizedItemForm, gettext_lazy("扣押物品")),
    "evidence": (forms.EvidenceForm, gettext_lazy("证据")),
    "event": (forms.CaseEventForm, gettext_lazy("调查事项")),
    "flow": (forms.FlowForm, gettext_lazy("流向")),
}
PART_SERVICES: dict[str, Callable[..., Any]] = {
    "party": services.case_party_add, "item": services.case_item_add, "evidence": services.case_evidence_add,
    "event": services.case_event_add, "flow": services.case_flow_add,
}
CASE_STEPS: dict[str, tuple[Any, Callable[..., Any], list[str], Any]] = {
    "investigate": (forms.InvestigateForm, services.case_start_investigation, [CaseStatus.OPENED], gettext_lazy("开始调查")),
    "transfer": (forms.TransferForm, services.case_transfer, [CaseStatus.OPENED, CaseStatus.INVESTIGATING], gettext_lazy("移送公安")),
    "transfer_back": (forms.TransferBackForm, services.case_transfer_back, [CaseStatus.TRANSFERRED], gettext_lazy("公安退回")),
    "decide": (forms.DecisionForm, services.case_decide, [CaseStatus.OPENED, CaseStatus.INVESTIGATING], gettext_lazy("处理决定")),
    "close": (forms.CaseCloseForm, services.case_close, [CaseStatus.DECIDED, CaseStatus.TRANSFERRED], gettext_lazy("结案")),
}


def _part_form(name: str, case: Case, data: Any = None, files: Any = None) -> BaseForm:
    form_class = CASE_PARTS[name][0]
    form: BaseForm
    if name == "flow":
        form = form_class(data, case=case)
    elif name == "evidence":
        form = form_class(data, files)
    else:
        form = form_class(data)
    return form


class CaseDetailView(PlatformPermissionMixin, View):
    model = Case

    def render_detail(self, request: HttpRequest, case: Case, bound: dict[str, BaseForm] | None = None, status: int = 200) -> HttpResponse:
        bound = bound or {}
        may_change = case.is_editable and Case.objects.restrict(request.user, "change").filter(pk=case.pk).exists()
        parts = []
        steps = []
        if may_change:
            for name, (_form_class, label) in CASE_PARTS.items():
                parts.append({"name": name, "label": label, "form": bound.get(name) or _part_form(name, case), "open": name in bound})
            for name, (form_class, _service, allowed, label) in CASE_STEPS.items():
                if case.status in allowed:
                    steps.append({"name": name, "label": label, "form": bound.get(name) or form_class(), "open": name in bound})
        items = list(case.items.select_related("species").order_by("pk"))
        handovers = {h.item_id: h for h in RescueHandover.objects.filter(case=case)}
        context = {
            "object": case,
            "may_change": may_change,
            "parties": list(case.parties.order_by("pk")),
            "items": [(item, handovers.get(item.pk)) for item in items],
            "alive_condition": ItemCondition.ALIVE,
            "evidence": list(case.evidence.order_by("pk")),
            "events": list(case.events.select_related("actor").order_by("occurred_at", "pk")),
            "decisions": list(case.decisions.select_related("penalty_rule", "penalty_rule__law").order_by("decided_on", "pk")),
            "flows": list(case.flows.select_related("from_party", "to_party", "species").order_by("occurred_on", "pk")),
            "involved": list(case.involved_departments.order_by("sort_order")),
            "assessment": case.assessment or None,
            "parts": parts,
            "steps": steps,
            "history": object_history(case),
            "tipoff_visible": bool(case.tipoff_id and Tipoff.objects.restrict(request.user, "view").filter(pk=case.tipoff_id).exists()),
            "handover_form": bound.get("handover") or forms.HandoverForm(),
        }
        return render(request, "enforcement/case_detail.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_detail(request, access_case_by_id(request.user, pk))


class CaseActionView(CaseDetailView):
    """POST to add a part (party, item, evidence, event, flow), assess, or take a workflow step."""

    permission_action = "change"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        case = access_case_by_id(request.user, pk, action="change")
        if action == "assess":
            return self._run(request, case, action, None, lambda: services.case_assess(actor=request.user, case=case), _("已完成价值评估"))
        if action in CASE_PARTS:
            form = _part_form(action, case, request.POST, request.FILES)
            if not form.is_valid():
                return self.render_detail(request, case, {action: form})
            service = PART_SERVICES[action]
            return self._run(request, case, action, form, lambda: service(actor=request.user, case=case, **form.cleaned_data), _("已添加%(what)s") % {"what": CASE_PARTS[action][1]})
        if action in CASE_STEPS:
            form_class, step, _allowed, label = CASE_STEPS[action]
            form = form_class(request.POST)
            if not form.is_valid():
                return self.render_detail(request, case, {action: form})
            return self._run(request, case, action, form, lambda: step(actor=request.user, case=case, **form.cleaned_data), _("已%(what)s") % {"what": label})
        raise Http404

    def _run(self, request: HttpRequest, case: Case, action: str, form: BaseForm | None, call: Callable[[], Any], success: str) -> HttpResponse:
        try:
            call()
        except ValidationError as exc:
            if form is None:
                messages.error(request, "；".join(exc.messages))
                return HttpResponseRedirect(case.get_absolute_url())
            apply_validation_error(form, exc)
            return self.render_detail(request, case, {action: form})
        except (ConflictError, OutOfScopeError, PermissionDenied) as exc:
            messages.error(request, exc.message if isinstance(exc, ConflictError) else str(exc))
            return HttpResponseRedirect(case.get_absolute_url())
        messages.success(request, success)
        if Case.objects.restrict(request.user, "view").filter(pk=case.pk).exists():
            return HttpResponseRedirect(case.get_absolute_url())
        return HttpResponseRedirect(reverse("enforcement:case_list"))


class CaseHandoverView(CaseDetailView):
    permission_action = "change"

    def post(self, request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
        case = access_case_by_id(request.user, pk, action="change")
        item = access_item_by_id(request.user, case, item_id)
        form = forms.HandoverForm(request.POST)
        if not form.is_valid():
            return self.render_detail(request, case, {"handover": form})
        try:
            handover = services.case_item_hand_over(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return HttpResponseRedirect(case.get_absolute_url())
        except ConflictError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(case.get_absolute_url())
        messages.success(request, _("已生成救护移交单 %(no)s，状态：待接收") % {"no": handover.receipt_no})
        return HttpResponseRedirect(case.get_absolute_url())


class CasePartyRemoveView(CaseDetailView):
    permission_action = "change"

    def post(self, request: HttpRequest, pk: int, party_id: int) -> HttpResponse:
        case = access_case_by_id(request.user, pk, action="change")
        party = access_party_by_id(request.user, case, party_id)
        try:
            services.case_party_remove(actor=request.user, party=party)
        except ConflictError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已删除当事人"))
        return HttpResponseRedirect(case.get_absolute_url())


class CasePartyDetailView(PlatformPermissionMixin, View):
    """A party and "where else does this party appear": other cases and records sharing one of its identifiers."""

    model = Case

    def get(self, request: HttpRequest, pk: int, party_id: int) -> HttpResponse:
        case = access_case_by_id(request.user, pk)
        party = access_party_by_id(request.user, case, party_id)
        appearances = selectors.party_appearances(user=request.user, party=party)
        return render(request, "enforcement/party_detail.html", {"object": case, "party": party, "appearances": appearances})


class CaseEvidenceDownloadView(PlatformPermissionMixin, View):
    model = Case

    def get(self, request: HttpRequest, pk: int, evidence_id: int) -> HttpResponseBase:
        case = access_case_by_id(request.user, pk)
        evidence = access_evidence_by_id(request.user, case, evidence_id)
        audit_record(action="case_evidence_download", actor=request.user, obj=case, detail={"evidence": evidence.pk})
        response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type, as_attachment=True, filename=evidence.original_name)
        response["Cache-Control"] = "private, no-store"
        return response


class CaseGraphView(PlatformPermissionMixin, View):
    """The tracing graph (ECharts graph series, force layout) and the chains from source to buyer."""

    model = Case

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = access_case_by_id(request.user, pk)
        try:
            depth = int(request.GET.get("depth", "2"))
        except ValueError:
            depth = 2
        graph = selectors.case_graph(user=request.user, case=case, depth=depth)
        return render(request, "enforcement/case_graph.html", {
            "object": case, "graph": graph, "option": echarts_option(graph), "depth": max(1, min(depth, 3)),
            "other_cases": [n for n in graph["nodes"] if n["kind"] == "case" and not n.get("main")],
            "records": [n for n in graph["nodes"] if n["kind"] == "record"],
        })


GRAPH_CATEGORIES = [
    ("case", gettext_lazy("案件"), "#c0392b"),
    ("party_person", gettext_lazy("个人"), "#2b8cbe"),
    ("party_company", gettext_lazy("单位"), "#1c9099"),
    ("party_account", gettext_lazy("网络账号"), "#756bb1"),
    ("party_phone", gettext_lazy("电话"), "#31a354"),
    ("party_vehicle", gettext_lazy("车辆"), "#636363"),
    ("party_address", gettext_lazy("地址"), "#d95f0e"),
    ("identifier", gettext_lazy("标识（电话/账号/车牌/地址）"), "#fdae6b"),
    ("record", gettext_lazy("其他记录（商品信息、检查、巡护）"), "#8c6bb1"),
    ("origin", gettext_lazy("案件来源"), "#969696"),
]


def echarts_option(graph: dict[str, Any]) -> dict[str, Any]:
    """An ECharts option for the graph: categories by kind, arrows on flows, node links in `value`."""
    index = {key: i for i, (key, _label, _color) in enumerate(GRAPH_CATEGORIES)}
    nodes = []
    for node in graph["nodes"]:
        kind = node["kind"]
        category = index.get(kind, index["identifier"] if kind.startswith("id_") else index["record"])
        size = 46 if node.get("main") else (34 if kind == "case" else 24)
        label = node["label"] if len(node["label"]) <= 24 else node["label"][:23] + "…"
        nodes.append({"id": node["id"], "name": label, "category": category, "symbolSize": size, "value": node.get("url", ""),
                      "tooltip": {"formatter": node["label"] + (f"（{node['role']}）" if node.get("role") else "")}})
    links = []
    for edge in graph["edges"]:
        link: dict[str, Any] = {"source": edge["source"], "target": edge["target"], "value": edge["label"]}
        if edge["kind"] == "flow":
            link["lineStyle"] = {"width": 3, "color": "#e34a33"}
            link["label"] = {"show": True, "formatter": edge["label"], "fontSize": 11}
            link["symbol"] = ["none", "arrow"]
        links.append(link)
    return {
        "tooltip": {},
        "legend": [{"data": [str(label) for _key, label, _color in GRAPH_CATEGORIES], "bottom": 0}],
        "color": [color for _key, _label, color in GRAPH_CATEGORIES],
        "series": [{
            "type": "graph", "layout": "force", "roam": True, "draggable": True,
            "categories": [{"name": str(label)} for _key, label, _color in GRAPH_CATEGORIES],
            "data": nodes, "links": links, "edgeSymbol": ["none", "none"],
            "label": {"show": True, "position": "right", "fontSize": 11},
            "force": {"repulsion": 260, "edgeLength": [60, 140], "gravity": 0.08},
            "lineStyle": {"color": "source", "curveness": 0.1, "opacity": 0.8},
            "emphasis": {"focus": "adjacency"},
        }],
    }


class CaseTransferLetterView(PlatformPermissionMixin, View):
    """The transfer letter (移送函) as PDF, generated from the case; audited."""

    model = Case

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = access_case_by_id(request.user, pk)
        if not case.transfer_letter_no:
            raise Http404(_("案件尚未移送"))
        from wildlife.enforcement.letters import transfer_letter_pdf

        content = transfer_letter_pdf(case)
        audit_record(action="case_transfer_letter", actor=request.user, obj=case, detail={"letter": case.transfer_letter_no})
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="transfer-{case.case_no}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


# --- rescue hand-overs -------------------------------------------------------------------------------------------


class HandoverListView(ObjectListView):
    model = RescueHandover
    title = gettext_lazy("救护移交单")
    filterset_class = HandoverFilterSet
    columns = (
        Column("receipt_no", gettext_lazy("移交单号"), link=True, order_by="receipt_no"),
        Column("case", gettext_lazy("案件"), accessor="case.case_no"),
        Column("species", gettext_lazy("物种")),
        Column("count", gettext_lazy("数量"), order_by="count"),
        Column("status", gettext_lazy("状态"), order_by="status"),
        Column("handed_at", gettext_lazy("移交时间"), order_by="handed_at"),
        Column("rescue_ref", gettext_lazy("救护记录编号")),
    )
    search_fields = ("receipt_no", "case__case_no")
    default_ordering = ("-handed_at", "-pk")
    empty_message = gettext_lazy("还没有移交救护中心的活体。")
    export_filename = "rescue-handovers"

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.handover_list(user=self.request.user)


class HandoverDetailView(PlatformPermissionMixin, View):
    model = RescueHandover

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        handover = access_handover_by_id(request.user, pk)
        case_visible = Case.objects.restrict(request.user, "view").filter(pk=handover.case_id).exists()
        return render(request, "enforcement/handover_detail.html", {"object": handover, "history": object_history(handover), "case_visible": case_visible})


# --- operations --------------------------------------------------------------------------------------------------


class OperationListView(ObjectListView):
    model = Operation
    title = gettext_lazy("专项行动")
    columns = (
        Column("name", gettext_lazy("行动名称"), link=True, order_by="name"),
        Column("code", gettext_lazy("行动编号"), order_by="code"),
        Column("status", gettext_lazy("状态"), order_by="status"),
        Column("start_date", gettext_lazy("开始日期"), order_by="start_date"),
        Column("end_date", gettext_lazy("结束日期"), order_by="end_date"),
        Column("lead_department", gettext_lazy("牵头单位")),
        Column("departments", gettext_lazy("参与单位")),
    )
    search_fields = ("name", "code", "targets")
    default_ordering = ("-start_date", "-pk")
    create_url_name = "enforcement:operation_create"
    empty_message = gettext_lazy("还没有专项行动。")
    export_filename = "operations"

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.operation_list(user=self.request.user).prefetch_related("departments")


class OperationCreateView(ObjectFormView):
    model = Operation
    permission_action = "add"
    form_class = forms.OperationForm
    service = services.operation_create
    template_name = "enforcement/form.html"
    title = gettext_lazy("新建专项行动")


class OperationEditView(ObjectFormView):
    model = Operation
    permission_action = "change"
    form_class = forms.OperationForm
    service = services.operation_update
    template_name = "enforcement/form.html"
    title = gettext_lazy("编辑专项行动")
    access = staticmethod(access_operation_by_id)


class OperationDetailView(PlatformPermissionMixin, View):
    model = Operation

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        operation = access_operation_by_id(request.user, pk)
        overview = selectors.operation_overview(user=request.user, operation=operation)
        chart = {
            "tooltip": {"trigger": "item"},
            "series": [{"type": "pie", "radius": ["40%", "70%"], "data": [{"name": label, "value": n} for label, n in overview["case_status"]]}],
        }
        return render(request, "enforcement/operation_detail.html", {
            "object": operation, "overview": overview, "history": object_history(operation), "case_chart": chart,
            "may_change": Operation.objects.restrict(request.user, "change").filter(pk=operation.pk).exists(),
        })


# --- rule rows ---------------------------------------------------------------------------------------------------


class RulesView(PlatformPermissionMixin, View):
    """Every rule table (law versions, penalty articles, coefficients, thresholds, base values, time limits)."""

    model = PenaltyRule

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        return render(request, "enforcement/rules.html", {
            "laws": LawVersion.objects.restrict(user).order_by("effective_from"),
            "penalties": PenaltyRule.objects.restrict(user).select_related("law").order_by("law__effective_from", "sort_order"),
            "coefficients": ValueCoefficient.objects.restrict(user).order_by("kind", "key", "-effective_from"),
            "thresholds": TransferThreshold.objects.restrict(user).order_by("sort_order", "-effective_from"),
            "base_values": BaseValue.objects.restrict(user).select_related("species").order_by("taxon_class", "taxon_order", "taxon_family", "species__name_zh"),
            "time_limits": TipoffTimeLimit.objects.restrict(user).order_by("stage", "channel", "-effective_from"),
            "can": {name: user.has_perm(f"enforcement.change_{name}") for name in ("penaltyrule", "valuecoefficient", "transferthreshold", "basevalue", "tipofftimelimit")},
            "can_add": {name: user.has_perm(f"enforcement.add_{name}") for name in ("penaltyrule", "valuecoefficient", "transferthreshold", "basevalue", "tipofftimelimit")},
        })


class RuleRowFormView(ObjectFormView):
    """Create or edit one rule row through services.rule_row_save (validated by the model's constraints)."""

    template_name = "enforcement/form.html"

    def get_object(self, pk: Any) -> Any:
        if pk is None:
            return None
        obj = self.model._default_manager.all().restrict(self.request.user, "change").filter(pk=pk).first()  # type: ignore[attr-defined]
        if obj is None:
            raise Http404
        return obj

    def post(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        obj = self.get_object(pk)
        form = self.get_form(obj, request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(obj, form)
        data = {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}
        try:
            services.rule_row_save(actor=request.user, model=self.model, obj=obj, data=data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(obj, form)
        messages.success(request, _("已保存"))
        return HttpResponseRedirect(reverse("enforcement:rules"))


def rule_form_view(model: type[Any], form_class: type[BaseForm], title: Any, action: str) -> Any:
    view_class: Any = type(f"{model.__name__}FormView", (RuleRowFormView,), {"model": model, "form_class": form_class, "title": title, "permission_action": action})
    return view_class.as_view()


# --- intake role (security administrator) ------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class IntakeMembersView(LoginRequiredMixin, View):
    """The security administrator manages who holds the intake role (举报受理: may reveal informants)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if getattr(request.user, "admin_role", "") != "security":
            raise PermissionDenied(_("举报受理人员由安全管理员管理"))
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request: HttpRequest, form: forms.IntakeMemberForm | None = None) -> HttpResponse:
        group = services.ensure_intake_group()
        members = group.user_set.order_by("username").prefetch_related("groups")
        return render(request, "enforcement/intake_members.html", {"members": members, "form": form or forms.IntakeMemberForm(), "group": group})

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        if "remove" in request.POST:
            remove = request.POST.get("remove", "")
            user = User.objects.filter(pk=int(remove)).first() if remove.isdigit() else None
            if user is None:
                raise Http404
            services.intake_member_remove(actor=request.user, user=user)
            messages.success(request, _("已移除 %(user)s") % {"user": user.username})
            return HttpResponseRedirect(reverse("enforcement:intake_members"))
        form = forms.IntakeMemberForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, form)
        user = User.objects.filter(username__iexact=form.cleaned_data["username"]).first()
        if user is None:
            form.add_error("username", _("用户不存在。"))
            return self.render_page(request, form)
        try:
            services.intake_member_add(actor=request.user, user=user)
        except ValidationError as exc:
            form.add_error("username", "；".join(exc.messages))
            return self.render_page(request, form)
        except ConflictError as exc:
            form.add_error("username", exc.message)
            return self.render_page(request, form)
        messages.success(request, _("已添加 %(user)s 为举报受理人员") % {"user": user.username})
        return HttpResponseRedirect(reverse("enforcement:intake_members"))

