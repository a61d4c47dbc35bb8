from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from labour.core.errors import ServiceError
from labour.core.http import client_ip
from labour.core.roles import EXPIRED_MESSAGE, RESTORE_SESSION_KEY, AccountKind, kind_required
from labour.core.validators import validate_phone

from . import selectors, services
from .forms import ChangePasswordForm, ForgotPasswordForm, LoginForm
from .passwords import rule_text

LOGIN_PARTS = [
    (AccountKind.ENTERPRISE, "企业"),
    (AccountKind.PROJECT, "项目"),
    (AccountKind.AUTHORITY, "主管部门"),
]


def _safe_next(request):
    """Where to go after logging in: a page of this site, never elsewhere."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def login_page(request):
    """The login page: a 企业 part, a 项目 part and a 主管部门 part. Sent here from a page
    that needs a login (`next`), it says the login has expired and returns there."""
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    active = request.POST.get("kind") or request.GET.get("part") or AccountKind.ENTERPRISE
    if active not in dict(LOGIN_PARTS):
        active = AccountKind.ENTERPRISE
    forms_by_kind = {kind: LoginForm(prefix=kind) for kind, _ in LOGIN_PARTS}
    if request.method == "POST":
        form = LoginForm(request.POST, prefix=active)
        forms_by_kind[active] = form
        if form.is_valid():
            try:
                services.login(request=request, username=form.cleaned_data["username"],
                               password=form.cleaned_data["password"], kind=active)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                if next_url:
                    # the page may put back what was typed before the login expired
                    request.session[RESTORE_SESSION_KEY] = urlsplit(next_url).path
                    return redirect(next_url)
                return redirect("home")
    parts = [(kind, label, forms_by_kind[kind]) for kind, label in LOGIN_PARTS]
    return render(request, "accounts/login.html", {
        "parts": parts, "active": active, "next": next_url,
        "expired": EXPIRED_MESSAGE if next_url and request.method == "GET" else ""})


@require_POST
def logout(request):
    services.logout(request=request)
    return redirect("login")


@login_required
def change_password(request):
    """seed 2.7 「修改密码」. Forced after the first login with the random password."""
    user = request.user
    if request.method == "POST":
        form = ChangePasswordForm(request.POST)
        if form.is_valid():
            try:
                services.change_password(
                    actor=user, request=request, **form.cleaned_data_for_service())
            except ServiceError as exc:
                form.add_error(exc.field, exc.message)
            else:
                messages.success(request, "密码修改成功，下次登录请使用新密码")
                return redirect("home")
    else:
        form = ChangePasswordForm()
    return render(request, "accounts/change_password.html", {
        "form": form, "forced": user.must_change_password, "rule": rule_text(),
        "account_name": user.display_name or user.username,
    })


def forgot_password(request):
    """「忘记密码」: an SMS code to the account administrator's phone."""
    if request.method == "POST":
        form = ForgotPasswordForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.reset_password(
                    actor=None, request=request, username=data["username"], phone=data["admin_phone"],
                    code=data["code"], new_password=data["new_password"],
                    confirm=data["confirm_password"])
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "密码已重置，请使用新密码登录")
                return redirect("login")
    else:
        form = ForgotPasswordForm()
    return render(request, "accounts/forgot_password.html", {"form": form, "rule": rule_text()})


@require_POST
def forgot_password_code(request):
    try:
        phone = validate_phone(request.POST.get("phone", ""))
    except ValidationError as exc:
        return JsonResponse({"ok": False, "field": "admin_phone", "message": exc.messages[0]},
                            status=400)
    username = request.POST.get("username", "").strip()
    if not username:
        return JsonResponse({"ok": False, "field": "username", "message": "请输入账号"},
                            status=400)
    try:
        cooldown = services.send_reset_code(username=username, phone=phone,
                                            ip=client_ip(request))
    except ServiceError as exc:
        return JsonResponse({"ok": False, "field": "code", "message": exc.message}, status=429)
    return JsonResponse({"ok": True, "cooldown": cooldown,
                         "message": "如账号与手机号匹配，验证码已发送，5分钟内有效"})


# ------------------------------------------------------------------ 项目账号管理

@kind_required(AccountKind.ENTERPRISE)
def project_accounts(request):
    """The enterprise's project accounts: project, login, administrator, last login."""
    page = Paginator(selectors.project_accounts_of(request.user), 20).get_page(
        request.GET.get("page"))
    return render(request, "accounts/project_accounts.html", {"page": page})


@require_POST
@kind_required(AccountKind.ENTERPRISE)
def project_account_active(request, username):
    active = request.POST.get("active") == "1"
    try:
        services.set_account_active(actor=request.user, username=username, active=active,
                                    ip=client_ip(request))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已{'启用' if active else '停用'}项目账号 {username}")
    return redirect("accounts:project_accounts")


@require_POST
@kind_required(AccountKind.ENTERPRISE)
def project_account_reset(request, username):
    try:
        services.reset_account_password(actor=request.user, username=username,
                                        ip=client_ip(request))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已重置项目账号 {username} 的密码，新密码已短信发送给该账号的账号管理员")
    return redirect("accounts:project_accounts")
