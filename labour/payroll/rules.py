"""Rules of wage sheets that need no database, shared by the pages, the services and
the .xlsx import (so a line typed, imported or sent by a script gets the same
answer). Money is Decimal with 2 places; nothing here uses float."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .choices import ItemKind

CENT = Decimal("0.01")
HALF = Decimal("0.5")
MAX_AMOUNT = Decimal("999999999.99")
DATA = Path(__file__).resolve().parent / "data"


class RuleError(ValueError):
    """A value a rule refuses; `field` names it, the message is for the user."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def days_in(month: dt.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def month_label(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def parse_month(value: object, *, label: str = "工资月份") -> dt.date:
    """「2026-11」 (or a date) → the first day of that month."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = unicodedata.normalize("NFKC", str(value or "")).strip().replace("/", "-").replace(".", "-")
    try:
        year, month = (int(part) for part in text.split("-")[:2])
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        raise RuleError(f"{label}应为“年-月”，如 2026-11") from None


def check_sheet_month(month: dt.date) -> dt.date:
    """工资月份 ≤ the current month (wages are not booked ahead)."""
    if month > this_month():
        raise RuleError("工资月份不能晚于本月", "month")
    return month


def money(value: object, *, label: str) -> Decimal:
    """An amount in 元: ≥ 0, at most 2 decimal places, never a float's noise."""
    if isinstance(value, float):
        value = repr(value)
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    text = text.replace(",", "").replace("，", "").replace("元", "").strip()
    if text == "":
        return Decimal("0.00")
    if text.startswith("-") and re.fullmatch(r"-\d+(\.\d+)?", text):
        raise RuleError(f"{label}不能为负数")
    if not re.fullmatch(r"\d+(\.\d+)?", text):  # no exponent, no NaN, no words
        raise RuleError(f"{label}应为金额（元），如 3500.00")
    amount = Decimal(text)
    if amount != amount.quantize(CENT):
        raise RuleError(f"{label}最多保留两位小数")
    if amount > MAX_AMOUNT:
        raise RuleError(f"{label}过大")
    return amount.quantize(CENT)


def attendance_days(value: object, *, month: dt.date) -> Decimal:
    """出勤天数: half days allowed, at most the days of the month."""
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    try:
        days = Decimal(text or "0")
    except InvalidOperation:
        raise RuleError("出勤天数应为数字，可以是半天（如 21.5）", "days") from None
    if not days.is_finite() or days < 0:
        raise RuleError("出勤天数不能为负数", "days")
    if days % HALF != 0:
        raise RuleError("出勤天数以半天为单位（如 21 或 21.5）", "days")
    limit = days_in(month)
    if days > limit:
        raise RuleError(f"出勤天数不能超过{month_label(month)}的{limit}天", "days")
    return days.quantize(Decimal("0.1"))


def work_hours(value: object) -> Decimal | None:
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    if not text:
        return None
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise RuleError("工时应为数字", "work_hours") from None
    if not hours.is_finite() or hours < 0 or hours > 744:
        raise RuleError("工时应在0到744小时之间", "work_hours")
    return hours.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ItemName:
    kind: str
    name: str


@cache
def item_catalog() -> tuple[ItemName, ...]:
    """The 应发 and 代扣 items a line may carry (data/items.csv)."""
    with (DATA / "items.csv").open(encoding="utf-8") as f:
        return tuple(ItemName(row["kind"], row["name"]) for row in csv.DictReader(f))


def item_names(kind: str) -> list[str]:
    return [item.name for item in item_catalog() if item.kind == kind]


@dataclass
class LineAmounts:
    """A line's items and the totals computed from them."""

    items: list[tuple[str, str, Decimal]] = field(default_factory=list)  # (kind, name, amount)

    @property
    def gross(self) -> Decimal:
        return sum((a for k, _n, a in self.items if k == ItemKind.GROSS), Decimal("0.00"))

    @property
    def deductions(self) -> Decimal:
        return sum((a for k, _n, a in self.items if k == ItemKind.DEDUCTION), Decimal("0.00"))

    @property
    def net(self) -> Decimal:
        return self.gross - self.deductions


def item_field(kind: str, name: str) -> str:
    """The field name a refusal of one item's amount carries."""
    return f"item:{kind}:{name}"


def check_items(values: Mapping[tuple[str, str], object]) -> LineAmounts:
    """{(kind, name): amount typed} → the line's items (zero amounts left out).
    代扣合计 may not exceed 应发合计: 实发 is never negative."""
    known = {(item.kind, item.name) for item in item_catalog()}
    amounts = LineAmounts()
    for (kind, name), value in values.items():
        if (kind, name) not in known:
            raise RuleError(f"没有这个工资项目：{name}")
        try:
            amount = money(value, label=name)
        except RuleError as exc:
            raise RuleError(exc.message, item_field(kind, name)) from None
        if amount:
            amounts.items.append((kind, name, amount))
    if amounts.deductions > amounts.gross:
        raise RuleError("代扣合计不能大于应发合计（实发不能为负数）", "deduction_total")
    return amounts


def check_back_pay_month(month: dt.date, *, sheet_month: dt.date) -> dt.date:
    """补发 goes on the current month's sheet for an earlier month."""
    if month >= sheet_month:
        raise RuleError("补发月份应早于本工资表的工资月份", "back_pay_month")
    return month


def pay_day_of(information: object | None) -> int:
    """约定发薪日 (day of the month after the wage month) of a project's information:
    its own, else the city's PAYROLL_DEFAULT_PAY_DAY."""
    day = getattr(information, "pay_day", None)
    return int(day or settings.PAYROLL_DEFAULT_PAY_DAY)


def minimum_monthly_wage() -> Decimal:
    """当地最低月工资标准 (the MINIMUM_MONTHLY_WAGE setting), in 元."""
    return Decimal(str(settings.MINIMUM_MONTHLY_WAGE)).quantize(CENT)
