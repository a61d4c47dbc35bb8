"""The payroll's printable documents (PDF): 「打印工资支付表」, 「工资清单」 and
「代发凭证」 of a sheet, and the project's 「维权信息告示牌」.

Reads through the selectors and services (a sheet or project the user may not see is
404); each sheet document is an audit event (services.sheet_document); pdf.py draws."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from labour.core.errors import ServiceError
from labour.core.http import client_ip
from labour.core.roles import SignedInRequest, kind_required

from . import pdf, selectors, services
from .choices import Document
from .views import READERS


def pdf_response(data: bytes, *, name: str, ascii_name: str) -> HttpResponse:
    """A PDF shown in the browser (to print or save): an ASCII file name for old
    clients and the Chinese one as RFC 5987 `filename*`; never cached."""
    response = HttpResponse(data, content_type=pdf.PDF_TYPE)
    response["Content-Disposition"] = (f'inline; filename="{ascii_name}"; '
                                       f"filename*=UTF-8''{quote(name)}")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def line_id_param(request: HttpRequest) -> int | None:
    """?line=<id>: one line's slip; anything but a plausible id is 404."""
    value = request.GET.get("line", "")
    if value == "":
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise Http404
    return int(value)


def _document(request: SignedInRequest, number: str, document: Document,
              line_id: int | None = None) -> services.SheetDocument:
    return services.sheet_document(actor=request.user, number=number, document=document,
                                   line_id=line_id, ip=client_ip(request))


@kind_required(*READERS)
def pay_table(request: SignedInRequest, number: str) -> HttpResponse:
    """「打印工资支付表」: the sheet for the workers' signatures."""
    doc = _document(request, number, Document.PAY_TABLE)
    return pdf_response(pdf.pay_table(doc), name=f"工资支付表-{doc.sheet.number}.pdf",
                        ascii_name=f"wage-sheet-{doc.sheet.number}.pdf")


@kind_required(*READERS)
def wage_slips(request: SignedInRequest, number: str) -> HttpResponse:
    """「工资清单」: every line's slip (one page each), or one line's (?line=<id>)."""
    line_id = line_id_param(request)
    doc = _document(request, number, Document.SLIPS, line_id)
    suffix = f"-{line_id}" if line_id is not None else ""
    return pdf_response(pdf.wage_slips(doc.lines), name=f"工资清单-{doc.sheet.number}{suffix}.pdf",
                        ascii_name=f"wage-slips-{doc.sheet.number}{suffix}.pdf")


@kind_required(*READERS)
def voucher(request: SignedInRequest, number: str) -> HttpResponse:
    """「代发凭证」 of a sheet 已发放 (every line paid); before that, back to the sheet
    with the reason."""
    try:
        doc = _document(request, number, Document.VOUCHER)
    except ServiceError as exc:
        messages.info(request, exc.message)
        return redirect("payroll:sheet", number=number)
    return pdf_response(pdf.voucher(doc), name=f"代发凭证-{doc.sheet.number}.pdf",
                        ascii_name=f"payment-voucher-{doc.sheet.number}.pdf")


@kind_required(*READERS)
def notice_board(request: SignedInRequest, code: str) -> HttpResponse:
    """「维权信息告示牌」 of a project, from its data."""
    project = selectors.access_payroll_project(request.user, code)
    data = pdf.notice_board(selectors.notice_board(project))
    return pdf_response(data, name=f"维权信息告示牌-{project.code}.pdf",
                        ascii_name=f"notice-board-{project.code}.pdf")
