"""「导出」 of 欠薪预警: the whole filtered list as .xlsx, written row by row
(openpyxl write-only), at most ARREARS_EXPORT_MAX_ROWS rows; audited."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from labour.audit.models import Action
from labour.audit.services import record

from .rules import LEVEL_LABELS, assess
from .selectors import today, warnings_for

if TYPE_CHECKING:
    from labour.accounts.models import User

HEADERS = ["项目编号", "项目", "区域", "月份", "在场人数", "已发人数", "应发", "已发", "等级", "原因",
           "约定发薪日"]


def warning_rows(actor: User, values: dict[str, Any]) -> tuple[list[list[Any]], bool]:
    """The rows of the export (and whether the limit cut the list)."""
    limit = max(int(settings.ARREARS_EXPORT_MAX_ROWS), 1)
    rows: list[list[Any]] = []
    day = today()
    for fact in warnings_for(actor, **values)[:limit + 1].iterator(chunk_size=2000):
        if len(rows) == limit:
            return rows, True
        project = fact.project
        rows.append([project.code, project.name, project.region_name, f"{fact.month:%Y-%m}",
                     fact.on_site, fact.paid_workers, fact.due, fact.paid,
                     LEVEL_LABELS[fact.level], "；".join(assess(fact, today=day).reasons),
                     f"{fact.pay_deadline:%Y-%m-%d}"])
    return rows, False


def export_warnings(*, actor: User, values: dict[str, Any],
                    ip: str | None = None) -> tuple[bytes, str]:
    rows, cut = warning_rows(actor, values)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("欠薪预警")
    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for title, value in zip(HEADERS, row, strict=True):
            cell = WriteOnlyCell(sheet, value=value)
            if title in ("项目编号", "月份", "约定发薪日"):
                cell.number_format = "@"
            elif title in ("应发", "已发"):
                cell.number_format = "0.00"
            cells.append(cell)
        sheet.append(cells)
    if cut:
        sheet.append([f"仅导出前{len(rows)}行，请缩小筛选范围"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    record(action=Action.ARREARS_EXPORTED, actor=actor, ip=ip, rows=len(rows), cut=cut,
           district=values.get("district", ""), level=values.get("level", ""),
           month=f"{values['month']:%Y-%m}" if values.get("month") else "")
    return buffer.getvalue(), f"欠薪预警_{timezone.localdate():%Y%m%d}.xlsx"
