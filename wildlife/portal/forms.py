"""The public report form: captcha-free, with a honeypot field and a minimum fill time (signed timestamp)."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from wildlife.enforcement.choices import TipoffKind
from wildlife.enforcement.forms import DATETIME_WIDGET, LocationFields, MultipleImageField

TOKEN_SALT = "wildlife.portal.report-form"  # noqa: S105 - a signing namespace, not a secret


def min_fill_seconds() -> float:
    return float(getattr(settings, "WILDLIFE_PUBLIC_MIN_FILL_SECONDS", 3))


def new_form_token() -> str:
    return signing.dumps({"t": time.time()}, salt=TOKEN_SALT)


class PublicReportForm(LocationFields):
    kind = forms.ChoiceField(label=_("您要报告"), choices=TipoffKind.choices, initial=TipoffKind.ILLEGAL, widget=forms.RadioSelect)
    content = forms.CharField(
        label=_("发生了什么"), max_length=3000, min_length=5,
        widget=forms.Textarea(attrs={"rows": 5, "col": "col-12", "placeholder": _("请尽量写清楚：看到了什么动物、多少只、有人在做什么")}),
    )
    occurred_at = forms.DateTimeField(label=_("什么时候"), required=False, widget=DATETIME_WIDGET)
    address = forms.CharField(label=_("在哪里"), max_length=200, required=False, widget=forms.TextInput(attrs={"placeholder": _("如：王村镇孝妇河桥东侧河滩")}))
    photos = MultipleImageField(label=_("照片"), required=False, help_text=_("可选，最多 5 张"))
    anonymous = forms.BooleanField(label=_("匿名举报（不留姓名和联系方式）"), required=False, initial=True)
    name = forms.CharField(label=_("您的姓名"), max_length=60, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False, help_text=_("仅供办理人员核实情况时联系您，依法保密"))
    # honeypot: hidden from people, filled by bots
    website = forms.CharField(label=_("网址"), required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off", "col": "hp-field"}))
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("提交未通过校验，请刷新页面后重新填写。"), code="honeypot")
        try:
            stamp = signing.loads(data.get("form_token") or "", salt=TOKEN_SALT, max_age=24 * 3600)
            started = float(stamp["t"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise forms.ValidationError(_("页面已过期，请刷新页面后重新填写。"), code="token") from None
        if time.time() - started < min_fill_seconds():
            raise forms.ValidationError(_("提交过快，请核对内容后再提交。"), code="too_fast")
        if data.get("anonymous"):
            data["informant"] = {}
        else:
            if not (data.get("name") or data.get("phone")):
                self.add_error("phone", _("实名举报请至少留下姓名或联系电话；不想留可勾选“匿名举报”。"))
            data["informant"] = {"name": data.get("name", ""), "phone": data.get("phone", "")}
        return data


class StatusQueryForm(forms.Form):
    receipt_no = forms.CharField(label=_("受理编号"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "JB20260402-0007"}))
    code = forms.CharField(label=_("查询码"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "XXXX-XXXX-XXXX-XXXX"}))
