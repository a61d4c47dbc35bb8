"""工资核算 and 工资发放 pages.

The participant prepares its teams' sheets (新建工资表, 工资明细, 签字扫描件, 提交);
the general contractor confirms or returns them, exports the 银行代发文件 and records
the payment; the authority reads. Reads through the selectors (visible_to), writes
through the services; anyone else gets 404."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from labour.attachments.drafts import draft_key
from labour.core.errors import ServiceError
from labour.core.http import client_ip
from labour.core.roles import AccountKind, SignedInRequest, kind_required
from labour.projects.permissions import is_general_contractor
from labour.reviews.views import ReturnForm, handle_decision
from labour.workforce.permissions import own_participant
from labour.workforce.views import project_landing

from . import exports, selectors, services
from .choices import EDITABLE, PAYABLE, ItemKind, LineStatus, SheetStatus
from .forms import AddLineForm, NewSheetForm, PaymentForm, ScanForm, item_columns
from .rules import item_field, month_label, this_month

READERS = (AccountKind.ENTERPRISE, AccountKind.PROJECT, AccountKind.AUTHORITY)  # login: 企业 first
LINES_PER_PAGE = 50


@kind_required(*READERS)
def index(request: SignedInRequest) -> HttpResponse:
    """「工资核算」: a project account goes to its project; others choose one."""
    return project_landing(request, "payroll:project", "工资核算")


@kind_required(*READERS)
def project(request: SignedInRequest, code: str) -> HttpResponse:
    """A project's sheets (the user's own; all of them for the general contractor and
    the authority), and 「新建工资表」 for a participant."""
    project = selectors.access_payroll_project(request.user, code)
    own = own_participant(request.user, project)
    teams = [(t.pk, t.name) for t in selectors.own_teams_for_payroll(request.user, project)]
    last_month = (this_month() - dt.timedelta(days=1)).strftime("%Y-%m")  # the usual one
    form = (NewSheetForm(request.POST or None, teams=teams, initial={"month": last_month})
            if own else None)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            sheet = services.create_sheet(actor=request.user, code=code,
                                          team_id=int(form.cleaned_data["team"]),
                                          month=form.cleaned_data["month"], ip=client_ip(request))
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已新建{month_label(sheet.month)}工资表，"
                                      f"已列出该月在场的{sheet.line_count}名人员")
            return redirect("payroll:sheet", number=sheet.number)
    page = Paginator(selectors.sheets_of(request.user, project), 20).get_page(
        request.GET.get("page"))
    return render(request, "payroll/project.html", {
        "project": project, "page": page, "form": form, "own": own,
        "general_contractor": is_general_contractor(request.user, project)})


def _line_input(request: SignedInRequest, line_id: int, columns: list[tuple[str, str]]
                ) -> services.LineInput:
    prefix = f"line-{line_id}-"
    items = {(kind, name): request.POST.get(f"{prefix}item-{n}", "")
             for n, (kind, name) in enumerate(columns)}
    return services.LineInput(days=request.POST.get(f"{prefix}days", ""),
                              work_hours=request.POST.get(f"{prefix}hours", ""), items=items)


def _sheet_action(request: SignedInRequest, sheet: Any, columns: list[tuple[str, str]],
                  scan_form: ScanForm, add_form: AddLineForm) -> HttpResponse | None:
    """The participant's actions on its sheet. None: show the page again (errors)."""
    action = request.POST.get("action", "")
    ip = client_ip(request)
    number = sheet.number
    try:
        if action == "save":
            ids = [int(i) for i in request.POST.getlist("line") if i.isdigit()]
            services.save_lines(actor=request.user, number=number,
                                lines={i: _line_input(request, i, columns) for i in ids}, ip=ip)
            messages.success(request, "工资明细已保存")
        elif action == "add":
            if not add_form.is_valid():
                return None
            services.add_line(actor=request.user, number=number,
                              worker_id=int(add_form.cleaned_data["worker"]),
                              back_pay_month=add_form.cleaned_data["back_pay_month"], ip=ip)
            messages.success(request, "已添加人员")
        elif action == "remove":
            services.remove_line(actor=request.user, number=number,
                                 line_id=int(request.POST.get("line_id", "0") or 0), ip=ip)
            messages.success(request, "已删除该工资明细")
        elif action == "scan":
            if not scan_form.check_and_keep(actor=request.user):
                return None
            scan = scan_form.attachments.get("signed_scan")
            if scan is None:
                scan_form.add_error("signed_scan", "请上传签字确认的工资支付表")
                return None
            services.attach_signed_scan(actor=request.user, number=number, scan=scan, ip=ip)
            messages.success(request, "签字确认的工资支付表已上传")
        elif action == "submit":
            services.submit_sheet(actor=request.user, number=number, ip=ip)
            messages.success(request, "工资表已提交，等待施工总承包单位确认")
        else:
            return None
    except ServiceError as exc:
        if action == "scan" and exc.field in scan_form.fields:
            scan_form.add_error(exc.field, exc.message)
            return None
        if action == "add" and exc.field in add_form.fields:
            add_form.add_error(exc.field, exc.message)
            return None
        messages.error(request, exc.message)
        if action == "save":  # what was typed stays on the page, the refused cell marked
            refused = exc if isinstance(exc, services.LineRefused) else None
            request.session["payroll_refused_lines"] = {
                "number": number, "values": {k: v for k, v in request.POST.items()
                                             if k.startswith("line-")},
                "line": refused.line_id if refused else None,
                "field": refused.field if refused else None, "message": exc.message}
    query = f"?page={request.GET['page']}" if request.GET.get("page", "").isdigit() else ""
    return redirect(f"{request.path}{query}")


@kind_required(*READERS)
def sheet(request: SignedInRequest, number: str) -> HttpResponse:
    """A sheet: its lines (paged) with their items, history, payments; the actions of
    who may act on it."""
    user = request.user
    sheet = selectors.access_sheet(user, number)
    own = own_participant(user, sheet.project)
    preparer = own is not None and own.pk == sheet.participant_id
    general_contractor = is_general_contractor(user, sheet.project)
    columns = item_columns()
    editable = preparer and sheet.status in EDITABLE
    posted = request.POST if request.method == "POST" else None
    scan_form = ScanForm(posted if posted and posted.get("action") == "scan" else None,
                         request.FILES or None, draft_key=draft_key(request), ip=None)
    add_form = AddLineForm(posted if posted and posted.get("action") == "add" else None,
                           workers=list(selectors.team_workers(sheet).values_list(
                               "pk", "person__name")) if editable else [])
    return_form = ReturnForm(kind="wage_sheet")
    if posted is not None and posted.get("decision"):
        if not general_contractor:
            raise Http404
        response, return_form = handle_decision(
            request,
            approve=lambda: services.confirm_sheet(actor=user, number=number, ip=client_ip(request)),
            return_=lambda reason: services.return_sheet(actor=user, number=number, reason=reason,
                                                         ip=client_ip(request)),
            done=request.path, detail=request.path,
            approved_message="工资表已确认，可以导出银行代发文件并登记发放",
            returned_message="工资表已退回，退回原因已告知制表单位", reasons="wage_sheet")
        if response is not None:
            return response
    elif posted is not None:
        if not preparer:
            raise Http404
        response = _sheet_action(request, sheet, columns, scan_form, add_form)
        if response is not None:
            return response
    refused = request.session.pop("payroll_refused_lines", None)
    if not refused or refused.get("number") != number:
        refused = {"values": {}, "line": None, "field": None, "message": ""}
    page = Paginator(selectors.lines_of(sheet), LINES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [_row(line, columns, refused) for line in page]
    return render(request, "payroll/sheet.html", {
        "sheet": sheet, "page": page, "rows": rows, "columns": columns,
        "preparer": preparer, "editable": editable,
        "general_contractor": general_contractor,
        "can_review": general_contractor and sheet.status == SheetStatus.SUBMITTED,
        "can_pay": general_contractor and sheet.status in PAYABLE,
        "scan_form": scan_form, "add_form": add_form,
        "return_form": return_form, "submissions": selectors.submissions_of(sheet),
        "payments": selectors.payments_of(sheet),
    })


def _row(line: Any, columns: list[tuple[str, str]], refused: dict[str, Any]) -> dict[str, Any]:
    """A line as the page shows it; after a refusal, what was typed, the refused cell
    marked (`invalid`: days, work_hours, deduction_total or item:<kind>:<name>)."""
    typed = refused["values"]
    invalid = refused["field"] if refused["line"] == line.pk else None
    amounts = {(item.kind, item.name): item.amount for item in line.items.all()}
    prefix = f"line-{line.pk}-"
    cells = []
    for n, (kind, label) in enumerate(columns):
        name = f"{prefix}item-{n}"
        value = typed.get(name, amounts.get((kind, label), ""))
        cells.append({"name": name, "value": value, "label": label,
                      "invalid": invalid in (item_field(kind, label), "deduction_total")
                      and (invalid != "deduction_total" or kind == ItemKind.DEDUCTION)})
    card = getattr(line.worker, "wage_card", None)
    return {"line": line, "cells": cells, "card": card,
            "error": refused["message"] if refused["line"] == line.pk else "",
            "invalid": invalid,
            "days": typed.get(f"{prefix}days", line.days),
            "hours": typed.get(f"{prefix}hours", line.work_hours if line.work_hours is not None else "")}


@kind_required(AccountKind.ENTERPRISE, AccountKind.PROJECT)
def bank_file(request: SignedInRequest, number: str) -> HttpResponse:
    """「银行代发文件」 (.xlsx) for the general contractor."""
    try:
        file = services.bank_file(actor=request.user, number=number, ip=client_ip(request))
    except ServiceError as exc:  # not confirmed yet, or no 工资专用账户 in the project information
        messages.error(request, exc.message)
        return redirect("payroll:sheet", number=number)
    data = exports.bank_file_xlsx(file)
    response = HttpResponse(data, content_type=exports.XLSX_TYPE)
    filename = f"银行代发文件-{file.sheet.number}.xlsx"
    response["Content-Disposition"] = (f"attachment; filename=\"bank.xlsx\"; "
                                       f"filename*=UTF-8''{quote(filename)}")
    response["Cache-Control"] = "private, no-store"
    return response


def _expected_outcome(line: Any) -> str:
    """What the bank file asked for: a line with a card and money to pay is 已发放
    unless the user marks it 发放失败; the others are not in this payment."""
    has_card = getattr(line.worker, "wage_card", None) is not None
    return "paid" if has_card and line.net_amount > 0 else ""


@kind_required(AccountKind.ENTERPRISE, AccountKind.PROJECT)
def payment(request: SignedInRequest, number: str) -> HttpResponse:
    """「登记发放」: 发放日期, 银行批次号, 银行回单, and each line 已发放 or 发放失败."""
    user = request.user
    sheet = selectors.access_sheet(user, number)
    if not is_general_contractor(user, sheet.project):
        raise Http404
    if sheet.status not in PAYABLE:
        messages.info(request, f"工资表{sheet.get_status_display()}，不能登记发放")
        return redirect("payroll:sheet", number=number)
    form = PaymentForm(request.POST or None, request.FILES or None, draft_key=draft_key(request),
                       ip=None)
    lines = list(selectors.lines_of(sheet).filter(
        pay_status__in=[LineStatus.UNPAID, LineStatus.FAILED]))
    if request.method == "POST" and form.check_and_keep(actor=user):
        outcomes: dict[int, str | None] = {}
        for line in lines:
            choice = request.POST.get(f"line-{line.pk}")
            if choice == "paid":
                outcomes[line.pk] = None
            elif choice == "failed":
                outcomes[line.pk] = request.POST.get(f"line-{line.pk}-reason", "")
        try:
            services.record_payment(actor=user, number=number,
                                    paid_on=form.cleaned_data["paid_on"],
                                    batch_number=form.cleaned_data["batch_number"],
                                    receipt=form.attachments.get("receipt"), outcomes=outcomes,
                                    ip=client_ip(request))
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "发放结果已登记")
            return redirect("payroll:sheet", number=number)
    rows = [{"line": line, "card": getattr(line.worker, "wage_card", None),
             "choice": request.POST.get(f"line-{line.pk}", "") if request.method == "POST"
             else _expected_outcome(line),
             "reason": request.POST.get(f"line-{line.pk}-reason", line.failure_reason)}
            for line in lines]
    return render(request, "payroll/payment.html", {"sheet": sheet, "form": form, "rows": rows})

