from django.contrib import messages
from django.contrib.auth import logout as django_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from labour.audit.models import Action
from labour.audit.services import record
from labour.core.errors import ServiceError
from labour.core.http import client_ip
from labour.core.roles import AccountKind
from labour.core.validators import validate_phone

from . import services
from .forms import ChangePasswordForm, ForgotPasswordForm, LoginForm
from .passwords import rule_text

LOGIN_PARTS = [
    (AccountKind.ENTERPRISE, "企业"),
    (AccountKind.PROJECT, "项目"),
    (AccountKind.AUTHORITY, "主管部门"),
]


def login_page(request):
    """The login page: a 企业 part, a 项目 part and a 主管部门 part."""
    if request.user.is_authenticated:
        return redirect("home")
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
                return redirect("home")
    parts = [(kind, label, forms_by_kind[kind]) for kind, label in LOGIN_PARTS]
    return render(request, "accounts/login.html", {"parts": parts, "active": active})


@require_POST
def logout(request):
    if request.user.is_authenticated:
        record(action=Action.LOGOUT, actor=request.user, request=request, obj=request.user)
    django_logout(request)
    return redirect("login")


@login_required
def home(request):
    user = request.user
    if user.kind == AccountKind.AUTHORITY:
        return redirect("certification:review_queue")
    if user.kind == AccountKind.ENTERPRISE and user.enterprise_id:
        return redirect("enterprises:home")
    if user.kind == AccountKind.PROJECT and user.project_id:
        return redirect("projects:project_home")
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "accounts/home.html")


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
