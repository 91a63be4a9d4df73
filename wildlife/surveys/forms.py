"""Forms of the survey pages. They validate input shape (types, required fields, coordinates); the business rules
(inside the district, not in the future, project open ...) live in the services and come back as field errors.

Each form takes `user` (choices narrowed to the user's scope) and `instance` (edit), and its cleaned_data is the
keyword arguments of the matching service.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.contrib.gis.geos import GEOSException, GEOSGeometry, LineString, Point, Polygon
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wildlife.accounts.models import Department, User
from wildlife.geo.models import AdminArea
from wildlife.species.models import Species
from wildlife.surveys.choices import LifeStage, ObservationMethod, ProjectKind, ProjectStatus, Sex, SiteKind
from wildlife.surveys.models import SamplingEvent, SurveyProject, SurveySite

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
_NUMBER = r"[-+]?\d+(?:\.\d+)?"


def datetime_field(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def parse_geometry(text: str) -> GEOSGeometry:
    """A geometry from what a user or the map sends: GeoJSON (the map), WKT, or typed coordinates —
    "117.75,36.72" (a point) or "117.75 36.72; 117.76 36.72; ..." (a line, or a polygon when it closes)."""
    text = (text or "").strip()
    if not text:
        raise forms.ValidationError(_("请在地图上绘制，或填写坐标。"))
    try:
        if text.startswith("{"):
            data = json.loads(text)
            if data.get("type") == "Feature":
                data = data.get("geometry") or {}
            geometry = GEOSGeometry(json.dumps(data))
        elif re.match(r"^[A-Za-z]", text):
            geometry = GEOSGeometry(text)
        else:
            pairs = re.findall(rf"({_NUMBER})\s*[,，\s]\s*({_NUMBER})", text)
            coords = [(float(x), float(y)) for x, y in pairs]
            if not coords:
                raise ValueError("no coordinates")
            if len(coords) == 1:
                geometry = Point(coords[0])
            elif len(coords) >= 4 and coords[0] == coords[-1]:
                geometry = Polygon(coords)
            else:
                geometry = LineString(coords)
    except (ValueError, TypeError, GEOSException, json.JSONDecodeError, AttributeError) as exc:
        raise forms.ValidationError(_("无法识别的坐标或图形。点：经度,纬度（如 117.75,36.72）；线：各点以分号分隔。")) from exc
    if geometry.srid is None:
        geometry.srid = 4326
    return geometry


class ServiceForm(forms.Form):
    """A plain form whose cleaned_data feeds a service; `instance` fills the initial values for editing."""

    accepts = ("user",)
    instance_fields: tuple[str, ...] = ()
    fields: dict[str, Any]  # the stubs type them as Field, which hides queryset/choices

    def __init__(self, *args: Any, user: Any = None, instance: Any = None, **kwargs: Any) -> None:
        self.user = user
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)

    def initial_from(self, instance: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name in self.instance_fields or tuple(self.base_fields):
            if hasattr(instance, name):
                value = getattr(instance, name)
                if hasattr(value, "all") and callable(value.all):
                    value = list(value.all())
                elif isinstance(value, GEOSGeometry):
                    value = value.geojson
                elif hasattr(value, "tzinfo") and value is not None and timezone.is_aware(value):
                    value = timezone.localtime(value)
                initial[name] = value
        return initial


class VersionedForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance is None:
            data.pop("version", None)
        elif not data.get("version"):
            data["version"] = self.instance.version
        return data


def _open_projects(user: Any, kinds: tuple[str, ...] = ()) -> Any:
    projects = SurveyProject.objects.restrict(user, "view").filter(status__in=[ProjectStatus.PLANNED, ProjectStatus.ACTIVE])
    if kinds:
        projects = projects.filter(kind__in=kinds)
    return projects.order_by("-start_date", "name")


class SpeciesChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A species picked by id (the autocomplete fills it); typing a name works too (exact Chinese name, alias or
    scientific name)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Species.objects.all())
        kwargs.setdefault("widget", forms.HiddenInput(attrs={"data-species-id": "1"}))
        kwargs.setdefault("error_messages", {"required": _("请选择物种（输入中文名、别名、拼音首字母或学名查找）。"), "invalid_choice": _("物种不在名录中。")})
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip() and not value.strip().isdigit():
            from wildlife.species.selectors import species_resolve

            species, _suggestions = species_resolve(value)
            if species is None:
                raise forms.ValidationError(_("名录中没有“%(name)s”，请从候选列表中选择。") % {"name": value}, code="invalid_choice")
            return species
        return super().to_python(value)


# --- projects ----------------------------------------------------------------------------------------------------


class SurveyProjectForm(VersionedForm):
    name = forms.CharField(label=_("项目名称"), max_length=200)
    code = forms.SlugField(label=_("项目编号"), max_length=60, required=False, help_text=_("留空自动生成；字母、数字、连字符"))
    kind = forms.ChoiceField(label=_("类型"), choices=ProjectKind.choices)
    status = forms.ChoiceField(label=_("状态"), choices=[(ProjectStatus.PLANNED, ProjectStatus.PLANNED.label), (ProjectStatus.ACTIVE, ProjectStatus.ACTIVE.label)], initial=ProjectStatus.ACTIVE)
    lead_department = forms.ModelChoiceField(label=_("牵头单位"), queryset=Department.objects.none())
    start_date = date_field(_("开始日期"))
    end_date = date_field(_("结束日期"), required=False)
    staff = forms.ModelMultipleChoiceField(label=_("调查人员"), queryset=User.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    description = forms.CharField(label=_("项目说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    methodology = forms.CharField(label=_("调查方法"), widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=_("如：样线法（单侧 50 米）、样点法（半径 25 米、10 分钟）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].queryset = Department.objects.filter(kind="district_department").order_by("sort_order")
        self.fields["staff"].queryset = User.objects.filter(is_active=True, admin_role="").order_by("username")
        if self.instance is not None:
            self.fields["status"].choices = ProjectStatus.choices
        elif self.user is not None:
            department = Department.objects.filter(group__user=self.user, kind="district_department").first()
            if department is not None:
                self.fields["lead_department"].initial = department.pk


class ProjectCloseForm(forms.Form):
    end_date = date_field(_("结束日期"))


# --- sites -------------------------------------------------------------------------------------------------------

DRAW_BY_KIND = {SiteKind.TRANSECT: "line", SiteKind.PLOT: "polygon"}


class SurveySiteForm(VersionedForm):
    project = forms.ModelChoiceField(label=_("调查项目"), queryset=SurveyProject.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=SiteKind.choices, widget=forms.HiddenInput)
    code = forms.CharField(label=_("位点编号"), max_length=80, required=False, help_text=_("留空自动编号"))
    name = forms.CharField(label=_("名称"), max_length=200)
    geometry = forms.CharField(
        label=_("位置/形状"),
        widget=forms.Textarea(attrs={"rows": 2, "id": "id_geometry", "data-geometry-input": "1"}),
        help_text=_("在地图上绘制，或填写坐标：点“经度,纬度”；线/面各点以分号分隔（WGS-84/CGCS2000）"),
    )
    strip_half_width_m = forms.FloatField(label=_("样带单侧宽度(米)"), required=False, min_value=0)
    habitat = forms.CharField(label=_("生境类型"), max_length=100, required=False)
    elevation_m = forms.FloatField(label=_("海拔(米)"), required=False)
    water_body = forms.CharField(label=_("水体"), max_length=100, required=False)
    camera_model = forms.CharField(label=_("相机型号"), max_length=100, required=False)
    camera_height_m = forms.FloatField(label=_("相机高度(米)"), required=False)
    deployment_start = datetime_field(_("布设开始"), required=False)
    deployment_end = datetime_field(_("布设结束"), required=False)
    remarks = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    KIND_FIELDS = {
        SiteKind.TRANSECT: ("strip_half_width_m",),
        SiteKind.CAMERA: ("camera_model", "camera_height_m", "deployment_start", "deployment_end"),
        SiteKind.WATER_SAMPLING: ("water_body",),
        SiteKind.POINT: ("water_body",),
    }

    def __init__(self, *args: Any, kind: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = _open_projects(self.user)
        chosen = str((self.instance.kind if self.instance is not None else None) or kind or self.data.get("kind") or SiteKind.POINT)
        self.site_kind: str = chosen if chosen in SiteKind.values else SiteKind.POINT
        self.fields["kind"].initial = self.site_kind
        optional = {name for names in self.KIND_FIELDS.values() for name in names}
        for name in optional - set(self.KIND_FIELDS.get(SiteKind(self.site_kind), ())):
            del self.fields[name]
        if self.instance is not None:
            del self.fields["project"]

    @property
    def draw(self) -> str:
        return DRAW_BY_KIND.get(SiteKind(self.site_kind), "point")

    def clean_geometry(self) -> GEOSGeometry:
        return parse_geometry(self.cleaned_data.get("geometry", ""))


# --- sampling events ---------------------------------------------------------------------------------------------


class SamplingEventForm(VersionedForm):
    project = forms.ModelChoiceField(label=_("调查项目"), queryset=SurveyProject.objects.none())
    site = forms.ModelChoiceField(label=_("位点"), queryset=SurveySite.objects.none(), required=False)
    event_id = forms.CharField(label=_("调查事件编号"), max_length=120, required=False, help_text=_("留空自动编号"))
    started_at = datetime_field(_("开始时间"))
    ended_at = datetime_field(_("结束时间"), required=False)
    method = forms.ChoiceField(label=_("调查方法"), choices=[("", "—"), *ObservationMethod.choices], required=False)
    team = forms.CharField(label=_("调查组"), max_length=200, required=False)
    observers = forms.CharField(label=_("调查人员"), max_length=300, required=False)
    distance_km = forms.FloatField(label=_("行走距离(公里)"), required=False, min_value=0, help_text=_("样线法：留空按样线长度计"))
    duration_hours = forms.FloatField(label=_("用时(小时)"), required=False, min_value=0)
    trap_nights = forms.FloatField(label=_("相机工作日"), required=False, min_value=0)
    net_hauls = forms.IntegerField(label=_("网次"), required=False, min_value=0)
    weather = forms.CharField(label=_("天气"), max_length=100, required=False)
    nothing_seen = forms.BooleanField(label=_("未发现任何个体（无记录也是记录）"), required=False)
    remarks = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = _open_projects(self.user)
        self.fields["site"].queryset = SurveySite.objects.restrict(self.user, "view").select_related("project").order_by("project", "code")
        self.fields["site"].label_from_instance = lambda s: f"{s.project.name} · {s.code} {s.name}"
        if self.instance is not None:
            del self.fields["project"]
            self.fields["site"].queryset = self.fields["site"].queryset.filter(project=self.instance.project)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        site, project = data.get("site"), data.get("project")
        if site is not None and project is not None and site.project_id != project.pk:
            self.add_error("site", _("位点不属于所选项目。"))
        return data


# --- observations ------------------------------------------------------------------------------------------------


class ObservationForm(VersionedForm):
    """The field form (phone-friendly): species by autocomplete, count, time, place by map, GPS or site, photo."""

    project = forms.ModelChoiceField(label=_("调查项目"), queryset=SurveyProject.objects.none())
    event = forms.ModelChoiceField(label=_("调查事件"), queryset=SamplingEvent.objects.none(), required=False)
    site = forms.ModelChoiceField(label=_("位点"), queryset=SurveySite.objects.none(), required=False)
    species = SpeciesChoiceField(label=_("物种"), required=False)
    species_text = forms.CharField(
        label=_("物种"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"data-species-text": "1", "autocomplete": "off", "placeholder": _("输入中文名、别名、拼音首字母（如 hjz）或学名")}),
    )
    count = forms.IntegerField(label=_("数量"), min_value=0, initial=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    observed_at = datetime_field(_("观测时间"))
    lon = forms.FloatField(label=_("经度"), required=False, widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "data-lon": "1"}))
    lat = forms.FloatField(label=_("纬度"), required=False, widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "data-lat": "1"}))
    uncertainty_m = forms.FloatField(label=_("位置误差(米)"), required=False, min_value=0, widget=forms.NumberInput(attrs={"step": "any", "data-accuracy": "1"}))
    distance_m = forms.FloatField(label=_("垂直距离(米)"), required=False, min_value=0, help_text=_("样线法：个体到样线的垂直距离"), widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    method = forms.ChoiceField(label=_("方法"), choices=[("", "—"), *ObservationMethod.choices], required=False)
    sex = forms.ChoiceField(label=_("性别"), choices=Sex.choices, required=False)
    life_stage = forms.ChoiceField(label=_("年龄阶段"), choices=LifeStage.choices, required=False)
    behaviour = forms.CharField(label=_("行为"), max_length=100, required=False)
    observer = forms.CharField(label=_("观测人"), max_length=100, required=False)
    remarks = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    photo = forms.ImageField(label=_("照片"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "data-photo-input": "1"}))
    use_photo_exif = forms.BooleanField(label=_("时间或位置未填时使用照片中的拍摄时间和 GPS"), required=False, initial=True)

    SERVICE_EXCLUDE = ("lon", "lat", "photo", "use_photo_exif", "species_text")

    def __init__(self, *args: Any, project: SurveyProject | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        projects = _open_projects(self.user)
        self.fields["project"].queryset = projects
        if self.instance is not None:
            project = self.instance.project
        elif project is None:
            chosen = self.data.get("project") or self.initial.get("project")
            project = projects.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
            if project is None and projects.count() == 1:
                project = projects.first()
        self.chosen_project = project
        if project is not None and self.instance is None:
            self.fields["project"].initial = project.pk
        # events and sites of the chosen project only (the page reloads them when the project changes)
        events = SamplingEvent.objects.restrict(self.user, "view").select_related("site").order_by("-started_at")
        sites = SurveySite.objects.restrict(self.user, "view").order_by("code")
        if project is not None:
            events, sites = events.filter(project=project), sites.filter(project=project)
        else:
            events, sites = events.none(), sites.none()
        self.fields["event"].queryset = events
        self.fields["event"].label_from_instance = lambda e: f"{e.event_id} · {timezone.localtime(e.started_at):%m-%d %H:%M}" + (f" · {e.site.name}" if e.site_id else "")
        self.fields["site"].queryset = sites
        self.fields["site"].label_from_instance = lambda s: f"{s.code} {s.name}"
        if self.instance is not None:
            del self.fields["project"]
            del self.fields["photo"]
            del self.fields["use_photo_exif"]
            self.initial["lon"], self.initial["lat"] = self.instance.location.x, self.instance.location.y
        else:
            self.fields["observed_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def initial_from(self, instance: Any) -> dict[str, Any]:
        initial = super().initial_from(instance)
        initial["species"] = instance.species_id
        initial["species_text"] = instance.species.name_zh if instance.species is not None else instance.verbatim_name
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("species") is None and "species" not in self.errors:
            text = (data.get("species_text") or "").strip()
            if not text:
                self.add_error("species", _("请选择物种（输入中文名、别名、拼音首字母或学名查找）。"))
            else:
                from wildlife.species.selectors import species_resolve

                species, suggestions = species_resolve(text)
                if species is None:
                    hint = "、".join(s.name_zh for s in suggestions)
                    message = _("名录中没有“%(name)s”。") % {"name": text}
                    if hint:
                        message += _("您是不是要找：%(hint)s？") % {"hint": hint}
                    self.add_error("species", message)
                else:
                    data["species"] = species
        lon, lat = data.get("lon"), data.get("lat")
        if (lon is None) != (lat is None):
            self.add_error("lon" if lon is None else "lat", _("经度和纬度需同时填写。"))
        elif lon is not None and lat is not None:
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                self.add_error("lon", _("坐标超出经纬度范围（经度在前，纬度在后）。"))
            else:
                data["location"] = Point(lon, lat, srid=4326)
        event, site, project = data.get("event"), data.get("site"), data.get("project") or getattr(self.instance, "project", None)
        if project is not None and event is not None and event.project_id != project.pk:
            self.add_error("event", _("调查事件不属于所选项目。"))
        if project is not None and site is not None and site.project_id != project.pk:
            self.add_error("site", _("位点不属于所选项目。"))
        return data

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.SERVICE_EXCLUDE}
        if self.instance is not None and "location" not in data:
            data.pop("location", None)
        return data


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("照片"), widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)


class FishCatchForm(forms.Form):
    """One net event's catch: up to eight species rows (species, count, weight)."""

    fields: dict[str, Any]
    ROWS = 8
    event = forms.ModelChoiceField(label=_("网捕调查事件"), queryset=SamplingEvent.objects.none())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["event"].queryset = (
            SamplingEvent.objects.restrict(user, "change")
            .filter(Q(method=ObservationMethod.NET) | Q(method=ObservationMethod.ELECTROFISHING))
            .select_related("site", "project")
            .order_by("-started_at")
        )
        self.fields["event"].label_from_instance = lambda e: f"{e.project.name} · {e.event_id} · {timezone.localtime(e.started_at):%Y-%m-%d}" + (
            f" · {e.net_hauls} 网次" if e.net_hauls else ""
        )
        aquatic = Species.objects.filter(aquatic=True).order_by("pinyin")
        for i in range(self.ROWS):
            self.fields[f"species_{i}"] = forms.ModelChoiceField(label=_("物种"), queryset=aquatic, required=False)
            self.fields[f"count_{i}"] = forms.IntegerField(label=_("尾数"), min_value=0, required=False)
            self.fields[f"biomass_{i}"] = forms.FloatField(label=_("重量(克)"), min_value=0, required=False)

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"species_{i}"], self[f"count_{i}"], self[f"biomass_{i}"]) for i in range(self.ROWS)]

    def catches(self) -> list[dict[str, Any]]:
        result = []
        for i in range(self.ROWS):
            species = self.cleaned_data.get(f"species_{i}")
            if species is not None:
                result.append({"species": species, "count": self.cleaned_data.get(f"count_{i}") or 0, "biomass_g": self.cleaned_data.get(f"biomass_{i}")})
        return result


# --- aquatic and archives ----------------------------------------------------------------------------------------


def _water_sites(user: Any) -> Any:
    return SurveySite.objects.restrict(user, "view").filter(kind=SiteKind.WATER_SAMPLING).select_related("project").order_by("project", "code")


class _WaterSeriesForm(VersionedForm):
    """A reading at a water site of an open aquatic or habitat project (the project is fixed once recorded)."""

    project = forms.ModelChoiceField(label=_("调查项目"), queryset=SurveyProject.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = _open_projects(self.user, (ProjectKind.AQUATIC, ProjectKind.HABITAT))
        self.fields["site"].queryset = _water_sites(self.user)
        self.fields["site"].label_from_instance = lambda s: f"{s.project.name} · {s.code} {s.name}"
        if self.instance is not None:
            del self.fields["project"]


class MigrationCountForm(_WaterSeriesForm):
    site = forms.ModelChoiceField(label=_("观测断面"), queryset=SurveySite.objects.none())
    species = forms.ModelChoiceField(label=_("物种"), queryset=Species.objects.filter(aquatic=True).order_by("pinyin"))
    date = date_field(_("日期"))
    upstream = forms.IntegerField(label=_("上溯数量"), min_value=0, initial=0)
    downstream = forms.IntegerField(label=_("下行数量"), min_value=0, initial=0)
    water_level_m = forms.FloatField(label=_("水位(米)"), required=False)
    remarks = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class WaterReadingForm(_WaterSeriesForm):
    site = forms.ModelChoiceField(label=_("采样点"), queryset=SurveySite.objects.none())
    measured_at = datetime_field(_("测定时间"))
    temperature_c = forms.FloatField(label=_("水温(℃)"), required=False)
    ph = forms.FloatField(label=_("pH"), required=False)
    dissolved_oxygen_mg_l = forms.FloatField(label=_("溶解氧(mg/L)"), required=False)
    turbidity_ntu = forms.FloatField(label=_("浊度(NTU)"), required=False)
    ammonia_n_mg_l = forms.FloatField(label=_("氨氮(mg/L)"), required=False)
    remarks = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SpeciesArchiveForm(VersionedForm):
    species = SpeciesChoiceField(label=_("物种"), widget=forms.Select)
    area = forms.ModelChoiceField(label=_("区域"), queryset=AdminArea.objects.none(), required=False, help_text=_("留空为您所在的区域"))
    population_estimate = forms.CharField(label=_("种群数量估计"), max_length=200, required=False)
    population_structure = forms.CharField(label=_("种群结构"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    distribution_notes = forms.CharField(label=_("分布状况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    habitat_notes = forms.CharField(label=_("栖息地状况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    threats = forms.CharField(label=_("主要威胁"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    measures = forms.CharField(label=_("保护措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    assessed_on = date_field(_("评估日期"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from wildlife.surveys.filtersets import scope_areas

        self.fields["species"].queryset = Species.objects.order_by("pinyin")
        self.fields["area"].queryset = scope_areas(type("R", (), {"user": self.user})())
        if self.instance is not None:
            del self.fields["species"]
            del self.fields["area"]
