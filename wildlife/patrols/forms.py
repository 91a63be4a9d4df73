"""Forms of the patrol, inspection, training and register pages. Forms check the shape of the input (and read track
files into a ParsedTrack); the services check the rules."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wildlife.accounts.models import Department, User
from wildlife.core.forms import VersionedModelFormMixin
from wildlife.core.scope import user_scope
from wildlife.geo.choices import AreaLevel, SourceCRS
from wildlife.geo.selectors import area_list
from wildlife.patrols.choices import (
    Answer,
    FollowUpResult,
    IncidentKind,
    PatrolKind,
    TargetKind,
    TrackSource,
)
from wildlife.patrols.models import ChecklistTemplate, EnforcementOfficer, Equipment, InspectionTarget, TrainingSession
from wildlife.patrols.tracks import convert_track, parse_geojson_track, read_track_upload

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WIDE = {"col": "col-12"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the services check each file's type and size."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"col": "col-12"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


_LONLAT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,，\s]\s*(-?\d+(?:\.\d+)?)\s*$")


class PointInputField(forms.CharField):
    """A place as "经度,纬度" or as the GeoJSON point the map writes when the user clicks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("在地图上点击选择，或输入“经度,纬度”，如 117.75,36.70"))
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Point | None:
        text = super().clean(value)
        if not text:
            return None
        match = _LONLAT.match(text)
        try:
            if match:
                lon, lat = float(match.group(1)), float(match.group(2))
            else:
                data = json.loads(text)
                if not isinstance(data, dict) or data.get("type") != "Point":
                    raise ValidationError(_("位置应为一个点。"))
                lon, lat = float(data["coordinates"][0]), float(data["coordinates"][1])
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ValidationError(_("位置格式不正确：请在地图上点击，或输入“经度,纬度”。")) from exc
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationError(_("经纬度超出范围（经度在前，纬度在后）。"))
        return Point(lon, lat, srid=4326)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, GEOSGeometry):
            return value.geojson
        return value


def colleagues(user: Any) -> QuerySet[User]:
    """Business users working within the user's areas (for team and inspector pickers)."""
    paths = user_scope(user).paths("view")
    if not paths:
        return User.objects.none()
    q = Q()
    for prefix in paths:
        q |= Q(area_assignments__area__path__startswith=prefix)
    return User.objects.filter(q, is_active=True, admin_role="").distinct().order_by("username")


def operations_for(user: Any) -> QuerySet[Any]:
    from wildlife.enforcement.models import Operation

    return Operation.objects.restrict(user, "view").order_by("-start_date")


def towns_for(user: Any) -> QuerySet[Any]:
    return area_list(user=user, include_overlays=False).filter(level__in=[AreaLevel.TOWN, AreaLevel.DISTRICT]).order_by("sort_order", "path")


class ScopedChoicesMixin:
    """Narrow user, operation and area pickers to the acting user's scope (ObjectFormView passes `user`)."""

    accepts = ("user",)
    fields: dict[str, forms.Field]

    def narrow(self, user: Any) -> None:
        for name in ("members", "inspectors"):
            if name in self.fields:
                self.fields[name].queryset = colleagues(user)  # type: ignore[attr-defined]
        if "operation" in self.fields:
            self.fields["operation"].queryset = operations_for(user)  # type: ignore[attr-defined]
        if "area" in self.fields:
            self.fields["area"].queryset = towns_for(user)  # type: ignore[attr-defined]


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


# --- patrols ---------------------------------------------------------------------------------------------------------


class PatrolForm(ScopedChoicesMixin, forms.Form):
    """A patrol with its track: an uploaded GPX/GeoJSON file or a line drawn on the map."""

    title = forms.CharField(label=_("巡护名称"), max_length=200, required=False, help_text=_("留空则使用轨迹文件中的名称"))
    kind = forms.ChoiceField(label=_("巡护类型"), choices=PatrolKind.choices)
    started_at = forms.DateTimeField(label=_("开始时间"), required=False, widget=DATETIME_WIDGET, help_text=_("留空则取轨迹文件中的时间"))
    ended_at = forms.DateTimeField(label=_("结束时间"), required=False, widget=DATETIME_WIDGET)
    members = forms.ModelMultipleChoiceField(label=_("巡护队员(平台用户)"), queryset=User.objects.none(), required=False)
    member_names = forms.CharField(label=_("其他队员"), max_length=300, required=False, help_text=_("用顿号分隔，如 护林员张三、李四"))
    weather = forms.CharField(label=_("天气"), max_length=60, required=False)
    operation = forms.ModelChoiceField(label=_("所属专项行动"), queryset=User.objects.none(), required=False)
    track_file = forms.FileField(label=_("轨迹文件"), required=False, help_text=_("GPX 或 GeoJSON（LineString），最大 20 MB"))
    track_crs = forms.ChoiceField(
        label=_("坐标系"), choices=SourceCRS.choices, initial=SourceCRS.WGS84, help_text=_("GPS 设备为 WGS-84；高德/腾讯地图导出为 GCJ-02")
    )
    track_drawn = forms.CharField(label=_("在地图上绘制的路线"), required=False, widget=forms.HiddenInput)
    summary = forms.CharField(label=_("巡护情况"), required=False, widget=forms.Textarea(attrs={"rows": 3, **WIDE}))
    version = _version_field()

    track_required = True

    def __init__(self, *args: Any, user: Any = None, instance: Any = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and not kwargs.get("data"):
            kwargs["initial"] = {
                "title": instance.title,
                "kind": instance.kind,
                "started_at": timezone.localtime(instance.started_at),
                "ended_at": timezone.localtime(instance.ended_at),
                "members": list(instance.members.all()),
                "member_names": instance.member_names,
                "weather": instance.weather,
                "operation": instance.operation,
                "summary": instance.summary,
                "version": instance.version,
                "track_drawn": instance.track.geojson,  # shown on the map, where it can be redrawn
            }
        super().__init__(*args, **kwargs)
        self.narrow(user)
        if instance is not None:
            self.track_required = False
            self.fields["track_file"].help_text = _("需要更换轨迹时上传；不上传则保留原轨迹")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        upload = data.pop("track_file", None)
        drawn = (data.pop("track_drawn", "") or "").strip()
        crs = data.pop("track_crs", SourceCRS.WGS84) or SourceCRS.WGS84
        track = None
        try:
            if upload:
                track = read_track_upload(upload)
                data["track_source"] = TrackSource.GPX if track.source_format == "gpx" else TrackSource.GEOJSON
                data["track_file_name"] = (upload.name or "")[:200]
            elif drawn:
                track = parse_geojson_track(drawn, field_name="track_drawn")
                if self.instance is not None and track.points == list(self.instance.track.coords):
                    track = None  # the stored track, shown on the map and sent back unchanged
                else:
                    data["track_source"] = TrackSource.DRAWN
                    data["track_file_name"] = ""
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
            return data
        if track is not None:
            data["track"] = convert_track(track, crs) if data.get("track_source") != TrackSource.DRAWN else track
        elif self.track_required:
            self.add_error("track_file", _("请上传轨迹文件，或在地图上绘制巡护路线。"))
        if self.instance is not None:
            data["version"] = data.get("version") or self.instance.version
        else:
            data.pop("version", None)
        return data


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=IncidentKind.choices)
    observed_at = forms.DateTimeField(label=_("发现时间"), required=False, widget=DATETIME_WIDGET, help_text=_("留空则记为巡护开始时间"))
    location = PointInputField(label=_("位置"), widget=forms.TextInput(attrs={"id": "id_incident_location"}))
    species_name = forms.CharField(label=_("物种"), max_length=100, required=False, help_text=_("中文名、别名或学名，可不填"))
    count = forms.IntegerField(label=_("数量"), min_value=1, required=False)
    description = forms.CharField(label=_("情况描述"), widget=forms.Textarea(attrs={"rows": 3, **WIDE}))
    photos = MultipleFileField(label=_("照片"), help_text=_("JPEG/PNG/WebP，每张不超过 15 MB，一次最多 10 张"))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        name = (data.pop("species_name", "") or "").strip()
        data["species"] = None
        if name:
            from wildlife.species.selectors import species_resolve

            species, suggestions = species_resolve(name)
            if species is None:
                hint = "、".join(s.name_zh for s in suggestions[:5])
                self.add_error(
                    "species_name",
                    _("未找到物种“%(name)s”。%(hint)s") % {"name": name, "hint": (_("您是否要找：") + hint) if hint else ""},
                )
            data["species"] = species
        return data


# --- inspections -----------------------------------------------------------------------------------------------------


class InspectionTargetForm(ScopedChoicesMixin, VersionedModelFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    location = PointInputField(label=_("位置"), required=False, widget=forms.TextInput(attrs={"id": "id_location"}))
    area = forms.ModelChoiceField(label=_("所属镇街"), queryset=User.objects.none(), required=False, help_text=_("未标注位置时必填"))
    version = _version_field()

    class Meta:
        model = InspectionTarget
        fields = ["name", "kind", "address", "operator_name", "contact_phone", "uscc", "is_active", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2, **WIDE})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.narrow(user)
        if self.instance.pk:
            self.fields["location"].initial = self.instance.location.geojson if self.instance.location else ""
            self.fields["version"].initial = self.instance.version


class ChecklistTemplateForm(ScopedChoicesMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    target_kind = forms.ChoiceField(label=_("适用对象类型"), choices=TargetKind.choices)
    items = forms.CharField(
        label=_("检查项"),
        widget=forms.Textarea(attrs={"rows": 10, **WIDE}),
        help_text=_("每行一项；可用“｜”分隔检查内容与依据，如：是否出售国家重点保护野生动物｜野生动物保护法第二十八条"),
    )
    is_active = forms.BooleanField(label=_("启用（同类对象的其他模板将停用）"), required=False, initial=True)
    notes = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2, **WIDE}))
    version = _version_field()

    def __init__(self, *args: Any, user: Any = None, instance: ChecklistTemplate | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and not kwargs.get("data"):
            kwargs["initial"] = {
                "name": instance.name,
                "target_kind": instance.target_kind,
                "is_active": instance.is_active,
                "notes": instance.notes,
                "version": instance.version,
                "items": "\n".join(f"{i.text}｜{i.legal_basis}" if i.legal_basis else i.text for i in instance.items.all()),
            }
        super().__init__(*args, **kwargs)
        if user is not None and not user.has_perm("patrols.view_breeding_site"):
            kind_field = self.fields["target_kind"]
            assert isinstance(kind_field, forms.ChoiceField)
            kind_field.choices = [c for c in TargetKind.choices if c[0] != TargetKind.BREEDING]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.instance is not None:
            data["version"] = data.get("version") or self.instance.version
        else:
            data.pop("version", None)
        return data


class InspectionForm(ScopedChoicesMixin, forms.Form):
    """An inspection of one target: the active checklist for its kind becomes one answer (+ note) per item."""

    inspected_on = forms.DateField(label=_("检查日期"), widget=DATE_WIDGET)
    inspectors = forms.ModelMultipleChoiceField(label=_("检查人员(平台用户)"), queryset=User.objects.none(), required=False)
    inspector_names = forms.CharField(label=_("其他检查人员"), max_length=300, required=False, help_text=_("用顿号分隔"))
    operation = forms.ModelChoiceField(label=_("所属专项行动"), queryset=User.objects.none(), required=False)
    findings = forms.CharField(label=_("检查发现"), required=False, widget=forms.Textarea(attrs={"rows": 3, **WIDE}))
    rectification_requirement = forms.CharField(
        label=_("整改要求"), required=False, widget=forms.Textarea(attrs={"rows": 2, **WIDE}), help_text=_("有不符合项需要整改时填写")
    )
    rectify_by = forms.DateField(label=_("整改期限"), required=False, widget=DATE_WIDGET, help_text=_("填写后记录进入“整改中”"))
    photos = MultipleFileField(label=_("现场照片"), help_text=_("JPEG/PNG/WebP，每张不超过 15 MB"))

    def __init__(self, *args: Any, user: Any = None, template: ChecklistTemplate | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"inspected_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.narrow(user)
        self.template = template
        self.answer_errors: list[str] = []
        self.items = list(template.items.all()) if template is not None else []
        for item in self.items:
            self.fields[f"answer_{item.order}"] = forms.ChoiceField(
                label=f"{item.order}. {item.text}", choices=Answer.choices, widget=forms.RadioSelect, required=True
            )
            self.fields[f"note_{item.order}"] = forms.CharField(label=_("说明"), max_length=500, required=False)

    def checklist_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(item, self[f"answer_{item.order}"], self[f"note_{item.order}"]) for item in self.items]

    def other_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith(("answer_", "note_"))]

    def clean(self) -> dict[str, Any]:
        from wildlife.patrols.services import AnswerInput

        data: dict[str, Any] = super().clean() or {}
        answers = []
        for item in self.items:
            answer = data.pop(f"answer_{item.order}", None)
            note = data.pop(f"note_{item.order}", "") or ""
            if answer:
                answers.append(AnswerInput(order=item.order, item_text=item.text, answer=answer, note=note, legal_basis=item.legal_basis))
        data["answers"] = answers
        data["template"] = self.template
        return data


class RectificationForm(forms.Form):
    rectify_by = forms.DateField(label=_("整改期限"), widget=DATE_WIDGET)
    requirement = forms.CharField(label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class FollowUpForm(forms.Form):
    checked_on = forms.DateField(label=_("复查日期"), widget=DATE_WIDGET, initial=timezone.localdate)
    result = forms.ChoiceField(label=_("复查结论"), choices=FollowUpResult.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("复查情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    new_deadline = forms.DateField(label=_("新整改期限"), required=False, widget=DATE_WIDGET, help_text=_("未整改到位时必填"))
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("办结说明"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class InspectionEditForm(ScopedChoicesMixin, forms.Form):
    inspectors = forms.ModelMultipleChoiceField(label=_("检查人员(平台用户)"), queryset=User.objects.none(), required=False)
    inspector_names = forms.CharField(label=_("其他检查人员"), max_length=300, required=False)
    operation = forms.ModelChoiceField(label=_("所属专项行动"), queryset=User.objects.none(), required=False)
    findings = forms.CharField(label=_("检查发现"), required=False, widget=forms.Textarea(attrs={"rows": 4, **WIDE}))
    version = _version_field()

    def __init__(self, *args: Any, user: Any = None, instance: Any = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and not kwargs.get("data"):
            kwargs["initial"] = {
                "inspectors": list(instance.inspectors.all()),
                "inspector_names": instance.inspector_names,
                "operation": instance.operation,
                "findings": instance.findings,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.narrow(user)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        data["version"] = data.get("version") or (self.instance.version if self.instance is not None else 1)
        return data


class PhotosForm(forms.Form):
    upload = MultipleFileField(label=_("文件"))


# --- trainings -------------------------------------------------------------------------------------------------------


class TrainingSessionForm(ScopedChoicesMixin, VersionedModelFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    area = forms.ModelChoiceField(label=_("所属区划"), queryset=User.objects.none(), required=False, help_text=_("留空为您所在的区划"))
    materials = MultipleFileField(label=_("培训材料"), help_text=_("PDF、Word、Excel、PPT 或图片，每个不超过 30 MB"))
    version = _version_field()

    class Meta:
        model = TrainingSession
        fields = ["title", "held_on", "hours", "trainer", "place", "organiser", "content"]
        widgets = {"held_on": DATE_WIDGET, "content": forms.Textarea(attrs={"rows": 3, **WIDE})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.narrow(user)
        self.fields["organiser"].queryset = Department.objects.order_by("sort_order")  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields.pop("area")
            self.fields["version"].initial = self.instance.version


class AttendanceForm(forms.Form):
    user = forms.ModelChoiceField(label=_("平台用户"), queryset=User.objects.none(), required=False)
    name = forms.CharField(label=_("姓名"), max_length=60, required=False, help_text=_("不是平台用户时填写"))
    department = forms.CharField(label=_("单位"), max_length=100, required=False)
    attended = forms.BooleanField(label=_("出勤"), required=False, initial=True)
    hours = forms.DecimalField(label=_("计入学时"), max_digits=5, decimal_places=1, required=False, help_text=_("留空按本次培训学时计"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["user"].queryset = colleagues(user)  # type: ignore[attr-defined]


# --- personnel and equipment -----------------------------------------------------------------------------------------


class OfficerForm(VersionedModelFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    accepts = ("user",)
    certificate_no = forms.CharField(label=_("执法证号"), max_length=40, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    version = _version_field()

    class Meta:
        model = EnforcementOfficer
        fields = ["name", "user", "department", "position", "certificate_valid_until", "is_active", "notes"]
        widgets = {"certificate_valid_until": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 2, **WIDE})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["user"].queryset = colleagues(user)  # type: ignore[attr-defined]
            areas = towns_for(user)
            self.fields["department"].queryset = Department.objects.filter(area__in=areas).order_by("sort_order")  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["certificate_no"].help_text = _("当前：%(masked)s；留空则不修改") % {"masked": self.instance.certificate_masked or "—"}
            self.fields["version"].initial = self.instance.version
        self.order_fields(["name", "user", "department", "position", "certificate_no", "certificate_valid_until", "is_active", "notes"])


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("查看原因"), max_length=200)


class CoverageForm(forms.Form):
    year = forms.IntegerField(
        label=_("年份"), min_value=2000, max_value=2100, required=False, widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"})
    )
    month = forms.TypedChoiceField(
        label=_("月份"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全年"))] + [(m, f"{m}月") for m in range(1, 13)],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def period(self) -> tuple[int, int | None]:
        today = timezone.localdate()
        if self.is_valid():
            return self.cleaned_data.get("year") or today.year, self.cleaned_data.get("month")
        return today.year, None


class EquipmentForm(ScopedChoicesMixin, VersionedModelFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    area = forms.ModelChoiceField(label=_("所属区划"), queryset=User.objects.none(), required=False, help_text=_("无保管人时使用；留空为您所在的区划"))
    version = _version_field()

    class Meta:
        model = Equipment
        fields = ["kind", "model_name", "serial_no", "holder", "status", "purchased_on", "last_checked_on", "next_check_on", "notes"]
        widgets = {
            "purchased_on": DATE_WIDGET,
            "last_checked_on": DATE_WIDGET,
            "next_check_on": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 2, **WIDE}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.narrow(user)
        if user is not None:
            self.fields["holder"].queryset = EnforcementOfficer.objects.restrict(user, "view").filter(is_active=True)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields.pop("area")
            self.fields["version"].initial = self.instance.version


