"""项目账号认证 pages: apply, result, 查询认证进度 (重新认证, 放弃本次认证), and the
enterprise account's 「项目账号审核」."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from labour.attachments.drafts import draft_key
from labour.core import ratelimit
from labour.core.errors import ServiceError
from labour.core.http import client_ip
from labour.core.roles import AccountKind, kind_required
from labour.enterprises.selectors import find_by_name_and_code
from labour.reviews.queue import QueueForm, queue_page
from labour.reviews.views import handle_decision

from . import project_accounts as pa
from . import selectors
from .choices import PROJECT_ACCOUNT_ATTACHMENT_FIELDS
from .forms import PhoneProgressForm, ProjectAccountApplicationForm
from .proofs import prove_phone, proven

PROOF = "project_account_progress"
TEMPLATE_FILE = Path(__file__).resolve().parent / "data" / "project_authorisation_letter.docx"


def _proven_phone(request):
    proof = proven(request, PROOF)
    return proof["phone"] if proof else None


def _returned(request, number):
    phone = _proven_phone(request)
    if not number or phone is None:
        return None
    return selectors.project_returned_for_phone(phone, number)


def apply(request):
    """项目账号认证 (seed 二 2.3–2.6); 「重新认证」 with ?from=<returned number>."""
    previous_number = request.POST.get("previous") or request.GET.get("from", "")
    previous = _returned(request, previous_number)
    if previous_number and previous is None:
        messages.error(request, "请先通过“查询认证进度”验证手机号后再重新认证")
        return redirect("certification:project_progress")
    kept = ({f: str(getattr(previous, f"{f}_id")) for f in PROJECT_ACCOUNT_ATTACHMENT_FIELDS}
            if previous else {})
    kwargs = {"draft_key": draft_key(request), "allowed_ids": kept.values(), "kept": kept,
              "ip": client_ip(request)}
    if request.method == "POST":
        form = ProjectAccountApplicationForm(request.POST, request.FILES, **kwargs)
        if form.check_and_keep(actor=None):
            d = form.cleaned_data
            data = pa.ProjectAccountData(
                enterprise=d["unit"], project=d["project"], admin_name=d["admin_name"],
                admin_phone=d["admin_phone"], **form.attachments)
            try:
                application = pa.submit(actor=None, data=data, code=d["code"], ip=client_ip(request),
                                        previous_number=previous.number if previous else "")
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                request.session["submitted_project_application"] = application.number
                return redirect("certification:project_submitted", number=application.number)
    else:
        initial = None
        if previous:
            initial = {"unit": previous.enterprise.name,
                       "unit_code": previous.enterprise.credit_code, "project": previous.project.code,
                       "admin_name": previous.admin_name, "admin_phone": previous.admin_phone}
        elif request.GET.get("unit"):
            initial = {"unit": request.GET["unit"], "unit_code": request.GET.get("code", "")}
        form = ProjectAccountApplicationForm(initial=initial, **kwargs)
    return render(request, "certification/project_apply.html", {
        "form": form, "previous": previous, "file_fields": form.bound_file_fields()})


@require_GET
def open_projects(request):
    """项目名称 choices for the typed 单位名称 and its credit code (seed 2.8: with the
    reason when not yet). Rate-limited per address: this answers anyone."""
    ip = client_ip(request) or "-"
    if not ratelimit.hit(f"unit-projects:{ip}", settings.UNIT_PROJECTS_PER_IP_HOUR, 3600):
        return JsonResponse({"found": False, "projects": [],
                             "message": "查询过于频繁，请稍后再试"}, status=429)
    enterprise = find_by_name_and_code(request.GET.get("unit", ""), request.GET.get("code", ""))
    if enterprise is None:
        return JsonResponse({"found": False, "projects": []})
    return JsonResponse({"found": True, "unit": enterprise.name, "projects": [
        {"code": project.code, "name": project.name, "reason": reason or ""}
        for project, reason in selectors.open_projects(enterprise)]})


@require_GET
def template_download(request):
    return FileResponse(TEMPLATE_FILE.open("rb"), as_attachment=True,
                        filename="项目账号管理员授权书（模板）.docx")


def submitted(request, number):
    if request.session.get("submitted_project_application") != number:
        raise Http404
    application = selectors.project_submitted_by_session(number)
    if application is None:
        raise Http404
    return render(request, "certification/project_submitted.html", {"application": application})


def progress(request):
    """「查询认证进度」 of project accounts: the administrator's phone and an SMS code."""
    form = PhoneProgressForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and prove_phone(request, form, PROOF):
        return redirect("certification:project_progress")
    phone = _proven_phone(request)
    applications = None
    if phone:
        applications = list(selectors.project_applications_for_phone(phone))
    return render(request, "certification/project_progress.html", {
        "form": form, "applications": applications})


@require_POST
def abandon(request, number):
    phone = _proven_phone(request)
    if phone is None:
        raise Http404
    try:
        pa.abandon(actor=None, number=number, phone=phone, ip=client_ip(request))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已放弃申请 {number}")
    return redirect("certification:project_progress")


# ------------------------------------------------------------------ 项目账号审核

@kind_required(AccountKind.ENTERPRISE)
def review_queue(request):
    rows = queue_page(
        request, form=lambda: QueueForm(request.GET, user=request.user,
                                        search_label="项目名称、申请编号或管理员姓名"),
        rows=lambda view: selectors.project_review_queue(request.user, view),
        menu="certification:project_review_queue",
        template="certification/project_review_queue_rows.html")
    return render(request, "certification/project_review_queue.html", {"rows": rows})


@kind_required(AccountKind.ENTERPRISE)
def review_detail(request, number):
    application = selectors.access_project_account_application(request.user, number)
    ip = client_ip(request)
    response, return_form = handle_decision(
        request,
        approve=lambda: pa.approve(actor=request.user, number=number, ip=ip),
        return_=lambda reason: pa.return_(actor=request.user, number=number, reason=reason,
                                          ip=ip),
        done="certification:project_review_queue", detail=request.path,
        approved_message="已通过项目账号认证，登录信息已通过短信发送给账号管理员",
        returned_message="已退回项目账号认证，退回原因已通过短信发送给账号管理员",
    )
    if response is not None:
        return response
    history = selectors.project_history(request.user, application)
    attachments = [(label, getattr(application, field))
                   for field, label in PROJECT_ACCOUNT_ATTACHMENT_FIELDS.items()]
    return render(request, "certification/project_review_detail.html", {
        "application": application, "history": history, "attachments": attachments,
        "return_form": return_form})
