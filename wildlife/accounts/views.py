"""Login, logout, second factor and the user's own profile."""

from __future__ import annotations

import time
from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from wildlife.accounts import lockout, mfa
from wildlife.accounts.backends import AccountLockedError
from wildlife.accounts.forms import ConfirmPasswordForm, LoginForm, OtpForm, PasswordChangeForm
from wildlife.accounts.middleware import (
    SESSION_LAST_SEEN,
    SESSION_LOGIN_AT,
    SESSION_MFA_PENDING,
    cached_policy,
    mfa_required_for,
)
from wildlife.accounts.models import AreaAssignment, User
from wildlife.accounts.services import mfa_disable_own, mfa_enrol_confirm, mfa_pending_device, password_change_own
from wildlife.audit.services import audit_record
from wildlife.core.views import apply_validation_error


def _safe_next(request: HttpRequest, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default or reverse("core:home")


def _lock_message(until: datetime) -> str:
    return _("登录失败次数过多，账号已锁定，请于 %(time)s 后再试，或联系系统管理员解锁。") % {
        "time": timezone.localtime(until).strftime("%H:%M")
    }


@never_cache
@csrf_protect
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    if request.GET.get("timeout"):
        messages.info(request, _("会话已超时，请重新登录。"))
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        try:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
        except AccountLockedError:
            user = None
        until = lockout.locked_until(username)
        if until is not None:
            error = _lock_message(until)
        elif user is None:
            error = _("用户名或密码错误。")
        else:
            login(request, user)
            now = time.time()
            request.session[SESSION_LOGIN_AT] = now
            request.session[SESSION_LAST_SEEN] = now
            second_factor = mfa_required_for(user) or mfa.has_confirmed_device(user)
            if second_factor:
                request.session[SESSION_MFA_PENDING] = True
            audit_record(action="login", actor=user, detail={"second_factor_pending": second_factor})
            if second_factor:
                return HttpResponseRedirect(reverse("accounts:mfa") + "?" + urlencode({"next": _safe_next(request)}))
            return HttpResponseRedirect(_safe_next(request))
    context = {"form": form, "error": error, "next": request.GET.get("next", ""), "policy": cached_policy()}
    return render(request, "accounts/login.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(action="logout", actor=request.user)
    logout(request)
    return HttpResponseRedirect(reverse("accounts:login"))


def _code_failed(request: HttpRequest, user: User, form: OtpForm, *, reason: str) -> HttpResponse | None:
    """A wrong code counts toward the lockout; once locked the half-open session ends. Returns a response if so."""
    locked = lockout.record_login_failure(user.username, reason=reason)
    if locked:
        until = lockout.locked_until(user.username)
        logout(request)
        messages.error(request, _lock_message(until) if until else _("账号已锁定。"))
        return HttpResponseRedirect(reverse("accounts:login"))
    form.add_error("code", _("验证码不正确或已使用，请输入手机上当前显示的 6 位数字。"))
    return None


def _enrol(request: HttpRequest, *, success_url: str, template: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    device = mfa_pending_device(user=user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa_enrol_confirm(actor=user, device=device, token=form.cleaned_data["code"]):
            device.refresh_from_db()
            otp_login(request, device)
            request.session.pop(SESSION_MFA_PENDING, None)
            messages.success(request, _("双因素认证已启用。"))
            return HttpResponseRedirect(success_url)
        failed = _code_failed(request, user, form, reason="bad_otp_enrol")
        if failed is not None:
            return failed
    context = {"form": form, "qr": mfa.qr_data_uri(device), "secret": mfa.secret_base32(device), "next": request.GET.get("next", "")}
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def mfa_view(request: HttpRequest) -> HttpResponse:
    """The second step of login: enrol a TOTP device (first time) or enter the current code."""
    user = request.user
    assert isinstance(user, User)
    next_url = _safe_next(request)
    if user.is_verified():  # type: ignore[attr-defined]  # set by django_otp.middleware.OTPMiddleware
        return HttpResponseRedirect(next_url)
    if not mfa.has_confirmed_device(user):
        if not (mfa_required_for(user) or request.session.get(SESSION_MFA_PENDING)):
            return HttpResponseRedirect(next_url)
        return _enrol(request, success_url=next_url, template="accounts/mfa_enrol.html")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.match_code(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            request.session.pop(SESSION_MFA_PENDING, None)
            lockout.record_login_success(user.username)
            audit_record(action="mfa_verified", actor=user)
            return HttpResponseRedirect(next_url)
        failed = _code_failed(request, user, form, reason="bad_otp")
        if failed is not None:
            return failed
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": request.GET.get("next", "")})


@never_cache
@login_required
def mfa_setup_view(request: HttpRequest) -> HttpResponse:
    """Switch on the optional second factor from the profile page."""
    if mfa.has_confirmed_device(request.user):
        return HttpResponseRedirect(reverse("accounts:profile"))
    return _enrol(request, success_url=reverse("accounts:profile"), template="accounts/mfa_enrol.html")


@require_POST
@login_required
def mfa_disable_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = ConfirmPasswordForm(request.POST)
    if form.is_valid():
        try:
            mfa_disable_own(actor=user, password=form.cleaned_data["password"], required=mfa_required_for(user))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("双因素认证已关闭。"))
    else:
        messages.error(request, _("请输入当前密码以关闭双因素认证。"))
    return HttpResponseRedirect(reverse("accounts:profile"))


@never_cache
@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    assignments = AreaAssignment.objects.filter(user=user).select_related("area").order_by("area__path")
    context = {
        "assignments": assignments,
        "departments": list(user.departments()),
        "mfa_enabled": mfa.has_confirmed_device(user),
        "mfa_required": mfa_required_for(user),
        "password_form": PasswordChangeForm(),
        "disable_form": ConfirmPasswordForm(),
    }
    return render(request, "accounts/profile.html", context)


@never_cache
@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_change_own(
                actor=user, old_password=form.cleaned_data["old_password"], new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "password" in exc.error_dict:
                exc = ValidationError({"new_password1": exc.error_dict["password"]})
            apply_validation_error(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改。"))
            return HttpResponseRedirect(reverse("accounts:profile"))
    return render(request, "accounts/password_change.html", {"form": form})
