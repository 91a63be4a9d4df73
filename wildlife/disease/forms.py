"""Forms of the disease pages. Validation of business rules lives in the services; forms check shapes and types."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.gis.geos import GEOSException, GEOSGeometry, LineString, Point
from django.utils.translation import gettext_lazy as _

from wildlife.disease.choices import (
    AnimalGroup,
    BiosafetyLevel,
    EventSource,
    LabOutcome,
    SampleKind,
    StationLevel,
    SupplyKind,
)
from wildlife.disease.models import ChainRule, ClusterRule, GradingRule, KeyPeriod, ReportingRule
from wildlife.geo.choices import AreaLevel
from wildlife.geo.models import AdminArea
from wildlife.species.models import Species

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GeometryJSONField(forms.CharField):
    """A GeoJSON geometry typed into (or drawn onto the map into) a hidden input; `geom_type` limits the kind."""

    widget = forms.HiddenInput

    def __init__(self, *args: Any, geom_type: str = "Point", **kwargs: Any) -> None:
        self.geom_type = geom_type
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, GEOSGeometry):
            return value.json
        return value

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if not value:
            return None
        try:
            data = json.loads(value)
            if not isinstance(data, dict) or data.get("type") != self.geom_type:
                raise ValueError(data.get("type") if isinstance(data, dict) else "")
            coords: Any = data.get("coordinates")
            geometry: GEOSGeometry = Point(coords[0], coords[1], srid=4326) if self.geom_type == "Point" else LineString([c[:2] for c in coords], srid=4326)
        except (ValueError, TypeError, IndexError, GEOSException) as exc:
            label = _("点") if self.geom_type == "Point" else _("线")
            raise forms.ValidationError(_("请在地图上画出%(kind)s（或填写有效的 GeoJSON %(type)s）。") % {"kind": label, "type": self.geom_type}) from exc
        return geometry


class LocationFieldsMixin(forms.Form):
    """A point from the map, or typed longitude/latitude (phones without a steady hand)."""

    location = GeometryJSONField(label=_("位置"), required=False, geom_type="Point")
    longitude = forms.FloatField(label=_("经度"), required=False, min_value=-180, max_value=180)
    latitude = forms.FloatField(label=_("纬度"), required=False, min_value=-90, max_value=90)
    location_required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        point = data.get("location")
        lon, lat = data.get("longitude"), data.get("latitude")
        if point is None and lon is not None and lat is not None:
            point = Point(lon, lat, srid=4326)
        if point is None and self.location_required and not self.errors.get("location"):
            self.add_error("location", _("请在地图上点选位置，或填写经度和纬度。"))
        data["location"] = point
        data.pop("longitude", None)
        data.pop("latitude", None)
        return data


def _towns() -> Any:
    return AdminArea.objects.filter(level=AreaLevel.TOWN, is_active=True).order_by("sort_order", "code")


class StationForm(LocationFieldsMixin):
    name = forms.CharField(label=_("站点名称"), max_length=100)
    code = forms.CharField(label=_("站点编号"), max_length=40, required=False)
    level = forms.ChoiceField(label=_("级别"), choices=StationLevel.choices)
    established_on = forms.DateField(label=_("建站日期"), widget=DATE_WIDGET)
    address = forms.CharField(label=_("地址/地点描述"), max_length=200, required=False)
    habitat = forms.CharField(label=_("监测生境"), max_length=200, required=False)
    responsible: Any = forms.ModelChoiceField(label=_("责任人"), queryset=None, required=False)
    duty_phone = forms.CharField(label=_("值班电话"), max_length=30, required=False)
    duty_email = forms.EmailField(label=_("值班邮箱"), required=False)
    covered_areas: Any = forms.ModelMultipleChoiceField(label=_("监测范围（镇街）"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    is_active = forms.BooleanField(label=_("在用"), required=False, initial=True)
    notes = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    accepts = ("user",)

    def __init__(self, *args: Any, instance: Any = None, user: Any = None, **kwargs: Any) -> None:
        from wildlife.accounts.models import User

        initial = kwargs.pop("initial", None) or {}
        if instance is not None:
            initial.update(
                {f: getattr(instance, f) for f in ("name", "code", "level", "established_on", "address", "habitat", "responsible", "duty_phone", "duty_email", "is_active", "notes", "version")}
            )
            initial["location"] = instance.location.json
            initial["covered_areas"] = list(instance.covered_areas.all())
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from wildlife.core.scope import user_scope

        # the responsible officer is chosen among the people working within the editor's own areas
        within = Q(pk__in=[])
        for prefix in user_scope(user).paths("view"):
            within |= Q(area_assignments__area__path__startswith=prefix)
        self.fields["responsible"].queryset = User.objects.filter(within, is_active=True, admin_role="").distinct().order_by("username")  # type: ignore[attr-defined]
        self.fields["covered_areas"].queryset = _towns()  # type: ignore[attr-defined]


class RouteForm(forms.Form):
    name = forms.CharField(label=_("路线名称"), max_length=100)
    geometry = GeometryJSONField(label=_("路线"), geom_type="LineString")
    notes = forms.CharField(label=_("说明"), max_length=300, required=False)


class PointForm(LocationFieldsMixin):
    name = forms.CharField(label=_("监测点名称"), max_length=100)
    notes = forms.CharField(label=_("说明"), max_length=300, required=False)


class FeatureImportForm(forms.Form):
    file = forms.FileField(label=_("GeoJSON 文件"), help_text=_("WGS-84 经纬度；路线为 LineString，监测点为 Point，名称取 properties.name"))


class EquipmentForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    quantity = forms.IntegerField(label=_("数量"), min_value=0)
    unit = forms.CharField(label=_("单位"), max_length=20, initial="件")
    condition = forms.CharField(label=_("状况"), max_length=100, required=False)


# --- reports -----------------------------------------------------------------------------------------------------


def _species_queryset() -> Any:
    return Species.objects.filter(aquatic=False).order_by("taxon_class", "pinyin")


class ReportForm(forms.Form):
    date = forms.DateField(label=_("报告日期"), widget=DATE_WIDGET, help_text=_("重点时期为当日；其他时期为本周内任一日"))
    is_zero_report = forms.BooleanField(label=_("零报告（巡查未发现异常）"), required=False)
    route: Any = forms.ModelChoiceField(label=_("巡查路线"), queryset=None, required=False)
    route_km = forms.DecimalField(label=_("巡查里程(公里)"), min_value=0, max_digits=6, decimal_places=2, required=False)
    patrol_started_at = forms.DateTimeField(label=_("巡查开始"), widget=DATETIME_WIDGET, required=False)
    patrol_ended_at = forms.DateTimeField(label=_("巡查结束"), widget=DATETIME_WIDGET, required=False)
    observers = forms.CharField(label=_("巡查人员"), max_length=200, required=False)
    weather = forms.CharField(label=_("天气"), max_length=60, required=False)
    notes = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    event_location = GeometryJSONField(label=_("异常发现地点"), required=False, geom_type="Point")
    event_detected_at = forms.DateTimeField(label=_("异常首次发现时间"), widget=DATETIME_WIDGET, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, station: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["route"].queryset = station.routes.order_by("name")  # type: ignore[attr-defined]


class FindingForm(forms.Form):
    group = forms.ChoiceField(label=_("类别"), choices=AnimalGroup.choices)
    species: Any = forms.ModelChoiceField(label=_("物种"), queryset=None, required=False)
    species_text = forms.CharField(label=_("其他物种名称"), max_length=100, required=False)
    count = forms.IntegerField(label=_("数量"), min_value=0, initial=0)
    sick = forms.IntegerField(label=_("异常"), min_value=0, initial=0)
    dead = forms.IntegerField(label=_("死亡"), min_value=0, initial=0)
    notes = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["species"].queryset = _species_queryset()  # type: ignore[attr-defined]


FindingFormSet = forms.formset_factory(FindingForm, extra=3, max_num=50, validate_max=True)


# --- events ------------------------------------------------------------------------------------------------------


class EventForm(LocationFieldsMixin):
    source = forms.ChoiceField(label=_("来源"), choices=EventSource.choices)
    source_ref = forms.CharField(label=_("来源编号"), max_length=100, required=False, help_text=_("救护案件号、群众报告回执号、巡护记录号等"))
    station: Any = forms.ModelChoiceField(label=_("监测站"), queryset=None, required=False)
    place_name = forms.CharField(label=_("地点描述"), max_length=200, required=False)
    detected_at = forms.DateTimeField(label=_("首次发现时间"), widget=DATETIME_WIDGET)
    signs = forms.CharField(label=_("症状与异常表现"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    isolation = forms.BooleanField(label=_("已隔离现场"), required=False)
    no_touching = forms.BooleanField(label=_("已禁止无关人员接触"), required=False)
    disinfection = forms.BooleanField(label=_("已消毒"), required=False)
    carcass_collected = forms.BooleanField(label=_("尸体已收集"), required=False)
    measures_note = forms.CharField(label=_("其他处置措施"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from wildlife.disease.selectors import station_list

        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = station_list(user=user)  # type: ignore[attr-defined]


class EventEditForm(LocationFieldsMixin):
    place_name = forms.CharField(label=_("地点描述"), max_length=200, required=False)
    detected_at = forms.DateTimeField(label=_("首次发现时间"), widget=DATETIME_WIDGET)
    signs = forms.CharField(label=_("症状与异常表现"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    source_ref = forms.CharField(label=_("来源编号"), max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class SpeciesLineForm(forms.Form):
    species: Any = forms.ModelChoiceField(label=_("物种"), queryset=None)
    sick = forms.IntegerField(label=_("患病/异常"), min_value=0, initial=0)
    dead = forms.IntegerField(label=_("死亡"), min_value=0, initial=0)
    local_population = forms.IntegerField(label=_("当地种群估计"), min_value=1, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["species"].queryset = _species_queryset()  # type: ignore[attr-defined]


SpeciesLineFormSet = forms.formset_factory(SpeciesLineForm, extra=2, max_num=30, validate_max=True)


class MeasuresForm(forms.Form):
    isolation = forms.BooleanField(label=_("已隔离现场"), required=False)
    no_touching = forms.BooleanField(label=_("已禁止无关人员接触"), required=False)
    disinfection = forms.BooleanField(label=_("已消毒"), required=False)
    carcass_collected = forms.BooleanField(label=_("尸体已收集"), required=False)
    measures_note = forms.CharField(label=_("其他处置措施"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class StepCompleteForm(forms.Form):
    note = forms.CharField(label=_("报告方式/文号"), max_length=200, required=False)


class SuspectForm(forms.Form):
    reason = forms.CharField(label=_("疑似依据"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    final_diagnosis = forms.CharField(label=_("最终诊断"), max_length=200)
    closure_note = forms.CharField(label=_("结案说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("照片"))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)


class SampleForm(forms.Form):
    sample_no = forms.CharField(label=_("样品编号"), max_length=40)
    kind = forms.ChoiceField(label=_("样品类型"), choices=SampleKind.choices)
    species: Any = forms.ModelChoiceField(label=_("物种"), queryset=None, required=False)
    quantity = forms.IntegerField(label=_("份数"), min_value=1, initial=1)
    taken_by = forms.CharField(label=_("采样人"), max_length=100)
    taken_at = forms.DateTimeField(label=_("采样时间"), widget=DATETIME_WIDGET)
    biosafety_level = forms.ChoiceField(label=_("生物安全防护等级"), choices=BiosafetyLevel.choices, initial=BiosafetyLevel.BSL2)
    preservation = forms.CharField(label=_("保存方式"), max_length=100, required=False)
    lab_name = forms.CharField(label=_("送检单位"), max_length=120, required=False)
    sent_at = forms.DateTimeField(label=_("送检时间"), widget=DATETIME_WIDGET, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["species"].queryset = _species_queryset()  # type: ignore[attr-defined]


class CustodyForm(forms.Form):
    at = forms.DateTimeField(label=_("交接时间"), widget=DATETIME_WIDGET)
    from_person = forms.CharField(label=_("移交人"), max_length=100)
    to_person = forms.CharField(label=_("接收人"), max_length=100)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    condition = forms.CharField(label=_("样品状态"), max_length=120, required=False)


class LabResultForm(forms.Form):
    sample: Any = forms.ModelChoiceField(label=_("样品"), queryset=None)
    pathogen = forms.CharField(label=_("病原"), max_length=100)
    test_method = forms.CharField(label=_("检测方法"), max_length=100)
    outcome = forms.ChoiceField(label=_("结果"), choices=LabOutcome.choices)
    tested_count = forms.IntegerField(label=_("检测数"), min_value=1)
    positive_count = forms.IntegerField(label=_("阳性数"), min_value=0, initial=0)
    pooled = forms.BooleanField(label=_("混样检测"), required=False)
    pool_size = forms.IntegerField(label=_("每混样份数"), min_value=2, required=False)
    lab_name = forms.CharField(label=_("检测单位"), max_length=120)
    report_no = forms.CharField(label=_("检测报告编号"), max_length=60, required=False)
    reported_at = forms.DateTimeField(label=_("报告时间"), widget=DATETIME_WIDGET)
    notes = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args: Any, event: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sample"].queryset = event.samples.all()  # type: ignore[attr-defined]


class SupplyForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=SupplyKind.choices)
    item = forms.CharField(label=_("物资"), max_length=100)
    quantity = forms.DecimalField(label=_("数量"), min_value=0, max_digits=10, decimal_places=2)
    unit = forms.CharField(label=_("单位"), max_length=20)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class DispatchForm(forms.Form):
    team_name = forms.CharField(label=_("队伍"), max_length=100)
    members = forms.CharField(label=_("人员"), max_length=300, required=False)
    dispatched_at = forms.DateTimeField(label=_("出发时间"), widget=DATETIME_WIDGET)
    arrived_at = forms.DateTimeField(label=_("到达时间"), widget=DATETIME_WIDGET, required=False)
    note = forms.CharField(label=_("任务"), max_length=300, required=False)


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("跟进情况"), widget=forms.Textarea(attrs={"rows": 2}))
    close = forms.BooleanField(label=_("同时关闭预警"), required=False)


# --- rules -------------------------------------------------------------------------------------------------------

_RULE_EXCLUDE = ("version", "created_at", "updated_at")


class _RuleForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk:
            data["version"] = data.get("version") or self.instance.version
        return data


class KeyPeriodForm(_RuleForm):
    class Meta:
        model = KeyPeriod
        fields = ["name", "kind", "start_date", "end_date", "notes"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}


class ReportingRuleForm(_RuleForm):
    class Meta:
        model = ReportingRule
        fields = [
            "name", "daily_deadline_days", "daily_deadline_time", "weekly_deadline_days", "weekly_deadline_time",
            "reminder_before_minutes", "overdue_lookback_days", "effective_from", "effective_to", "legal_basis", "is_local_policy",
        ]
        widgets = {"effective_from": DATE_WIDGET, "effective_to": DATE_WIDGET, "daily_deadline_time": forms.TimeInput(attrs={"type": "time"}), "weekly_deadline_time": forms.TimeInput(attrs={"type": "time"})}


class GradingRuleForm(_RuleForm):
    class Meta:
        model = GradingRule
        fields = [
            "name", "grade", "kind", "taxon_rank", "taxon_name", "birds_only", "protection", "min_dead", "window_hours",
            "site_radius_m", "min_share_pct", "effective_from", "effective_to", "legal_basis", "is_local_policy",
        ]
        widgets = {"effective_from": DATE_WIDGET, "effective_to": DATE_WIDGET}


class ChainRuleForm(_RuleForm):
    class Meta:
        model = ChainRule
        fields = ["name", "trigger", "sequence", "from_body", "to_body", "deadline_minutes", "effective_from", "effective_to", "legal_basis", "is_local_policy"]
        widgets = {"effective_from": DATE_WIDGET, "effective_to": DATE_WIDGET}


class ClusterRuleForm(_RuleForm):
    class Meta:
        model = ClusterRule
        fields = ["name", "taxon_rank", "radius_m", "window_hours", "min_events", "min_dead", "level", "effective_from", "effective_to", "legal_basis", "is_local_policy"]
        widgets = {"effective_from": DATE_WIDGET, "effective_to": DATE_WIDGET}


RULE_FORMS: dict[str, tuple[type[forms.ModelForm], Any]] = {  # type: ignore[type-arg]
    "keyperiod": (KeyPeriodForm, _("重点时期")),
    "reportingrule": (ReportingRuleForm, _("报告时限规则")),
    "gradingrule": (GradingRuleForm, _("分级阈值规则")),
    "chainrule": (ChainRuleForm, _("报告链规则")),
    "clusterrule": (ClusterRuleForm, _("聚集性预警规则")),
}
