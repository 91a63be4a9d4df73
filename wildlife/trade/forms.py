"""Forms of the trade pages: manual capture, export upload and column mapping, review actions, the keyword table,
platforms and collector sources."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy as _

from wildlife.trade.choices import CollectorParser, ImportMode, TermCategory
from wildlife.trade.importers import TARGET_FIELDS
from wildlife.trade.models import CollectorSource, Platform, TradeTerm

WIDE = {"col": "col-12"}


def _operations(user: Any) -> Any:
    from wildlife.enforcement.models import Operation

    return Operation.objects.restrict(user, "view").order_by("-start_date")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ListingCaptureForm(forms.Form):
    accepts = ("user",)

    platform = forms.ModelChoiceField(label=_("平台"), queryset=Platform.objects.filter(is_active=True))
    url = forms.URLField(label=_("链接"), max_length=1000, required=False, assume_scheme="https")
    title = forms.CharField(label=_("标题"), max_length=300)
    text = forms.CharField(label=_("描述文字"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5, **WIDE}))
    external_id = forms.CharField(label=_("平台商品编号"), max_length=100, required=False)
    seller_account = forms.CharField(label=_("卖家账号"), max_length=200, required=False)
    seller_name = forms.CharField(label=_("卖家昵称"), max_length=200, required=False)
    seller_phone = forms.CharField(label=_("卖家电话（如页面显示）"), max_length=30, required=False, help_text=_("加密保存，列表中只显示掩码"))
    price = forms.DecimalField(label=_("价格（元）"), max_digits=12, decimal_places=2, min_value=Decimal(0), required=False)
    captured_at = forms.DateTimeField(label=_("采集时间"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), help_text=_("留空为现在"))
    location_text = forms.CharField(label=_("所在地"), max_length=200, required=False)
    lon = forms.FloatField(label=_("经度（已知卖家位置时）"), required=False, min_value=-180, max_value=180)
    lat = forms.FloatField(label=_("纬度"), required=False, min_value=-90, max_value=90)
    images = MultipleImageField(label=_("截图"), required=False, widget=MultipleFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif", **WIDE}))
    operation = forms.ModelChoiceField(label=_("专项行动"), queryset=Platform.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operation"].queryset = _operations(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        lon, lat = data.pop("lon", None), data.pop("lat", None)
        if (lon is None) != (lat is None):
            self.add_error("lat" if lat is None else "lon", _("经度和纬度需同时填写"))
        data["location"] = Point(lon, lat, srid=4326) if lon is not None and lat is not None else None
        return data


class UploadForm(forms.Form):
    accepts = ("user",)

    platform = forms.ModelChoiceField(label=_("平台"), queryset=Platform.objects.filter(is_active=True))
    file = forms.FileField(label=_("平台导出文件"), help_text=_("CSV（UTF-8 或 GBK）、Excel (xlsx) 或 JSON；下一步选择各列对应的字段"))
    mode = forms.ChoiceField(label=_("导入方式"), choices=ImportMode.choices, initial=ImportMode.VALID_ROWS)
    operation = forms.ModelChoiceField(label=_("专项行动"), queryset=Platform.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operation"].queryset = _operations(user)  # type: ignore[attr-defined]


class MappingForm(forms.Form):
    """One select per listing field, offering the file's columns."""

    mode = forms.ChoiceField(label=_("导入方式"), choices=ImportMode.choices)
    save_mapping = forms.BooleanField(label=_("保存为该平台的列映射，下次自动套用"), required=False, initial=True)

    def __init__(self, *args: Any, headers: list[str], initial_mapping: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— 不导入 —")), *[(h, h) for h in headers if h]]
        for target in TARGET_FIELDS:
            self.fields[f"map_{target.name}"] = forms.ChoiceField(
                label=target.label, choices=choices, required=target.required, initial=initial_mapping.get(target.name, "")
            )
        self.order_fields([f"map_{t.name}" for t in TARGET_FIELDS] + ["mode", "save_mapping"])

    def mapping(self) -> dict[str, str]:
        return {t.name: self.cleaned_data.get(f"map_{t.name}") or "" for t in TARGET_FIELDS}


class FalsePositiveForm(forms.Form):
    note = forms.CharField(label=_("误报理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    note = forms.CharField(label=_("重新审核理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class TakedownForm(forms.Form):
    reason = forms.CharField(label=_("下架理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class EscalateForm(forms.Form):
    title = forms.CharField(label=_("案件名称"), max_length=200)
    note = forms.CharField(label=_("案情说明"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ImageForm(forms.Form):
    image = forms.FileField(label=_("截图"))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)


class TermForm(forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    term = forms.CharField(label=_("关键词"), max_length=100)
    category = forms.ChoiceField(label=_("类别"), choices=TermCategory.choices)
    weight = forms.IntegerField(label=_("权重"), min_value=-100, max_value=100, help_text=_("物种/行话/工具：基础分（国家一级 60、二级 45）；语境词：加分；降低风险词：负数"))
    variants = forms.CharField(
        label=_("变体写法"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个：谐音字（川山甲）、拼音（chuanshanjia）、繁体或其他写法；空格和符号间隔会自动识别，无需列出"),
    )
    enabled = forms.BooleanField(label=_("参与扫描"), required=False, initial=True)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)
    change_note = forms.CharField(label=_("变更说明（记入版本）"), max_length=300, required=False, widget=forms.TextInput(attrs=WIDE))

    def __init__(self, *args: Any, instance: TradeTerm | None = None, **kwargs: Any) -> None:
        if instance is not None and not kwargs.get("data"):
            kwargs.setdefault("initial", {}).update(
                {
                    "term": instance.term,
                    "category": instance.category,
                    "weight": instance.weight,
                    "variants": "\n".join(instance.variants or []),
                    "enabled": instance.enabled,
                    "note": instance.note,
                }
            )
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean_variants(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("variants") or "").splitlines() if line.strip()]


class TermSettingsForm(forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    threshold = forms.IntegerField(label=_("风险阈值"), min_value=0, max_value=100, help_text=_("风险分达到此值的商品信息进入审核队列"))
    context_window = forms.IntegerField(label=_("语境词距离（字）"), min_value=1, max_value=500)
    change_note = forms.CharField(label=_("变更说明"), max_length=300, required=False)


class PlatformForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Platform
        fields = ["code", "name", "operator", "address", "contact", "is_active"]

    def validate_unique(self) -> None:
        """Checked by the service."""


class CollectorSourceForm(forms.ModelForm):  # type: ignore[type-arg]
    config_text = forms.CharField(
        label=_("解析配置（JSON）"), required=False, widget=forms.Textarea(attrs={"rows": 4, **WIDE}),
        help_text=_('JSON 列表示例：{"items": "data.items", "fields": {"title": "name", "text": "desc", "price": "price"}, "next": "next"}'),
    )

    class Meta:
        model = CollectorSource
        fields = ["name", "platform", "parser", "urls", "enabled", "interval_minutes"]
        widgets = {"urls": forms.Textarea(attrs={"rows": 3, **WIDE})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parser"].choices = CollectorParser.choices  # type: ignore[attr-defined]
        if self.instance.pk and not self.is_bound:
            self.fields["config_text"].initial = json.dumps(self.instance.config, ensure_ascii=False)

    def validate_unique(self) -> None:
        """Checked by the service."""

    def clean_config_text(self) -> dict[str, Any]:
        text = (self.cleaned_data.get("config_text") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("不是有效的 JSON：第 %(line)d 行第 %(col)d 列") % {"line": exc.lineno, "col": exc.colno}) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("应为 JSON 对象（{...}）"))
        return value

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        data["config"] = data.pop("config_text", {}) or {}
        return data
