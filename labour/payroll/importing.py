"""导入工资明细: a draft or returned wage sheet's lines from an .xlsx, with the roster
import's preview-then-confirm (labour.workforce.importing does the upload, the kept
file, the job and its states; this module is the wage sheet's `Importer`).

1. `template_workbook()` — 「下载模板」: the sheet's own lines, pre-filled: 姓名, 证件号码
   (only its last 4 characters: the file never carries an ID number), a hidden 明细编号
   (the line's key), 是否补发/补发月份 when the sheet has 补发 lines, 出勤天数, 工时 and
   one column per 应发/代扣 item of data/items.csv.
2. `start_import()` keeps the upload; the check reads every row with the rules of the
   sheet page (labour.payroll.rules) and lists each refused cell with its row, column
   and a Chinese reason; nothing is written.
3. `confirm_import()` then `run_import()` apply every accepted row through
   `services.save_lines` (the rules stay in the service): one transaction, audited,
   all or nothing, once.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from labour.audit.models import Action
from labour.audit.services import record
from labour.core.errors import ServiceError
from labour.core.transitions import advance
from labour.workforce import crypto
from labour.workforce.choices import IMPORT_FLOW, ImportStatus
from labour.workforce.importing import (
    PROGRESS_EVERY,
    FileRefused,
    Importer,
    Refusal,
    confirm_job,
    discard_kept_file,
    keep_upload,
    load_kept_file,
    read_rows,
    register_importer,
)
from labour.workforce.models import ImportJob
from labour.workforce.rules import text
from labour.workforce.selectors import access_import

from .choices import EDITABLE
from .forms import item_columns
from .models import WageLine, WageSheet
from .rules import (
    RuleError,
    attendance_days,
    check_items,
    money,
    month_label,
    parse_month,
    work_hours,
)
from .selectors import access_sheet, lines_of
from .services import LineInput, save_lines

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from labour.accounts.models import User

log = logging.getLogger(__name__)

KIND = "wage_lines"
SHEET = "工资明细"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZERO = Decimal("0.00")
KEY, NAME, ID, BACK_PAY, BACK_PAY_MONTH, DAYS, HOURS = (
    "明细编号", "姓名", "证件号码", "是否补发", "补发月份", "出勤天数", "工时")
DEDUCTION_TOTAL = "代扣合计"
YES, NO = "是", "否"


def headers(*, back_pay: bool) -> list[str]:
    """The template's columns: the hidden key, who, 补发 (when the sheet has such lines),
    days, hours, then every 应发 item and every 代扣 item."""
    return [KEY, NAME, ID, *([BACK_PAY, BACK_PAY_MONTH] if back_pay else []), DAYS, HOURS,
            *(name for _kind, name in item_columns())]


def line_key(sheet: WageSheet, line: WageLine) -> str:
    return f"{sheet.number}/{line.pk}"


def masked_id(line: WageLine) -> str:
    """证件号码 in the file: its last 4 characters only."""
    number = line.worker.person.id_number
    return f"{'*' * max(len(number) - 4, 0)}{number[-4:]}"


# ------------------------------------------------------------------ 下载模板

def template_workbook(sheet: WageSheet) -> bytes:
    """「下载模板」: the sheet's lines as they are now, ready to be filled in."""
    lines = list(lines_of(sheet))
    back_pay = any(line.is_back_pay for line in lines)
    columns = headers(back_pay=back_pay)
    items = item_columns()
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = SHEET
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for index, title in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=title)
        cell.font, cell.fill = head_font, head_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = 12 if index > 3 else 16
    ws.column_dimensions["A"].hidden = True
    first_amount = len(columns) - len(items) + 1
    for r, line in enumerate(lines, start=2):
        amounts = {(item.kind, item.name): item.amount for item in line.items.all()}
        row: list[Any] = [line_key(sheet, line), line.worker.person.name, masked_id(line)]
        if back_pay:
            row += [YES if line.is_back_pay else NO,
                    month_label(line.back_pay_month) if line.back_pay_month else ""]
        row += [line.days, line.work_hours]
        row += [amounts.get((kind, name)) for kind, name in items]
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=float(value) if isinstance(value, Decimal) else value)
            if c < first_amount - 2:  # the key, 姓名, 证件号码 and 补发 stay text
                cell.number_format = "@"
            elif c >= first_amount:
                cell.number_format = "0.00"
    last = max(len(lines) + 1, 2)
    days_col = get_column_letter(columns.index(DAYS) + 1)
    days = DataValidation(type="decimal", operator="between", formula1="0", formula2="31",
                          showErrorMessage=True, errorTitle="出勤天数",
                          error="出勤天数为0到当月天数之间的数字，可以是半天（如 21.5）")
    days.add(f"{days_col}2:{days_col}{last}")
    amounts_range = f"{get_column_letter(first_amount)}2:{get_column_letter(len(columns))}{last}"
    money_rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                showErrorMessage=True, errorTitle="金额",
                                error="金额（元）不能为负数，最多两位小数")
    money_rule.add(amounts_range)
    ws.add_data_validation(days)
    ws.add_data_validation(money_rule)
    ws.freeze_panes = "D2"
    guide = book.create_sheet("填写说明")
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 80
    for pair in (
        ["工资表编号", sheet.number], ["班组", sheet.team.name], ["工资月份", month_label(sheet.month)],
        ["说明", "每行是本工资表中的一名人员：只填写出勤天数、工时和各工资项目的金额，"
                 "不要修改姓名、证件号码，不要增加或删除行（增加人员请在工资表页面「添加人员」）。"],
        ["说明", "出勤天数可填半天（如 21.5），不超过当月天数；金额单位为元，最多两位小数，不能为负数；"
                 "空白表示0。应发合计、代扣合计、实发由平台计算，代扣合计不能大于应发合计。"],
        ["说明", "上传后平台先逐行检查并列出不能导入的行，此时不会修改工资表；点击「确认导入」后，"
                 "可导入的行一次全部保存。文件中没有的人员不变。"],
    ):
        guide.append(pair)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------ upload

def own_editable_sheet(actor: User, number: str) -> WageSheet:
    """The sheet if `actor` prepares it (else 404) and it is still 草稿 or 已退回."""
    sheet = access_sheet(actor, number, owned=True)
    if sheet.status not in EDITABLE:
        raise ServiceError(f"工资表{sheet.get_status_display()}，不能导入工资明细")
    return sheet


def start_import(*, actor: User, number: str, upload: UploadedFile,
                 ip: str | None = None) -> ImportJob:
    """Keep an uploaded file of the sheet's lines for checking (.xlsx, size). A long
    sheet is checked and imported by a Celery job (the page shows the progress)."""
    sheet = own_editable_sheet(actor, number)
    return keep_upload(actor=actor, project=sheet.project, participant=sheet.participant,
                       upload=upload, kind=KIND, target=sheet.number,
                       max_bytes=settings.PAYROLL_IMPORT_MAX_BYTES,
                       background_bytes=settings.PAYROLL_IMPORT_BACKGROUND_BYTES,
                       background=sheet.line_count > settings.PAYROLL_IMPORT_BACKGROUND_LINES)


# ------------------------------------------------------------------ check

@dataclass
class Accepted:
    row: int
    line: int
    days: str
    hours: str
    items: list[tuple[str, str, str]]
    gross: str
    deductions: str
    net: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "line": self.line, "days": self.days, "hours": self.hours,
                "items": [list(item) for item in self.items], "gross": self.gross,
                "deductions": self.deductions, "net": self.net}


def _rows(data: bytes, *, back_pay: bool) -> Iterator[tuple[list[str], int, tuple[Any, ...]]]:
    """The data rows under the template's header, with or without the 补发 columns (a
    补发 line may have been added or removed since the template was downloaded)."""
    first_error: FileRefused | None = None
    for variant in (back_pay, not back_pay):
        columns = headers(back_pay=variant)
        rows = read_rows(data, sheet_name=SHEET, headers=columns)
        try:
            first = next(rows, None)
        except FileRefused as exc:
            first_error = first_error or exc
            continue
        if first is not None:
            yield columns, *first
            for number, cells in rows:
                yield columns, number, cells
        return
    assert first_error is not None
    raise first_error


def _has_control(value: Any) -> bool:
    return isinstance(value, str) and any(not c.isprintable() and c not in "\t\n\r " for c in value)


def _kind_of_cell(value: Any) -> str:
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return "date"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return "text"


class _Row:
    """One row's check: every refused cell is noted; `ok` when there is none."""

    def __init__(self, number: int, refusals: list[Refusal]) -> None:
        self.number, self.refusals, self.ok = number, refusals, True

    def refuse(self, column: str, reason: str) -> None:
        self.refusals.append(Refusal(self.number, column, reason))
        self.ok = False


def _check_row(number: int, values: dict[str, Any], sheet: WageSheet,
               lines: dict[str, WageLine], seen: dict[int, int],
               refusals: list[Refusal]) -> Accepted | None:
    row = _Row(number, refusals)
    for column, value in values.items():
        if _has_control(value):
            row.refuse(NAME if column == KEY else column,
                       "含有不可见的控制字符（如空字符），请删除后重新填写")
    if not row.ok:
        return None
    for column in (NAME, ID, BACK_PAY):
        kind = _kind_of_cell(values.get(column))
        if kind != "text" and values.get(column) is not None:
            row.refuse(column, f"{column}应为文字，该单元格是{'日期' if kind == 'date' else '数字'}格式"
                               "（请勿修改姓名、证件号码列）")
    if not row.ok:
        return None
    key = text(values.get(KEY))
    line = lines.get(key)
    if line is None:
        if "/" not in key:  # no key: a row typed in by hand
            reason = "不是本工资表的人员：请勿在模板中增加行，新增人员请在工资表页面「添加人员」"
        elif not key.startswith(f"{sheet.number}/"):
            reason = "该行来自另一张工资表的模板，请在本工资表「下载模板」后填写"
        else:
            reason = "本工资表中已没有这条工资明细，请重新「下载模板」"
        row.refuse(NAME, reason)
        return None
    if line.pk in seen:
        row.refuse(NAME, f"与第{seen[line.pk]}行是同一条工资明细")
        return None
    seen[line.pk] = number
    person = line.worker.person
    if text(values.get(NAME)) != person.name:
        row.refuse(NAME, f"姓名与工资表中该行的人员（{person.name}）不符，请勿修改姓名列")
    if text(values.get(ID)) != masked_id(line):
        row.refuse(ID, "证件号码与工资表中该行的人员不符，请勿修改证件号码列")
    if BACK_PAY in values:
        expected = YES if line.is_back_pay else NO
        if text(values.get(BACK_PAY)) != expected:
            row.refuse(BACK_PAY, f"应为“{expected}”：是否补发不能在导入时修改")
        month = values.get(BACK_PAY_MONTH)
        try:
            same = (parse_month(month) if text(month) else None) == line.back_pay_month
        except RuleError:
            same = False
        if not same:
            row.refuse(BACK_PAY_MONTH, "补发月份与工资表中该行不符，补发月份不能在导入时修改")
    month = line.back_pay_month or sheet.month
    cells: dict[str, Any] = {}
    for column in values:
        if column in (KEY, NAME, ID, BACK_PAY, BACK_PAY_MONTH):
            continue
        value = values[column]
        kind = _kind_of_cell(value)
        if kind == "date":
            row.refuse(column, f"{column}应为数字，该单元格是日期格式，请将该列设为常规或数值格式")
        elif kind == "bool":
            row.refuse(column, f"{column}应为数字")
        else:
            cells[column] = value
    days = hours = None
    if DAYS in cells:
        try:
            days = attendance_days(cells[DAYS], month=month)
        except RuleError as exc:
            row.refuse(DAYS, exc.message)
    if HOURS in cells:
        try:
            hours = work_hours(cells[HOURS])
        except RuleError as exc:
            row.refuse(HOURS, exc.message)
    typed: dict[tuple[str, str], object] = {}
    for kind_, name in item_columns():
        if name not in cells:
            continue
        try:
            money(cells[name], label=name)
        except RuleError as exc:
            row.refuse(name, exc.message)
        else:
            typed[(kind_, name)] = cells[name]
    if not row.ok:
        return None
    try:
        amounts = check_items(typed)
    except RuleError as exc:
        row.refuse(DEDUCTION_TOTAL, exc.message)
        return None
    return Accepted(number, line.pk, str(days if days is not None else "0"),
                    "" if hours is None else str(hours),
                    [(kind_, name, str(amount)) for kind_, name, amount in amounts.items],
                    str(amounts.gross), str(amounts.deductions), str(amounts.net))


def _check(job: ImportJob) -> None:
    data = load_kept_file(job)
    sheet = WageSheet.objects.select_related("team").get(number=job.target)
    lines = {line_key(sheet, line): line for line in lines_of(sheet)}
    back_pay = any(line.is_back_pay for line in lines.values())
    limit = settings.PAYROLL_IMPORT_MAX_ROWS
    raw: list[tuple[int, dict[str, Any]]] = []
    for columns, number, cells in _rows(data, back_pay=back_pay):
        raw.append((number, dict(zip(columns, cells, strict=True))))
        if len(raw) > limit:
            raise FileRefused(f"数据超过{limit}行，请分成多个文件导入")
    if not raw:
        raise FileRefused("文件中没有工资明细（从第2行起填写）")
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(raw))
    job.total_rows = len(raw)
    refusals: list[Refusal] = []
    accepted: list[Accepted] = []
    seen: dict[int, int] = {}
    order = {title: i for i, title in enumerate(headers(back_pay=True) + [DEDUCTION_TOTAL])}
    for index, (number, values) in enumerate(raw, start=1):
        row = _check_row(number, values, sheet, lines, seen, refusals)
        if row is not None:
            accepted.append(row)
        if index % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(checked_rows=index)
    refusals.sort(key=lambda r: (r.row, order.get(r.column, 99)))
    discard_kept_file(job)
    payload = [row.as_dict() for row in accepted]
    with transaction.atomic():
        advance(job, ImportStatus.CHECKED, flow=IMPORT_FLOW, checked_rows=job.total_rows,
                accepted_count=len(accepted), refusals=[r.as_dict() for r in refusals],
                payload_token=crypto.encrypt(json.dumps(payload)) if payload else "",
                stored_file="", finished_at=timezone.now())
        record(action=Action.ROSTER_IMPORT_CHECKED, actor=job.created_by, obj=job,
               kind=SHEET, number=sheet.number, file_name=job.file_name, rows=job.total_rows,
               accepted=len(accepted), refused_rows=len({r.row for r in refusals}))


# ------------------------------------------------------------------ 预览 and 确认导入

@dataclass
class PreviewRow:
    row: int
    line: WageLine | None
    days: str
    hours: str
    gross: Decimal
    deductions: Decimal
    net: Decimal


@dataclass
class Preview:
    rows: list[PreviewRow]
    gross_total: Decimal
    deduction_total: Decimal
    net_total: Decimal


def preview(job: ImportJob, sheet: WageSheet) -> Preview:
    """The accepted rows of a checked job, and the sheet's totals as they would be
    after 「确认导入」, summed here from the lines (those the file leaves alone keep
    their amounts)."""
    payload = json.loads(crypto.decrypt(job.payload_token)) if job.payload_token else []
    lines = {line.pk: line for line in lines_of(sheet).filter(pk__in=[r["line"] for r in payload])}
    rows = [PreviewRow(r["row"], lines.get(r["line"]), r["days"], r["hours"],
                       Decimal(r["gross"]), Decimal(r["deductions"]), Decimal(r["net"]))
            for r in payload]
    kept = WageLine.objects.filter(sheet=sheet).exclude(pk__in=list(lines)).aggregate(
        gross=Sum("gross_total"), deductions=Sum("deduction_total"), net=Sum("net_amount"))
    imported = [row for row in rows if row.line is not None]
    return Preview(rows,
                   (kept["gross"] or ZERO) + sum((r.gross for r in imported), ZERO),
                   (kept["deductions"] or ZERO) + sum((r.deductions for r in imported), ZERO),
                   (kept["net"] or ZERO) + sum((r.net for r in imported), ZERO))


def access_sheet_import(actor: User, sheet: WageSheet, job_id: UUID | str, *,
                        for_update: bool = False) -> ImportJob:
    """An import of `sheet`'s lines made by the actor's unit, else 404."""
    return access_import(actor, sheet.project, job_id, kind=KIND, target=sheet.number,
                         for_update=for_update)


@transaction.atomic
def confirm_import(*, actor: User, number: str, job_id: UUID | str,
                   ip: str | None = None) -> ImportJob:
    """「确认导入」: the checked file's accepted rows (run_import applies them). Twice is
    refused: the job row is locked and leaves 待确认导入 once."""
    sheet = own_editable_sheet(actor, number)
    return confirm_job(access_sheet_import(actor, sheet, job_id, for_update=True))


def _apply(job: ImportJob) -> None:
    """Inside run_import's transaction: the accepted rows through save_lines (it checks
    again that the sheet is the actor's and editable, and every value), then done."""
    payload = json.loads(crypto.decrypt(job.payload_token))
    lines = {r["line"]: LineInput(days=r["days"], work_hours=r["hours"],
                                  items={(kind, name): amount for kind, name, amount in r["items"]})
             for r in payload}
    actor = job.created_by
    save_lines(actor=actor, number=job.target, lines=lines)
    advance(job, ImportStatus.IMPORTED, flow=IMPORT_FLOW, imported_count=len(lines),
            payload_token="", finished_at=timezone.now())


register_importer(Importer(KIND, "工资明细", "工资表", check=_check, apply=_apply))
