from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class TokenRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    username = serializers.CharField(label=_("用户名"), max_length=150)
    password = serializers.CharField(label=_("密码"), max_length=256, style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.RegexField(
        r"^\s*\d{6}\s*$",
        label=_("动态验证码"),
        required=False,
        allow_blank=True,
        error_messages={"invalid": _("动态验证码应为 6 位数字。")},
    )
    name = serializers.CharField(label=_("用途"), max_length=100, required=False, allow_blank=True)


class TokenResponseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.CharField(help_text=_("令牌原文，只返回这一次"))
    expires_at = serializers.DateTimeField()


class TokenRevokeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    all = serializers.BooleanField(required=False, default=False, help_text=_("为 true 时吊销本人的全部令牌"))


class TokenRevokeResponseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    revoked = serializers.IntegerField()


class DepartmentRefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = serializers.CharField()


class MeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    username = serializers.CharField()
    display_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField(), help_text=_("区域角色 officer/lead/viewer，或管理员角色 system/security/audit"))
    areas = serializers.ListField(child=serializers.IntegerField(), help_text=_("分配的区划 id"))
    departments = serializers.ListField(child=serializers.CharField(), help_text=_("部门代码"))
    department_names = serializers.ListField(child=serializers.CharField())
    admin_role = serializers.CharField(allow_blank=True)
    area_roles = serializers.ListField(child=serializers.DictField())
