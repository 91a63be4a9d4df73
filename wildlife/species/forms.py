"""Forms of the species pages: species, alias, status, status-on-date and list import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wildlife.core.forms import VersionedModelFormMixin
from wildlife.species.choices import LISTED_PROTECTIONS, AliasKind, ImportMode, ListKind, Protection
from wildlife.species.models import ListVersion, Species
from wildlife.species.services import SPECIES_FIELDS


class SpeciesForm(VersionedModelFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Species
        fields = list(SPECIES_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3, "col": "col-12"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["genus"].help_text = _("留空则取学名的第一个词")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class AliasForm(forms.Form):
    name = forms.CharField(label=_("别名"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=AliasKind.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class StatusForm(forms.Form):
    list_version = forms.ModelChoiceField(label=_("名录版本"), queryset=ListVersion.objects.all())
    protection = forms.ChoiceField(label=_("保护级别"), choices=[(p, Protection(p).label) for p in LISTED_PROTECTIONS])
    notes = forms.CharField(label=_("备注"), max_length=500, required=False)
    wild_only = forms.BooleanField(label=_("仅限野外种群"), required=False)
    landlocked_only = forms.BooleanField(label=_("仅限陆封种群"), required=False)


class StatusOnDateForm(forms.Form):
    on = forms.DateField(label=_("查询日期"), widget=forms.DateInput(attrs={"type": "date"}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("名录文件"), help_text=_("JSON、CSV（UTF-8）或 Excel（.xlsx）；列：中文名、学名、保护级别、备注、水生、纲、目、科"))
    mode = forms.ChoiceField(label=_("导入方式"), choices=ImportMode.choices, initial=ImportMode.VALID_ROWS)
    version_code = forms.SlugField(label=_("名录版本代码"), max_length=60, help_text=_("已有版本请填写其代码；新版本将按下列信息创建"))
    kind = forms.ChoiceField(label=_("名录类型"), choices=ListKind.choices)
    version_name = forms.CharField(label=_("名录名称"), max_length=200, required=False)
    document = forms.CharField(label=_("发布文件"), max_length=200, required=False, help_text=_("例如：国家林业和草原局公告2023年第17号"))
    effective_from = forms.DateField(label=_("施行日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    effective_to = forms.DateField(label=_("失效日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in (".json", ".csv", ".xlsx"):
            raise forms.ValidationError(_("只接受 .json、.csv 或 .xlsx 文件"))
        limit = int(getattr(settings, "WILDLIFE_MAX_UPLOAD_MB", 200)) * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(_("文件过大（上限 %(mb)d MB）") % {"mb": limit // (1024 * 1024)})
        return upload

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        code = data.get("version_code")
        if not code:
            return data
        existing = ListVersion.objects.filter(code=code).first()
        if existing is not None:
            if data.get("kind") and existing.kind != data["kind"]:
                self.add_error("kind", _("版本“%(code)s”的类型是“%(kind)s”") % {"code": code, "kind": existing.get_kind_display()})
            return data
        if not data.get("version_name"):
            self.add_error("version_name", _("新建名录版本须填写名称"))
        if not data.get("effective_from"):
            self.add_error("effective_from", _("新建名录版本须填写施行日期"))
        elif data.get("effective_to") and data["effective_to"] <= data["effective_from"]:
            self.add_error("effective_to", _("失效日期必须晚于施行日期"))
        return data
