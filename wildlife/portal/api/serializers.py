from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from wildlife.enforcement.choices import TipoffKind


class ContactSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(required=False, allow_blank=True, max_length=60)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)


class PublicReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """POST public/reports/: the informant's contact is stored encrypted and never returned by any API."""

    kind = serializers.ChoiceField(choices=TipoffKind.choices)
    content = serializers.CharField(max_length=3000, min_length=5)
    location = GeometryField(required=False, allow_null=True)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    contact = serializers.JSONField(required=False, allow_null=True, help_text=_("{\"name\", \"phone\"} 或联系电话字符串；匿名时省略"))
    anonymous = serializers.BooleanField(required=False, default=True)
    website = serializers.CharField(required=False, allow_blank=True, write_only=True, help_text=_("留空（防机器人字段）"))

    def validate_location(self, value: Any) -> Any:
        if value is not None and value.geom_type != "Point":
            raise serializers.ValidationError(_("位置必须是一个点（Point）。"))
        if value is not None:
            value.srid = value.srid or 4326
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("website"):
            raise serializers.ValidationError({"non_field_errors": [_("提交未通过校验。")]})
        contact = attrs.get("contact")
        informant: dict[str, str] = {}
        if not attrs.get("anonymous", True) and contact:
            if isinstance(contact, str):
                informant = {"phone": contact}
            elif isinstance(contact, dict):
                inner = ContactSerializer(data=contact)
                if not inner.is_valid():
                    raise serializers.ValidationError({"contact": inner.errors})
                informant = {k: v for k, v in inner.validated_data.items() if v}
            else:
                raise serializers.ValidationError({"contact": [_("联系方式格式不正确。")]})
        attrs["informant"] = informant
        return attrs


class PublicReportReceiptSerializer(serializers.Serializer):  # type: ignore[type-arg]
    receipt_no = serializers.CharField()
    query_code = serializers.CharField(help_text=_("只显示这一次，请妥善保存"))


class PublicReportStatusSerializer(serializers.Serializer):  # type: ignore[type-arg]
    receipt_no = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    updated_at = serializers.DateTimeField()
    reply = serializers.CharField()
    replied_at = serializers.DateTimeField(allow_null=True)
