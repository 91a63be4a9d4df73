"""Forms of the login, profile and administrators' pages (validation messages in Chinese, next to the field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _

from wildlife.accounts.choices import AssignmentRole
from wildlife.accounts.models import Department, SecurityPolicy
from wildlife.geo.models import AdminArea


class LoginForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class OtpForm(forms.Form):
    code = forms.CharField(
        label=_("动态验证码"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "pattern": "[0-9 ]*"}),
        error_messages={"min_length": _("请输入 6 位数字验证码。"), "required": _("请输入验证码。")},
    )

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("请输入 6 位数字验证码。"))
        return code


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("当前密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(label=_("新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password2") and data["new_password1"] != data["new_password2"]:
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return data


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(label=_("当前密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


def _department_field(required: bool = False) -> forms.ModelMultipleChoiceField:  # type: ignore[type-arg]
    return forms.ModelMultipleChoiceField(
        label=_("部门"),
        queryset=Department.objects.order_by("sort_order", "name"),
        required=required,
        widget=forms.SelectMultiple(attrs={"size": 8, "col": "col-12 col-md-6"}),
        help_text=_("按住 Ctrl 可多选；部门决定可以处理哪类业务记录"),
    )


def _area_queryset() -> Any:
    return AdminArea.objects.filter(is_active=True).exclude(level="overlay").order_by("path")


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("字母、数字和 @ . + - _；不区分大小写"))
    display_name = forms.CharField(label=_("姓名"), max_length=60)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    departments = _department_field()
    area = forms.ModelChoiceField(label=_("管辖区域"), queryset=AdminArea.objects.none(), required=False)
    area_role = forms.ChoiceField(label=_("区域角色"), choices=AssignmentRole.choices, initial=AssignmentRole.OFFICER, required=False)
    password_mode = forms.ChoiceField(
        label=_("初始密码"),
        choices=[("generate", _("系统生成（仅显示一次）")), ("set", _("手工设置"))],
        initial="generate",
        widget=forms.RadioSelect,
    )
    password = forms.CharField(label=_("密码"), required=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _area_queryset()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password_mode") == "set" and not data.get("password"):
            self.add_error("password", _("选择手工设置时请填写密码。"))
        return data


class UserEditForm(forms.Form):
    display_name = forms.CharField(label=_("姓名"), max_length=60)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)


class UserDepartmentsForm(forms.Form):
    departments = _department_field()


class AreaAssignForm(forms.Form):
    area = forms.ModelChoiceField(label=_("区域"), queryset=AdminArea.objects.none())
    role = forms.ChoiceField(label=_("角色"), choices=AssignmentRole.choices, initial=AssignmentRole.OFFICER)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _area_queryset()  # type: ignore[attr-defined]


class PasswordResetForm(forms.Form):
    password_mode = forms.ChoiceField(
        label=_("新密码"),
        choices=[("generate", _("系统生成（仅显示一次）")), ("set", _("手工设置"))],
        initial="generate",
        widget=forms.RadioSelect,
    )
    password = forms.CharField(label=_("密码"), required=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password_mode") == "set" and not data.get("password"):
            self.add_error("password", _("选择手工设置时请填写密码。"))
        return data


class SecurityPolicyForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = SecurityPolicy
        fields = [
            "password_min_length",
            "password_min_classes",
            "lockout_threshold",
            "lockout_window_minutes",
            "lockout_minutes",
            "idle_timeout_minutes",
            "absolute_timeout_hours",
            "mfa_required_for_all",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from wildlife.accounts.services import POLICY_BOUNDS

        for name, (low, high) in POLICY_BOUNDS.items():
            old = self.fields[name]
            self.fields[name] = forms.IntegerField(
                label=old.label,
                min_value=low,
                max_value=high,
                help_text=_("允许范围 %(low)d–%(high)d") % {"low": low, "high": high},
            )


class DepartmentPermissionsForm(forms.Form):
    permissions = forms.ModelMultipleChoiceField(label=_("权限"), queryset=Permission.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from wildlife.accounts.selectors import assignable_permissions

        self.fields["permissions"].queryset = assignable_permissions()  # type: ignore[attr-defined]
