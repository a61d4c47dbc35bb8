"""工资查询 pages for a worker with no account (issue 9 item 6): 证件号码 + 手机号 +
SMS code, then his own wage lines for settings.WAGE_QUERY_GRANT_MINUTES. Anonymous;
what a session may read is the grant of labour.payroll.query, nothing else.

Personal numbers typed here are kept out of error reports (sensitive_post_parameters)
and the pages out of caches (never_cache): they may be opened on a shared phone."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from labour.core.errors import ServiceError
from labour.core.http import client_ip

from . import pdf, query, selectors
from .choices import ItemKind
from .views_documents import line_id_param, pdf_response

LINES_PER_PAGE = 24
SLIPS_AT_ONCE = 24  # 「下载工资清单」 without a line: the newest two years or so


def _input(placeholder: str, **attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"placeholder": placeholder, "autocomplete": "off", **attrs})


class WageQueryForm(forms.Form):
    """Kept beside its views: the only form of 工资查询. The service judges the values."""

    id_number = forms.CharField(label="证件号码", max_length=40,
                                widget=_input("请输入证件号码（身份证号）"))
    phone = forms.CharField(label="手机号", max_length=20,
                            widget=_input("请输入用工登记时留的手机号", inputmode="numeric"),
                            help_text="须与用工单位登记的手机号一致；手机号有变化的，请联系用工单位更新。")
    code = forms.CharField(label="验证码", max_length=6,
                           widget=_input("请输入验证码", inputmode="numeric"))


@sensitive_post_parameters("id_number", "phone", "code")
@never_cache
def query_form(request: HttpRequest) -> HttpResponse:
    """「工资查询」: the form; with a grant already, straight to the wages."""
    if request.method != "POST" and query.current_grant(request) is not None:
        return redirect("payroll:query_result")
    form = WageQueryForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            query.start_query(actor=None, request=request, **form.cleaned_data)
        except ServiceError as exc:
            exc.add_to(form)
        else:
            return redirect("payroll:query_result")
    return render(request, "payroll/query.html", {
        "form": form, "minutes": settings.WAGE_QUERY_GRANT_MINUTES})


@sensitive_post_parameters("id_number", "username", "phone")
@require_POST
def query_code(request: HttpRequest) -> HttpResponse:
    """「获取验证码」 (JSON). core/code_button.html sends the 证件号码 as `username`.
    The same answer whether or not the pair is on the roster."""
    id_number = request.POST.get("id_number") or request.POST.get("username") or ""
    try:
        cooldown = query.send_query_code(id_number=id_number, phone=request.POST.get("phone", ""),
                                         ip=client_ip(request))
    except ServiceError as exc:
        status = 429 if exc.field == "code" else 400
        return JsonResponse({"ok": False, "field": exc.field, "message": exc.message},
                            status=status)
    return JsonResponse({"ok": True, "cooldown": cooldown, "message": query.sent_message()})


def _granted(request: HttpRequest) -> query.QueryGrant | HttpResponse:
    had_one = query.SESSION_KEY in request.session
    grant = query.current_grant(request)
    if grant is not None:
        return grant
    if had_one:
        messages.warning(request, "查询已超时，请重新验证后查看")
    return redirect("payroll:query")


@never_cache
def query_result(request: HttpRequest) -> HttpResponse:
    """The grant's own wage lines, every project, newest month first."""
    grant = _granted(request)
    if isinstance(grant, HttpResponse):
        return grant
    page = Paginator(query.lines_of_grant(grant), LINES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "payroll/query_result.html", {"grant": grant, "page": page,
                                                         "slips_at_once": SLIPS_AT_ONCE})


@never_cache
def query_line(request: HttpRequest, line_id: int) -> HttpResponse:
    """One line with its 应发 and 代扣 items: only a line of the grant (else 404)."""
    grant = _granted(request)
    if isinstance(grant, HttpResponse):
        return grant
    line = query.access_query_line(grant, line_id)
    items = list(line.items.all())
    return render(request, "payroll/query_line.html", {
        "grant": grant, "line": line,
        "gross_items": [i for i in items if i.kind == ItemKind.GROSS],
        "deduction_items": [i for i in items if i.kind == ItemKind.DEDUCTION]})


@never_cache
def query_slips(request: HttpRequest) -> HttpResponse:
    """「下载工资清单」: the worker's own slips (PDF, one page a month) — the newest
    SLIPS_AT_ONCE lines of the grant, or one of them (?line=<id>). Built from the
    grant's lines only, never from ids the browser chose beyond that filter."""
    grant = _granted(request)
    if isinstance(grant, HttpResponse):
        return grant
    lines = query.lines_of_grant(grant)
    line_id = line_id_param(request)
    if line_id is not None:
        lines = lines.filter(pk=line_id)
        if not lines.exists():
            raise Http404
    chosen = list(selectors.for_documents(lines)[:SLIPS_AT_ONCE])
    suffix = f"-{line_id}" if line_id is not None else ""
    return pdf_response(pdf.wage_slips(chosen), name=f"工资清单{suffix}.pdf",
                        ascii_name=f"wage-slips{suffix}.pdf")


@require_POST
def query_end(request: HttpRequest) -> HttpResponse:
    """「退出查询」."""
    query.end_query(request=request)
    messages.success(request, "已退出工资查询")
    return redirect("login")
