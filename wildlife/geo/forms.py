"""Forms of the area pages and the boundary import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.utils.translation import gettext_lazy as _

from wildlife.geo.choices import AreaKind, AreaLevel, MatchBy, SourceCRS
from wildlife.geo.models import AdminArea

CHILD_LEVEL_CHOICES = [(AreaLevel.VILLAGE.value, AreaLevel.VILLAGE.label), (AreaLevel.GRID.value, AreaLevel.GRID.label)]
CHILD_KIND_CHOICES = [
    (AreaKind.VILLAGE.value, AreaKind.VILLAGE.label),
    (AreaKind.COMMUNITY.value, AreaKind.COMMUNITY.label),
    (AreaKind.GRID.value, AreaKind.GRID.label),
]


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("边界文件"),
        help_text=_("GeoJSON (.geojson)、Shapefile 压缩包 (.zip，含 .shp/.shx/.dbf，可含 .prj/.cpg) 或 GeoPackage (.gpkg)；面要素，经纬度坐标。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.zip,.gpkg"}),
    )
    crs = forms.ChoiceField(
        label=_("文件坐标系"),
        choices=[("", _("请选择")), *SourceCRS.choices],
        help_text=_("CGCS2000 与 WGS-84 相差仅厘米级，按原值保存；GCJ-02（高德、腾讯等网络地图坐标）将转换为 WGS-84。"),
    )
    match_by = forms.ChoiceField(label=_("匹配方式"), choices=MatchBy.choices, initial=MatchBy.CODE)
    match_field = forms.CharField(
        label=_("匹配字段"),
        required=False,
        max_length=100,
        help_text=_("属性表中保存区划代码或名称的字段；留空则自动识别（如 code、adcode、name），预览页可更换。"),
    )


class RematchForm(forms.Form):
    match_by = forms.ChoiceField(label=_("匹配方式"), choices=MatchBy.choices)
    match_field = forms.ChoiceField(label=_("匹配字段"), choices=())

    def __init__(self, *args: Any, fields: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["match_field"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(name, name) for name in fields]


class BoundaryField(forms.CharField):
    """A (Multi)Polygon as GeoJSON text, filled in by drawing on the map."""

    widget = forms.HiddenInput

    def to_python(self, value: Any) -> GEOSGeometry | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            geometry = GEOSGeometry(text, srid=4326)
        except (GEOSException, ValueError, TypeError) as exc:
            raise forms.ValidationError(_("边界格式错误，请在地图上重新绘制。")) from exc
        return geometry


class _AreaFields(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60)
    short_name = forms.CharField(label=_("简称"), max_length=30, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=CHILD_KIND_CHOICES)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2, "col": "col-12"}))
    boundary = BoundaryField(label=_("边界"), required=False)
    boundary_is_schematic = forms.BooleanField(
        label=_("示意边界（非官方）"), required=False, initial=True, help_text=_("在平台中手工绘制的边界默认标为示意边界")
    )

    def clean_sort_order(self) -> int:
        return int(self.cleaned_data.get("sort_order") or 0)


class AreaCreateForm(_AreaFields):
    parent = forms.ModelChoiceField(label=_("上级区划"), queryset=AdminArea.objects.none())
    level = forms.ChoiceField(label=_("层级"), choices=CHILD_LEVEL_CHOICES)
    code = forms.CharField(label=_("区划代码"), max_length=20, help_text=_("以上级区划代码开头，如 370306100201"))

    field_order = ["parent", "level", "code", "name", "short_name", "kind", "sort_order", "notes", "boundary", "boundary_is_schematic"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = AdminArea.objects.active().filter(level__in=(AreaLevel.TOWN, AreaLevel.VILLAGE)).order_by("path")


class AreaUpdateForm(_AreaFields):
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    field_order = ["name", "short_name", "kind", "sort_order", "is_active", "notes", "boundary", "boundary_is_schematic"]

    @classmethod
    def initial_for(cls, area: AdminArea) -> dict[str, Any]:
        return {
            "name": area.name,
            "short_name": area.short_name,
            "kind": area.kind,
            "sort_order": area.sort_order,
            "is_active": area.is_active,
            "notes": area.notes,
            "boundary": area.boundary.geojson if area.boundary is not None else "",
            "boundary_is_schematic": area.boundary_is_schematic,
        }
