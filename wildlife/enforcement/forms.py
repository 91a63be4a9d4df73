"""Forms of the enforcement pages. Forms validate shape; services validate the rules and name the field."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point
from django.utils.translation import gettext_lazy as _

from wildlife.accounts.models import Department
from wildlife.enforcement.choices import (
    STAFF_CHANNELS,
    CaseEventKind,
    CaseOrigin,
    CaseOutcome,
    DecisionKind,
    EvidenceKind,
    FlowKind,
    ItemCondition,
    ItemForm,
    OffenceType,
    OperationStatus,
    PartyKind,
    PartyRole,
    TipoffCategory,
    TipoffChannel,
    TipoffKind,
)
from wildlife.enforcement.models import (
    BaseValue,
    CaseParty,
    Operation,
    PenaltyRule,
    TipoffTimeLimit,
    TransferThreshold,
    ValueCoefficient,
)
from wildlife.geo.choices import AreaLevel
from wildlife.geo.models import AdminArea

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3, "col": "col-12"})


def _set_queryset(form: forms.BaseForm, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def _party_label(party: CaseParty) -> str:
    return f"{party.get_role_display()}：{party.display_name}"


def towns() -> Any:
    return AdminArea.objects.filter(level=AreaLevel.TOWN, is_active=True).order_by("path")


class SpeciesNameField(forms.CharField):
    """A species typed by name (Chinese name, alias, pinyin initials or scientific name), resolved in the catalogue."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("help_text", _("输入中文名、别名、拼音首字母或学名"))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        from wildlife.species.selectors import species_resolve

        species, suggestions = species_resolve(text)
        if species is None:
            hint = "、".join(s.name_zh for s in suggestions[:5])
            if hint:
                raise forms.ValidationError(_("未找到物种“%(name)s”，您是否要找：%(hint)s") % {"name": text, "hint": hint})
            raise forms.ValidationError(_("未找到物种“%(name)s”。") % {"name": text})
        return species


class LocationFields(forms.Form):
    """A point drawn on the map (GeoJSON in a hidden input) or typed as longitude/latitude."""

    location = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"id": "id_location"}))
    lon = forms.DecimalField(label=_("经度"), required=False, max_digits=10, decimal_places=6, widget=forms.NumberInput(attrs={"step": "0.000001", "col": "col-6 col-md-3"}))
    lat = forms.DecimalField(label=_("纬度"), required=False, max_digits=10, decimal_places=6, widget=forms.NumberInput(attrs={"step": "0.000001", "col": "col-6 col-md-3"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lon, lat, raw = data.get("lon"), data.get("lat"), data.get("location")
        point: Point | None = None
        if lon is not None or lat is not None:
            if lon is None or lat is None:
                self.add_error("lon" if lon is None else "lat", _("经度和纬度需同时填写。"))
            elif not (Decimal(-180) <= lon <= Decimal(180)) or not (Decimal(-90) <= lat <= Decimal(90)):
                self.add_error("lon", _("经纬度超出范围（经度 -180～180，纬度 -90～90）。"))
            else:
                point = Point(float(lon), float(lat), srid=4326)
        elif raw:
            try:
                geometry = GEOSGeometry(json.dumps(json.loads(raw)), srid=4326)
            except (ValueError, TypeError, GEOSException):
                self.add_error("lon", _("地图上的位置无效，请重新选择。"))
            else:
                if geometry.geom_type != "Point":
                    self.add_error("lon", _("请在地图上选择一个点。"))
                else:
                    assert isinstance(geometry, Point)
                    point = geometry
        data["location"] = point
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleImageField, self).clean(item, initial) for item in files]


# --- tip-offs ----------------------------------------------------------------------------------------------------


class TipoffIntakeForm(LocationFields):
    """Staff intake of a tip-off; the informant section is stored encrypted and never shown again outside the
    intake role."""

    accepts = ("user",)

    channel = forms.ChoiceField(label=_("举报渠道"), choices=[(c, TipoffChannel(c).label) for c in STAFF_CHANNELS])
    kind = forms.ChoiceField(label=_("举报类型"), choices=TipoffKind.choices)
    content = forms.CharField(label=_("举报内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4, "col": "col-12"}))
    occurred_at = forms.DateTimeField(label=_("发生时间"), required=False, widget=DATETIME_WIDGET)
    address = forms.CharField(label=_("地点描述"), max_length=200, required=False)
    area = forms.ModelChoiceField(label=_("所属镇街"), queryset=AdminArea.objects.none(), required=False, help_text=_("没有坐标时按所选镇街归属"))
    species = SpeciesNameField(label=_("涉及物种"))
    operation = forms.ModelChoiceField(label=_("专项行动"), queryset=Operation.objects.none(), required=False)
    informant_name = forms.CharField(label=_("举报人姓名"), max_length=60, required=False)
    informant_phone = forms.CharField(label=_("举报人电话"), max_length=30, required=False)
    informant_id_number = forms.CharField(label=_("举报人身份证号"), max_length=20, required=False)
    informant_address = forms.CharField(label=_("举报人地址"), max_length=200, required=False)
    photos = MultipleImageField(label=_("照片"), required=False, help_text=_("最多 5 张，每张不超过 10 MB"))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "area", towns())
        _set_queryset(self, "operation", Operation.objects.restrict(user, "view") if user is not None else Operation.objects.none())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["informant"] = {
            key: data.pop(f"informant_{key}", "") for key in ("name", "phone", "id_number", "address")
        }
        return data


class TriageForm(LocationFields):
    category = forms.ChoiceField(label=_("分类"), choices=TipoffCategory.choices)
    species = SpeciesNameField(label=_("涉及物种"))
    area = forms.ModelChoiceField(label=_("所属镇街"), queryset=AdminArea.objects.none(), required=False, help_text=_("有坐标时按坐标自动确定"))
    note = forms.CharField(label=_("分类意见"), required=False, widget=TEXTAREA)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "area", towns())


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("承办部门"), queryset=Department.objects.order_by("sort_order"))
    town = forms.ModelChoiceField(label=_("承办镇街"), queryset=AdminArea.objects.none(), required=False)
    note = forms.CharField(label=_("交办意见"), required=False, widget=TEXTAREA)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "town", towns())


class HandleForm(forms.Form):
    findings = forms.CharField(label=_("核查情况"), widget=TEXTAREA, max_length=5000)
    actions_taken = forms.CharField(label=_("处理措施"), widget=TEXTAREA, required=False, max_length=5000)


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("答复内容"), widget=TEXTAREA, max_length=3000, help_text=_("举报人凭受理编号和查询码可以看到答复"))


class TipoffCloseForm(forms.Form):
    note = forms.CharField(label=_("办结说明"), widget=TEXTAREA, required=False, max_length=2000)


class EscalateForm(forms.Form):
    title = forms.CharField(label=_("案件名称"), max_length=200)
    offence_type = forms.ChoiceField(label=_("违法行为类型"), choices=[("", "—"), *OffenceType.choices], required=False)
    lead_department = forms.ModelChoiceField(label=_("主办单位"), queryset=Department.objects.order_by("sort_order"), required=False, help_text=_("默认为本部门"))


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("查看理由"), max_length=300, widget=forms.TextInput(attrs={"autocomplete": "off"}))


# --- cases -------------------------------------------------------------------------------------------------------


class CaseCreateForm(LocationFields):
    """A case opened directly (e.g. transferred from another agency)."""

    accepts = ("user",)

    origin = forms.ChoiceField(label=_("案件来源"), choices=[(CaseOrigin.AGENCY, CaseOrigin.AGENCY.label), (CaseOrigin.INSPECTION, CaseOrigin.INSPECTION.label), (CaseOrigin.PATROL, CaseOrigin.PATROL.label), (CaseOrigin.LISTING, CaseOrigin.LISTING.label)])
    origin_ref = forms.CharField(label=_("来源记录编号/来文文号"), max_length=60, required=False)
    origin_label = forms.CharField(label=_("来源说明"), max_length=200, required=False, help_text=_("如：区市场监管局移送函 周市监移〔2026〕3号"))
    title = forms.CharField(label=_("案件名称"), max_length=200)
    summary = forms.CharField(label=_("简要案情"), required=False, widget=forms.Textarea(attrs={"rows": 4, "col": "col-12"}))
    offence_type = forms.ChoiceField(label=_("违法行为类型"), choices=[("", "—"), *OffenceType.choices], required=False)
    offence_date = forms.DateField(label=_("违法行为发生日期"), required=False, widget=DATE_WIDGET)
    area = forms.ModelChoiceField(label=_("所属镇街"), queryset=AdminArea.objects.none(), required=False)
    address = forms.CharField(label=_("案发地点"), max_length=200, required=False)
    lead_department = forms.ModelChoiceField(label=_("主办单位"), queryset=Department.objects.order_by("sort_order"), required=False)
    involved_departments = forms.ModelMultipleChoiceField(label=_("协办单位"), queryset=Department.objects.order_by("sort_order"), required=False, widget=forms.SelectMultiple(attrs={"size": 5}))
    operation = forms.ModelChoiceField(label=_("专项行动"), queryset=Operation.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "area", towns())
        _set_queryset(self, "operation", Operation.objects.restrict(user, "view") if user is not None else Operation.objects.none())


class CaseEditForm(forms.Form):
    accepts = ("user",)

    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("案件名称"), max_length=200)
    summary = forms.CharField(label=_("简要案情"), required=False, widget=forms.Textarea(attrs={"rows": 4, "col": "col-12"}))
    offence_type = forms.ChoiceField(label=_("违法行为类型"), choices=[("", "—"), *OffenceType.choices], required=False)
    offence_date = forms.DateField(label=_("违法行为发生日期"), required=False, widget=DATE_WIDGET)
    for_food = forms.BooleanField(label=_("以食用为目的"), required=False)
    banned_tools_in_closure = forms.BooleanField(label=_("在禁猎区/禁猎期使用禁用工具、方法"), required=False)
    illegal_gains = forms.DecimalField(label=_("违法所得(元)"), required=False, max_digits=14, decimal_places=2, min_value=0)
    address = forms.CharField(label=_("案发地点"), max_length=200, required=False)
    involved_departments = forms.ModelMultipleChoiceField(label=_("协办单位"), queryset=Department.objects.order_by("sort_order"), required=False, widget=forms.SelectMultiple(attrs={"size": 5}))
    operation = forms.ModelChoiceField(label=_("专项行动"), queryset=Operation.objects.none(), required=False)

    def __init__(self, *args: Any, instance: Any = None, user: Any = None, **kwargs: Any) -> None:
        if instance is not None and not kwargs.get("data"):
            kwargs["initial"] = {
                "version": instance.version, "title": instance.title, "summary": instance.summary, "offence_type": instance.offence_type,
                "offence_date": instance.offence_date, "for_food": instance.for_food, "banned_tools_in_closure": instance.banned_tools_in_closure,
                "illegal_gains": instance.illegal_gains, "address": instance.address,
                "involved_departments": list(instance.involved_departments.all()), "operation": instance.operation,
            }
        super().__init__(*args, **kwargs)
        _set_queryset(self, "operation", Operation.objects.restrict(user, "view") if user is not None else Operation.objects.none())


class PartyForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=PartyKind.choices)
    role = forms.ChoiceField(label=_("角色"), choices=PartyRole.choices)
    name = forms.CharField(label=_("姓名/单位名称/昵称"), max_length=100, required=False)
    identifier = forms.CharField(label=_("账号/车牌号/统一社会信用代码"), max_length=200, required=False, help_text=_("网络账号请写“平台:账号”"))
    phone = forms.CharField(label=_("电话"), max_length=30, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=20, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    note = forms.CharField(label=_("备注"), required=False, widget=TEXTAREA)


class SeizedItemForm(forms.Form):
    species = SpeciesNameField(label=_("物种"))
    description = forms.CharField(label=_("物品描述"), max_length=200, required=False)
    count = forms.IntegerField(label=_("数量"), min_value=1)
    unit = forms.CharField(label=_("单位"), max_length=10, initial="只")
    condition = forms.ChoiceField(label=_("状态"), choices=ItemCondition.choices)
    form = forms.ChoiceField(label=_("形态"), choices=ItemForm.choices, initial=ItemForm.WHOLE)
    captive_bred = forms.BooleanField(label=_("人工繁育"), required=False)
    storage_place = forms.CharField(label=_("存放地点"), max_length=200, required=False)
    actual_price = forms.DecimalField(label=_("实际交易价格(元)"), required=False, max_digits=14, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("备注"), required=False, widget=TEXTAREA)


class HandoverForm(forms.Form):
    condition_note = forms.CharField(label=_("动物状况"), required=False, widget=TEXTAREA)
    note = forms.CharField(label=_("备注"), required=False, max_length=2000)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("证据类型"), choices=EvidenceKind.choices)
    title = forms.CharField(label=_("名称"), max_length=200)
    file = forms.FileField(label=_("文件"))
    collected_at = forms.DateTimeField(label=_("取证时间"), required=False, widget=DATETIME_WIDGET)
    collected_by = forms.CharField(label=_("取证人"), max_length=100, required=False)
    note = forms.CharField(label=_("说明"), required=False, widget=TEXTAREA)


EVENT_KINDS = [
    (k, label) for k, label in CaseEventKind.choices
    if k not in (CaseEventKind.STATUS, CaseEventKind.TRANSFER, CaseEventKind.DECISION, CaseEventKind.HANDOVER, CaseEventKind.ASSESSMENT)
]


class CaseEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=EVENT_KINDS)
    title = forms.CharField(label=_("事项"), max_length=200)
    occurred_at = forms.DateTimeField(label=_("时间"), required=False, widget=DATETIME_WIDGET)
    note = forms.CharField(label=_("说明"), required=False, widget=TEXTAREA)


class FlowForm(forms.Form):
    from_party = forms.ModelChoiceField(label=_("从（上游）"), queryset=CaseParty.objects.none())
    to_party = forms.ModelChoiceField(label=_("到（下游）"), queryset=CaseParty.objects.none())
    kind = forms.ChoiceField(label=_("流向类型"), choices=FlowKind.choices)
    species = SpeciesNameField(label=_("物种"))
    quantity = forms.CharField(label=_("数量"), max_length=60, required=False)
    occurred_on = forms.DateField(label=_("日期"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parties = CaseParty.objects.filter(case=case) if case is not None else CaseParty.objects.none()
        for name in ("from_party", "to_party"):
            _set_queryset(self, name, parties)
            self.fields[name].label_from_instance = _party_label  # type: ignore[attr-defined]


class TransferForm(forms.Form):
    recipient = forms.CharField(label=_("移送机关"), max_length=100, initial=_("周村区公安分局"))
    reason = forms.CharField(label=_("移送理由"), widget=TEXTAREA, max_length=3000)


class TransferBackForm(forms.Form):
    note = forms.CharField(label=_("退回情况"), widget=TEXTAREA, max_length=2000)


class InvestigateForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("决定类型"), choices=DecisionKind.choices)
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE_WIDGET)
    document_no = forms.CharField(label=_("文书编号"), max_length=60, required=False)
    penalty_rule = forms.ModelChoiceField(label=_("适用条款"), queryset=PenaltyRule.objects.select_related("law").order_by("law__effective_from", "sort_order"), required=False)
    fine_amount = forms.DecimalField(label=_("罚款金额(元)"), required=False, max_digits=14, decimal_places=2, min_value=0)
    confiscation = forms.CharField(label=_("没收物品/违法所得"), required=False, widget=TEXTAREA)
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)


class CaseCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结案结果"), choices=CaseOutcome.choices)
    note = forms.CharField(label=_("结案说明"), required=False, widget=TEXTAREA)


# --- operations --------------------------------------------------------------------------------------------------


class OperationForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Operation
        fields = ["code", "name", "status", "start_date", "end_date", "lead_department", "departments", "targets", "summary"]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "targets": forms.Textarea(attrs={"rows": 3, "col": "col-12"}),
            "summary": forms.Textarea(attrs={"rows": 3, "col": "col-12"}),
            "departments": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = OperationStatus.PLANNED
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["version"].initial = self.instance.version
        else:
            for name in ("status", "summary"):
                del self.fields[name]

    def validate_unique(self) -> None:
        """Uniqueness is the service's business (it names the field)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk:
            data["version"] = data.get("version") or self.instance.version
            data.pop("code", None)
        return data


# --- rule rows ---------------------------------------------------------------------------------------------------


class BaseValueForm(forms.ModelForm):  # type: ignore[type-arg]
    species = SpeciesNameField(label=_("物种"), help_text=_("留空则按纲、目或科设定"))

    class Meta:
        model = BaseValue
        fields = ["species", "taxon_class", "taxon_order", "taxon_family", "value", "unit", "effective_from", "effective_to", "legal_basis", "verified", "note"]
        widgets = {"effective_from": DATE_WIDGET, "effective_to": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.species_id:
            self.initial["species"] = self.instance.species.name_zh


class CoefficientForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ValueCoefficient
        fields = ["kind", "key", "factor", "effective_from", "effective_to", "legal_basis"]
        widgets = {"effective_from": DATE_WIDGET, "effective_to": DATE_WIDGET}


class ThresholdForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TransferThreshold
        fields = ["code", "name", "condition", "offence_types", "protections", "for_food_only", "min_value", "crime", "tiers", "effective_from", "effective_to", "legal_basis", "sort_order"]
        widgets = {"effective_from": DATE_WIDGET, "effective_to": DATE_WIDGET}


class PenaltyRuleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PenaltyRule
        fields = ["law", "article", "offence_type", "protections", "basis", "multiple_min", "multiple_max", "floor_value", "fixed_min", "fixed_max", "authority", "sanction", "sort_order"]
        widgets = {"sanction": forms.Textarea(attrs={"rows": 3, "col": "col-12"})}


class TimeLimitForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TipoffTimeLimit
        fields = ["stage", "channel", "days", "effective_from", "effective_to", "basis"]
        widgets = {"effective_from": DATE_WIDGET, "effective_to": DATE_WIDGET}


class IntakeMemberForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
