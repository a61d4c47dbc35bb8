"""Every write of the wage ledger (工资支付台账): sheets, lines, their review and
their payment. The participant prepares its teams' sheets and 「提交」s them (after
the workers confirmed the printed sheet by signing it); the general contractor's
enterprise or project account (its 劳资专管员) 「确认」s or 「退回」s them (条例
第二十八条第二款) and pays them through the project's 工资专用账户 into each worker's
own card (第三十条, 总包代发). Each service finds its object through the visibility
layer, checks the rules, changes the rows in one transaction (the sheet row locked)
and writes one audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from labour.attachments.models import Attachment
from labour.attachments.services import claim
from labour.audit.models import Action
from labour.audit.services import record
from labour.core.errors import PermissionDenied404, ServiceError
from labour.core.numbers import next_number
from labour.core.transitions import advance
from labour.projects.choices import ParticipantRole
from labour.projects.permissions import is_general_contractor
from labour.projects.selectors import access_project, information_of
from labour.reviews.services import Review
from labour.workforce import crypto
from labour.workforce.models import Team, WageCard
from labour.workforce.permissions import own_participant, owns

from .choices import EDITABLE, LINE_FLOW, PAYABLE, SHEET_FLOW, Document, LineStatus, SheetStatus
from .models import Payment, SheetSubmission, WageItem, WageLine, WageSheet
from .rules import (
    LineAmounts,
    RuleError,
    attendance_days,
    check_back_pay_month,
    check_items,
    check_sheet_month,
    month_label,
    work_hours,
)
from .selectors import access_sheet, document_lines, lines_of, workers_on_site

if TYPE_CHECKING:
    from labour.accounts.models import User
    from labour.core.visibility import Actor
    from labour.projects.models import Project

# called with (project id, month) whenever what was due or paid for that month may
# have changed (the arrears of 欠薪预警 are kept per project and month)
ChangeHook = Callable[[int, dt.date], None]
_ON_CHANGE: list[ChangeHook] = []


def register_change_hook(hook: ChangeHook) -> None:
    if hook not in _ON_CHANGE:
        _ON_CHANGE.append(hook)


def _changed(project_id: int, months: Iterable[dt.date]) -> None:
    for month in sorted(set(months)):
        for hook in _ON_CHANGE:
            hook(project_id, month)


def _rule(error: RuleError) -> ServiceError:
    return ServiceError(error.message, field=error.field or None)


def _line_label(line: WageLine) -> str:
    suffix = f"（补发{month_label(line.back_pay_month)}）" if line.back_pay_month else ""
    return f"{line.worker.person.name}{suffix}"


# ------------------------------------------------------------------ 新建工资表

def _next_number(month: dt.date) -> str:
    return next_number(WageSheet, "number", f"GZ{month:%Y%m}", width=6)


def _editable_sheet(actor: User, number: str) -> WageSheet:
    sheet = access_sheet(actor, number, owned=True, for_update=True)
    if sheet.status not in EDITABLE:
        raise ServiceError(f"工资表{sheet.get_status_display()}，不能修改")
    return sheet


def create_sheet(*, actor: User, code: str, team_id: int, month: dt.date,
                 ip: str | None = None) -> WageSheet:
    """「新建工资表」 of one of the actor's teams for `month` (≤ this month), filled with
    every worker of the team who was 在场 at any time that month. One per team per
    month."""
    project = access_project(actor, code)
    participant = own_participant(actor, project)
    if participant is None:
        raise PermissionDenied404
    try:
        month = check_sheet_month(month)
    except RuleError as exc:
        raise _rule(exc) from None
    team = Team.objects.owned_by(actor).filter(project=project, pk=team_id).first()
    if team is None:
        raise ServiceError("请选择本单位的班组", field="team")
    if WageSheet.objects.filter(team=team, month=month).exists():
        raise ServiceError(f"班组“{team.name}”{month_label(month)}的工资表已存在", field="month")
    workers = list(workers_on_site(team, month).select_related("person"))
    for _ in range(5):
        try:
            with transaction.atomic():
                sheet = WageSheet.objects.create(
                    number=_next_number(month), project=project, participant=team.participant,
                    team=team, month=month, created_by=actor)
                WageLine.objects.bulk_create(
                    [WageLine(sheet=sheet, worker=worker) for worker in workers], batch_size=1000)
                sheet.line_count = len(workers)
                sheet.save(update_fields=["line_count"])
                record(action=Action.WAGE_SHEET_CREATED, actor=actor, ip=ip, obj=sheet,
                       number=sheet.number, team=team.name, month=month_label(month),
                       lines=len(workers))
                return sheet
        except IntegrityError:
            if WageSheet.objects.filter(team=team, month=month).exists():
                raise ServiceError(f"班组“{team.name}”{month_label(month)}的工资表已存在",
                                   field="month") from None
    raise ServiceError("系统繁忙，请稍后再试")


# ------------------------------------------------------------------ 工资明细

@dataclass
class LineInput:
    """What a line says: 出勤天数, 工时 and the amounts typed for each item."""

    days: object = ""
    work_hours: object = ""
    items: Mapping[tuple[str, str], object] | None = None


class LineRefused(ServiceError):
    """A line's value refused: `line_id` and `field` (days, work_hours, deduction_total or
    item:<kind>:<name>) say where, so a page can mark that cell."""

    def __init__(self, message: str, *, line_id: int, field: str | None) -> None:
        super().__init__(message, field=field)
        self.line_id = line_id


def _check_line(line: WageLine, data: LineInput) -> tuple[Decimal, Decimal | None, LineAmounts]:
    month = line.back_pay_month or line.sheet.month
    try:
        days = attendance_days(data.days, month=month)
        hours = work_hours(data.work_hours)
        amounts = check_items(data.items or {})
    except RuleError as exc:
        raise LineRefused(f"{_line_label(line)}：{exc.message}", line_id=line.pk,
                          field=exc.field or None) from None
    return days, hours, amounts


LINE_FIELDS = ["days", "work_hours", "gross_total", "deduction_total", "net_amount"]


def _write_lines(held: dict[int, WageLine],
                 checked: dict[int, tuple[Decimal, Decimal | None, LineAmounts]]) -> None:
    """The lines and their items as typed now, in a few statements however many lines
    (a 2,000-line import as one page): items no longer typed removed (the sheet is still
    a draft: nothing of it is the ledger yet; once confirmed it is frozen), changed
    ones updated, new ones added, the lines' days and totals updated."""
    from .bulk import update_amounts

    kept = {(item.line_id, item.kind, item.name): item
            for line_id in checked for item in held[line_id].items.all()}  # prefetched
    changed: list[WageItem] = []
    added: list[WageItem] = []
    for line_id, (days, hours, amounts) in checked.items():
        for kind, name, amount in amounts.items:
            item = kept.pop((line_id, kind, name), None)
            if item is None:
                added.append(WageItem(line_id=line_id, kind=kind, name=name, amount=amount))
            elif item.amount != amount:
                item.amount = amount
                changed.append(item)
        line = held[line_id]
        line.days, line.work_hours = days, hours
        line.gross_total, line.deduction_total, line.net_amount = (
            amounts.gross, amounts.deductions, amounts.net)
    if kept:
        WageItem.objects.filter(pk__in=[item.pk for item in kept.values()]).discard_drafts()
    update_amounts(WageItem, ["amount"], [(item.pk, item.amount) for item in changed])
    WageItem.objects.bulk_create(added, batch_size=1000)
    update_amounts(WageLine, LINE_FIELDS, [
        (line.pk, *(getattr(line, name) for name in LINE_FIELDS))
        for line in (held[line_id] for line_id in checked)])


def _recount(sheet: WageSheet) -> None:
    totals = WageLine.objects.filter(sheet=sheet).aggregate(
        gross=Sum("gross_total"), deductions=Sum("deduction_total"), net=Sum("net_amount"))
    sheet.line_count = WageLine.objects.filter(sheet=sheet).count()
    sheet.gross_total = totals["gross"] or Decimal("0.00")
    sheet.deduction_total = totals["deductions"] or Decimal("0.00")
    sheet.net_total = totals["net"] or Decimal("0.00")
    sheet.save(update_fields=["line_count", "gross_total", "deduction_total", "net_total"])


@transaction.atomic
def save_lines(*, actor: User, number: str, lines: dict[int, LineInput],
               ip: str | None = None) -> WageSheet:
    """Save the lines typed on the sheet page (or imported): 出勤天数 (half days, ≤ the
    days of the month), 工时, and the itemised 应发/代扣; 应发合计, 代扣合计 and 实发 are
    computed here. All or nothing: the first refused line is named with its field."""
    sheet = _editable_sheet(actor, number)
    held = {line.pk: line for line in lines_of(sheet).filter(pk__in=list(lines))}
    missing = [line_id for line_id in lines if line_id not in held]
    if missing:
        raise ServiceError("工资明细不存在或不属于本工资表")
    for line in held.values():
        line.sheet = sheet  # its month, without a query per line
    checked = {line_id: _check_line(held[line_id], data) for line_id, data in lines.items()}
    _write_lines(held, checked)
    _recount(sheet)
    record(action=Action.WAGE_LINE_SAVED, actor=actor, ip=ip, obj=sheet, number=sheet.number,
           lines=len(lines), net_total=str(sheet.net_total))
    return sheet


@transaction.atomic
def add_line(*, actor: User, number: str, worker_id: int, back_pay_month: dt.date | None = None,
             ip: str | None = None) -> WageLine:
    """A worker of the team who was 在场 in the month (a 补发 line: in the earlier
    `back_pay_month`), added to the sheet."""
    sheet = _editable_sheet(actor, number)
    month = sheet.month
    if back_pay_month is not None:
        try:
            month = check_back_pay_month(back_pay_month.replace(day=1), sheet_month=sheet.month)
        except RuleError as exc:
            raise _rule(exc) from None
    worker = workers_on_site(sheet.team, month).filter(pk=worker_id).select_related("person").first()
    if worker is None:
        raise ServiceError(f"该人员不是本班组在{month_label(month)}在场的人员", field="worker")
    try:
        with transaction.atomic():
            line = WageLine.objects.create(sheet=sheet, worker=worker,
                                           is_back_pay=back_pay_month is not None,
                                           back_pay_month=month if back_pay_month else None)
    except IntegrityError:
        raise ServiceError(f"{worker.person.name}已在本工资表中", field="worker") from None
    _recount(sheet)
    record(action=Action.WAGE_LINE_SAVED, actor=actor, ip=ip, obj=sheet, number=sheet.number,
           added=worker.person.name, back_pay_month=month_label(month) if back_pay_month else "")
    return line


@transaction.atomic
def remove_line(*, actor: User, number: str, line_id: int, ip: str | None = None) -> None:
    """A line added by mistake, before the sheet is confirmed (its items with it)."""
    sheet = _editable_sheet(actor, number)
    line = WageLine.objects.filter(sheet=sheet, pk=line_id).select_related("worker__person").first()
    if line is None:
        raise PermissionDenied404
    name = _line_label(line)
    for item in WageItem.objects.filter(line=line):
        item.delete()
    line.delete()
    _recount(sheet)
    record(action=Action.WAGE_LINE_REMOVED, actor=actor, ip=ip, obj=sheet, number=sheet.number,
           removed=name)


@transaction.atomic
def attach_signed_scan(*, actor: User, number: str, scan: Attachment,
                       ip: str | None = None) -> WageSheet:
    """The 工资支付表 printed, signed by the workers, scanned and uploaded (their
    confirmation, 条例 第二十八条)."""
    sheet = _editable_sheet(actor, number)
    claim([scan], actor=actor)
    sheet.signed_scan = scan
    sheet.save(update_fields=["signed_scan"])
    record(action=Action.WAGE_SCAN_UPLOADED, actor=actor, ip=ip, obj=sheet, number=sheet.number,
           name=scan.original_name)
    return sheet


# ------------------------------------------------------------------ 提交 / 确认 / 退回

@transaction.atomic
def submit_sheet(*, actor: User, number: str, ip: str | None = None) -> SheetSubmission:
    """「提交」: the general contractor then confirms or returns it."""
    sheet = _editable_sheet(actor, number)
    if sheet.line_count == 0:
        raise ServiceError("工资表没有工资明细，不能提交")
    if settings.PAYROLL_SIGNED_SCAN_REQUIRED and sheet.signed_scan_id is None:
        raise ServiceError("请先打印工资支付表，由工人签字确认后上传扫描件，再提交",
                           field="signed_scan")
    previous = (SheetSubmission.objects.filter(sheet=sheet, status="returned")
                .order_by("-submitted_at", "-id").first())
    if previous is not None and previous.is_resubmitted:
        previous = None
    submission = SheetSubmission.objects.create(
        sheet=sheet, project=sheet.project, participant=sheet.participant,
        submitted_at=timezone.now(), submitted_ip=ip, submitted_by=actor, previous=previous,
        line_count=sheet.line_count, net_total=sheet.net_total, signed_scan_id=sheet.signed_scan_id)
    old = advance(sheet, SheetStatus.SUBMITTED, flow=SHEET_FLOW)
    record(action=Action.WAGE_SHEET_SUBMITTED, actor=actor, ip=ip, obj=sheet,
           changes={"status": [old, sheet.status]}, number=sheet.number,
           net_total=str(sheet.net_total))
    return submission


class SheetReview(Review[SheetSubmission]):
    """The general contractor's 「确认」 / 「退回」 of a submitted sheet (its own sheets
    too). A confirmed sheet is frozen: it is what is paid."""

    noun = "工资表"
    approved_action = Action.WAGE_SHEET_CONFIRMED
    returned_action = Action.WAGE_SHEET_RETURNED

    def locate(self, *, actor: Actor, key: str) -> SheetSubmission:
        sheet = access_sheet(actor, key, for_update=True)
        if not is_general_contractor(actor, sheet.project):
            raise PermissionDenied404
        submission = (SheetSubmission.objects.select_for_update()
                      .filter(sheet=sheet, status="submitted").first())
        if submission is None or sheet.status != SheetStatus.SUBMITTED:
            raise ServiceError(f"该工资表{sheet.get_status_display()}，不能重复审核")
        submission.sheet = sheet
        return submission

    def audit_object(self, submission: SheetSubmission) -> WageSheet:
        return submission.sheet

    def approved(self, submission: SheetSubmission, *, actor: Actor, at: dt.datetime,
                 ip: str | None) -> dict[str, Any]:
        sheet = submission.sheet
        advance(sheet, SheetStatus.CONFIRMED, flow=SHEET_FLOW, confirmed_at=at)
        _changed(sheet.project_id, [sheet.month, *(month for month in WageLine.objects.filter(
            sheet=sheet, is_back_pay=True).values_list("back_pay_month", flat=True) if month)])
        return {"number": sheet.number}

    def returned(self, submission: SheetSubmission, *, actor: Actor, at: dt.datetime,
                 reason: str, ip: str | None) -> dict[str, Any]:
        sheet = submission.sheet
        advance(sheet, SheetStatus.RETURNED, flow=SHEET_FLOW)
        return {"number": sheet.number}


SHEET_REVIEW = SheetReview()


def confirm_sheet(*, actor: User, number: str, ip: str | None = None) -> SheetSubmission:
    return SHEET_REVIEW.approve(actor=actor, key=number, ip=ip)


def return_sheet(*, actor: User, number: str, reason: str,
                 ip: str | None = None) -> SheetSubmission:
    return SHEET_REVIEW.return_(actor=actor, key=number, reason=reason, ip=ip)


# ------------------------------------------------------------------ 工资发放

@dataclass(frozen=True)
class WageAccount:
    """The project's 工资专用账户 (from its approved information): the only payer."""

    bank: str
    number: str
    name: str


def wage_account(project: Project) -> WageAccount:
    info = information_of(project)
    if info is None or not (info.wage_bank and info.wage_account_no and info.wage_account_name):
        raise ServiceError("项目信息中没有工资专用账户，请施工总承包单位先完善项目信息")
    return WageAccount(info.wage_bank, info.wage_account_no, info.wage_account_name)


def _payable_sheet(actor: User, number: str, *, for_update: bool) -> WageSheet:
    sheet = access_sheet(actor, number, for_update=for_update)
    if not is_general_contractor(actor, sheet.project):
        raise PermissionDenied404
    if sheet.status not in PAYABLE:
        raise ServiceError(f"工资表{sheet.get_status_display()}，不能发放")
    return sheet


@dataclass
class BankRow:
    line: WageLine
    name: str
    id_number: str
    bank: str
    branch: str
    card_number: str
    amount: Decimal


@dataclass
class BankFile:
    sheet: WageSheet
    payer: WageAccount
    rows: list[BankRow]
    total: Decimal


def bank_file(*, actor: User, number: str, ip: str | None = None) -> BankFile:
    """「银行代发文件」: the lines still to pay, each to the worker's own card, paid from
    the project's wage account. Lines without a card are left out (and named)."""
    with transaction.atomic():
        sheet = _payable_sheet(actor, number, for_update=False)
        payer = wage_account(sheet.project)
        rows = []
        for line in lines_of(sheet).filter(pay_status__in=[LineStatus.UNPAID, LineStatus.FAILED]):
            card = getattr(line.worker, "wage_card", None)
            if card is None or line.net_amount <= 0:
                continue
            rows.append(BankRow(line, line.worker.person.name, line.worker.person.id_number,
                                card.bank_name, card.branch_name, card.card_number,
                                line.net_amount))
        total = sum((row.amount for row in rows), Decimal("0.00"))
        record(action=Action.WAGE_BANK_FILE, actor=actor, ip=ip, obj=sheet, number=sheet.number,
               rows=len(rows), total=str(total))
    return BankFile(sheet, payer, rows, total)


@transaction.atomic
def record_payment(*, actor: User, number: str, paid_on: dt.date | None, batch_number: str,
                   receipt: Attachment | None, outcomes: dict[int, str | None],
                   ip: str | None = None) -> Payment:
    """「登记发放」 of a confirmed sheet: 发放日期, 银行批次号, 银行回单, and for each
    line paid now either 已发放 (`None`) or 发放失败 with its reason. A failed line may
    be paid again later; the sheet is 已发放 when every line is. A line is paid once
    (the sheet and its lines are locked; a line already paid is refused)."""
    sheet = _payable_sheet(actor, number, for_update=True)
    if paid_on is None:
        raise ServiceError("请填写发放日期", field="paid_on")
    if paid_on > timezone.localdate():
        raise ServiceError("发放日期不能晚于今天", field="paid_on")
    if paid_on < sheet.month:
        raise ServiceError("发放日期不能早于工资月份", field="paid_on")
    batch_number = (batch_number or "").strip()
    if not batch_number:
        raise ServiceError("请填写银行批次号", field="batch_number")
    if receipt is None:
        raise ServiceError("请上传银行回单", field="receipt")
    if not outcomes:
        raise ServiceError("请选择本次发放的工资明细")
    payer = wage_account(sheet.project)
    lines = {line.pk: line for line in WageLine.objects.select_for_update().filter(
        sheet=sheet, pk__in=list(outcomes)).select_related("worker__person")}
    if len(lines) != len(outcomes):
        raise ServiceError("工资明细不存在或不属于本工资表")
    cards = {card.worker_id: card for card in WageCard.objects.filter(
        worker_id__in=[line.worker_id for line in lines.values()])}
    claim([receipt], actor=actor)
    payment = Payment.objects.create(
        sheet=sheet, paid_on=paid_on, batch_number=batch_number, receipt=receipt,
        payer_bank=payer.bank, payer_account_name=payer.name,
        payer_account_token=crypto.encrypt(payer.number), recorded_by=actor)
    for line_id, reason in outcomes.items():
        line = lines[line_id]
        label = _line_label(line)
        if line.pay_status == LineStatus.PAID:
            raise ServiceError(f"{label}：已发放，不能重复发放")
        if reason is None:
            card = cards.get(line.worker_id)
            if card is None:
                raise ServiceError(f"{label}：没有登记工资卡，不能登记为已发放")
            advance(line, LineStatus.PAID, flow=LINE_FLOW, field="pay_status", payment=payment,
                    paid_on=paid_on, failure_reason="", card_bank_code=card.bank_code,
                    card_bank_name=f"{card.bank_name} {card.branch_name}".strip(),
                    card_number_token=card.card_number_token)
            payment.paid_count += 1
            payment.paid_amount += line.net_amount
        else:
            reason = reason.strip()[:200]
            if not reason:
                raise ServiceError(f"{label}：请填写发放失败原因")
            if line.pay_status == LineStatus.FAILED:
                line.failure_reason = reason
                line.payment = payment
                line.save(update_fields=["failure_reason", "payment"])
            else:
                advance(line, LineStatus.FAILED, flow=LINE_FLOW, field="pay_status", payment=payment,
                        failure_reason=reason)
            payment.failed_count += 1
    payment.save(update_fields=["paid_count", "failed_count", "paid_amount"])
    paid = WageLine.objects.filter(sheet=sheet, pay_status=LineStatus.PAID)
    sheet.paid_total = paid.aggregate(total=Sum("net_amount"))["total"] or Decimal("0.00")
    everything_paid = not WageLine.objects.filter(sheet=sheet).exclude(
        pay_status=LineStatus.PAID).exists()
    old = sheet.status
    if everything_paid:
        advance(sheet, SheetStatus.PAID, flow=SHEET_FLOW, paid_total=sheet.paid_total,
                paid_at=timezone.now())
    elif sheet.status == SheetStatus.CONFIRMED:
        advance(sheet, SheetStatus.PAYING, flow=SHEET_FLOW, paid_total=sheet.paid_total)
    else:
        sheet.save(update_fields=["paid_total"])
    record(action=Action.WAGE_PAID, actor=actor, ip=ip, obj=sheet,
           changes={"status": [old, sheet.status]} if old != sheet.status else None,
           number=sheet.number, paid_on=paid_on.isoformat(), batch_number=batch_number,
           paid=payment.paid_count, failed=payment.failed_count,
           amount=str(payment.paid_amount))
    _changed(sheet.project_id, [sheet.month, *(
        line.back_pay_month for line in lines.values() if line.back_pay_month)])
    return payment


# ------------------------------------------------------------------ 工资文书 (PDF)

@dataclass
class SheetDocument:
    """What a printed document of a sheet shows (pdf.py draws it)."""

    sheet: WageSheet
    lines: list[WageLine]
    full_numbers: bool  # 证件号码 and 联系方式 in full: the preparing participant's print
    prepared_by: str
    payers: list[WageAccount]  # the 代发凭证's: each payment's account, as it was
    batches: list[tuple[dt.date, str]]
    general_contractor: str


def sheet_document(*, actor: User, number: str, document: Document, line_id: int | None = None,
                   ip: str | None = None) -> SheetDocument:
    """The lines a printed document of a sheet shows, for whoever may read the sheet
    (its participant, the general contractor, the authority): the 工资支付表, the
    工资清单 (all lines, or `line_id`'s) and, once every line is paid, the 代发凭证.
    The ID numbers and phones are in full only on the preparing participant's
    工资支付表 (the ledger it keeps, 条例 第三十条), masked for the others. Each
    document made is an audit event (who printed whose numbers)."""
    with transaction.atomic():
        sheet = access_sheet(actor, number)
        if document == Document.VOUCHER and sheet.status != SheetStatus.PAID:
            raise ServiceError(f"工资表{sheet.get_status_display()}，全部发放后才有代发凭证")
        lines_qs = document_lines(sheet)
        if line_id is not None:
            lines_qs = lines_qs.filter(pk=line_id)
        lines = list(lines_qs)
        if line_id is not None and not lines:
            raise PermissionDenied404
        full = document == Document.PAY_TABLE and owns(actor, sheet.participant_id)
        payers: list[WageAccount] = []
        batches: list[tuple[dt.date, str]] = []
        general_contractor = ""
        if document == Document.VOUCHER:
            for payment in Payment.objects.filter(sheet=sheet).order_by("paid_on", "id"):
                payer = WageAccount(payment.payer_bank, crypto.decrypt(payment.payer_account_token),
                                    payment.payer_account_name)
                if payer not in payers:
                    payers.append(payer)
                if payment.paid_count:
                    batches.append((payment.paid_on, payment.batch_number))
            general_contractor = "、".join(sheet.project.participants.filter(
                role=ParticipantRole.GENERAL_CONTRACTOR).values_list("unit_name", flat=True))
        creator = sheet.created_by
        record(action=Action.WAGE_DOCUMENT, actor=actor, ip=ip, obj=sheet, number=sheet.number,
               document=document.label, lines=len(lines), unmasked=full)
    return SheetDocument(sheet, lines, full, creator.display_name or creator.username, payers,
                         batches, general_contractor)
