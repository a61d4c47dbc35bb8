"""Files the payroll pages give: the 银行代发文件 (.xlsx)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .rules import month_label

if TYPE_CHECKING:
    from .services import BankFile

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "@"  # Excel's text format: long numbers never become 4.10102E+17


def bank_file_xlsx(file: BankFile) -> bytes:
    """One row per line to pay: 姓名, 证件号码, 开户银行, 开户支行, 卡号, 实发金额; the
    payer (the project's 工资专用账户) on top and the totals below. Numbers as text."""
    sheet = file.sheet
    book = Workbook()
    ws = book.active
    ws.title = "银行代发"
    ws.append([f"{sheet.project.name} {month_label(sheet.month)} 工资代发（{sheet.team.name}）"])
    ws.append(["付款账户户名", file.payer.name, "付款账号", file.payer.number, "开户银行",
               file.payer.bank])
    ws.append(["工资表编号", sheet.number])
    ws.append([])
    header = ["序号", "姓名", "证件号码", "开户银行", "开户支行", "卡号", "实发金额（元）"]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for n, row in enumerate(file.rows, start=1):
        ws.append([n, row.name, row.id_number, row.bank, row.branch, row.card_number, row.amount])
        current = ws.max_row
        for column in ("C", "F"):
            ws[f"{column}{current}"].number_format = TEXT
        ws[f"G{current}"].number_format = "0.00"
    ws.append([])
    ws.append(["合计", f"{len(file.rows)}人", "", "", "", "", file.total])
    ws[f"G{ws.max_row}"].number_format = "0.00"
    ws["D2"].number_format = TEXT
    for column, width in zip("ABCDEFG", (8, 12, 22, 18, 28, 24, 16), strict=True):
        ws.column_dimensions[column].width = width
    ws["A1"].alignment = Alignment(horizontal="left")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
