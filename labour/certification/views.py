from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from labour.attachments.drafts import draft_key
from labour.core.errors import ServiceError
from labour.core.http import client_ip
from labour.core.regions import districts_under
from labour.core.roles import AccountKind, kind_required
from labour.core.validators import normalise, region_from_credit_code, region_name
from labour.enterprises.choices import ENTERPRISE_DOCUMENTS
from labour.reviews.queue import QueueForm, queue_page
from labour.reviews.views import handle_decision

from . import selectors, services
from .forms import EnterpriseApplicationForm, ProgressQueryForm
from .proofs import prove_phone, proven

PROGRESS_SESSION = "certification_progress"


def _proven_applicant(request):
    """(credit_code, phone) proven by an SMS code in 「查询认证进度」, if still fresh."""
    proof = proven(request, PROGRESS_SESSION)
    return (proof["credit_code"], proof["phone"]) if proof else None


def _returned_application(request, number):
    """The returned application that this applicant (proven phone) may resubmit."""
    proven = _proven_applicant(request)
    if not number or proven is None:
        return None
    credit_code, phone = proven
    return selectors.returned_for_applicant(credit_code, phone, number)


def _initial_from(application):
    return {
        "name": application.name, "unit_type": application.unit_type,
        "credit_code": application.credit_code,
        "certificate_valid_until": application.certificate_valid_until,
        "long_term": application.certificate_valid_until is None,
        "registered_on": application.registered_on, "region_code": application.region_code,
        "admin_name": application.admin_name, "admin_phone": application.admin_phone,
    }


def apply(request):
    """企业账号认证 (seed 2.3–2.6), also 「重新认证」 with ?from=<returned number>."""
    previous_number = request.POST.get("previous") or request.GET.get("from", "")
    previous = _returned_application(request, previous_number)
    if previous_number and previous is None:
        messages.error(request, "请先通过“查询认证进度”验证手机号后再重新认证")
        return redirect("certification:progress")
    kept: dict[str, str] = {}
    allowed: Iterable[str] = ()
    if previous is not None:
        kept = {f: str(getattr(previous, f"{f}_id")) for f in ENTERPRISE_DOCUMENTS}
        allowed = kept.values()
    form_kwargs = {"draft_key": draft_key(request), "allowed_ids": allowed, "kept": kept,
                   "ip": client_ip(request)}
    if request.method == "POST":
        form = EnterpriseApplicationForm(request.POST, request.FILES, **form_kwargs)
        if form.check_and_keep(actor=None):
            values: dict[str, Any] = {k: form.cleaned_data[k] for k in (
                "name", "unit_type", "credit_code", "certificate_valid_until",
                "registered_on", "region_code", "admin_name", "admin_phone")}
            values.update(form.attachments)
            data = services.ApplicationData(**values)
            try:
                application = services.submit_application(
                    actor=None, data=data, code=form.cleaned_data["code"],
                    previous_number=previous.number if previous else "",
                    ip=client_ip(request))
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                request.session["submitted_application"] = application.number
                return redirect("certification:submitted", number=application.number)
    else:
        form = EnterpriseApplicationForm(initial=_initial_from(previous) if previous else None,
                                         **form_kwargs)
    region_value = form["region_code"].value() or ""
    return render(request, "certification/apply.html", {
        "form": form, "previous": previous, "region_label": region_name(region_value),
        "districts": districts_under(settings.PLATFORM_REGION),
        "file_fields": form.bound_file_fields(),
    })


def submitted(request, number):
    """seed 2.6: the application is in the review queue; what happens next."""
    if request.session.get("submitted_application") != number:
        raise Http404
    application = selectors.submitted_by_session(number)
    if application is None:
        raise Http404
    return render(request, "certification/submitted.html", {"application": application})


def progress(request):
    """「查询认证进度」: credit code + administrator phone + SMS code."""
    if request.method == "POST":
        form = ProgressQueryForm(request.POST)
        if form.is_valid() and prove_phone(request, form, PROGRESS_SESSION,
                                           credit_code=form.cleaned_data["credit_code"]):
            return redirect("certification:progress")
    else:
        form = ProgressQueryForm()
    proven = _proven_applicant(request)
    applications = list(selectors.applications_for_applicant(*proven)) if proven else None
    return render(request, "certification/progress.html", {
        "form": form, "applications": applications,
        "latest": applications[0] if applications else None,
        "proven": proven,
    })


@require_POST
def progress_end(request):
    request.session.pop(PROGRESS_SESSION, None)
    return redirect("certification:progress")


@require_GET
def region_lookup(request):
    code = normalise(request.GET.get("code", ""))
    if len(code) == 18:
        code = region_from_credit_code(code)
    return JsonResponse({"code": code, "name": region_name(code) if code else ""})


# ------------------------------------------------------------------ review (authority)

@kind_required(AccountKind.AUTHORITY)
def review_queue(request):
    """企业账号认证审核: 待审核 / 已通过 / 已退回 / 全部, dates, order, district, search."""
    rows = queue_page(
        request, form=lambda: QueueForm(request.GET, user=request.user,
                                        search_label="单位名称或统一社会信用代码"),
        rows=lambda view: selectors.review_queue(request.user, view=view),
        menu="certification:review_queue", template="certification/review_queue_rows.html")
    return render(request, "certification/review_queue.html", {"rows": rows})


@kind_required(AccountKind.AUTHORITY)
def review_detail(request, number):
    application = selectors.access_enterprise_application(request.user, number)
    ip = client_ip(request)
    response, return_form = handle_decision(
        request,
        approve=lambda: services.approve_application(actor=request.user, number=number, ip=ip),
        return_=lambda reason: services.return_application(actor=request.user, number=number,
                                                           reason=reason, ip=ip),
        done="certification:review_queue", detail=request.path,
        approved_message=f"已通过 {application.name} 的企业账号认证，登录信息已通过短信发送给账号管理员",
        returned_message=f"已退回 {application.name} 的企业账号认证，退回原因已通过短信发送给账号管理员",
    )
    if response is not None:
        return response
    history = [a for a in selectors.history_of(application) if a.pk != application.pk]
    attachments = [(label, getattr(application, field))
                   for field, label in ENTERPRISE_DOCUMENTS.items()]
    return render(request, "certification/review_detail.html", {
        "application": application, "history": history, "attachments": attachments,
        "return_form": return_form,
    })


TEMPLATE_FILE = Path(__file__).resolve().parent / "data" / "enterprise_authorisation_letter.docx"


@require_GET
def template_download(request):
    """「下载模板」: the authorisation letter to print, fill in and stamp."""
    return FileResponse(TEMPLATE_FILE.open("rb"), as_attachment=True,
                        filename="企业账号管理员授权书（模板）.docx")
