"""Login, logout, second factor and the user's own profile."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from wildlife.accounts import lockout
from wildlife.accounts.backends import AccountLockedError
from wildlife.accounts.forms import LoginForm
from wildlife.accounts.middleware import SESSION_LAST_SEEN, SESSION_LOGIN_AT, mfa_required_for
from wildlife.audit.services import audit_record


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("core:home")


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
            error = _("登录失败次数过多，账号已锁定，请于 %(time)s 后再试，或联系系统管理员解锁。") % {
                "time": timezone.localtime(until).strftime("%H:%M")
            }
        elif user is None:
            error = _("用户名或密码错误。")
        else:
            login(request, user)
            now = time.time()
            request.session[SESSION_LOGIN_AT] = now
            request.session[SESSION_LAST_SEEN] = now
            audit_record(action="login", actor=user)
            if mfa_required_for(user):
                return HttpResponseRedirect(reverse("accounts:mfa") + "?next=" + _safe_next(request))
            return HttpResponseRedirect(_safe_next(request))
    return render(request, "accounts/login.html", {"form": form, "error": error, "next": request.GET.get("next", "")}, status=200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(action="logout", actor=request.user)
    logout(request)
    return HttpResponseRedirect(reverse("accounts:login"))


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    from wildlife.geo.selectors import areas_for_user

    return render(request, "accounts/profile.html", {"areas": areas_for_user(request.user)})
