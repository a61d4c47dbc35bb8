"""The payroll's printable documents (PDF):

- 工资支付表: a sheet printed for the workers' signatures (条例 第二十八条, 第三十条:
  the 工资支付台账 with 姓名, 证件号码, 联系方式, 工作时间, 应发/代扣 items, 实发);
- 工资清单: each worker's own slip for a month (条例 第十五条: given when paying);
- 代发凭证: what the general contractor paid through the project's 工资专用账户,
  for the subcontractor (条例 第三十一条);
- 维权信息告示牌: the project's board (条例 第三十四条).

Drawn on reportlab's canvas with its built-in CID font STSong-Light (Adobe-GB1: no
font file is shipped, the reader supplies the glyphs). No JavaScript, no links, no
forms. Table rows have one fixed height, so the page count is known before drawing:
「第 x 页 共 y 页」 needs no second pass, and a 2,000-line sheet is drawn in one go
(about 100 A4 landscape pages).

Nothing here reads the request or the user: what is shown in full (`full_numbers`)
is decided by the caller (services.sheet_document).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from reportlab import rl_config
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from labour.core.masking import mask_card_number, mask_id_number, mask_phone

from .choices import ItemKind, LineStatus
from .rules import month_label

if TYPE_CHECKING:
    from .models import WageItem, WageLine, WageSheet
    from .selectors import NoticeBoard
    from .services import SheetDocument

FONT = "STSong-Light"
PDF_TYPE = "application/pdf"
PLATFORM = "郑州市建设劳务服务平台"
MARGIN = 28.0  # about 10 mm
ZERO = Decimal("0.00")
MIN_FONT = 5.0
NO_LINE_START = "，。、；：）》」！？,.;:)"  # kept at the end of the line before


@cache
def _font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    rl_config.useA85 = 0  # binary (deflated) streams: smaller, and no pure-Python ASCII85
    return FONT


@lru_cache(maxsize=20_000)
def _unit_width(text: str) -> float:
    """The width of `text` at 1 pt (widths scale with the size)."""
    return float(pdfmetrics.stringWidth(text, _font(), 1000)) / 1000


def _width(text: str, size: float) -> float:
    return _unit_width(text) * size


def fit(text: str, width: float, size: float) -> tuple[str, float]:
    """`text` in `width` points: a smaller font (by half points) down to MIN_FONT,
    then cut with …"""
    unit = _unit_width(text)
    if unit * size <= width:
        return text, size
    size = max(MIN_FONT, math.floor(width / unit * 2) / 2) if unit else size
    if unit * size <= width:
        return text, size
    while text and _width(f"{text}…", size) > width:
        text = text[:-1]
    return f"{text}…", size


@lru_cache(maxsize=256)
def wrap(text: str, width: float, size: float) -> tuple[str, ...]:
    """`text` broken into lines of `width` points (Chinese breaks between any two
    characters; "\\n" starts a new line)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for char in paragraph:
            if current and _width(current + char, size) > width and char not in NO_LINE_START:
                lines.append(current)
                current = char
            else:
                current += char
        lines.append(current)
    return tuple(lines)


def yuan(amount: Decimal | None) -> str:
    return f"{amount:.2f}" if amount is not None else ""


class Pen:
    """A canvas whose strings of a page are written as one text block of plain PDF
    operators (reportlab's text object sets the font again for every string of a
    CID font: a 2,000-line sheet is 30,000 strings), and its rules as one path."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self._ops: list[str] = []
        self._lines: list[str] = []
        self._size = 0.0
        self._font_name = canvas._doc.getInternalFontName(_font())

    def text(self, x: float, y: float, text: str, *, size: float, width: float | None = None,
             align: str = "left") -> None:
        if width is not None:
            text, size = fit(text, width, size)
        if not text:
            return
        if align == "right":
            x -= _width(text, size)
        elif align == "center":
            x -= _width(text, size) / 2
        if not self._ops:
            self._ops.append("BT")
            self._size = 0.0
        if size != self._size:
            self._ops.append(f"{self._font_name} {size:g} Tf")
            self._size = size
        # the font's encoding is UniGB-UCS2-H: the string as UTF-16BE, written in hex
        self._ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm <{text.encode('utf-16-be').hex()}> Tj")

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self._lines.append(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l")

    def _stroke(self) -> None:
        if self._lines:
            self._lines.append("S")
            self.canvas.addLiteral("\n".join(self._lines))
            self._lines = []

    def rect(self, x: float, y: float, width: float, height: float) -> None:
        self._stroke()
        self.canvas.rect(x, y, width, height)

    def setLineWidth(self, width: float) -> None:  # noqa: N802 (the canvas's name)
        self._stroke()
        self.canvas.setLineWidth(width)

    def showPage(self) -> None:  # noqa: N802
        self._stroke()
        if self._ops:
            self._ops.append("ET")
            self.canvas.addLiteral("\n".join(self._ops))
            self._ops = []
        self.canvas.showPage()

    def save(self) -> None:
        self.canvas.save()


def _new_canvas(buffer: io.BytesIO, *, pagesize: tuple[float, float], title: str) -> Pen:
    canvas = Canvas(buffer, pagesize=pagesize, pageCompression=1, invariant=0)
    canvas.setTitle(title)
    canvas.setAuthor(PLATFORM)
    canvas.setCreator(PLATFORM)
    canvas.setSubject(title)
    return Pen(canvas)


def _text(canvas: Pen, x: float, y: float, text: str, *, size: float, width: float | None = None,
          align: str = "left") -> None:
    canvas.text(x, y, text, size=size, width=width, align=align)


# ------------------------------------------------------------------ tables over pages

@dataclass(frozen=True)
class Column:
    title: str
    width: float  # relative: the columns are scaled to the page
    align: str = "left"
    group: str = ""  # a heading over consecutive columns (应发 / 代扣)


@dataclass
class TableDocument:
    """A table printed over as many pages as it needs: on every page the title, the
    lines under it and the header row; on the last the totals and the closing lines."""

    title: str
    heading: list[str]
    columns: list[Column]
    rows: list[list[str]]
    totals: list[list[str]] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    pagesize: tuple[float, float] = landscape(A4)
    row_height: float = 22.0
    font_size: float = 7.5


HEADER_HEIGHT = 36.0
TITLE_SIZE = 15.0
HEADING_SIZE = 9.0
HEADING_STEP = 13.0
CLOSING_STEP = 16.0


def _layout(doc: TableDocument) -> tuple[float, int, int]:
    """(top of the table, rows per page, pages)."""
    page_height = doc.pagesize[1]
    table_top = page_height - MARGIN - TITLE_SIZE - 8 - HEADING_STEP * len(doc.heading) - 4
    bottom = MARGIN + 14  # the page number under the table
    per_page = max(1, int((table_top - HEADER_HEIGHT - bottom) // doc.row_height))
    pages = max(1, math.ceil(len(doc.rows) / per_page))
    on_last = len(doc.rows) - (pages - 1) * per_page
    room = (per_page - on_last) * doc.row_height
    needed = len(doc.totals) * doc.row_height + CLOSING_STEP * len(doc.closing) + 6
    if doc.rows and needed > room:
        pages += 1
    return table_top, per_page, pages


def table_pdf(doc: TableDocument) -> bytes:
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, pagesize=doc.pagesize, title=doc.title)
    page_width = doc.pagesize[0]
    usable = page_width - 2 * MARGIN
    scale = usable / sum(c.width for c in doc.columns)
    widths = [c.width * scale for c in doc.columns]
    lefts = [MARGIN + sum(widths[:n]) for n in range(len(widths))]
    table_top, per_page, pages = _layout(doc)
    for page in range(pages):
        _table_page_head(canvas, doc, page_width, widths, lefts, table_top)
        chunk = doc.rows[page * per_page:(page + 1) * per_page]
        y = table_top - HEADER_HEIGHT
        for row in chunk:
            _table_row(canvas, doc, row, widths, lefts, y)
            y -= doc.row_height
        if page == pages - 1:
            for row in doc.totals:
                _table_row(canvas, doc, row, widths, lefts, y)
                y -= doc.row_height
        _grid(canvas, doc, lefts, widths, table_top, y)
        if page == pages - 1:
            y -= CLOSING_STEP
            for line in doc.closing:
                _text(canvas, MARGIN, y + 4, line, size=HEADING_SIZE, width=usable)
                y -= CLOSING_STEP
        _text(canvas, page_width / 2, MARGIN, f"第 {page + 1} 页 共 {pages} 页", size=8,
              align="center")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _table_page_head(canvas: Pen, doc: TableDocument, page_width: float, widths: list[float],
                     lefts: list[float], table_top: float) -> None:
    usable = page_width - 2 * MARGIN
    y = doc.pagesize[1] - MARGIN - TITLE_SIZE
    _text(canvas, page_width / 2, y, doc.title, size=TITLE_SIZE, width=usable, align="center")
    y -= 8
    for line in doc.heading:
        y -= HEADING_STEP
        _text(canvas, MARGIN, y + 3, line, size=HEADING_SIZE, width=usable)
    # the header row (repeated on every page); grouped columns get their group above
    canvas.setLineWidth(0.5)
    bottom = table_top - HEADER_HEIGHT
    half = HEADER_HEIGHT / 2
    n = 0
    while n < len(doc.columns):
        column = doc.columns[n]
        if not column.group:
            _header_cell(canvas, column.title, lefts[n], widths[n], bottom, HEADER_HEIGHT)
            n += 1
            continue
        end = n
        while end < len(doc.columns) and doc.columns[end].group == column.group:
            end += 1
        span = sum(widths[n:end])
        _header_cell(canvas, column.group, lefts[n], span, bottom + half, half)
        canvas.line(lefts[n], bottom + half, lefts[n] + span, bottom + half)
        for k in range(n, end):
            _header_cell(canvas, doc.columns[k].title, lefts[k], widths[k], bottom, half)
        n = end


def _header_cell(canvas: Pen, title: str, left: float, width: float, bottom: float,
                 height: float) -> None:
    """A heading centred in its cell, on two lines (smaller) if it must."""
    size = 7.5
    lines = wrap(title, width - 3, size)
    while len(lines) > 1 and len(lines) * (size + 0.5) > height - 1 and size > 5.5:
        size -= 0.5
        lines = wrap(title, width - 3, size)
    if len(lines) * (size + 0.5) > height - 1:
        lines = (title,)  # fitted (smaller, or cut) on one line
    elif len(lines) == 2 and "\n" not in title:  # 社会保险 / 个人部分, not 社会保险个人部 / 分
        half = math.ceil(len(title) / 2)
        if _width(title[:half], size) <= width - 3:
            lines = (title[:half], title[half:])
    step = size + 0.5
    y = bottom + height / 2 + (len(lines) - 1) * step / 2 - size / 3
    for line in lines:
        _text(canvas, left + width / 2, y, line, size=size, width=width - 3, align="center")
        y -= step


def _table_row(canvas: Pen, doc: TableDocument, row: Sequence[str], widths: list[float],
               lefts: list[float], top: float) -> None:
    """One row under `top`, its bottom rule drawn."""
    baseline = top - doc.row_height / 2 - doc.font_size / 3
    for column, value, left, width in zip(doc.columns, row, lefts, widths, strict=True):
        if not value:
            continue
        if column.align == "right":
            _text(canvas, left + width - 2, baseline, value, size=doc.font_size, width=width - 4,
                  align="right")
        elif column.align == "center":
            _text(canvas, left + width / 2, baseline, value, size=doc.font_size, width=width - 4,
                  align="center")
        else:
            _text(canvas, left + 2, baseline, value, size=doc.font_size, width=width - 4)
    canvas.line(lefts[0], top - doc.row_height, lefts[-1] + widths[-1], top - doc.row_height)


def _grid(canvas: Pen, doc: TableDocument, lefts: list[float], widths: list[float], top: float,
          bottom: float) -> None:
    """The table's frame: its top, the header's bottom and the column rules (inside a
    group, the rule stops under the group's heading)."""
    right = lefts[-1] + widths[-1]
    rows_top = top - HEADER_HEIGHT
    canvas.line(lefts[0], top, right, top)
    canvas.line(lefts[0], rows_top, right, rows_top)
    for n, x in enumerate([*lefts, right]):
        inside = (0 < n < len(doc.columns) and doc.columns[n].group
                  and doc.columns[n].group == doc.columns[n - 1].group)
        canvas.line(x, rows_top + HEADER_HEIGHT / 2 if inside else top, x, bottom)


# ------------------------------------------------------------------ 工资支付表

def _items(line: WageLine) -> list[WageItem]:
    return list(line.items.all())  # prefetched by the selectors


def _used_items(lines: Sequence[WageLine]) -> list[tuple[str, str]]:
    """The (kind, name) of the items some line carries, 应发 first, in catalogue order."""
    from .rules import item_catalog

    used = {(item.kind, item.name) for line in lines for item in _items(line)}
    ordered = [(i.kind, i.name) for i in item_catalog() if (i.kind, i.name) in used]
    return ordered + sorted(used - set(ordered))


def _month_of(line: WageLine) -> str:
    month = month_label(line.sheet.month)
    return f"{month}（补发{month_label(line.back_pay_month)}）" if line.back_pay_month else month


def _unit_and_team(sheet: WageSheet) -> str:
    return (f"参建单位：{sheet.participant.unit_name}（{sheet.participant.get_role_display()}）"
            f"    班组：{sheet.team.name}")


def _person_numbers(line: WageLine, *, full: bool) -> tuple[str, str]:
    person = line.worker.person
    id_number, phone = person.id_number, person.phone
    return (id_number, phone) if full else (mask_id_number(id_number), mask_phone(phone))


def pay_table(doc: SheetDocument) -> bytes:
    """「打印工资支付表」: the sheet for the workers' signatures, A4 landscape, the
    header row on every page, an empty 工人签字 column, the totals and 制表人/日期
    under the last line. 证件号码 and 联系方式 in full only for the participant that
    prepares the sheet (`full_numbers`), else masked as on the pages."""
    sheet, lines = doc.sheet, doc.lines
    used = _used_items(lines)
    columns = [Column("序号", 22, "center"), Column("姓名", 46), Column("证件号码", 80),
               Column("联系方式", 50), Column("出勤\n天数", 28, "right"), Column("工时", 28, "right")]
    columns += [Column(name, 40, "right", "应发项目" if kind == ItemKind.GROSS else "代扣项目")
                for kind, name in used]
    columns += [Column("应发合计", 44, "right"), Column("代扣合计", 44, "right"),
                Column("实发", 46, "right"), Column("工人签字", 66)]
    rows: list[list[str]] = []
    days, hours = Decimal("0.0"), Decimal("0.00")
    sums = dict.fromkeys(used, ZERO)
    gross = deductions = net = ZERO
    for n, line in enumerate(lines, start=1):
        id_number, phone = _person_numbers(line, full=doc.full_numbers)
        amounts = {(item.kind, item.name): item.amount for item in _items(line)}
        name = line.worker.person.name
        if line.back_pay_month:
            name = f"{name}（补发{month_label(line.back_pay_month)}）"
        rows.append([str(n), name, id_number, phone, f"{line.days}",
                     f"{line.work_hours}" if line.work_hours is not None else "",
                     *(yuan(amounts[key]) if key in amounts else "" for key in used),
                     yuan(line.gross_total), yuan(line.deduction_total), yuan(line.net_amount), ""])
        days += line.days
        hours += line.work_hours or 0
        for key, amount in amounts.items():
            if key in sums:
                sums[key] += amount
        gross += line.gross_total
        deductions += line.deduction_total
        net += line.net_amount
    totals = [["", "合计", f"{len(rows)}人", "", f"{days}", f"{hours}" if hours else "",
               *(yuan(sums[key]) for key in used), yuan(gross), yuan(deductions), yuan(net), ""]]
    today = timezone.localdate()
    project = sheet.project
    return table_pdf(TableDocument(
        title=f"农民工工资支付表（{month_label(sheet.month)}）",
        heading=[f"项目：{project.name}（{project.code}）    工资表编号：{sheet.number}",
                 f"{_unit_and_team(sheet)}    工资月份：{month_label(sheet.month)}"
                 f"    人数：{len(rows)}    金额单位：元"],
        columns=columns, rows=rows, totals=totals,
        closing=[f"制表单位（盖章）：{sheet.participant.unit_name}    制表人：{doc.prepared_by}"
                 f"    制表日期：{timezone.localtime(sheet.created_at).date():%Y-%m-%d}"
                 f"    打印日期：{today:%Y-%m-%d}",
                 "施工总承包单位劳资专管员审核（签字）：                    日期：",
                 "工人本人签字确认所列出勤、应发、代扣及实发金额无误。本表须保存不少于3年"
                 "（《保障农民工工资支付条例》第五十条）。"],
    ))


# ------------------------------------------------------------------ 工资清单

SLIP_SIZE = A5


def _slip_card(line: WageLine) -> str:
    """The card the money went to (a paid line keeps it), else the roster's card."""
    if line.card_number_token:
        return f"{line.card_bank_name} {line.masked_card_number}".strip()
    card = getattr(line.worker, "wage_card", None)
    if card is None:
        return "未登记工资卡"
    return f"{card.bank_name} {mask_card_number(card.card_number)}".strip()


def _status_of(line: WageLine) -> str:
    status = line.get_pay_status_display()
    if line.pay_status == LineStatus.PAID and line.paid_on:
        return f"{status}（发放日期 {line.paid_on:%Y-%m-%d}）"
    if line.pay_status == LineStatus.FAILED and line.failure_reason:
        return f"{status}（{line.failure_reason}）"
    return status


def wage_slips(lines: Iterable[WageLine]) -> bytes:
    """「工资清单」: one A5 page per line (a worker's own slip for the month) with its
    items, 应发合计, 代扣合计, 实发 and whether and when it was paid. 证件号码 and the
    card are masked. Independent of any request or user: the caller decides whose
    lines these are (the sheet page, the worker's own 工资查询). Each line needs its
    sheet (project, participant, team), worker (person, wage_card) and items:
    `selectors.for_documents()` loads them in a constant number of queries."""
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, pagesize=SLIP_SIZE, title="工资清单")
    count = 0
    for line in lines:
        _slip_page(canvas, line)
        canvas.showPage()
        count += 1
    if count == 0:
        _text(canvas, SLIP_SIZE[0] / 2, SLIP_SIZE[1] / 2, "没有工资明细", size=12, align="center")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _slip_page(canvas: Pen, line: WageLine) -> None:
    width, height = SLIP_SIZE
    usable = width - 2 * MARGIN
    sheet = line.sheet
    person = line.worker.person
    y = height - MARGIN - 16
    _text(canvas, width / 2, y, "工资清单", size=16, align="center")
    y -= 18
    _text(canvas, width / 2, y, sheet.project.name, size=9, width=usable, align="center")
    y -= 10
    canvas.setLineWidth(0.5)
    label_width = 62.0
    pairs = [("姓名", person.name), ("证件号码", mask_id_number(person.id_number)),
             ("用工单位", sheet.participant.unit_name), ("班组", sheet.team.name),
             ("工资月份", _month_of(line)),
             ("出勤天数", f"{line.days} 天" + (f"    工时：{line.work_hours} 小时"
                                            if line.work_hours is not None else ""))]
    y = _pairs(canvas, pairs, y, label_width, usable)
    y -= 10
    for kind, heading, total_label, total in (
            (ItemKind.GROSS, "应发项目", "应发合计", line.gross_total),
            (ItemKind.DEDUCTION, "代扣项目", "代扣合计", line.deduction_total)):
        items = [item for item in _items(line) if item.kind == kind]
        rows = [(item.name, yuan(item.amount)) for item in items] or [("（无）", "")]
        y = _amounts(canvas, heading, rows, (total_label, yuan(total)), y, usable)
        y -= 8
    _text(canvas, MARGIN, y - 14, "实发金额", size=11)
    _text(canvas, MARGIN + usable, y - 14, f"{yuan(line.net_amount)} 元", size=13, align="right")
    canvas.line(MARGIN, y - 20, MARGIN + usable, y - 20)
    y -= 30
    y = _pairs(canvas, [("发放状态", _status_of(line)), ("工资卡", _slip_card(line))], y,
               label_width, usable)
    hotlines = "；".join(settings.COMPLAINT_HOTLINES)
    notes = [f"工资表编号：{sheet.number}    生成日期：{timezone.localdate():%Y-%m-%d}",
             f"如对工资有异议，请先与用工单位核对；也可投诉举报：{hotlines}",
             f"本清单由{PLATFORM}生成。"]
    y = MARGIN + 10 * len(notes)
    for note in notes:
        for text in wrap(note, usable, 7):
            _text(canvas, MARGIN, y, text, size=7)
            y -= 10


def _pairs(canvas: Pen, pairs: Sequence[tuple[str, str]], y: float, label_width: float,
           usable: float) -> float:
    """Label and value rows, a rule under each; returns the y under the last."""
    for label, value in pairs:
        _text(canvas, MARGIN, y - 13, label, size=9)
        _text(canvas, MARGIN + label_width, y - 13, value, size=9, width=usable - label_width)
        canvas.line(MARGIN, y - 18, MARGIN + usable, y - 18)
        y -= 18
    return y


def _amounts(canvas: Pen, heading: str, rows: Sequence[tuple[str, str]],
             total: tuple[str, str], y: float, usable: float) -> float:
    _text(canvas, MARGIN, y - 12, heading, size=9)
    _text(canvas, MARGIN + usable, y - 12, "金额（元）", size=8, align="right")
    canvas.line(MARGIN, y - 16, MARGIN + usable, y - 16)
    y -= 16
    for name, amount in rows:
        _text(canvas, MARGIN + 12, y - 12, name, size=9, width=usable - 90)
        _text(canvas, MARGIN + usable, y - 12, amount, size=9, align="right")
        y -= 15
    canvas.line(MARGIN, y - 3, MARGIN + usable, y - 3)
    _text(canvas, MARGIN + 12, y - 15, total[0], size=9)
    _text(canvas, MARGIN + usable, y - 15, total[1], size=9, align="right")
    return y - 20


# ------------------------------------------------------------------ 代发凭证

def voucher(doc: SheetDocument) -> bytes:
    """「代发凭证」 of a paid sheet: the payer (the project's 工资专用账户), each
    payment's 发放日期 and 银行批次号, and per line 姓名, the card it went to (masked),
    实发 and its status; the totals. For the subcontractor (条例 第三十一条)."""
    sheet, lines = doc.sheet, doc.lines
    columns = [Column("序号", 24, "center"), Column("姓名", 60), Column("工资卡", 150),
               Column("实发金额（元）", 64, "right"), Column("发放日期", 56, "center"),
               Column("银行批次号", 90), Column("状态", 40, "center")]
    rows = []
    total = ZERO
    for n, line in enumerate(lines, start=1):
        name = line.worker.person.name
        if line.back_pay_month:
            name = f"{name}（补发{month_label(line.back_pay_month)}）"
        batch = line.payment.batch_number if line.payment_id and line.payment else ""
        rows.append([str(n), name, _slip_card(line), yuan(line.net_amount),
                     f"{line.paid_on:%Y-%m-%d}" if line.paid_on else "", batch,
                     line.get_pay_status_display()])
        total += line.net_amount
    payer_text = "；".join(f"户名 {p.name}  账号 {p.number}  开户银行 {p.bank}" for p in doc.payers)
    batch_text = "；".join(f"{day:%Y-%m-%d} 批次号 {number}" for day, number in doc.batches)
    project = sheet.project
    return table_pdf(TableDocument(
        title="农民工工资代发凭证", pagesize=A4, row_height=18.0, font_size=8.0,
        heading=[f"项目：{project.name}（{project.code}）",
                 f"{_unit_and_team(sheet)}",
                 f"工资月份：{month_label(sheet.month)}    工资表编号：{sheet.number}",
                 f"付款账户（农民工工资专用账户）：{payer_text or '—'}",
                 f"发放：{batch_text or '—'}"],
        columns=columns, rows=rows,
        totals=[["", "合计", f"{len(rows)}人", yuan(total), "", "", ""]],
        closing=[f"代发单位：{doc.general_contractor}（施工总承包单位）    "
                 f"收执单位：{sheet.participant.unit_name}",
                 f"本凭证依据银行代发结果生成，生成日期：{timezone.localdate():%Y-%m-%d}。"
                 "（《保障农民工工资支付条例》第三十一条：代发凭证交分包单位）"],
    ))


# ------------------------------------------------------------------ 维权信息告示牌

def notice_board(board: NoticeBoard) -> bytes:
    """「维权信息告示牌」 of a project, A4 portrait, from its data (条例 第三十四条)."""
    width, height = A4
    usable = width - 2 * MARGIN - 20
    left = MARGIN + 10
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, pagesize=A4, title="维权信息告示牌")
    canvas.setLineWidth(2)
    canvas.rect(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN)
    y = height - MARGIN - 46
    _text(canvas, width / 2, y, "维权信息告示牌", size=28, align="center")
    y -= 24
    _text(canvas, width / 2, y, board.project_name, size=12, width=usable, align="center")
    y -= 14
    canvas.setLineWidth(0.6)
    label_width = 128.0
    size = 13.0
    for label, value in board.rows():
        lines = wrap(value or "—", usable - label_width - 8, size)
        row_height = max(1, len(lines)) * (size + 6) + 14
        if y - row_height < MARGIN + 60:
            _text(canvas, width / 2, MARGIN + 12, "（续下页）", size=9, align="center")
            canvas.showPage()
            canvas.setLineWidth(0.6)
            y = height - MARGIN - 20
        canvas.line(left, y, left + usable, y)
        _text(canvas, left + 4, y - size - 7, label, size=size, width=label_width - 8)
        text_y = y - size - 7
        for text in lines:
            _text(canvas, left + label_width, text_y, text, size=size)
            text_y -= size + 6
        y -= row_height
    canvas.line(left, y, left + usable, y)
    notes = ["农民工工资应当以货币形式，通过银行转账或者现金支付给农民工本人，不得以实物或者有价证券等"
             "其他形式替代；用人单位应当按照约定的工资支付周期和具体支付日期足额支付工资。",
             f"依据《保障农民工工资支付条例》第三十四条设立。生成日期：{timezone.localdate():%Y-%m-%d}"]
    y -= 20
    for note in notes:
        for text in wrap(note, usable, 10):
            _text(canvas, left, y, text, size=10)
            y -= 15
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
