"""Pages of the system administrator (accounts) and the security administrator (policy, department permissions)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from wildlife.accounts import services
from wildlife.accounts.access import access_user_by_id, admin_required
from wildlife.accounts.choices import AssignmentRole
from wildlife.accounts.forms import (
    AreaAssignForm,
    DepartmentPermissionsForm,
    PasswordResetForm,
    SecurityPolicyForm,
    UserCreateForm,
    UserDepartmentsForm,
    UserEditForm,
)
from wildlife.accounts.models import AreaAssignment, Department, SecurityPolicy, User
from wildlife.accounts.selectors import (
    department_list,
    department_permission_matrix,
    department_permission_summary,
    locked_accounts,
    locked_usernames,
    user_list,
)
from wildlife.core.views import apply_validation_error

SYSTEM = "system"
MANUAL = "set"  # password mode: typed by the administrator (else generated)
SECURITY = "security"


def _shown_once(request: HttpRequest, user: User, password: str, *, created: bool) -> HttpResponse:
    """A generated password is shown on this response only (never stored, never cached)."""
    response = render(request, "accounts/admin/password_once.html", {"account": user, "password": password, "created": created})
    response["Cache-Control"] = "no-store"
    return response


# --- system administrator ---------------------------------------------------------------------------------------------


@never_cache
@admin_required(SYSTEM)
def user_list_view(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in ("q", "status", "department", "kind")}
    queryset = user_list(actor=request.user, **filters)
    paginator = Paginator(queryset, 25)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    locked = locked_usernames([u.username for u in rows])
    mfa_users = set(TOTPDevice.objects.filter(user__in=rows, confirmed=True).values_list("user_id", flat=True))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "rows": [(u, u.username in locked, u.pk in mfa_users) for u in rows],
        "page": page,
        "paginator": paginator,
        "filters": filters,
        "departments": Department.objects.order_by("sort_order"),
        "querystring": params.urlencode(),
    }
    return render(request, "accounts/admin/user_list.html", context)


@never_cache
@admin_required(SYSTEM)
def user_create_view(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, generated = services.user_create(
                actor=request.user,
                username=data["username"],
                display_name=data["display_name"],
                phone=data["phone"],
                email=data["email"],
                departments=data["departments"],
                area=data["area"],
                area_role=data["area_role"] or AssignmentRole.OFFICER,
                password=data["password"] if data["password_mode"] == MANUAL else None,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if generated:
                return _shown_once(request, user, generated, created=True)
            messages.success(request, _("已创建用户 %(name)s。") % {"name": user.username})
            return HttpResponseRedirect(reverse("accounts:user_detail", args=[user.pk]))
    return render(request, "accounts/admin/user_form.html", {"form": form, "title": _("新建用户")})


@never_cache
@admin_required(SYSTEM)
def user_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = access_user_by_id(request.user, pk)
    context = {
        "account": account,
        "departments": list(account.departments()),
        "assignments": AreaAssignment.objects.filter(user=account).select_related("area").order_by("area__path"),
        "locked": bool(locked_usernames([account.username])),
        "mfa_enabled": TOTPDevice.objects.filter(user=account, confirmed=True).exists(),
        "departments_form": UserDepartmentsForm(initial={"departments": list(account.departments())}),
        "area_form": AreaAssignForm(),
        "reset_form": PasswordResetForm(),
        "is_business": not account.admin_role,
    }
    return render(request, "accounts/admin/user_detail.html", context)


@never_cache
@admin_required(SYSTEM)
def user_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = access_user_by_id(request.user, pk)
    if account.admin_role:
        raise Http404(_("管理员账号只能通过命令行管理"))
    initial = {"display_name": account.display_name, "phone": account.phone, "email": account.email}
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=account, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return HttpResponseRedirect(reverse("accounts:user_detail", args=[account.pk]))
    return render(request, "accounts/admin/user_form.html", {"form": form, "title": _("编辑用户 %(name)s") % {"name": account.username}, "account": account})


def _back(account: User) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("accounts:user_detail", args=[account.pk]))


def _run(request: HttpRequest, account: User, action: Any, success: str) -> HttpResponseRedirect:
    try:
        action()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, success)
    return _back(account)


@require_POST
@admin_required(SYSTEM)
def user_departments_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = access_user_by_id(request.user, pk)
    form = UserDepartmentsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择有效的部门。"))
        return _back(account)
    return _run(
        request,
        account,
        lambda: services.user_departments_set(actor=request.user, user=account, departments=form.cleaned_data["departments"]),
        _("部门已更新。"),
    )


@require_POST
@admin_required(SYSTEM)
def user_area_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = access_user_by_id(request.user, pk)
    form = AreaAssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择区域和角色。"))
        return _back(account)
    return _run(
        request,
        account,
        lambda: services.user_area_assign(actor=request.user, user=account, area=form.cleaned_data["area"], role=form.cleaned_data["role"]),
        _("区域已分配。"),
    )


@require_POST
@admin_required(SYSTEM)
def user_area_remove_view(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    account = access_user_by_id(request.user, pk)
    assignment = get_object_or_404(AreaAssignment, pk=assignment_id, user=account)
    return _run(request, account, lambda: services.user_area_unassign(actor=request.user, assignment=assignment), _("区域分配已移除。"))


@require_POST
@admin_required(SYSTEM)
def user_active_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = access_user_by_id(request.user, pk)
    active = request.POST.get("active") == "1"
    return _run(
        request,
        account,
        lambda: services.user_set_active(actor=request.user, user=account, active=active),
        _("账号已启用。") if active else _("账号已停用。"),
    )


@require_POST
@admin_required(SYSTEM)
def user_unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = access_user_by_id(request.user, pk)
    return _run(request, account, lambda: services.user_unlock(actor=request.user, username=account.username), _("账号已解锁。"))


@require_POST
@admin_required(SYSTEM)
def user_mfa_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = access_user_by_id(request.user, pk)
    return _run(request, account, lambda: services.user_mfa_reset(actor=request.user, user=account), _("双因素认证已重置，用户下次登录时重新绑定。"))


@require_POST
@admin_required(SYSTEM)
def user_password_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = access_user_by_id(request.user, pk)
    form = PasswordResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(m) for errors in form.errors.values() for m in errors))
        return _back(account)
    password = form.cleaned_data["password"] if form.cleaned_data["password_mode"] == MANUAL else None
    try:
        generated = services.user_password_reset(actor=request.user, user=account, password=password)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _back(account)
    if generated:
        return _shown_once(request, account, generated, created=False)
    messages.success(request, _("密码已重置。"))
    return _back(account)


# --- security administrator ---------------------------------------------------------------------------------------------


@never_cache
@admin_required(SECURITY)
def security_policy_view(request: HttpRequest) -> HttpResponse:
    policy = SecurityPolicy.current()
    form = SecurityPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.security_policy_update(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("安全策略已保存，立即生效。"))
            return HttpResponseRedirect(reverse("accounts:security_policy"))
    return render(request, "accounts/admin/security_policy.html", {"form": form, "policy": policy})


@never_cache
@admin_required(SECURITY)
def department_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/admin/department_list.html", {"summary": department_permission_summary()})


@never_cache
@admin_required(SECURITY)
def department_permissions_view(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(department_list(), pk=pk)
    if request.method == "POST":
        form = DepartmentPermissionsForm(request.POST)
        if form.is_valid():
            change = services.department_permissions_set(actor=request.user, department=department, permissions=form.cleaned_data["permissions"])
            messages.success(
                request, _("权限已保存：新增 %(a)d 项，移除 %(r)d 项。") % {"a": len(change["added"]), "r": len(change["removed"])}
            )
            return HttpResponseRedirect(reverse("accounts:department_permissions", args=[department.pk]))
        messages.error(request, _("提交的权限无效。"))
    return render(
        request,
        "accounts/admin/department_permissions.html",
        {"department": department, "matrix": department_permission_matrix(department), "actions": ("view", "add", "change", "delete")},
    )


@never_cache
@admin_required(SECURITY, SYSTEM)
def locked_accounts_view(request: HttpRequest) -> HttpResponse:
    locks = list(locked_accounts())
    users = {
        u.username.lower(): u
        for u in User.objects.annotate(lower_name=Lower("username")).filter(lower_name__in=[lock.username for lock in locks])
    }
    return render(request, "accounts/admin/locked_accounts.html", {"locks": [(lock, users.get(lock.username)) for lock in locks]})
